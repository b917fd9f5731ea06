import { timingSafeEqual } from "node:crypto";
import type { AdapterServices } from "../common/services.ts";
import type { FastifyInstance } from "fastify";
import { Telegraf, TelegramError, type Context } from "telegraf";
import { message } from "telegraf/filters";
import type { Update, User } from "telegraf/types";
import type { Sign } from "../../core/actions/signer.ts";
import { errorReply, runCommand } from "../../core/commands/run.ts";
import type { Actor, Caller } from "../../core/commands/types.ts";
import { DomainError } from "../../core/errors.ts";
import { LOCALES, toLocale } from "../../core/i18n/locale.ts";
import { t } from "../../core/i18n/t.ts";
import { resolveActor } from "../../core/identity/actor.ts";
import type { Messenger } from "../../core/notifications/messenger.ts";
import { rememberMessage } from "../../core/notifications/tracked.ts";
import type { Reply } from "../../core/reply.ts";
import { menuCommands } from "./menu.ts";
import { messageRef, progressAddress, TelegramDelivery, telegramMessenger } from "./messenger.ts";

export interface TelegramBotOptions extends AdapterServices {
  token: string;
  /** TELEGRAM_API_URL: the Bot API goes there instead of https://api.telegram.org. */
  apiRoot?: string;
  /** Set: updates arrive at PUBLIC_URL/telegram/webhook. Unset: long polling (local use). */
  publicUrl?: string;
  /** Telegram sends it back in X-Telegram-Bot-Api-Secret-Token on every webhook request. */
  webhookSecret: string;
}

export interface TelegramBot {
  mount(server: FastifyInstance): Promise<void>;
  /** Menu, then webhook registration or long polling; only the process that serves HTTP receives updates. */
  listen(): Promise<void>;
  close(): Promise<void>;
  messenger: Messenger;
}

const WEBHOOK_PATH = "/telegram/webhook";

/** Where Telegram can post updates, under PUBLIC_URL (its path kept); undefined when Telegram would refuse it. */
export function webhookUrl(publicUrl: string | undefined): string | undefined {
  if (!publicUrl) return undefined;
  const base = new URL(publicUrl);
  if (base.protocol !== "https:" || !["", "443", "80", "88", "8443"].includes(base.port)) return undefined;
  return new URL(WEBHOOK_PATH.slice(1), base.href.endsWith("/") ? base.href : `${base.href}/`).toString();
}

/** Telegram would not say who the bot is: a wrong token, or the Bot API out of reach. */
export class TelegramRefusal extends Error {
  constructor(readonly reason: string) {
    super(`Telegram refused the bot token: ${reason}`);
    this.name = "TelegramRefusal";
  }
}

export function telegramCaller(from: User): Caller {
  return {
    platform: "telegram",
    externalId: String(from.id),
    displayName: [from.first_name, from.last_name].filter(Boolean).join(" ") || from.username || String(from.id),
    locale: from.language_code,
  };
}

/** "/campaign@CloutBot create" → "campaign create"; undefined when the command was meant for another bot. */
export function commandText(text: string, botUsername: string): string | undefined {
  const m = /^\/([A-Za-z0-9_]+)(?:@([A-Za-z0-9_]+))?(.*)$/s.exec(text.trim());
  if (!m) return text.trim();
  if (m[2] && m[2].toLowerCase() !== botUsername.toLowerCase()) return undefined;
  const rest = m[3]!.trim();
  // t.me/<bot>?start=<code> arrives as "/start <code>": linking this Telegram account.
  if (m[1]!.toLowerCase() === "start") return rest ? `link ${rest}` : "help";
  return `${m[1]}${rest ? ` ${rest}` : ""}`;
}

/**
 * Telegram through telegraf: text commands in the same grammar as the
 * console (`/campaign create …`, or plain text in a private chat), signed
 * inline-keyboard buttons, `/start <code>` deep links that link the account,
 * and a command menu per language. Updates come by webhook (secret header
 * checked, each update_id handled once) or by long polling.
 */
export function createTelegramBot(o: TelegramBotOptions): TelegramBot {
  const { runner, log } = o;
  const bot = new Telegraf(o.token, { telegram: { ...(o.apiRoot ? { apiRoot: o.apiRoot } : {}), webhookReply: false } });
  const sign: Sign = (command, scope) => o.signer.sign(command, scope);
  const delivery = new TelegramDelivery(bot.telegram, sign);
  let polling = false;

  /** Private answers (link codes, errors) never show in a group: they go to the person's own chat with the bot. */
  async function answer(ctx: Context, reply: Reply, caller: Caller) {
    const chat = ctx.chat!;
    const locale = toLocale(caller.locale);
    const msg = ctx.msg;
    const topic = msg?.isAccessible() && msg.is_topic_message ? msg.message_thread_id : undefined;
    // A reply Telegram refuses for now (429, an outage) goes to the outbound queue, which paces and retries it.
    const toChat = (id: number | string) =>
      delivery.send(id, reply, locale, id === chat.id && topic !== undefined ? { topic } : {}).then(
        // A reply showing something that will change is remembered, so each change edits it and answers come under it.
        (first) => (reply.track && first !== undefined ? rememberMessage(runner, reply.track, { platform: "telegram", ref: messageRef(id, first) }, locale) : undefined),
        () => o.enqueue({ target: { platform: "telegram", externalId: String(id), name: caller.displayName, channel: id !== Number(caller.externalId) }, reply }),
      );
    if (!reply.ephemeral || chat.type === "private") return toChat(chat.id);
    try {
      await delivery.send(caller.externalId, reply, locale);
      await ctx.reply(t(locale, "telegram.sent_privately"));
    } catch {
      await ctx.reply(t(locale, "telegram.private_needed", { bot: ctx.botInfo.username }));
    }
  }

  /** `actor`, when the caller was already looked up (a button press), spares the runner the same query. */
  async function run(ctx: Context, text: string, from: User, actor?: Actor | null) {
    const chat = ctx.chat;
    // The chat typed in (a group, or the private chat with the bot): where a digest scheduled "here" goes.
    const caller: Caller = { ...telegramCaller(from), ...(chat ? { conversation: { externalId: String(chat.id), name: "title" in chat ? chat.title : "private" } } : {}) };
    const locale = toLocale(caller.locale);
    const result = o.busy() ? undefined : await runCommand(runner, { text, caller, actor, queue: true });
    if (!result || result.queued) {
      // Busy, or a slow command: a "working on it" message now, which the worker edits into the answer.
      const progress = await ctx.reply(t(locale, "command.working"));
      await o.defer({ text, caller, replyTo: { platform: "telegram", address: progressAddress(progress.chat.id, progress.message_id, caller.externalId), locale } });
      return;
    }
    await answer(ctx, result.reply, caller);
  }

  bot.on(message("text"), async (ctx) => {
    // An anonymous admin or a channel posts under a shared stand-in account: linking it would hand one identity to everyone behind it.
    if (ctx.message.sender_chat || ctx.from.is_bot) {
      await ctx.reply(t(toLocale(ctx.from.language_code), "telegram.anonymous"));
      return;
    }
    const raw = ctx.message.text;
    // In groups Clout answers commands only, never the conversation around them.
    if (ctx.chat.type !== "private" && !raw.startsWith("/")) return;
    const text = commandText(raw, ctx.botInfo.username);
    if (text) await run(ctx, text, ctx.from);
  });

  bot.on("callback_query", async (ctx) => {
    const query = ctx.callbackQuery;
    const caller = telegramCaller(query.from);
    const locale = toLocale(caller.locale);
    const actor = await resolveActor(runner.db, caller);
    let command: string;
    try {
      command = o.signer.verify("data" in query ? query.data : "", actor?.workspace.id);
    } catch (err) {
      if (!(err instanceof DomainError)) throw err;
      log.warn({ user: caller.externalId }, "telegram: button payload refused");
      const refusal = errorReply(err, locale);
      await ctx.answerCbQuery((refusal.text ?? "").slice(0, 200), { show_alert: true }).catch(() => {});
      return;
    }
    // The spinner on the button stops now; the answer arrives as a message. A press too old to acknowledge still runs.
    await ctx.answerCbQuery().catch(() => {});
    await run(ctx, command, query.from, actor);
  });

  // Telegram's errors carry the request payload (message text, link codes): only the message is logged.
  bot.catch((err, ctx) => log.error({ err: (err as Error).message, update: ctx.update.update_id }, "telegram: update failed"));

  const secret = Buffer.from(o.webhookSecret);
  const secretMatches = (given: unknown) => typeof given === "string" && given.length === secret.length && timingSafeEqual(Buffer.from(given), secret);

  return {
    messenger: telegramMessenger(delivery),
    async mount(server) {
      server.post(WEBHOOK_PATH, async (req, reply) => {
        if (!secretMatches(req.headers["x-telegram-bot-api-secret-token"])) {
          log.warn({ ip: req.ip }, "telegram: webhook request refused");
          return reply.code(401).send({ error: "invalid_secret_token" });
        }
        const update = req.body as Update;
        if (typeof update?.update_id !== "number") return reply.code(400).send({ error: "not_an_update" });
        // Telegram redelivers until it gets a 200; an update it already sent does nothing the second time.
        if (await o.claims.claim("telegram", `${o.token.split(":")[0]}:${update.update_id}`)) {
          void bot.handleUpdate(update).catch((err: unknown) => log.error({ err: (err as Error).message }, "telegram: update failed"));
        }
        return reply.send({ ok: true });
      });
    },
    async listen() {
      bot.botInfo ??= await bot.telegram.getMe().catch((err: unknown) => {
        throw new TelegramRefusal(err instanceof TelegramError ? err.description : (err as Error).message);
      });
      // The menu is a convenience: a moment's failure to set it must not keep the bot from starting.
      for (const locale of LOCALES) {
        await bot.telegram
          .setMyCommands(menuCommands(runner.registry, locale), locale === "en" ? {} : { language_code: locale })
          .catch((err: unknown) => log.warn({ err: (err as Error).message, locale }, "telegram: command menu not set"));
      }
      const hook = webhookUrl(o.publicUrl);
      if (hook) {
        await bot.telegram.setWebhook(hook, { secret_token: o.webhookSecret, allowed_updates: ["message", "callback_query"] });
        log.info({ bot: bot.botInfo.username }, "telegram: on at POST /telegram/webhook");
        return;
      }
      polling = true;
      void bot.launch({ allowedUpdates: ["message", "callback_query"] }).catch((err: unknown) => log.error({ err: (err as Error).message }, "telegram: long polling stopped"));
      log.info({ bot: bot.botInfo.username, publicUrl: o.publicUrl }, "telegram: on, long polling (Telegram delivers webhooks only to https on port 443, 80, 88 or 8443)");
    },
    async close() {
      if (!polling) return;
      polling = false;
      try {
        bot.stop("shutdown");
      } catch {
        // Polling never got going (the start failed or shutdown came first): nothing to stop.
      }
    },
  };
}
