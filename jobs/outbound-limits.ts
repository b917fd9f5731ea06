import type { ChatPlatform } from "../core/commands/types.ts";

/**
 * How often Clout posts to one conversation on each platform, kept as data.
 * Slack allows about one message a second per channel, Telegram one a second
 * per chat, WhatsApp about one message every 6 seconds to one number (Meta's
 * pair rate); the console has no limit. Discord keeps its own buckets (the
 * REST client waits them out), so it needs no pace here.
 */
export const OUTBOUND_INTERVAL_MS: Partial<Record<ChatPlatform, number>> = {
  slack: 1_000,
  telegram: 1_000,
  whatsapp: 6_000,
};

/**
 * How often Clout posts anywhere on a platform, across all conversations:
 * Telegram allows about 30 messages a second per bot, the WhatsApp Cloud API
 * 80 a second per business number by default.
 */
export const PLATFORM_INTERVAL_MS: Partial<Record<ChatPlatform, number>> = {
  telegram: 34,
  whatsapp: 13,
};
