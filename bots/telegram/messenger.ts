import type { Sign } from "../../core/actions/signer.ts";
import type { Telegram } from "telegraf";
import { TelegramError } from "telegraf";
import type { Locale } from "../../core/i18n/locale.ts";
import { t } from "../../core/i18n/t.ts";
import { RetryAfterError, type Messenger } from "../../core/notifications/messenger.ts";
import type { Reply, ReplyFile, ReplyImage } from "../../core/reply.ts";
import { renderMessages, type TelegramMessage } from "./render.ts";

/** A Telegram 429 says how long to wait; the outbound job is rescheduled by that much instead of failing. */
export function rateLimited(err: unknown): never {
  if (err instanceof TelegramError && err.code === 429) throw new RetryAfterError((err.parameters?.retry_after ?? 1) * 1000);
  throw err;
}

const options = (m: TelegramMessage) => ({ parse_mode: m.parse_mode, reply_markup: m.reply_markup, link_preview_options: m.link_preview_options });

/** A posted message as Clout remembers it: "CHAT:MESSAGE". */
export const messageRef = (chatId: number | string, messageId: number) => `${chatId}:${messageId}`;
const parseRef = (ref: string) => {
  const [chat = "", message = ""] = ref.split(":");
  return { chat, message: Number(message) };
};

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

  /** Every page of the reply, then its images, as new messages in the chat (under `under`, in forum topic `topic`, when given); the first one's id. */
  async send(chatId: number | string, reply: Reply, locale?: Locale, o: { under?: number; topic?: number } = {}): Promise<number | undefined> {
    const { messages, photos, documents } = renderMessages(reply, { sign: this.sign, locale });
    return this.post(chatId, messages, photos, documents, o);
  }

  /** A message posted earlier redrawn as this reply: its first page only, as an edit never adds messages. */
  async edit(chatId: number | string, messageId: number, reply: Reply, locale?: Locale): Promise<void> {
    const [first] = renderMessages(reply, { sign: this.sign, locale }).messages;
    if (first) await this.editInPlace(chatId, messageId, first);
  }

  /** The first page takes the place of an earlier message (progress edited in place); the rest follow it. */
  async replace(chatId: number | string, messageId: number, reply: Reply, locale?: Locale): Promise<void> {
    const { messages, photos, documents } = renderMessages(reply, { sign: this.sign, locale });
    const [first, ...rest] = messages;
    if (first) await this.editInPlace(chatId, messageId, first);
    await this.post(chatId, rest, photos, documents);
  }

  private async editInPlace(chatId: number | string, messageId: number, m: TelegramMessage): Promise<void> {
    await this.telegram.editMessageText(chatId, messageId, undefined, m.text, options(m)).catch((err: unknown) => {
      // Telegram refuses an edit that changes nothing; the message already says what it should.
      if (!(err instanceof TelegramError && /not modified/.test(err.description))) rateLimited(err);
    });
  }

  private async post(chatId: number | string, messages: TelegramMessage[], photos: ReplyImage[], documents: ReplyFile[], o: { under?: number; topic?: number } = {}): Promise<number | undefined> {
    let first: number | undefined;
    // In a forum the answer stays in the topic it was asked in, not General.
    const topic = o.topic !== undefined ? { message_thread_id: o.topic } : {};
    for (const m of messages) {
      const under = o.under && first === undefined ? { reply_parameters: { message_id: o.under, allow_sending_without_reply: true } } : {};
      const sent = await this.telegram.sendMessage(chatId, m.text, { ...options(m), ...topic, ...under }).catch(rateLimited);
      first ??= sent.message_id;
    }
    for (const p of photos) await this.telegram.sendPhoto(chatId, { source: Buffer.from(p.png), filename: p.filename }, { caption: p.alt, ...topic }).catch(rateLimited);
    for (const d of documents) await this.telegram.sendDocument(chatId, { source: Buffer.from(d.bytes), filename: d.filename }, { ...topic }).catch(rateLimited);
    return first;
  }
}

/** Messages to a person (their private chat has their user id) or a group, and deferred answers edited into place. */
export function telegramMessenger(delivery: TelegramDelivery): Messenger {
  return {
    platform: "telegram",
    async send(target, reply) {
      // Under a posted message: a reply to it, in its chat.
      if (target.thread) {
        const at = parseRef(target.thread);
        await delivery.send(at.chat, reply, undefined, { under: at.message });
        return;
      }
      await delivery.send(target.externalId, reply);
    },
    async update(ref, reply) {
      const at = parseRef(ref);
      await delivery.edit(at.chat, at.message, reply);
    },
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
