import type { FastifyInstance } from "fastify";
import type { AdapterServices } from "../bots/common/services.ts";
import { createDiscordBot } from "../bots/discord/bot.ts";
import { createSlackBot } from "../bots/slack/bot.ts";
import { createTelegramBot, TelegramRefusal } from "../bots/telegram/bot.ts";
import { createWhatsAppBot } from "../bots/whatsapp/bot.ts";
import { CloudTransport } from "../bots/whatsapp/cloud.ts";
import { redisChoices } from "../bots/whatsapp/web-choices.ts";
import { ChromiumMissingError, chromiumPath } from "../bots/whatsapp/web-options.ts";
import type { Messenger } from "../core/notifications/messenger.ts";
import type { SecretBox } from "../core/secrets.ts";
import { connectRedis } from "../jobs/connection.ts";
import { ConfigError, type Config } from "./config.ts";

/** A chat platform wired in: its routes on the server, and how to message people there. */
export interface Bot {
  mount(server: FastifyInstance): Promise<void>;
  messenger: Messenger;
  /** Starts receiving where the platform pushes nothing to our routes by itself (Telegram's webhook registration or long polling). */
  listen?(): Promise<void>;
  close?(): Promise<void>;
}

export interface BotDeps {
  /** A key for one purpose, derived from the master secret (which bots never see). */
  keyFor(purpose: "slack-oauth-state" | "telegram-webhook"): Buffer;
  services: AdapterServices;
  box: SecretBox;
}

/** Every platform whose credentials are configured; the others stay off (config logs which). */
export async function startBots(config: Config, deps: BotDeps): Promise<Bot[]> {
  const { env } = config;
  const bots: Bot[] = [];
  if (config.integrations.slack.on) {
    const oauth =
      env.SLACK_CLIENT_ID && env.SLACK_CLIENT_SECRET
        ? {
            clientId: env.SLACK_CLIENT_ID,
            clientSecret: env.SLACK_CLIENT_SECRET,
            stateSecret: deps.keyFor("slack-oauth-state").toString("base64url"),
            ...(env.PUBLIC_URL ? { redirectUri: new URL("/slack/oauth_redirect", env.PUBLIC_URL).toString() } : {}),
          }
        : undefined;
    const slack = await createSlackBot({
      ...deps.services,
      box: deps.box,
      signingSecret: env.SLACK_SIGNING_SECRET!,
      botToken: env.SLACK_BOT_TOKEN,
      oauth,
      slackApiUrl: env.SLACK_API_URL,
    }).catch((err: unknown) => {
      // Bolt checks the token with auth.test before it will serve; say which setting Slack refused, in one line.
      throw new ConfigError(`SLACK_BOT_TOKEN was not accepted by Slack (${(err as { data?: { error?: string } }).data?.error ?? (err as Error).message}); check the token and SLACK_API_URL`);
    });
    bots.push(slack);
    deps.services.log.info({ mode: oauth ? "oauth" : "single-workspace" }, "slack: on at POST /slack/events");
  }
  if (config.integrations.discord.on) {
    bots.push(
      createDiscordBot({
        ...deps.services,
        applicationId: env.DISCORD_APPLICATION_ID!,
        publicKey: env.DISCORD_PUBLIC_KEY!,
        botToken: env.DISCORD_BOT_TOKEN!,
        apiUrl: env.DISCORD_API_URL,
      }),
    );
    deps.services.log.info({}, "discord: on at POST /discord/interactions (register /clout with npm run discord:register)");
  }
  if (config.integrations.telegram.on) {
    const telegram = createTelegramBot({
      ...deps.services,
      token: env.TELEGRAM_BOT_TOKEN!,
      apiRoot: env.TELEGRAM_API_URL,
      publicUrl: env.PUBLIC_URL,
      // Without a configured secret the webhook still has one: derived, stable across restarts, never logged.
      webhookSecret: env.TELEGRAM_WEBHOOK_SECRET ?? deps.keyFor("telegram-webhook").toString("base64url"),
    });
    bots.push({
      ...telegram,
      // As for Slack: a token Telegram refuses stops Clout with one line naming the setting.
      listen: () =>
        telegram.listen().catch((err: unknown) => {
          if (err instanceof TelegramRefusal) throw new ConfigError(`TELEGRAM_BOT_TOKEN was not accepted by Telegram (${err.reason}); check the token and TELEGRAM_API_URL`);
          throw err;
        }),
    });
  }
  if (config.integrations.whatsapp.on && env.WHATSAPP_TRANSPORT === "cloud") {
    const transport = new CloudTransport({
      apiUrl: env.WHATSAPP_API_URL,
      phoneNumberId: env.WHATSAPP_PHONE_NUMBER_ID!,
      accessToken: env.WHATSAPP_ACCESS_TOKEN!,
      appSecret: env.WHATSAPP_APP_SECRET!,
      verifyToken: env.WHATSAPP_VERIFY_TOKEN!,
      claims: deps.services.claims,
      log: deps.services.log,
    });
    bots.push(createWhatsAppBot({ ...deps.services, transport, template: { name: env.WHATSAPP_TEMPLATE, language: env.WHATSAPP_TEMPLATE_LANGUAGE } }));
    deps.services.log.info({ transport: "cloud", template: env.WHATSAPP_TEMPLATE }, "whatsapp: on at GET/POST /whatsapp/webhook (Cloud API)");
  } else if (config.integrations.whatsapp.on) {
    bots.push(await startWhatsAppWeb(config, deps));
  }
  return bots;
}

/** WHATSAPP_TRANSPORT=web: whatsapp-web.js in the system Chromium, paired by the QR code it prints. */
async function startWhatsAppWeb(config: Config, deps: BotDeps): Promise<Bot> {
  const { env } = config;
  const { log } = deps.services;
  let executablePath: string;
  try {
    executablePath = chromiumPath(env.CHROMIUM_PATH);
  } catch (err) {
    // As for Slack: one line naming the fix, rather than a puppeteer stack trace once the client starts.
    if (err instanceof ChromiumMissingError) throw new ConfigError(err.message);
    throw err;
  }
  // Loaded only here: whatsapp-web.js brings puppeteer, which nobody on the Cloud API needs.
  const { WebTransport } = await import("../bots/whatsapp/web.ts");
  const redis = connectRedis(env.REDIS_URL, "command");
  const transport = new WebTransport({ executablePath, dataDir: config.dataDir, claims: deps.services.claims, choices: redisChoices(redis, env.QUEUE_PREFIX), clock: deps.services.clock, log });
  const bot = createWhatsAppBot({ ...deps.services, transport, template: { name: env.WHATSAPP_TEMPLATE, language: env.WHATSAPP_TEMPLATE_LANGUAGE } });
  log.warn({ transport: "web", chromium: executablePath }, "whatsapp: on through whatsapp-web.js, an unofficial client (WhatsApp may ban the number; use WHATSAPP_TRANSPORT=cloud in production); pair by scanning the QR code it prints");
  return {
    ...bot,
    async close() {
      await bot.close();
      redis.disconnect();
    },
  };
}
