import { resolve } from "node:path";
import { z } from "zod";
import { DEFAULT_PLAN_PRICES, planPricesSchema } from "../core/billing/plans.ts";
import { boostPricesSchema, DEFAULT_BOOST_PRICES } from "../core/payments/boosts.ts";
import { DEFAULT_SYNC_LIMITS, syncLimitsSchema } from "../core/sync/limits.ts";

/** Thrown with one line naming the variable and what is expected; main prints it and exits. */
export class ConfigError extends Error {}

const url = (protocols: string[], example: string) => {
  const expected = `expected a ${protocols.join(" or ")} URL such as ${example}`;
  // The same words whether the value is missing or malformed.
  return z.string({ error: expected }).refine((v) => {
    try {
      return protocols.includes(new URL(v).protocol);
    } catch {
      return false;
    }
  }, expected);
};

const optionalText = z.string().min(1).optional();

const schema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  PORT: z.coerce.number({ message: "expected a port number such as 3000" }).int().min(0).max(65535).default(3000),
  HOST: z.string().default("0.0.0.0"),
  PUBLIC_URL: url(["http:", "https:"], "https://clout.example.com").optional(),
  DATABASE_URL: url(["postgres:", "postgresql:"], "postgresql://user:pass@localhost:5432/clout").optional(),
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(10),
  DATA_DIR: z.string().default(".data"),
  REDIS_URL: url(["redis:", "rediss:", "unix:"], "redis://127.0.0.1:6379"),
  QUEUE_PREFIX: z.string().regex(/^[\w-]+$/, "expected letters, digits, _ or -").default("clout"),
  CLOUT_SECRET: z.string().min(32, "expected at least 32 random characters (e.g. from `openssl rand -base64 48`)").optional(),
  ADMIN_TOKEN: z.string().min(16, "expected at least 16 characters (it guards /admin/queues)").optional(),
  DEMO_WORKSPACE: z.string().default("demo"),
  /** "false" on app replicas when dedicated `npm run worker` processes do the queued work. */
  RUN_WORKERS: z.enum(["true", "false"], { error: "expected true or false" }).default("true").transform((v) => v === "true"),
  /** How many days after a click an order reported to /api/v1/conversions is still that click's. */
  CONVERSION_WINDOW_DAYS: z.coerce.number({ message: "expected a whole number of days such as 30" }).int("expected a whole number of days such as 30").min(1, "expected at least 1 day").max(365, "expected at most 365 days").default(30),

  SLACK_SIGNING_SECRET: optionalText,
  SLACK_BOT_TOKEN: optionalText,
  SLACK_CLIENT_ID: optionalText,
  SLACK_CLIENT_SECRET: optionalText,
  SLACK_API_URL: url(["http:", "https:"], "https://slack.com/api/").optional(),
  DISCORD_APPLICATION_ID: optionalText,
  DISCORD_PUBLIC_KEY: optionalText.refine((v) => v === undefined || /^[0-9a-f]{64}$/i.test(v), "expected the 64 hex characters of the application's public key (General Information page)"),
  DISCORD_BOT_TOKEN: optionalText,
  DISCORD_API_URL: url(["http:", "https:"], "https://discord.com/api").optional(),
  TELEGRAM_BOT_TOKEN: optionalText,
  TELEGRAM_WEBHOOK_SECRET: optionalText.refine((v) => v === undefined || /^[A-Za-z0-9_-]{1,256}$/.test(v), "expected 1-256 characters of A-Z, a-z, 0-9, _ and - (Telegram's rule for secret_token)"),
  TELEGRAM_API_URL: url(["http:", "https:"], "https://api.telegram.org").optional(),
  WHATSAPP_TRANSPORT: z.enum(["cloud", "web"]).default("cloud"),
  WHATSAPP_ACCESS_TOKEN: optionalText,
  WHATSAPP_PHONE_NUMBER_ID: optionalText,
  WHATSAPP_APP_SECRET: optionalText,
  WHATSAPP_VERIFY_TOKEN: optionalText,
  WHATSAPP_API_URL: url(["http:", "https:"], "https://graph.facebook.com/v21.0").optional(),
  /** The approved message template that carries a notification outside WhatsApp's 24-hour window; its body has one text parameter. */
  WHATSAPP_TEMPLATE: z.string().regex(/^[a-z0-9_]{1,512}$/, "expected a template name of lower-case letters, digits and _ (as approved in WhatsApp Manager)").default("clout_notification"),
  WHATSAPP_TEMPLATE_LANGUAGE: z.string().regex(/^[a-z]{2,3}(_[A-Z]{2})?$/, "expected the template's language code, such as en, pt_BR or en_US").default("en"),
  /** The Chromium that WHATSAPP_TRANSPORT=web drives (default /usr/bin/chromium, Debian's chromium package). */
  CHROMIUM_PATH: optionalText,
  STRIPE_SECRET_KEY: optionalText,
  STRIPE_WEBHOOK_SECRET: optionalText,
  STRIPE_API_URL: url(["http:", "https:"], "https://api.stripe.com").optional(),
  /** What boosts cost, in each workspace's currency's major units; durations left out keep their default. */
  BOOST_PRICES: boostPricesSchema.default(DEFAULT_BOOST_PRICES),
  /** What the paid plans cost a month: amounts in each workspace's currency, or Stripe price ids; plans left out keep their default. */
  PLAN_PRICES: planPricesSchema.default(DEFAULT_PLAN_PRICES),
  /** "off" lifts every rate limit (commands, API, redirect), for load tests; plan limits stay. */
  RATE_LIMITS: z.enum(["on", "off"], { error: "expected on or off" }).default("on"),
  /** Referral redirects one client IP may get per sliding minute; generous, since many people can share an IP (offices, mobile carriers). */
  RATE_LIMIT_REDIRECT_PER_MINUTE: z.coerce.number({ message: "expected a whole number such as 600" }).int().min(1).default(600),
  /** Public API requests one client IP may make per sliding minute, before its credentials are even checked. */
  RATE_LIMIT_API_IP_PER_MINUTE: z.coerce.number({ message: "expected a whole number such as 300" }).int().min(1).default(300),
  OPENAI_API_KEY: optionalText,
  OPENAI_BASE_URL: url(["http:", "https:"], "https://api.openai.com/v1").optional(),
  OPENAI_MODEL: z.string().default("gpt-4o-mini"),
  /** Each platform's quota for the metrics sync, shared by every worker; platforms left out keep their documented default. */
  SYNC_LIMITS: syncLimitsSchema.default(DEFAULT_SYNC_LIMITS),
  /** Accounts one worker process syncs at once. */
  SYNC_CONCURRENCY: z.coerce.number({ message: "expected a whole number such as 16" }).int().min(1).max(256).default(16),
  /** The app's token and the Instagram business account that business_discovery reads other accounts through. */
  INSTAGRAM_ACCESS_TOKEN: optionalText,
  INSTAGRAM_BUSINESS_ACCOUNT_ID: optionalText.refine((v) => v === undefined || /^\d+$/.test(v), "expected the digits of your Instagram business account id, such as 17841400000000000"),
  INSTAGRAM_API_URL: url(["http:", "https:"], "https://graph.facebook.com/v21.0").optional(),
  YOUTUBE_API_KEY: optionalText,
  YOUTUBE_API_URL: url(["http:", "https:"], "https://www.googleapis.com").optional(),
  TIKTOK_CLIENT_KEY: optionalText,
  TIKTOK_CLIENT_SECRET: optionalText,
  TIKTOK_API_URL: url(["http:", "https:"], "https://open.tiktokapis.com").optional(),
  X_BEARER_TOKEN: optionalText,
  X_API_URL: url(["http:", "https:"], "https://api.x.com").optional(),
  /** "simulated" syncs every platform from the built-in simulation even where keys are set (demos, load tests). */
  SOCIAL_PROVIDERS: z.enum(["auto", "simulated"], { error: "expected auto or simulated" }).default("auto"),
});

export type Env = z.infer<typeof schema>;

/**
 * What each outside service needs before Clout turns it on: any one of the
 * listed sets of variables, complete. Slack runs for one workspace with a bot
 * token, or for many through OAuth.
 */
export const INTEGRATIONS = {
  slack: [
    ["SLACK_SIGNING_SECRET", "SLACK_BOT_TOKEN"],
    ["SLACK_SIGNING_SECRET", "SLACK_CLIENT_ID", "SLACK_CLIENT_SECRET"],
  ],
  discord: [["DISCORD_APPLICATION_ID", "DISCORD_PUBLIC_KEY", "DISCORD_BOT_TOKEN"]],
  telegram: [["TELEGRAM_BOT_TOKEN"]],
  whatsapp: [["WHATSAPP_ACCESS_TOKEN", "WHATSAPP_PHONE_NUMBER_ID", "WHATSAPP_APP_SECRET", "WHATSAPP_VERIFY_TOKEN"]],
  stripe: [["STRIPE_SECRET_KEY", "STRIPE_WEBHOOK_SECRET"]],
  openai: [["OPENAI_API_KEY"]],
  instagram: [["INSTAGRAM_ACCESS_TOKEN", "INSTAGRAM_BUSINESS_ACCOUNT_ID"]],
  youtube: [["YOUTUBE_API_KEY"]],
  tiktok: [["TIKTOK_CLIENT_KEY", "TIKTOK_CLIENT_SECRET"]],
  x: [["X_BEARER_TOKEN"]],
} as const satisfies Record<string, readonly (readonly (keyof Env)[])[]>;

export type Integration = keyof typeof INTEGRATIONS;

export interface Config {
  env: Env;
  dataDir: string;
  /** On: every variable set. Off: none set. Half-set is a configuration error. */
  integrations: Record<Integration, { on: boolean; missing: string[] }>;
}

export function loadConfig(source: NodeJS.ProcessEnv, cwd = process.cwd()): Config {
  // Empty strings mean "not set": that is how compose files and .env templates leave things blank.
  const cleaned = Object.fromEntries(Object.entries(source).filter(([, v]) => v !== undefined && v !== ""));
  const parsed = schema.safeParse(cleaned);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const name = String(issue.path[0]);
    const got = cleaned[name];
    throw new ConfigError(got === undefined ? `${name} is not set: ${issue.message}` : `${name} is invalid: ${issue.message}`);
  }
  const env = parsed.data;
  const integrations = {} as Config["integrations"];
  for (const [name, options] of Object.entries(INTEGRATIONS) as [Integration, readonly (readonly (keyof Env)[])[]][]) {
    // whatsapp-web.js pairs by QR code, so the web transport needs none of the Cloud API's keys.
    if (name === "whatsapp" && env.WHATSAPP_TRANSPORT === "web") {
      integrations[name] = { on: true, missing: [] };
      continue;
    }
    const gaps = options.map((vars) => vars.filter((v) => env[v] === undefined));
    const complete = gaps.some((g) => g.length === 0);
    const touched = options.flat().some((v) => env[v] !== undefined);
    // The set closest to complete is the one the user was going for.
    const closest = gaps.map((g, i) => ({ g, vars: options[i]! })).sort((a, b) => a.g.length - b.g.length)[0]!;
    if (touched && !complete) {
      throw new ConfigError(`${closest.g[0]} is not set: ${name} needs ${options.map((o) => o.join(", ")).join(" — or — ")} together (some are set)`);
    }
    integrations[name] = { on: complete, missing: complete ? [] : [...options[0]!] };
  }
  return { env, dataDir: resolve(cwd, env.DATA_DIR), integrations };
}
