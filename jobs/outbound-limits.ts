import type { ChatPlatform } from "../core/commands/types.ts";

/**
 * How often Clout posts to one conversation on each platform, kept as data.
 * Slack allows about one message a second per channel, Telegram one a second
 * per chat; the console has no limit. Discord and WhatsApp join with their adapters.
 */
export const OUTBOUND_INTERVAL_MS: Partial<Record<ChatPlatform, number>> = {
  slack: 1_000,
  telegram: 1_000,
};
