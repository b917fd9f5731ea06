import { createHmac, timingSafeEqual } from "node:crypto";
import type { Clock } from "../clock.ts";
import { UsageError } from "../errors.ts";

/** How long a button in a chat message keeps working. */
export const ACTION_TTL_MS = 30 * 86_400_000;

interface Payload {
  /** The command line the button runs. */
  c: string;
  /** Expiry, ms since epoch. */
  e: number;
}

/**
 * Buttons carry the command they run, signed, so a forged or edited payload
 * (a Slack `value`, a Discord `custom_id`, Telegram `callback_data`) is refused.
 * Whoever clicks runs the command as themselves: RBAC still applies.
 */
export class ActionSigner {
  constructor(
    private readonly key: Buffer,
    private readonly clock: Clock,
  ) {}

  sign(command: string, ttlMs = ACTION_TTL_MS): string {
    const body = Buffer.from(JSON.stringify({ c: command, e: this.clock.now().getTime() + ttlMs } satisfies Payload)).toString("base64url");
    return `${body}.${this.mac(body)}`;
  }

  /** The command a signed payload carries; a UsageError when it was tampered with or has expired. */
  verify(token: string): string {
    const [body = "", mac = ""] = token.split(".");
    const expected = Buffer.from(this.mac(body));
    const given = Buffer.from(mac);
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw new UsageError("action.forged");
    let payload: Payload;
    try {
      payload = JSON.parse(Buffer.from(body, "base64url").toString("utf8")) as Payload;
    } catch {
      throw new UsageError("action.forged");
    }
    if (typeof payload.c !== "string" || typeof payload.e !== "number") throw new UsageError("action.forged");
    if (payload.e < this.clock.now().getTime()) throw new UsageError("action.expired", {}, payload.c);
    return payload.c;
  }

  private mac(body: string): string {
    // 128 bits of HMAC-SHA256 (22 base64url characters) are ample against forgery and keep payloads short.
    return createHmac("sha256", this.key).update(body).digest("base64url").slice(0, 22);
  }
}
