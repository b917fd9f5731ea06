import { randomBytes } from "node:crypto";
import pino from "pino";
import { loadConfig } from "../../app/config.ts";
import { createApp, type App, type AppOptions } from "../../app/container.ts";
import { TEST_REDIS_URL } from "./env.ts";

export const silentLog = pino({ level: "silent" });

/** A process that is never too busy to answer inline: tests must not depend on how loaded the machine is. */
export const calm = { busy: () => false, stop: () => {} };

/**
 * The real composition root on a test database and the test Redis, with queue
 * keys under a prefix of its own so parallel files never share jobs.
 */
export async function startTestApp(databaseUrl: string, o: Partial<AppOptions> & { env?: Record<string, string> } = {}): Promise<App> {
  const config = loadConfig({
    DATABASE_URL: databaseUrl,
    REDIS_URL: TEST_REDIS_URL,
    QUEUE_PREFIX: `test-${randomBytes(4).toString("hex")}`,
    PORT: "0",
    HOST: "127.0.0.1",
    LOG_LEVEL: "silent",
    // Suites drive one member through hundreds of commands on a frozen clock; the limits' own tests turn them on.
    RATE_LIMITS: "off",
    ...o.env,
  });
  return createApp(config, { log: silentLog, load: calm, ...o });
}
