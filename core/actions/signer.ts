import { createHmac, timingSafeEqual } from "node:crypto";
import type { Clock } from "../clock.ts";
import { UsageError } from "../errors.ts";

/** How long a button in a chat message keeps working. */
export const ACTION_TTL_MS = 30 * 86_400_000;

/** Signs a button's command line for the workspace it runs in (see ReplyButton.scope). */
export type Sign = (command: string, scope?: string) => string;

/** 96 bits of HMAC-SHA256 as base64url: ample against forgery, each guess costing a request. */
const MAC_CHARS = 16;

/**
 * Buttons carry the command they run, signed, so a forged or edited payload
 * (a Slack `value`, a Discord `custom_id`, Telegram `callback_data`) is refused.
 * Whoever clicks runs the command as themselves: RBAC still applies.
 *
 * The format is `<mac>.<expiry, unix seconds in base 36>.<command>`: short
 * enough for Telegram's 64 bytes ("campaign approve 12" signs to 43), and the
 * command last so it needs no escaping. The MAC also covers the workspace
 * the button belongs to, which the token does not carry: it only verifies
 * for a member of that workspace, so "approve #12" from brand A's message can
 * never approve brand B's #12 when a B member presses it in a shared chat.
 */
export class ActionSigner {
  constructor(
    private readonly key: Buffer,
    private readonly clock: Clock,
  ) {}

  sign(command: string, scope = "", ttlMs = ACTION_TTL_MS): string {
    const signed = `${Math.ceil((this.clock.now().getTime() + ttlMs) / 1000).toString(36)}.${command}`;
    return `${this.mac(scope, signed)}.${signed}`;
  }

  /** The command a signed payload carries; a UsageError when it was tampered with or has expired. */
  verify(token: string, scope = ""): string {
    const dot = token.indexOf(".");
    const signed = token.slice(dot + 1);
    const expected = Buffer.from(this.mac(scope, signed));
    const given = Buffer.from(token.slice(0, Math.max(dot, 0)));
    if (dot < 0 || given.length !== expected.length || !timingSafeEqual(given, expected)) throw new UsageError("action.forged");
    const sep = signed.indexOf(".");
    const expires = parseInt(signed.slice(0, sep), 36) * 1000;
    const command = signed.slice(sep + 1);
    if (sep < 0 || !Number.isFinite(expires) || !command) throw new UsageError("action.forged");
    if (expires < this.clock.now().getTime()) throw new UsageError("action.expired", {}, command);
    return command;
  }

  private mac(scope: string, signed: string): string {
    return createHmac("sha256", this.key).update(`${scope}\n${signed}`).digest("base64url").slice(0, MAC_CHARS);
  }
}
