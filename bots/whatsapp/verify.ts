import { createHmac, timingSafeEqual } from "node:crypto";

/** Meta signs each webhook POST: X-Hub-Signature-256 is "sha256=" and the hex HMAC-SHA256 of the raw body under the app secret. */
export function signatureOf(appSecret: string, raw: string | Buffer): string {
  return `sha256=${createHmac("sha256", appSecret).update(raw).digest("hex")}`;
}

/** True only for the exact signature of these bytes; compared in constant time. */
export function verifySignature(appSecret: string, raw: string | Buffer, header: unknown): boolean {
  if (typeof header !== "string") return false;
  return sameSecret(signatureOf(appSecret, raw), header);
}

/** Constant-time equality for secrets of any length (the length itself is not secret). */
export function sameSecret(expected: string, given: unknown): boolean {
  if (typeof given !== "string") return false;
  const a = Buffer.from(expected);
  const b = Buffer.from(given);
  return a.length === b.length && timingSafeEqual(a, b);
}
