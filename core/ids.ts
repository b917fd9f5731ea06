import { randomBytes, randomUUID } from "node:crypto";

/** Where new ids come from; injected so tests can make them predictable. */
export interface Ids {
  uuid(): string;
  /** A short code people type: no 0/O or 1/I/L to misread. */
  code(length: number): string;
}

const CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ";

export const randomIds: Ids = {
  uuid: () => randomUUID(),
  code(length) {
    const bytes = randomBytes(length);
    let out = "";
    // 31 symbols: the modulo bias (256 % 31 = 8) is negligible for short-lived link codes.
    for (const b of bytes) out += CODE_ALPHABET[b % CODE_ALPHABET.length];
    return out;
  },
};
