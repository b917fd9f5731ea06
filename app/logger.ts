import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import pino, { type Logger } from "pino";

/** Secrets never reach a log line under the names they travel by (pino redacts these paths). */
export const REDACT = [
  "req.headers.authorization",
  "req.headers.cookie",
  'req.headers["x-slack-signature"]',
  'req.headers["x-telegram-bot-api-secret-token"]',
  'req.headers["stripe-signature"]',
  "token",
  "*.token",
  "*.botToken",
  "*.userToken",
  "*.accessToken",
  "*.password",
  "*.secret",
  "*.clientSecret",
  "*.signingSecret",
  "*.stateSecret",
  "*.apiKey",
  "*.CLOUT_SECRET",
  "*.DATABASE_URL",
];

/** JSON to stdout in production; to a file when the console owns the terminal. */
export function createLogger(level: string, file?: string): Logger {
  const options = { level, redact: { paths: REDACT, censor: "[redacted]" }, base: { app: "clout" } };
  if (!file) return pino(options);
  mkdirSync(dirname(file), { recursive: true });
  return pino(options, pino.destination({ dest: file, sync: false }));
}
