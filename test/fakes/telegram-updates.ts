import { createHash } from "node:crypto";
import type { CallbackQuery, Chat, Message, MessageEntity, Update, User } from "telegraf/types";

/**
 * Update objects as Telegram sends them, to a webhook or through getUpdates:
 * Telegram's field names, increasing update_id, per-chat message ids, the
 * bot_command entities Telegram adds to command text.
 *
 *   const updates = new TelegramUpdates({ api: fake });
 *   fake.pushUpdate(updates.message({ from: ana, text: "/campaign list" }));   // polling
 *   const req = updates.webhookRequest(updates.callbackQuery({ from: ana, data, message }), secret);
 *   await fetch(`${base}/telegram/webhook`, { method: "POST", ...req });        // webhook
 *
 * Linked to a FakeTelegramApi (`api`), ids come from the fake, so the user's
 * messages and the bot's share one sequence per chat, and every update built
 * is observed by the fake: it knows the chat, the message, and the callback
 * query id that answerCallbackQuery will name, even when the update goes to
 * the app's webhook rather than through getUpdates.
 */

/** What a TelegramUpdates needs from the Telegram side: FakeTelegramApi provides it. */
export interface UpdateSource {
  nextUpdateId(): number;
  nextMessageId(chatId: number): number;
  observe(update: Update): void;
}

export interface TelegramUpdatesOptions {
  api?: UpdateSource;
  /** Milliseconds since the epoch, for message dates. Default Date.now. */
  now?: () => number;
}

/** The sender as Telegram describes a user. */
export interface TelegramFrom {
  id: number;
  first_name: string;
  last_name?: string;
  username?: string;
  language_code?: string;
}

export interface TelegramChatSpec {
  id: number;
  type: "private" | "group" | "supergroup";
  title?: string;
  username?: string;
}

export interface MessageParams {
  from: TelegramFrom;
  /** Default the private chat with the sender (chat.id = from.id). */
  chat?: TelegramChatSpec;
  text: string;
  /** Written in this forum topic (the group must be a forum supergroup). */
  topic?: number;
}

export interface CallbackQueryParams {
  from: TelegramFrom;
  data: string;
  /** The bot's message the button was on (as sendMessage returned it, or fake.lastMessage(chatId)). */
  message: { message_id: number; chat: { id: number }; date: number };
  /** Default a stable value derived from the chat, as Telegram's is. */
  chatInstance?: string;
}

export interface WebhookRequest {
  body: string;
  headers: Record<string, string>;
}

export class TelegramUpdates {
  private readonly api?: UpdateSource;
  private readonly now: () => number;
  private updateSeq = 0;
  private querySeq = 0;
  private readonly messageSeq = new Map<number, number>();

  constructor(o: TelegramUpdatesOptions = {}) {
    this.api = o.api;
    this.now = o.now ?? Date.now;
  }

  /** A user's text message; text starting with a command (`/campaign`, `/start@CloutBot`) carries its bot_command entity. */
  message(p: MessageParams): Update.MessageUpdate<Message.TextMessage> {
    const from = user(p.from);
    const chat = chatOf(p.chat, p.from);
    const entities = botCommands(p.text);
    const update: Update.MessageUpdate<Message.TextMessage> = {
      update_id: this.nextUpdateId(),
      message: {
        message_id: this.nextMessageId(chat.id),
        from,
        chat,
        date: Math.floor(this.now() / 1000),
        text: p.text,
        ...(entities.length ? { entities } : {}),
        ...(p.topic !== undefined ? { message_thread_id: p.topic, is_topic_message: true as const } : {}),
      },
    };
    this.api?.observe(update);
    return update;
  }

  /** A press on an inline keyboard button with callback_data. */
  callbackQuery(p: CallbackQueryParams): Update.CallbackQueryUpdate<CallbackQuery.DataQuery> {
    const update: Update.CallbackQueryUpdate<CallbackQuery.DataQuery> = {
      update_id: this.nextUpdateId(),
      callback_query: {
        // Telegram's query ids are 64-bit numbers in a string, unique per press.
        id: (BigInt(p.from.id) * 4_294_967_296n + BigInt(++this.querySeq)).toString(),
        from: user(p.from),
        message: p.message as unknown as Message,
        chat_instance: p.chatInstance ?? chatInstanceOf(p.message.chat.id),
        data: p.data,
      },
    };
    this.api?.observe(update);
    return update;
  }

  /** The POST Telegram makes to a webhook for this update; `secret` is the secret_token given to setWebhook. */
  webhookRequest(update: Update, secret?: string): WebhookRequest {
    return {
      body: JSON.stringify(update),
      headers: {
        "content-type": "application/json",
        ...(secret !== undefined ? { "x-telegram-bot-api-secret-token": secret } : {}),
      },
    };
  }

  private nextUpdateId(): number {
    return this.api ? this.api.nextUpdateId() : ++this.updateSeq;
  }

  private nextMessageId(chatId: number): number {
    if (this.api) return this.api.nextMessageId(chatId);
    const id = (this.messageSeq.get(chatId) ?? 0) + 1;
    this.messageSeq.set(chatId, id);
    return id;
  }
}

/** A stable chat_instance for a chat, shaped like Telegram's (a signed 64-bit number). */
export function chatInstanceOf(chatId: number): string {
  return createHash("sha256").update(String(chatId)).digest().readBigInt64BE().toString();
}

function user(from: TelegramFrom): User {
  return {
    id: from.id,
    is_bot: false,
    first_name: from.first_name,
    ...(from.last_name !== undefined ? { last_name: from.last_name } : {}),
    ...(from.username !== undefined ? { username: from.username } : {}),
    ...(from.language_code !== undefined ? { language_code: from.language_code } : {}),
  };
}

function chatOf(spec: TelegramChatSpec | undefined, from: TelegramFrom): Chat.PrivateChat | Chat.GroupChat | Chat.SupergroupChat {
  if (!spec || spec.type === "private") {
    return {
      id: spec?.id ?? from.id,
      type: "private",
      first_name: from.first_name,
      ...(from.last_name !== undefined ? { last_name: from.last_name } : {}),
      ...(from.username !== undefined ? { username: from.username } : {}),
    };
  }
  const title = spec.title ?? "Group";
  if (spec.type === "group") return { id: spec.id, type: "group", title };
  return { id: spec.id, type: "supergroup", title, ...(spec.username !== undefined ? { username: spec.username } : {}) };
}

/**
 * The bot_command entities Telegram marks in a text (tdlib's match_bot_commands):
 * "/" not preceded by a word character, "/", "<" or ">"; 1–64 of [A-Za-z0-9_];
 * optionally "@" and a 3–32 character username; not followed by a word character,
 * "/", "<", ">" or a malformed "@…". Offsets in UTF-16 code units.
 */
function botCommands(text: string): MessageEntity[] {
  const pattern = /(?<![\p{L}\p{N}_/<>])\/[A-Za-z0-9_]{1,64}(?:@[A-Za-z0-9_]{3,32})?(?![\p{L}\p{N}_/<>@])/gu;
  return [...text.matchAll(pattern)].map((m) => ({ type: "bot_command", offset: m.index, length: m[0].length }));
}
