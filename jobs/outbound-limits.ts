import type { ChatPlatform } from "../core/commands/types.ts";

/**
 * How often Clout posts to one conversation on each platform, kept as data.
 * Slack allows about one message a second per channel, Telegram one a second
 * per chat; the console has no limit. Discord keeps its own buckets (the REST
 * client waits them out), so it needs no pace here.
 */
export const OUTBOUND_INTERVAL_MS: Partial<Record<ChatPlatform, number>> = {
  slack: 1_000,
  telegram: 1_000,
};

/** How often Clout posts anywhere on a platform, across all conversations: Telegram allows about 30 messages a second per bot. */
export const PLATFORM_INTERVAL_MS: Partial<Record<ChatPlatform, number>> = {
  telegram: 34,
};
