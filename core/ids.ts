import { randomInt, randomUUID } from "node:crypto";

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
    let out = "";
    for (let i = 0; i < length; i++) out += CODE_ALPHABET[randomInt(CODE_ALPHABET.length)];
    return out;
  },
};
