/**
 * A platform's error message with what could be a credential taken out:
 * URLs keep only their origin (Telegram puts the bot token in the path,
 * Slack's response_url and Discord's webhooks are tokens themselves), and
 * token-shaped strings go. What is left still says what went wrong, for the
 * failed list, the logs and the queue dashboard.
 */
export function redactSecrets(message: string, max = 200): string {
  const clean = message
    .replace(/\b(https?:\/\/[^/\s"'<>]+)[^\s"'<>]*/gi, "$1/…")
    .replace(/\b(bearer|bot|basic)\s+[\w+/=.:-]{16,}/gi, "$1 [redacted]")
    .replace(/\bxox[a-z]-[\w-]+/gi, "[redacted]")
    .replace(/\b\d{6,}:[\w-]{20,}/g, "[redacted]")
    .replace(/[\w+/=.-]{32,}/g, "[redacted]")
    .replace(/\s+/g, " ")
    .trim();
  return clean.length > max ? `${clean.slice(0, max - 1)}…` : clean;
}
