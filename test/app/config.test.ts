import { describe, expect, it } from "vitest";
import { ConfigError, INTEGRATIONS, loadConfig } from "../../app/config.ts";
import { redisOptions } from "../../jobs/connection.ts";

/** The least configuration Clout starts with: only Redis is required. */
const BASE = { REDIS_URL: "redis://127.0.0.1:6379" };

/** The ConfigError loadConfig throws for env, checked to be a single line. */
function configError(env: Record<string, string | undefined>): string {
  let thrown: unknown;
  try {
    loadConfig(env, "/srv/clout");
  } catch (err) {
    thrown = err;
  }
  expect(thrown, `expected a ConfigError for ${JSON.stringify(env)}`).toBeInstanceOf(ConfigError);
  const message = (thrown as ConfigError).message;
  expect(message.split("\n"), message).toHaveLength(1);
  return message;
}

describe("loadConfig", () => {
  it("starts with REDIS_URL alone and fills every default", () => {
    const config = loadConfig(BASE, "/srv/clout");
    expect(config.env).toMatchObject({ NODE_ENV: "development", LOG_LEVEL: "info", PORT: 3000, HOST: "0.0.0.0", QUEUE_PREFIX: "clout", DATABASE_POOL_SIZE: 10 });
    expect(config.env.DATABASE_URL).toBeUndefined();
    expect(config.env.ADMIN_TOKEN).toBeUndefined();
    expect(config.dataDir).toBe("/srv/clout/.data");
  });

  it("refuses a missing REDIS_URL in one line that names it and says what a good value looks like", () => {
    const message = configError({});
    expect(message).toMatch(/^REDIS_URL /);
    expect(message).toContain("not set");
    // What is expected: a Redis URL, with an example to copy.
    expect(message).toContain("redis://");
  });

  it("treats empty strings as unset, as compose files and .env templates leave them", () => {
    const message = configError({ REDIS_URL: "" });
    expect(message).toMatch(/^REDIS_URL is not set/);
    const config = loadConfig({ ...BASE, DATABASE_URL: "", PORT: "", ADMIN_TOKEN: "", SLACK_BOT_TOKEN: "", SLACK_SIGNING_SECRET: "" });
    expect(config.env.DATABASE_URL).toBeUndefined();
    expect(config.env.PORT).toBe(3000);
    expect(config.env.ADMIN_TOKEN).toBeUndefined();
    expect(config.integrations.slack.on).toBe(false);
  });

  it("refuses a DATABASE_URL that is not PostgreSQL, naming the variable and the expected scheme", () => {
    const message = configError({ ...BASE, DATABASE_URL: "mysql://x" });
    expect(message).toMatch(/^DATABASE_URL is invalid/);
    expect(message).toContain("postgres");
    expect(message).toContain("postgresql://");
  });

  it("accepts postgres:// and postgresql:// database URLs", () => {
    expect(loadConfig({ ...BASE, DATABASE_URL: "postgres://u:p@db:5432/clout" }).env.DATABASE_URL).toBe("postgres://u:p@db:5432/clout");
    expect(loadConfig({ ...BASE, DATABASE_URL: "postgresql://db/clout" }).env.DATABASE_URL).toBe("postgresql://db/clout");
  });

  it.each(["abc", "70000", "3.5", "-1"])("refuses PORT=%s, naming PORT", (port) => {
    const message = configError({ ...BASE, PORT: port });
    expect(message).toMatch(/^PORT is invalid/);
    expect(message).toContain("port number");
  });

  it("coerces a numeric PORT", () => {
    expect(loadConfig({ ...BASE, PORT: "8080" }).env.PORT).toBe(8080);
    expect(loadConfig({ ...BASE, PORT: "0" }).env.PORT).toBe(0);
  });

  it.each(["http://127.0.0.1:6379", "127.0.0.1:6379", "not a url"])("refuses REDIS_URL=%s, naming the schemes it takes", (value) => {
    const message = configError({ REDIS_URL: value });
    expect(message).toMatch(/^REDIS_URL is invalid/);
    expect(message).toContain("redis:");
    expect(message).toContain("unix:");
  });

  it.each(["redis://127.0.0.1:6379", "rediss://user:pass@cache.example.com:6380/1", "unix:///tmp/clout-redis.sock"])("accepts REDIS_URL=%s", (value) => {
    expect(loadConfig({ REDIS_URL: value }).env.REDIS_URL).toBe(value);
  });

  it("refuses an ADMIN_TOKEN shorter than 16 characters and accepts one of 16", () => {
    const message = configError({ ...BASE, ADMIN_TOKEN: "short" });
    expect(message).toMatch(/^ADMIN_TOKEN is invalid/);
    expect(message).toContain("16");
    expect(loadConfig({ ...BASE, ADMIN_TOKEN: "x".repeat(16) }).env.ADMIN_TOKEN).toBe("x".repeat(16));
  });

  it("refuses a bad QUEUE_PREFIX", () => {
    const message = configError({ ...BASE, QUEUE_PREFIX: "has space" });
    expect(message).toMatch(/^QUEUE_PREFIX is invalid/);
  });

  it("refuses half-set Slack credentials, naming the one that is missing", () => {
    const message = configError({ ...BASE, SLACK_BOT_TOKEN: "xoxb-1" });
    expect(message).toMatch(/^SLACK_SIGNING_SECRET is not set/);
    expect(message).toContain("slack");
  });

  it("refuses half-set Discord and WhatsApp Cloud credentials too", () => {
    expect(configError({ ...BASE, DISCORD_APPLICATION_ID: "1", DISCORD_PUBLIC_KEY: "ab".repeat(32) })).toMatch(/^DISCORD_BOT_TOKEN is not set/);
    expect(configError({ ...BASE, DISCORD_APPLICATION_ID: "1", DISCORD_PUBLIC_KEY: "ab", DISCORD_BOT_TOKEN: "t" })).toMatch(/^DISCORD_PUBLIC_KEY is invalid: expected the 64 hex characters/);
    expect(configError({ ...BASE, TELEGRAM_BOT_TOKEN: "1:x", TELEGRAM_WEBHOOK_SECRET: "has spaces" })).toMatch(/^TELEGRAM_WEBHOOK_SECRET is invalid: expected 1-256 characters/);
    expect(configError({ ...BASE, WHATSAPP_ACCESS_TOKEN: "t", WHATSAPP_PHONE_NUMBER_ID: "1" })).toMatch(/^WHATSAPP_APP_SECRET is not set/);
  });

  it("turns Slack on when both of its variables are set", () => {
    const config = loadConfig({ ...BASE, SLACK_BOT_TOKEN: "xoxb-1", SLACK_SIGNING_SECRET: "s3cret" });
    expect(config.integrations.slack).toEqual({ on: true, missing: [] });
    expect(config.integrations.discord.on).toBe(false);
  });

  it("with no credentials leaves every integration off, listing what each one needs", () => {
    const config = loadConfig(BASE);
    for (const [name, options] of Object.entries(INTEGRATIONS)) {
      expect(config.integrations[name as keyof typeof INTEGRATIONS], name).toEqual({ on: false, missing: [...options[0]!] });
    }
    expect(config.integrations.slack.missing).toEqual(["SLACK_SIGNING_SECRET", "SLACK_BOT_TOKEN"]);
  });

  it("turns Slack on for many workspaces with OAuth credentials, and names what a half-set OAuth lacks", () => {
    const oauth = { ...BASE, SLACK_SIGNING_SECRET: "s".repeat(32), SLACK_CLIENT_ID: "123.456", SLACK_CLIENT_SECRET: "c".repeat(32) };
    expect(loadConfig(oauth).integrations.slack).toEqual({ on: true, missing: [] });
    expect(configError({ ...oauth, SLACK_CLIENT_SECRET: "" })).toMatch(/^SLACK_BOT_TOKEN is not set|^SLACK_CLIENT_SECRET is not set/);
    expect(configError({ ...BASE, SLACK_CLIENT_ID: "123.456", SLACK_CLIENT_SECRET: "x" })).toMatch(/^SLACK_SIGNING_SECRET is not set/);
  });

  it("turns WhatsApp on with WHATSAPP_TRANSPORT=web and no Cloud API keys", () => {
    const config = loadConfig({ ...BASE, WHATSAPP_TRANSPORT: "web" });
    expect(config.integrations.whatsapp).toEqual({ on: true, missing: [] });
    expect(config.env.WHATSAPP_TRANSPORT).toBe("web");
  });

  it("refuses an unknown WHATSAPP_TRANSPORT", () => {
    expect(configError({ ...BASE, WHATSAPP_TRANSPORT: "sms" })).toMatch(/^WHATSAPP_TRANSPORT is invalid/);
  });

  it("refuses an *_API_URL that is not http(s)", () => {
    const message = configError({ ...BASE, SLACK_API_URL: "ftp://slack.example" });
    expect(message).toMatch(/^SLACK_API_URL is invalid/);
    expect(message).toContain("https://slack.com/api/");
  });
});

describe("redisOptions", () => {
  it("parses user, password, host, port and database from a redis:// URL", () => {
    const o = redisOptions("redis://user:pass@cache.internal:6380/2", "command");
    expect(o).toMatchObject({ host: "cache.internal", port: 6380, username: "user", password: "pass", db: 2 });
    expect(o.tls).toBeUndefined();
    expect(o.path).toBeUndefined();
  });

  it("defaults port 6379 and database 0, and decodes escaped credentials", () => {
    expect(redisOptions("redis://localhost", "command")).toMatchObject({ host: "localhost", port: 6379, db: 0, username: undefined, password: undefined });
    expect(redisOptions("redis://:p%40ss%2Fw@localhost", "command")).toMatchObject({ username: undefined, password: "p@ss/w" });
  });

  it("turns on TLS for rediss://", () => {
    const o = redisOptions("rediss://cache.example.com:6380", "command");
    expect(o).toMatchObject({ host: "cache.example.com", port: 6380 });
    expect(o.tls).toEqual({});
  });

  it("connects through the socket path for unix://", () => {
    const o = redisOptions("unix:///tmp/x.sock", "command");
    expect(o.path).toBe("/tmp/x.sock");
    expect(o.host).toBeUndefined();
    expect(o.port).toBeUndefined();
  });

  it("fails fast for commands and waits out restarts for workers", () => {
    const command = redisOptions("redis://localhost", "command");
    expect(command.maxRetriesPerRequest).toBe(1);
    expect(command.connectTimeout).toBeGreaterThan(0);
    const worker = redisOptions("redis://localhost", "worker");
    expect(worker.maxRetriesPerRequest).toBeNull();
    expect(worker.enableReadyCheck).toBe(false);
  });
});
