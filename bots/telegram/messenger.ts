import type { Sign } from "../../core/actions/signer.ts";
import type { Telegram } from "telegraf";
import { TelegramError } from "telegraf";
import type { Locale } from "../../core/i18n/locale.ts";
import { t } from "../../core/i18n/t.ts";
import { RetryAfterError, type Messenger } from "../../core/notifications/messenger.ts";
import type { Reply, ReplyImage } from "../../core/reply.ts";
import { renderMessages, type TelegramMessage } from "./render.ts";

/** A Telegram 429 says how long to wait; the outbound job is rescheduled by that much instead of failing. */
export function rateLimited(err: unknown): never {
  if (err instanceof TelegramError && err.code === 429) throw new RetryAfterError((err.parameters?.retry_after ?? 1) * 1000);
  throw err;
}

const options = (m: TelegramMessage) => ({ parse_mode: m.parse_mode, reply_markup: m.reply_markup, link_preview_options: m.link_preview_options });

/** Where a deferred answer goes: the "working on it" message, which the answer replaces, and who asked (for a private answer). */
export const progressAddress = (chatId: number | string, messageId: number, userId: string) => `${chatId}:${messageId}:${userId}`;

export class TelegramDelivery {
  private username?: string;

  constructor(
    private readonly telegram: Telegram,
    private readonly sign: Sign,
  ) {}

  async botUsername(): Promise<string> {
    return (this.username ??= (await this.telegram.getMe()).username);
  }

  /** Every page of the reply, then its images, as new messages in the chat. */
  async send(chatId: number | string, reply: Reply, locale?: Locale): Promise<void> {
    const { messages, photos } = renderMessages(reply, { sign: this.sign, locale });
    await this.post(chatId, messages, photos);
  }

  /** The first page takes the place of an earlier message (progress edited in place); the rest follow it. */
  async replace(chatId: number | string, messageId: number, reply: Reply, locale?: Locale): Promise<void> {
    const { messages, photos } = renderMessages(reply, { sign: this.sign, locale });
    const [first, ...rest] = messages;
    if (first) {
      await this.telegram.editMessageText(chatId, messageId, undefined, first.text, options(first)).catch((err: unknown) => {
        // Telegram refuses an edit that changes nothing; the message already says what it should.
        if (!(err instanceof TelegramError && /not modified/.test(err.description))) rateLimited(err);
      });
    }
    await this.post(chatId, rest, photos);
  }

  private async post(chatId: number | string, messages: TelegramMessage[], photos: ReplyImage[]): Promise<void> {
    for (const m of messages) await this.telegram.sendMessage(chatId, m.text, options(m)).catch(rateLimited);
    for (const p of photos) await this.telegram.sendPhoto(chatId, { source: Buffer.from(p.png), filename: p.filename }, { caption: p.alt }).catch(rateLimited);
  }
}

/** Messages to a person (their private chat has their user id) or a group, and deferred answers edited into place. */
export function telegramMessenger(delivery: TelegramDelivery): Messenger {
  return {
    platform: "telegram",
    send: (target, reply) => delivery.send(target.externalId, reply),
    async respond(to, reply) {
      const [chatId = "", messageId = "", userId = ""] = to.address.split(":");
      if (!reply.ephemeral || chatId === userId) return delivery.replace(chatId, Number(messageId), reply, to.locale);
      // A private answer to a question asked in a group goes to the person's own chat; the group only learns that it went.
      const sent = await delivery.send(userId, reply, to.locale).then(
        () => true,
        (err: unknown) => {
          if (err instanceof RetryAfterError) throw err;
          return false;
        },
      );
      const note: Reply = { text: t(to.locale ?? "en", sent ? "telegram.sent_privately" : "telegram.private_needed", { bot: sent ? "" : await delivery.botUsername() }) };
      await delivery.replace(chatId, Number(messageId), note, to.locale);
    },
  };
}
