import { createPublicKey, verify, type KeyObject } from "node:crypto";

/** Discord signs `timestamp + body`; a captured request is refused once it is older than this. */
export const MAX_AGE_SECONDS = 300;

/** The application's public key as the developer portal shows it (64 hex characters), as a key node:crypto can verify with. */
export function discordPublicKey(hex: string): KeyObject {
  if (!/^[0-9a-f]{64}$/i.test(hex)) throw new Error("DISCORD_PUBLIC_KEY must be the 64 hex characters shown on the application's General Information page");
  return createPublicKey({ key: { kty: "OKP", crv: "Ed25519", x: Buffer.from(hex, "hex").toString("base64url") }, format: "jwk" });
}

export type VerifyResult = { ok: true } | { ok: false; reason: "missing" | "stale" | "signature" };

/** Ed25519 over the exact bytes, and a timestamp inside the window on our clock (in either direction, so a future stamp cannot extend it). */
export function verifyInteraction(key: KeyObject, body: string, signature: string | undefined, timestamp: string | undefined, nowMs: number): VerifyResult {
  if (!signature || !timestamp || !/^[0-9a-f]{128}$/i.test(signature) || !/^\d{1,12}$/.test(timestamp)) return { ok: false, reason: "missing" };
  if (Math.abs(nowMs / 1000 - Number(timestamp)) > MAX_AGE_SECONDS) return { ok: false, reason: "stale" };
  return verify(null, Buffer.from(timestamp + body), key, Buffer.from(signature, "hex")) ? { ok: true } : { ok: false, reason: "signature" };
}
