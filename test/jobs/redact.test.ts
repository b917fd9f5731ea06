import { describe, expect, it } from "vitest";
import { redactSecrets } from "../../jobs/redact.ts";

describe("failure reasons keep what went wrong and lose what could be a credential", () => {
  it.each([
    ["Telegram's token in the API path", "request to https://api.telegram.org/bot7000000001:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw/sendMessage failed", "request to https://api.telegram.org/… failed"],
    ["Discord's interaction token", "404 on https://discord.com/api/v10/webhooks/1180000000000000777/aW50ZXJhY3Rpb246MTE4MDAwMDAwMDAwMDAwMDc3Nzp0b2tlbg/messages/@original", "404 on https://discord.com/…"],
    ["Slack's response_url", "POST https://hooks.slack.com/actions/T1/123/abcDEF: 500", "POST https://hooks.slack.com/… 500"],
    ["a Slack bot token", "invalid_auth for xoxb-1234-5678-abcdefABCDEF", "invalid_auth for [redacted]"],
    ["an Authorization header", "sent Authorization: Bearer sk-live-0123456789abcdef", "sent Authorization: Bearer [redacted]"],
    ["a bare token-shaped string", "key eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N rejected", "key [redacted] rejected"],
  ])("%s", (_what, message, expected) => {
    expect(redactSecrets(message)).toBe(expected);
  });

  it("leaves plain platform errors alone", () => {
    expect(redactSecrets("403 Forbidden: bot was blocked by the user")).toBe("403 Forbidden: bot was blocked by the user");
    expect(redactSecrets("channel_not_found")).toBe("channel_not_found");
  });

  it("keeps a reason short enough for a table cell", () => {
    expect(redactSecrets("timeout ".repeat(60))).toHaveLength(200);
  });
});
