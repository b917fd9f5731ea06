import { createHash } from "node:crypto";

const HOUR_MS = 3_600_000;

/**
 * Who visited, without keeping who they are: sha256 over a server-side salt,
 * the IP and the user agent. Without the salt the hash can't be matched to an
 * IP by trying them all.
 */
export function visitorHash(salt: Buffer, ip: string, userAgent: string): string {
  return createHash("sha256").update(salt).update("\0").update(ip).update("\0").update(userAgent).digest("base64url");
}

/** The UTC hour a click falls in: a visitor's first click on a link within it is a unique click. */
export const hourOf = (at: Date): number => Math.floor(at.getTime() / HOUR_MS);

/** The UTC day a click is rolled up into. */
export const dayOf = (at: Date): string => at.toISOString().slice(0, 10);
