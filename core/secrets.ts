import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from "node:crypto";

/** A key for one purpose, derived from the master secret, so one leak does not open the others. */
export function deriveKey(secret: string, purpose: "actions" | "storage" | "slack-oauth-state" | "telegram-webhook" | "referral-visitors" | "qr-tokens"): Buffer {
  return Buffer.from(hkdfSync("sha256", secret, "clout", purpose, 32));
}

const VERSION = "v1";

/**
 * AES-256-GCM for secrets kept in the database (platform tokens). The stored form
 * is "v1.<iv>.<tag>.<ciphertext>"; a changed byte fails authentication rather
 * than decrypting to garbage.
 */
export class SecretBox {
  constructor(private readonly key: Buffer) {}

  seal(plain: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv("aes-256-gcm", this.key, iv);
    const data = Buffer.concat([cipher.update(plain, "utf8"), cipher.final()]);
    return [VERSION, iv.toString("base64url"), cipher.getAuthTag().toString("base64url"), data.toString("base64url")].join(".");
  }

  open(sealed: string): string {
    const [version, iv, tag, data] = sealed.split(".");
    if (version !== VERSION || !iv || !tag || data === undefined) throw new Error("not a sealed secret");
    const decipher = createDecipheriv("aes-256-gcm", this.key, Buffer.from(iv, "base64url"));
    decipher.setAuthTag(Buffer.from(tag, "base64url"));
    return Buffer.concat([decipher.update(Buffer.from(data, "base64url")), decipher.final()]).toString("utf8");
  }
}
