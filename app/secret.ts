import { randomBytes } from "node:crypto";
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { ConfigError, type Config } from "./config.ts";

/**
 * The master secret that signs chat buttons and encrypts stored tokens.
 * Production must set CLOUT_SECRET (every replica the same); a development
 * machine gets one generated once into DATA_DIR/secret.
 */
export function loadSecret(config: Config): string {
  if (config.env.CLOUT_SECRET) return config.env.CLOUT_SECRET;
  if (config.env.NODE_ENV === "production") throw new ConfigError("CLOUT_SECRET is not set: production needs one shared secret of at least 32 characters");
  const file = join(config.dataDir, "secret");
  if (!existsSync(file)) {
    mkdirSync(config.dataDir, { recursive: true });
    writeFileSync(file, randomBytes(48).toString("base64url"), { mode: 0o600 });
  }
  chmodSync(file, 0o600);
  return readFileSync(file, "utf8").trim();
}
