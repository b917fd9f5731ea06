import { randomBytes } from "node:crypto";
import { closeNow, listenLocally, readBody, Waiters } from "./local-server.ts";
import type { IncomingMessage, Server, ServerResponse } from "node:http";
import type {
  BotCommand,
  Chat,
  Document,
  InlineKeyboardMarkup,
  MessageEntity,
  PhotoSize,
  Update,
  User,
  UserFromGetMe,
} from "telegraf/types";

/**
 * A local Telegram Bot API for tests: a node:http server speaking the wire
 * format of api.telegram.org, so the real Telegraf can be pointed at it with
 * `new Telegraf(token, { telegram: { apiRoot: fake.url } })`.
 *
 * Requests are `POST <url>/bot<token>/<method>` with a JSON, form-urlencoded
 * or multipart body (or GET with a query string); answers are
 * `{ ok: true, result }` or `{ ok: false, error_code, description, parameters? }`
 * with the HTTP status equal to error_code, and Telegram's error descriptions
 * (save for the few checks, commented where they are, in which the fake is
 * deliberately stricter than Telegram). It keeps every call, the messages the bot sent per chat
 * (edited and deleted in place), uploaded files with their bytes, bot
 * commands per scope and language, and the webhook. `getUpdates` long-polls
 * like Telegram: a request with a timeout is held until `pushUpdate` brings an
 * update or the timeout passes, and a newer held request terminates the older
 * one with 409.
 *
 * What it does not model: MarkdownV2/Markdown parsing (such text is accepted
 * and counted as is), automatic url/mention/hashtag entities in sent text,
 * webhook delivery (build webhook requests with TelegramUpdates and POST them
 * to the app), callback queries expiring, Telegram's 3-second floor on
 * repeated short polls.
 */

export interface FakeTelegramApiOptions {
  /** The bot's token, "<bot id>:<secret>"; other tokens get 401 Unauthorized. */
  token: string;
  /** Default "CloutBot". */
  username?: string;
  /** Default "Clout". */
  firstName?: string;
  /** Default true. */
  canJoinGroups?: boolean;
  /** Privacy mode off; default false. */
  canReadAllGroupMessages?: boolean;
  /** When true, only chats seen in updates (or added with addChat) exist; others are "chat not found". Default false: any chat id is accepted. */
  strictChats?: boolean;
  /** Also refuse a bare "&" or ">" in HTML text, which Telegram itself lets through. Default false. */
  strictHtml?: boolean;
  /** Milliseconds since the epoch; message dates and call times come from it. Default Date.now. */
  now?: () => number;
}

/** A file part of a multipart request. */
export interface FakeTelegramUpload {
  filename: string;
  contentType?: string;
  bytes: Buffer;
}

export interface FakeTelegramCall {
  /** Telegram's spelling ("sendMessage") for known methods, else as requested. */
  method: string;
  token: string;
  /** The parameters; JSON-valued ones (reply_markup, entities, commands, scope …) parsed, file parts as FakeTelegramUpload. */
  body: Record<string, unknown>;
  /** HTTP status answered: 200, or the error_code. */
  status: number;
  response: TelegramResponse;
  at: number;
  /** Set when the call came in the body of a webhook response (applyWebhookReply). */
  via?: "webhook-reply";
}

export type TelegramResponse =
  | { ok: true; result: unknown; description?: string }
  | { ok: false; error_code: number; description: string; parameters?: { retry_after: number } };

/** A message as the Bot API returns it; the fake keeps the bot's ones, current after edits. */
export interface FakeTelegramMessage {
  message_id: number;
  from?: User;
  chat: Chat;
  date: number;
  edit_date?: number;
  text?: string;
  entities?: MessageEntity[];
  caption?: string;
  caption_entities?: MessageEntity[];
  photo?: PhotoSize[];
  document?: Document;
  reply_markup?: InlineKeyboardMarkup;
  reply_to_message?: FakeTelegramMessage;
  /** The forum topic it is in. */
  message_thread_id?: number;
  is_topic_message?: true;
}

export interface FakeTelegramFile {
  fileId: string;
  fileUniqueId: string;
  kind: "photo" | "document";
  /** Uploaded bytes; absent when the bot sent a URL. */
  bytes?: Buffer;
  /** The http(s) URL the bot asked Telegram to fetch. */
  url?: string;
  filename?: string;
  mimeType?: string;
  width?: number;
  height?: number;
}

export interface FakeTelegramWebhook {
  url: string;
  secretToken?: string;
  allowedUpdates?: string[];
  maxConnections: number;
  ipAddress?: string;
}

export interface CallbackAnswer {
  text?: string;
  showAlert: boolean;
  url?: string;
  cacheTime?: number;
}

export interface FaultSpec {
  /** HTTP status and error_code; default 500. */
  status?: number;
  /** Default Telegram's text for the status ("Too Many Requests: retry after N" for 429). */
  description?: string;
  /** Seconds in parameters.retry_after (429 only); default 1. */
  retryAfter?: number;
  /** How many calls in a row fail; default 1. */
  times?: number;
}

export interface RateLimitSpec {
  /** Calls allowed per window (per chat_id when perChat). */
  max: number;
  windowMs: number;
  /** Seconds in retry_after; default ceil(windowMs / 1000). */
  retryAfter?: number;
  perChat?: boolean;
}

export interface BotCommandScope {
  type: "default" | "all_private_chats" | "all_group_chats" | "all_chat_administrators" | "chat" | "chat_administrators" | "chat_member";
  chat_id?: number | string;
  user_id?: number;
}

type Json = Record<string, unknown>;

class ApiError extends Error {
  constructor(
    readonly code: number,
    readonly description: string,
    readonly parameters?: { retry_after: number },
  ) {
    super(description);
  }
}

const bad = (what: string) => new ApiError(400, `Bad Request: ${what}`);

/** Thrown by parseHtml with Telegram's reason, e.g. `Unsupported start tag "p" at byte offset 0`. */
export class HtmlParseError extends Error {}

const MESSAGE_MAX = 4096;
const CAPTION_MAX = 1024;
const CALLBACK_ANSWER_MAX = 200;
const CALLBACK_DATA_MAX_BYTES = 64;
const BUTTONS_MAX = 100;
const COMMANDS_MAX = 100;
const UPLOAD_MAX_BYTES = 50 * 1024 * 1024;
const LONG_POLL_MAX_SECONDS = 50;
const NOT_MODIFIED =
  "message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message";
const DEFAULT_UPDATE_TYPES_EXCLUDED = new Set(["chat_member", "message_reaction", "message_reaction_count"]);
const CHAT_ACTIONS = new Set([
  "typing", "upload_photo", "record_video", "upload_video", "record_voice", "upload_voice",
  "upload_document", "choose_sticker", "find_location", "record_video_note", "upload_video_note",
]);
const BUTTON_ACTIONS = [
  "url", "callback_data", "web_app", "login_url", "switch_inline_query", "switch_inline_query_current_chat",
  "switch_inline_query_chosen_chat", "copy_text", "callback_game", "pay",
];
/** Parameters whose value is a JSON object or array; form and multipart bodies carry them as JSON text. */
const JSON_PARAMS: Record<string, string> = {
  reply_markup: "reply keyboard markup",
  entities: "entities",
  caption_entities: "caption entities",
  commands: "commands",
  scope: "BotCommandScope",
  allowed_updates: "allowed updates",
  reply_parameters: "reply parameters",
  link_preview_options: "link preview options",
};
const STATUS_TEXT: Record<number, string> = {
  400: "Bad Request",
  401: "Unauthorized",
  403: "Forbidden",
  404: "Not Found",
  409: "Conflict",
  413: "Request Entity Too Large",
  500: "Internal Server Error",
  502: "Bad Gateway",
};

interface ChatState {
  chat: Chat;
  /** The user's messages and the bot's, in id order. */
  messages: FakeTelegramMessage[];
  lastId: number;
}

interface HeldPoll {
  offset: number;
  limit: number;
  token: string;
  body: Json;
  res: ServerResponse;
  timer: NodeJS.Timeout;
}

interface Fault {
  status: number;
  description: string;
  retryAfter?: number;
  times: number;
}

type Handler = (p: Json) => { result: unknown; description?: string };

export class FakeTelegramApi {
  readonly calls: FakeTelegramCall[] = [];
  readonly files: FakeTelegramFile[] = [];
  readonly bot: UserFromGetMe;
  readonly token: string;

  private readonly strictChats: boolean;
  private readonly strictHtml: boolean;
  private readonly now: () => number;
  private readonly chats = new Map<number, ChatState>();
  private readonly blocked = new Set<number>();
  private readonly fileIndex = new Map<string, FakeTelegramFile>();
  private readonly commands = new Map<string, BotCommand[]>();
  private readonly callbackQueries = new Map<string, CallbackAnswer | null>();
  private readonly faults = new Map<string, Fault[]>();
  private readonly limits = new Map<string, RateLimitSpec & { hits: Map<string, number[]> }>();
  private readonly waiters = new Waiters();
  private readonly handlers: Record<string, Handler>;
  private readonly methodNames = new Map<string, string>();
  private queue: Update[] = [];
  private lastUpdateId = 0;
  private updateSeq = 0;
  private allowedUpdates?: string[];
  private hook?: FakeTelegramWebhook;
  private held?: HeldPoll;
  private wakeScheduled = false;
  private server?: Server;
  private port = 0;
  private fileSeq = 0;

  constructor(o: FakeTelegramApiOptions) {
    const id = Number(/^(\d+):[\w-]+$/.exec(o.token)?.[1]);
    if (!id) throw new Error(`FakeTelegramApi: "${o.token}" is not a bot token ("<bot id>:<secret>")`);
    this.token = o.token;
    this.bot = {
      id,
      is_bot: true,
      first_name: o.firstName ?? "Clout",
      username: o.username ?? "CloutBot",
      can_join_groups: o.canJoinGroups ?? true,
      can_read_all_group_messages: o.canReadAllGroupMessages ?? false,
      supports_inline_queries: false,
    };
    this.strictChats = o.strictChats ?? false;
    this.strictHtml = o.strictHtml ?? false;
    this.now = o.now ?? Date.now;
    this.handlers = this.buildHandlers();
    for (const name of [...Object.keys(this.handlers), "getUpdates"]) this.methodNames.set(name.toLowerCase(), name);
  }

  async start(): Promise<void> {
    if (this.server) return;
    const { server, port } = await listenLocally((req, res) => this.handle(req, res));
    this.server = server;
    this.port = port;
  }

  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    if (this.held) clearTimeout(this.held.timer);
    this.held = undefined;
    await closeNow(server);
  }

  /** The apiRoot for Telegraf: "http://127.0.0.1:PORT" (no trailing slash). */
  get url(): string {
    if (!this.server) throw new Error("FakeTelegramApi is not started");
    return `http://127.0.0.1:${this.port}`;
  }

  // --- updates -------------------------------------------------------------

  /**
   * Queues an update for getUpdates (answering a held long poll at once), after
   * observing it. Update ids must increase; build updates with
   * `new TelegramUpdates({ api: fake })` to get ids in step with the fake.
   * Returns false when the current allowed_updates filter drops it, as
   * Telegram never produces such updates.
   */
  pushUpdate(update: Update): boolean {
    if (update.update_id <= this.lastUpdateId) {
      throw new Error(
        `pushUpdate: update_id ${update.update_id} is not above the last pushed (${this.lastUpdateId}); build updates with new TelegramUpdates({ api: fake })`,
      );
    }
    this.lastUpdateId = update.update_id;
    this.observe(update);
    if (!this.allows(updateType(update))) return false;
    this.queue.push(update);
    this.scheduleWake();
    this.waiters.notify();
    return true;
  }

  /**
   * Learns what an update tells Telegram's side: the chat, the user's message
   * (so ids and replies line up), the callback query id answerCallbackQuery
   * will need. pushUpdate calls it; so does a TelegramUpdates linked to this
   * fake, which covers updates POSTed to the app's webhook instead. Idempotent.
   */
  observe(update: Update): void {
    const u = update as unknown as Json;
    const message = (u.message ?? u.edited_message) as FakeTelegramMessage | undefined;
    if (message) {
      const state = this.chatState(message.chat.id, message.chat);
      state.chat = message.chat;
      const i = state.messages.findIndex((m) => m.message_id === message.message_id);
      if (i >= 0) state.messages[i] = message;
      else {
        state.messages.push(message);
        state.messages.sort((a, b) => a.message_id - b.message_id);
      }
      state.lastId = Math.max(state.lastId, message.message_id);
    }
    const query = u.callback_query as { id: string; message?: FakeTelegramMessage } | undefined;
    if (query) {
      if (!this.callbackQueries.has(query.id)) this.callbackQueries.set(query.id, null);
      if (query.message) this.chatState(query.message.chat.id, query.message.chat);
    }
  }

  /** The next update_id, for TelegramUpdates linked to this fake. */
  nextUpdateId(): number {
    this.updateSeq = Math.max(this.updateSeq, this.lastUpdateId) + 1;
    return this.updateSeq;
  }

  /** The next message id in a chat, shared by the user's messages and the bot's. */
  nextMessageId(chatId: number): number {
    return ++this.chatState(chatId).lastId;
  }

  /** Updates queued and not yet confirmed by a getUpdates offset. */
  get pendingUpdates(): readonly Update[] {
    return this.queue;
  }

  /** True while a getUpdates long poll is being held. */
  get polling(): boolean {
    return this.held !== undefined;
  }

  /** Resolves once a getUpdates long poll is being held (the bot is listening). */
  waitForPoll(timeoutMs = 5000): Promise<void> {
    return this.waiters.until(
      () => (this.held ? true : undefined),
      timeoutMs,
      () => `no getUpdates long poll within ${timeoutMs} ms`,
    ).then(() => undefined);
  }

  // --- configuration while running ---------------------------------------

  /** Makes a chat known (for strictChats) and fixes what `chat` looks like in messages sent to it. */
  addChat(chat: Chat): void {
    this.chatState(chat.id, chat).chat = chat;
  }

  /** Sends to this chat answer 403 "Forbidden: bot was blocked by the user" from now on. */
  block(chatId: number): void {
    this.blocked.add(chatId);
  }

  /** The next call(s) to `method` ("*" for any) fail with the given status (default 500). */
  failNext(method: string, fault: FaultSpec = {}): void {
    const status = fault.status ?? 500;
    const retryAfter = status === 429 ? (fault.retryAfter ?? 1) : undefined;
    const description =
      fault.description ?? (status === 429 ? `Too Many Requests: retry after ${retryAfter}` : (STATUS_TEXT[status] ?? "Bad Request"));
    const list = this.faults.get(method) ?? [];
    list.push({ status, description, retryAfter, times: fault.times ?? 1 });
    this.faults.set(method, list);
  }

  /** The next call(s) to `method` answer 429 "Too Many Requests: retry after N" with parameters.retry_after = N. */
  rateLimitNext(method: string, retryAfterSeconds: number, times = 1): void {
    this.failNext(method, { status: 429, retryAfter: retryAfterSeconds, times });
  }

  /** From now on, calls to `method` beyond `max` per window answer 429 with retry_after; `null` lifts it. */
  rateLimit(method: string, spec: RateLimitSpec | null): void {
    if (spec) this.limits.set(method, { ...spec, hits: new Map() });
    else this.limits.delete(method);
  }

  /**
   * Forgets what was recorded (calls, messages, files, commands, webhook,
   * queued updates, callback queries), blocks, and pending faults and limits;
   * keeps the bot, known chats, and the update and message id sequences.
   */
  reset(): void {
    this.calls.length = 0;
    this.files.length = 0;
    this.fileIndex.clear();
    for (const state of this.chats.values()) state.messages = [];
    this.commands.clear();
    this.callbackQueries.clear();
    this.blocked.clear();
    this.faults.clear();
    this.limits.clear();
    this.queue = [];
    this.allowedUpdates = undefined;
    this.hook = undefined;
  }

  // --- reading what happened ---------------------------------------------

  callsTo(method: string): FakeTelegramCall[] {
    return this.calls.filter((c) => c.method === method);
  }

  /** The bot's messages in a chat as they are now (edits applied, deleted ones gone), oldest first. */
  messagesIn(chatId: number): FakeTelegramMessage[] {
    return (this.chats.get(chatId)?.messages ?? []).filter((m) => m.from?.id === this.bot.id);
  }

  lastMessage(chatId: number): FakeTelegramMessage | undefined {
    return this.messagesIn(chatId).at(-1);
  }

  /** Any message in a chat (the user's or the bot's) by id. */
  message(chatId: number, messageId: number): FakeTelegramMessage | undefined {
    return this.chats.get(chatId)?.messages.find((m) => m.message_id === messageId);
  }

  file(fileId: string): FakeTelegramFile | undefined {
    return this.fileIndex.get(fileId);
  }

  /** The commands set for exactly this scope and language (as getMyCommands answers), or undefined when none are. */
  commandsFor(scope: BotCommandScope = { type: "default" }, languageCode = ""): BotCommand[] | undefined {
    return this.commands.get(commandsKey(scope, languageCode));
  }

  get webhook(): FakeTelegramWebhook | undefined {
    return this.hook;
  }

  /** How the bot answered a callback query: undefined if the id is unknown, null while unanswered. */
  callbackAnswer(callbackQueryId: string): CallbackAnswer | null | undefined {
    return this.callbackQueries.get(callbackQueryId);
  }

  /** Resolves with the first call (already made or still to come) to `method` that matches. */
  waitForCall(method: string, predicate: (c: FakeTelegramCall) => boolean = () => true, timeoutMs = 5000): Promise<FakeTelegramCall> {
    return this.waiters.until(
      () => this.calls.find((c) => c.method === method && predicate(c)),
      timeoutMs,
      () => `no ${method} call matched within ${timeoutMs} ms (calls: ${this.calls.map((c) => `${c.method} ${c.status}`).join(", ") || "none"})`,
    );
  }

  /** Resolves with the first of the bot's messages in the chat (already there or still to come, edits included) that matches. */
  waitForMessage(chatId: number, predicate: (m: FakeTelegramMessage) => boolean = () => true, timeoutMs = 5000): Promise<FakeTelegramMessage> {
    return this.waiters.until(
      () => this.messagesIn(chatId).find(predicate),
      timeoutMs,
      () => `no message in chat ${chatId} matched within ${timeoutMs} ms (${this.messagesIn(chatId).length} there)`,
    );
  }

  /**
   * Runs the method call a bot put in the body of its webhook response (Telegraf's
   * webhookReply), as Telegram does. Its outcome is recorded but, as with
   * Telegram, nobody is told of an error.
   */
  applyWebhookReply(body: string): void {
    if (!body.trim()) return;
    let payload: Json;
    try {
      payload = JSON.parse(body) as Json;
    } catch {
      return;
    }
    const { method, ...params } = payload;
    if (typeof method !== "string") return;
    this.call(method, this.token, params, "webhook-reply");
  }


  // --- HTTP ---------------------------------------------------------------

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const raw = await readBody(req);
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    const path = /^\/bot([^/]+)\/([A-Za-z0-9_]+)$/.exec(url.pathname);
    if (!path || (req.method !== "POST" && req.method !== "GET")) return send(res, 404, fail(404, "Not Found"));
    const token = decodeURIComponent(path[1]!);
    const method = this.methodNames.get(path[2]!.toLowerCase()) ?? path[2]!;
    if (!/^\d+:[\w-]+$/.test(token)) return this.answer(res, method, token, {}, new ApiError(404, "Not Found"));

    let params: Json;
    try {
      params = { ...Object.fromEntries(url.searchParams), ...(await parseBody(req, raw)) };
    } catch {
      return this.answer(res, method, token, {}, new ApiError(400, "Bad Request: can't parse JSON encoded request"));
    }
    if (method === "getUpdates") {
      try {
        this.gate(method, token, params);
      } catch (err) {
        if (!(err instanceof ApiError)) throw err;
        return this.answer(res, method, token, params, err);
      }
      return this.getUpdates(res, token, params);
    }
    const { status, response } = this.call(method, token, params);
    send(res, status, response);
  }

  /** Runs one method call and records it. */
  private call(requested: string, token: string, params: Json, via?: "webhook-reply"): { status: number; response: TelegramResponse } {
    const method = this.methodNames.get(requested.toLowerCase()) ?? requested;
    let outcome: { result: unknown; description?: string } | ApiError;
    try {
      outcome = this.run(method, token, params);
    } catch (err) {
      if (!(err instanceof ApiError)) throw err;
      outcome = err;
    }
    const { status, response } = toResponse(outcome);
    this.record({ method, token, body: params, status, response, at: this.now(), ...(via ? { via } : {}) });
    return { status, response };
  }

  private run(method: string, token: string, params: Json): { result: unknown; description?: string } {
    this.gate(method, token, params);
    const handler = this.handlers[method];
    // getUpdates only gets here from a webhook reply, where it cannot wait.
    return handler ? handler(params) : this.takeUpdates(params);
  }

  /** What every call passes before its method runs: the token, the method's existence, injected faults, rate limits. */
  private gate(method: string, token: string, params: Json): void {
    if (token !== this.token) throw new ApiError(401, "Unauthorized");
    if (!this.methodNames.has(method.toLowerCase())) throw new ApiError(404, "Not Found");
    const fault = this.faultFor(method);
    if (fault) throw new ApiError(fault.status, fault.description, fault.retryAfter !== undefined ? { retry_after: fault.retryAfter } : undefined);
    const limited = this.overLimit(method, params);
    if (limited !== undefined) throw new ApiError(429, `Too Many Requests: retry after ${limited}`, { retry_after: limited });
    parseJsonParams(params);
  }

  private record(call: FakeTelegramCall): void {
    this.calls.push(call);
    this.waiters.notify();
  }

  private answer(res: ServerResponse, method: string, token: string, body: Json, outcome: { result: unknown } | ApiError): void {
    const { status, response } = toResponse(outcome);
    this.record({ method, token, body, status, response, at: this.now() });
    send(res, status, response);
  }

  private faultFor(method: string): Fault | undefined {
    for (const key of [method, "*"]) {
      const list = this.faults.get(key);
      const fault = list?.[0];
      if (!fault) continue;
      if (--fault.times <= 0) list!.shift();
      return fault;
    }
    return undefined;
  }

  private overLimit(method: string, params: Json): number | undefined {
    const limit = this.limits.get(method);
    if (!limit) return undefined;
    const key = limit.perChat ? String(params.chat_id ?? "") : "";
    const now = this.now();
    const hits = (limit.hits.get(key) ?? []).filter((t) => now - t < limit.windowMs);
    limit.hits.set(key, hits);
    if (hits.length >= limit.max) return limit.retryAfter ?? Math.ceil((hits[0]! + limit.windowMs - now) / 1000);
    hits.push(now);
    return undefined;
  }

  // --- getUpdates ------------------------------------------------------------

  private getUpdates(res: ServerResponse, token: string, params: Json): void {
    let taken: { result: Update[] };
    try {
      taken = this.takeUpdates(params);
    } catch (err) {
      if (!(err instanceof ApiError)) throw err;
      return this.answer(res, "getUpdates", token, params, err);
    }
    const timeout = clamp(int(params.timeout) ?? 0, 0, LONG_POLL_MAX_SECONDS);
    if (taken.result.length > 0 || timeout === 0) return this.answer(res, "getUpdates", token, params, taken);

    // Telegram keeps one long poll per bot: a newer one terminates the one held.
    this.terminateHeld("Conflict: terminated by other getUpdates request; make sure that only one bot instance is running");
    const held: HeldPoll = {
      offset: Math.max(int(params.offset) ?? 0, 0),
      limit: clamp(int(params.limit) ?? 100, 1, 100),
      token,
      body: params,
      res,
      timer: setTimeout(() => this.releaseHeld(held), timeout * 1000),
    };
    held.timer.unref();
    res.once("close", () => {
      if (this.held === held && !res.writableEnded) {
        clearTimeout(held.timer);
        this.held = undefined;
      }
    });
    this.held = held;
    this.waiters.notify();
  }

  /** Confirms updates below the offset and returns those that follow (up to limit). */
  private takeUpdates(params: Json): { result: Update[] } {
    if (this.hook) {
      throw new ApiError(409, "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first");
    }
    const allowed = params.allowed_updates;
    if (Array.isArray(allowed)) this.allowedUpdates = allowed.length ? allowed.map(String) : undefined;
    const offset = int(params.offset) ?? 0;
    if (offset > 0) this.queue = this.queue.filter((u) => u.update_id >= offset);
    else if (offset < 0) this.queue = this.queue.slice(offset);
    const limit = clamp(int(params.limit) ?? 100, 1, 100);
    return { result: this.queue.slice(0, limit) };
  }

  private scheduleWake(): void {
    if (this.wakeScheduled || !this.held) return;
    this.wakeScheduled = true;
    // Updates pushed in the same tick go out in one answer, as Telegram batches what arrives together.
    setImmediate(() => {
      this.wakeScheduled = false;
      const held = this.held;
      if (!held) return;
      const ready = this.queue.filter((u) => u.update_id >= held.offset).slice(0, held.limit);
      if (ready.length) this.releaseHeld(held, ready);
    });
  }

  private releaseHeld(held: HeldPoll, updates: Update[] = []): void {
    if (this.held !== held) return;
    clearTimeout(held.timer);
    this.held = undefined;
    this.answer(held.res, "getUpdates", held.token, held.body, { result: updates });
  }

  private terminateHeld(description: string): void {
    const held = this.held;
    if (!held) return;
    clearTimeout(held.timer);
    this.held = undefined;
    this.answer(held.res, "getUpdates", held.token, held.body, new ApiError(409, description));
  }

  private allows(type: string): boolean {
    return this.allowedUpdates ? this.allowedUpdates.includes(type) : !DEFAULT_UPDATE_TYPES_EXCLUDED.has(type);
  }

  // --- chats, messages, files ----------------------------------------------

  private chatState(id: number, chat?: Chat): ChatState {
    let state = this.chats.get(id);
    if (!state) {
      state = { chat: chat ?? syntheticChat(id), messages: [], lastId: 0 };
      this.chats.set(id, state);
    }
    return state;
  }

  /** The chat a call targets, refused the way Telegram refuses it. */
  private targetChat(p: Json): ChatState {
    const raw = p.chat_id;
    if (raw === undefined || raw === "") throw bad("chat_id is empty");
    let id: number | undefined;
    if (typeof raw === "string" && raw.startsWith("@")) {
      const name = raw.slice(1).toLowerCase();
      id = [...this.chats.values()].find((s) => (s.chat as { username?: string }).username?.toLowerCase() === name)?.chat.id;
    } else {
      id = int(raw);
    }
    if (id === undefined || id === 0) throw bad("chat not found");
    if (this.strictChats && !this.chats.has(id)) throw bad("chat not found");
    if (this.blocked.has(id)) throw new ApiError(403, "Forbidden: bot was blocked by the user");
    return this.chatState(id);
  }

  private botMessage(state: ChatState, p: Json, content: Partial<FakeTelegramMessage>): FakeTelegramMessage {
    const replyTo = this.replyTarget(state, p);
    // A reply stays in its message's topic; otherwise the topic is the one asked for, or General.
    const topic = int(p.message_thread_id) ?? replyTo?.message_thread_id;
    const message: FakeTelegramMessage = {
      ...(topic !== undefined ? { message_thread_id: topic, is_topic_message: true as const } : {}),
      message_id: ++state.lastId,
      from: { id: this.bot.id, is_bot: true, first_name: this.bot.first_name, username: this.bot.username },
      chat: state.chat,
      date: Math.floor(this.now() / 1000),
      ...(replyTo ? { reply_to_message: withoutReply(replyTo) } : {}),
      ...content,
    };
    state.messages.push(message);
    this.waiters.notify();
    return message;
  }

  private replyTarget(state: ChatState, p: Json): FakeTelegramMessage | undefined {
    const params = p.reply_parameters as Json | undefined;
    const id = int(params?.message_id ?? p.reply_to_message_id);
    if (id === undefined) return undefined;
    const target = state.messages.find((m) => m.message_id === id);
    const allowMissing = params?.allow_sending_without_reply ?? p.allow_sending_without_reply;
    if (!target && !flag(allowMissing)) throw bad("message to be replied not found");
    return target;
  }

  private editable(p: Json, verb: "edit" | "delete"): { state: ChatState; message: FakeTelegramMessage } {
    if (p.inline_message_id !== undefined) throw bad("MESSAGE_ID_INVALID");
    const state = this.targetChat(p);
    const id = int(p.message_id);
    if (id === undefined) throw bad("message identifier is not specified");
    const message = state.messages.find((m) => m.message_id === id);
    if (!message) throw bad(`message to ${verb} not found`);
    if (verb === "edit" && message.from?.id !== this.bot.id) throw bad("message can't be edited");
    return { state, message };
  }

  private inputFile(p: Json, field: "photo" | "document"): FakeTelegramFile {
    const value = p[field];
    if (value instanceof UploadedPart) {
      if (value.bytes.length === 0) throw bad("file must be non-empty");
      if (value.bytes.length > UPLOAD_MAX_BYTES) throw new ApiError(413, "Request Entity Too Large");
      const file: FakeTelegramFile = {
        ...this.newFileIds(field),
        kind: field,
        bytes: value.bytes,
        filename: value.filename,
        // Telegram names the type from the file name; Telegraf sends parts without a content type anyway.
        mimeType: mimeFor(value.filename) ?? "application/octet-stream",
      };
      if (field === "photo") {
        const size = imageSize(value.bytes);
        if (!size) throw bad("IMAGE_PROCESS_FAILED");
        if (size.width + size.height > 10000 || Math.max(size.width, size.height) > 20 * Math.min(size.width, size.height)) {
          throw bad("PHOTO_INVALID_DIMENSIONS");
        }
        Object.assign(file, size);
      }
      return this.keepFile(file);
    }
    const ref = typeof value === "string" ? value.trim() : "";
    if (!ref) throw bad(`there is no ${field} in the request`);
    if (/^https?:\/\//i.test(ref)) {
      // The fake fetches nothing, so a photo's size is a stand-in.
      const size = field === "photo" ? { width: 800, height: 600 } : {};
      const filename = decodeURIComponent(new URL(ref).pathname.split("/").pop() ?? "") || undefined;
      return this.keepFile({ ...this.newFileIds(field), kind: field, url: ref, filename, mimeType: filename ? mimeFor(filename) : undefined, ...size });
    }
    const known = this.fileIndex.get(ref);
    if (!known) throw bad("wrong file identifier/HTTP URL specified");
    if (known.kind !== field) throw bad(`can't use file of type ${capitalized(known.kind)} as ${capitalized(field)}`);
    return known;
  }

  private newFileIds(kind: "photo" | "document"): Pick<FakeTelegramFile, "fileId" | "fileUniqueId"> {
    const seq = Buffer.alloc(4);
    seq.writeUInt32BE(++this.fileSeq);
    const tail = Buffer.concat([seq, randomBytes(20)]).toString("base64url");
    return { fileId: `${kind === "photo" ? "AgACAgIAAxkBAA" : "BQACAgIAAxkBAA"}${tail}`, fileUniqueId: `AQAD${Buffer.concat([seq, randomBytes(6)]).toString("base64url")}` };
  }

  private keepFile(file: FakeTelegramFile): FakeTelegramFile {
    this.files.push(file);
    this.fileIndex.set(file.fileId, file);
    return file;
  }

  private photoSizes(file: FakeTelegramFile): PhotoSize[] {
    const width = file.width ?? 0;
    const height = file.height ?? 0;
    const longest = Math.max(width, height, 1);
    const sizes: PhotoSize[] = [];
    // Telegram stores scaled copies (s, m, x, y) below the original, each with its own file id.
    for (const box of [90, 320, 800, 1280]) {
      if (box >= longest) break;
      const scale = box / longest;
      const copy = { ...this.newFileIds("photo"), kind: "photo" as const, width: Math.round(width * scale), height: Math.round(height * scale) };
      this.fileIndex.set(copy.fileId, copy);
      sizes.push({ file_id: copy.fileId, file_unique_id: copy.fileUniqueId, width: copy.width, height: copy.height });
    }
    sizes.push({ file_id: file.fileId, file_unique_id: file.fileUniqueId, width, height, ...(file.bytes ? { file_size: file.bytes.length } : {}) });
    return sizes;
  }

  // --- methods ------------------------------------------------------------

  private buildHandlers(): Record<string, Handler> {
    return {
      getMe: () => ({ result: { ...this.bot, can_connect_to_business: false, has_main_web_app: false } }),

      setWebhook: (p) => {
        const url = str(p.url) ?? "";
        if (!url) return this.deleteWebhook(p);
        let parsed: URL;
        try {
          parsed = new URL(url);
        } catch {
          throw bad("invalid webhook URL specified");
        }
        if (parsed.protocol !== "https:") throw bad("bad webhook: An HTTPS URL must be provided for webhook");
        if (!["", "443", "80", "88", "8443"].includes(parsed.port)) {
          throw bad("bad webhook: Webhook can be set up only on ports 80, 88, 443 or 8443");
        }
        const secret = str(p.secret_token);
        if (secret !== undefined && !/^[A-Za-z0-9_-]{1,256}$/.test(secret)) throw bad("secret token contains unallowed characters");
        const maxConnections = int(p.max_connections) ?? 40;
        if (maxConnections < 1 || maxConnections > 100) throw bad("max_connections must be between 1 and 100");
        if (flag(p.drop_pending_updates)) this.queue = [];
        const allowed = Array.isArray(p.allowed_updates) ? p.allowed_updates.map(String) : this.hook?.allowedUpdates;
        if (Array.isArray(p.allowed_updates)) this.allowedUpdates = allowed?.length ? allowed : undefined;
        const same = this.hook?.url === url && this.hook.secretToken === secret && this.hook.maxConnections === maxConnections;
        this.terminateHeld("Conflict: terminated by setWebhook request");
        this.hook = { url, secretToken: secret, allowedUpdates: allowed?.length ? allowed : undefined, maxConnections, ipAddress: str(p.ip_address) };
        return { result: true, description: same ? "Webhook is already set" : "Webhook was set" };
      },

      deleteWebhook: (p) => this.deleteWebhook(p),

      getWebhookInfo: () => ({
        result: {
          url: this.hook?.url ?? "",
          has_custom_certificate: false,
          pending_update_count: this.queue.length,
          ...(this.hook
            ? {
                max_connections: this.hook.maxConnections,
                ...(this.hook.ipAddress ? { ip_address: this.hook.ipAddress } : {}),
                ...(this.hook.allowedUpdates ? { allowed_updates: this.hook.allowedUpdates } : {}),
              }
            : {}),
        },
      }),

      setMyCommands: (p) => {
        const list = p.commands;
        if (!Array.isArray(list)) throw bad("can't parse commands JSON object");
        if (list.length > COMMANDS_MAX) throw bad("BOT_COMMANDS_TOO_MUCH");
        const commands = list.map((c): BotCommand => {
          const command = (c as Json | null)?.command;
          const description = (c as Json | null)?.description;
          if (typeof command !== "string" || !/^[a-z0-9_]{1,32}$/.test(command)) throw bad("BOT_COMMAND_INVALID");
          if (typeof description !== "string" || description.trim().length === 0 || description.length > 256) {
            throw bad("BOT_COMMAND_DESCRIPTION_INVALID");
          }
          return { command, description };
        });
        const key = this.commandsKeyOf(p);
        if (commands.length) this.commands.set(key, commands);
        else this.commands.delete(key);
        return { result: true };
      },

      getMyCommands: (p) => ({ result: this.commands.get(this.commandsKeyOf(p)) ?? [] }),

      deleteMyCommands: (p) => {
        this.commands.delete(this.commandsKeyOf(p));
        return { result: true };
      },

      sendMessage: (p) => {
        const state = this.targetChat(p);
        const text = formatText(p.text, p.parse_mode, p.entities, "text", this.strictHtml);
        const markup = replyMarkup(p.reply_markup, false);
        return { result: clone(this.botMessage(state, p, { ...textFields(text, "text"), ...inlineOnly(markup) })) };
      },

      sendPhoto: (p) => this.sendMedia(p, "photo"),
      sendDocument: (p) => this.sendMedia(p, "document"),

      editMessageText: (p) => {
        const text = formatText(p.text, p.parse_mode, p.entities, "text", this.strictHtml);
        const markup = replyMarkup(p.reply_markup, true);
        const { message } = this.editable(p, "edit");
        if (message.text === undefined) throw bad("there is no text in the message to edit");
        const next = { ...textFields(text, "text"), ...inlineOnly(markup) };
        // A markup left out of the edit removes the keyboard, as in Telegram.
        if (sameContent(message, next, ["text", "entities", "reply_markup"])) throw bad(NOT_MODIFIED);
        delete message.entities;
        delete message.reply_markup;
        Object.assign(message, next, { edit_date: Math.floor(this.now() / 1000) });
        this.waiters.notify();
        return { result: clone(message) };
      },

      editMessageReplyMarkup: (p) => {
        const markup = replyMarkup(p.reply_markup, true);
        const { message } = this.editable(p, "edit");
        const next = inlineOnly(markup);
        if (sameContent(message, next, ["reply_markup"])) throw bad(NOT_MODIFIED);
        delete message.reply_markup;
        Object.assign(message, next, { edit_date: Math.floor(this.now() / 1000) });
        this.waiters.notify();
        return { result: clone(message) };
      },

      deleteMessage: (p) => {
        const { state, message } = this.editable(p, "delete");
        state.messages = state.messages.filter((m) => m !== message);
        this.waiters.notify();
        return { result: true };
      },

      answerCallbackQuery: (p) => {
        const id = str(p.callback_query_id);
        if (!id || this.callbackQueries.get(id) !== null) throw bad("query is too old and response timeout expired or query ID is invalid");
        const text = str(p.text);
        if (text !== undefined && text.length > CALLBACK_ANSWER_MAX) throw bad("MESSAGE_TOO_LONG");
        this.callbackQueries.set(id, { text, showAlert: flag(p.show_alert), url: str(p.url), cacheTime: int(p.cache_time) });
        this.waiters.notify();
        return { result: true };
      },

      sendChatAction: (p) => {
        this.targetChat(p);
        if (!CHAT_ACTIONS.has(String(p.action ?? ""))) throw bad("wrong parameter action in request");
        return { result: true };
      },
    };
  }

  private deleteWebhook(p: Json): { result: true; description: string } {
    if (flag(p.drop_pending_updates)) this.queue = [];
    const had = this.hook !== undefined;
    this.hook = undefined;
    return { result: true, description: had ? "Webhook was deleted" : "Webhook is already deleted" };
  }

  private sendMedia(p: Json, field: "photo" | "document"): { result: unknown } {
    const state = this.targetChat(p);
    const caption = formatText(p.caption, p.parse_mode, p.caption_entities, "caption", this.strictHtml);
    const markup = replyMarkup(p.reply_markup, false);
    const file = this.inputFile(p, field);
    const media: Partial<FakeTelegramMessage> =
      field === "photo"
        ? { photo: this.photoSizes(file) }
        : {
            document: {
              file_id: file.fileId,
              file_unique_id: file.fileUniqueId,
              ...(file.filename ? { file_name: file.filename } : {}),
              ...(file.mimeType ? { mime_type: file.mimeType } : {}),
              ...(file.bytes ? { file_size: file.bytes.length } : {}),
            },
          };
    return { result: clone(this.botMessage(state, p, { ...media, ...textFields(caption, "caption"), ...inlineOnly(markup) })) };
  }

  private commandsKeyOf(p: Json): string {
    const scope = (p.scope ?? { type: "default" }) as Json;
    const type = String(scope.type ?? "");
    const needsChat = type === "chat" || type === "chat_administrators" || type === "chat_member";
    if (!["default", "all_private_chats", "all_group_chats", "all_chat_administrators"].includes(type) && !needsChat) {
      throw bad("can't parse BotCommandScope: unsupported type specified");
    }
    if (needsChat) this.targetChat({ chat_id: scope.chat_id });
    if (type === "chat_member" && int(scope.user_id) === undefined) throw bad("user not found");
    return commandsKey(scope as unknown as BotCommandScope, str(p.language_code) ?? "");
  }
}

// --- text, entities and markup ------------------------------------------------

export interface FormattedText {
  text: string;
  entities: MessageEntity[];
}

/**
 * Telegram's check of a message's text or caption and inline keyboard, without
 * a server: the "Bad Request: …" descriptions Telegram would answer, in the
 * order it checks them (empty when it would accept). Looks at `text` (with
 * `parse_mode` / `entities`) when present, `caption` (with `parse_mode` /
 * `caption_entities`) when present, and `reply_markup`.
 */
export function messageProblems(params: Record<string, unknown>, o: { strictHtml?: boolean } = {}): string[] {
  const problems: string[] = [];
  const check = (f: () => unknown) => {
    try {
      f();
    } catch (err) {
      if (!(err instanceof ApiError)) throw err;
      problems.push(err.description);
    }
  };
  const strict = o.strictHtml ?? false;
  if ("text" in params) check(() => formatText(params.text, params.parse_mode, params.entities, "text", strict));
  if ("caption" in params) check(() => formatText(params.caption, params.parse_mode, params.caption_entities, "caption", strict));
  if (params.reply_markup !== undefined) check(() => replyMarkup(params.reply_markup, false));
  return problems;
}

/** The plain text Telegram shows for `parse_mode: "HTML"` text; throws HtmlParseError with Telegram's reason when it would refuse it. */
export function parseHtml(html: string, o: { strict?: boolean } = {}): string {
  return parseHtmlEntities(html, o).text;
}

const HTML_TAGS = new Set(["a", "b", "strong", "i", "em", "s", "strike", "del", "u", "ins", "tg-spoiler", "tg-emoji", "span", "pre", "code", "blockquote"]);
const SIMPLE_TAG_ENTITIES: Record<string, MessageEntity["type"]> = {
  b: "bold", strong: "bold", i: "italic", em: "italic", u: "underline", ins: "underline",
  s: "strikethrough", strike: "strikethrough", del: "strikethrough", "tg-spoiler": "spoiler", span: "spoiler",
};

/**
 * Telegram's HTML parser (a port of tdlib's parse_html): the plain text and
 * the entities, with offsets and lengths in UTF-16 code units. `strict` also
 * refuses a bare "&" or ">", which Telegram keeps as literal characters.
 */
export function parseHtmlEntities(html: string, o: { strict?: boolean } = {}): FormattedText {
  const at = (i: number) => Buffer.byteLength(html.slice(0, i));
  const isSpace = (c: string) => c === " " || c === "\t" || c === "\r" || c === "\n" || c === "\v";
  const entities: MessageEntity[] = [];
  const open: { tag: string; arg: string; offset: number }[] = [];
  let text = "";
  let decodedSurrogate = false;
  let i = 0;
  while (i < html.length) {
    const c = html.charAt(i);
    if (c === "&") {
      const decoded = decodeHtmlEntity(html, i);
      if (decoded) {
        if (decoded.code >= 0xd800 && decoded.code <= 0xdfff) decodedSurrogate = true;
        text += String.fromCodePoint(decoded.code);
        i = decoded.end;
        continue;
      }
      if (o.strict) throw new HtmlParseError(`Unescaped "&" at byte offset ${at(i)}; write &amp;`);
    }
    if (c !== "<") {
      if (o.strict && c === ">") throw new HtmlParseError(`Unescaped ">" at byte offset ${at(i)}; write &gt;`);
      text += c;
      i++;
      continue;
    }
    const begin = i++;
    if (html.charAt(i) !== "/") {
      while (i < html.length && !isSpace(html.charAt(i)) && html.charAt(i) !== ">") i++;
      if (i >= html.length) throw new HtmlParseError(`Unclosed start tag at byte offset ${at(begin)}`);
      const tag = html.slice(begin + 1, i).toLowerCase();
      if (!HTML_TAGS.has(tag)) throw new HtmlParseError(`Unsupported start tag "${tag}" at byte offset ${at(begin)}`);
      let arg = "";
      while (html.charAt(i) !== ">") {
        while (i < html.length && isSpace(html.charAt(i))) i++;
        if (html.charAt(i) === ">") break;
        const nameBegin = i;
        while (i < html.length && !isSpace(html.charAt(i)) && html.charAt(i) !== "=" && html.charAt(i) !== ">") i++;
        const name = html.slice(nameBegin, i);
        if (!name) throw new HtmlParseError(`Empty attribute name in the tag "${tag}" at byte offset ${at(begin)}`);
        while (i < html.length && isSpace(html.charAt(i))) i++;
        if (i >= html.length) throw new HtmlParseError(`Unclosed start tag "${tag}" at byte offset ${at(begin)}`);
        if (html.charAt(i) !== "=") {
          // The one attribute Telegram takes without a value: <blockquote expandable>.
          if (tag === "blockquote" && name === "expandable") {
            arg = "expandable";
            continue;
          }
          throw new HtmlParseError(`Expected equal sign in declaration of an attribute of the tag "${tag}" at byte offset ${at(begin)}`);
        }
        i++;
        while (i < html.length && isSpace(html.charAt(i))) i++;
        if (i >= html.length) throw new HtmlParseError(`Unclosed start tag "${tag}" at byte offset ${at(begin)}`);
        let value = "";
        const quote = html.charAt(i);
        if (quote !== '"' && quote !== "'") {
          const tokenBegin = i;
          while (/[A-Za-z0-9.-]/.test(html.charAt(i))) i++;
          value = html.slice(tokenBegin, i).toLowerCase();
          if (!isSpace(html.charAt(i)) && html.charAt(i) !== ">") {
            throw new HtmlParseError(`Unexpected end of name token at byte offset ${at(tokenBegin)}`);
          }
        } else {
          i++;
          while (i < html.length && html.charAt(i) !== quote) {
            const decoded = html.charAt(i) === "&" ? decodeHtmlEntity(html, i) : undefined;
            if (decoded) {
              value += String.fromCodePoint(decoded.code);
              i = decoded.end;
            } else value += html.charAt(i++);
          }
          if (html.charAt(i) === quote) i++;
        }
        if (i >= html.length) throw new HtmlParseError(`Unclosed start tag at byte offset ${at(begin)}`);
        if (tag === "a" && name === "href") arg = value;
        else if (tag === "code" && name === "class" && value.startsWith("language-")) arg = value.slice(9);
        else if (tag === "span" && name === "class" && value.startsWith("tg-")) arg = value.slice(3);
        else if (tag === "tg-emoji" && name === "emoji-id") arg = value;
        else if (tag === "blockquote" && name === "expandable") arg = "expandable";
      }
      if (tag === "span" && arg !== "spoiler") throw new HtmlParseError(`Tag "span" must have class "tg-spoiler" at byte offset ${at(begin)}`);
      open.push({ tag, arg, offset: text.length });
      i++;
      continue;
    }

    if (open.length === 0) throw new HtmlParseError(`Unexpected end tag at byte offset ${at(begin)}`);
    i++;
    while (i < html.length && !isSpace(html.charAt(i)) && html.charAt(i) !== ">") i++;
    const endTag = html.slice(begin + 2, i).toLowerCase();
    while (i < html.length && isSpace(html.charAt(i))) i++;
    if (html.charAt(i) !== ">") throw new HtmlParseError(`Unclosed end tag at byte offset ${at(begin)}`);
    i++;
    const top = open.pop()!;
    if (endTag && endTag !== top.tag) {
      throw new HtmlParseError(`Unmatched end tag at byte offset ${at(begin)}, expected "</${top.tag}>", found "</${endTag}>"`);
    }
    const length = text.length - top.offset;
    if (length > 0) addHtmlEntity(entities, top, length, text);
  }
  if (open.length) throw new HtmlParseError(`Can't find end tag corresponding to start tag "${open.at(-1)!.tag}"`);
  if (decodedSurrogate && /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(text)) {
    throw new HtmlParseError("Text contains invalid Unicode characters after decoding HTML entities, check for unmatched surrogate code units");
  }
  // A code entity only carries its class while a closing </pre> may still turn it into a pre with a language.
  for (const e of entities) if (e.type === "code") delete (e as { language?: string }).language;
  entities.sort((a, b) => a.offset - b.offset || b.length - a.length);
  return { text, entities };
}

function addHtmlEntity(entities: MessageEntity[], top: { tag: string; arg: string; offset: number }, length: number, text: string): void {
  const { tag, arg, offset } = top;
  const simple = SIMPLE_TAG_ENTITIES[tag];
  const last = entities.at(-1) as (MessageEntity & { language?: string }) | undefined;
  const sameRange = last !== undefined && last.offset === offset && last.length === length;
  if (simple) entities.push({ type: simple, offset, length } as MessageEntity);
  else if (tag === "tg-emoji") {
    if (!/^\d+$/.test(arg) || BigInt(arg) === 0n) throw new HtmlParseError("Invalid custom emoji identifier specified");
    entities.push({ type: "custom_emoji", offset, length, custom_emoji_id: arg });
  } else if (tag === "a") {
    const url = arg || text.slice(offset);
    const userId = /^tg:\/\/user\?id=(\d+)$/i.exec(url)?.[1];
    if (userId) entities.push({ type: "text_mention", offset, length, user: { id: Number(userId), is_bot: false, first_name: "" } });
    else {
      const link = checkedLink(url);
      if (link) entities.push({ type: "text_link", offset, length, url: link });
    }
  } else if (tag === "pre") {
    // <pre><code class="language-x">…</code></pre> is one pre entity with a language.
    if (sameRange && last.type === "code" && last.language) entities.splice(-1, 1, { type: "pre", offset, length, language: last.language });
    else entities.push({ type: "pre", offset, length });
  } else if (tag === "code") {
    if (sameRange && last.type === "pre" && arg) entities.splice(-1, 1, { type: "pre", offset, length, language: arg });
    else entities.push({ type: "code", offset, length, ...(arg ? { language: arg } : {}) } as MessageEntity);
  } else if (tag === "blockquote") {
    entities.push({ type: arg === "expandable" ? "expandable_blockquote" : "blockquote", offset, length } as MessageEntity);
  }
}

function decodeHtmlEntity(html: string, pos: number): { code: number; end: number } | undefined {
  let end = pos + 1;
  let code = 0;
  if (html.charAt(end) === "#") {
    end++;
    const hex = html.charAt(end) === "x";
    if (hex) end++;
    const digits = hex ? /[0-9a-fA-F]/ : /[0-9]/;
    const start = end;
    while (digits.test(html.charAt(end))) end++;
    code = end > start ? parseInt(html.slice(start, end), hex ? 16 : 10) : 0;
    if (code === 0 || code >= 0x10ffff || end - pos >= 10) return undefined;
  } else {
    while (/[A-Za-z]/.test(html.charAt(end))) end++;
    const named: Record<string, number> = { lt: 0x3c, gt: 0x3e, amp: 0x26, quot: 0x22 };
    code = named[html.slice(pos + 1, end)] ?? 0;
    if (!code) return undefined;
  }
  return { code, end: html.charAt(end) === ";" ? end + 1 : end };
}

/** A link Telegram keeps for a text_link (bare domains get http://), or undefined when it drops the entity. */
function checkedLink(url: string): string | undefined {
  const candidate = /^[a-z][a-z0-9+.-]*:/i.test(url) ? url : `http://${url}`;
  try {
    const parsed = new URL(candidate);
    if (!["http:", "https:", "tg:", "ton:"].includes(parsed.protocol)) return undefined;
    if ((parsed.protocol === "http:" || parsed.protocol === "https:") && !parsed.hostname.includes(".")) return undefined;
    return candidate;
  } catch {
    return undefined;
  }
}

function formatText(raw: unknown, parseMode: unknown, entitiesParam: unknown, kind: "text" | "caption", strictHtml: boolean): FormattedText {
  const source = typeof raw === "string" ? raw : typeof raw === "number" ? String(raw) : "";
  let formatted: FormattedText = { text: source, entities: [] };
  const entityList = typeof entitiesParam === "string" && entitiesParam ? parseJson(entitiesParam, "entities") : entitiesParam;
  if (Array.isArray(entityList)) formatted.entities = checkEntities(entityList, source);
  else {
    const mode = typeof parseMode === "string" ? parseMode.toLowerCase() : "";
    if (mode === "html") {
      try {
        formatted = parseHtmlEntities(source, { strict: strictHtml });
      } catch (err) {
        if (err instanceof HtmlParseError) throw bad(`can't parse entities: ${err.message}`);
        throw err;
      }
    } else if (mode !== "" && mode !== "markdown" && mode !== "markdownv2") throw bad("unsupported parse_mode");
  }
  formatted = trimFormatted(formatted);
  if (kind === "text") {
    if (!formatted.text) throw bad("message text is empty");
    if (formatted.text.length > MESSAGE_MAX) throw bad("message is too long");
  } else if (formatted.text.length > CAPTION_MAX) throw bad("message caption is too long");
  return formatted;
}

function checkEntities(list: unknown[], text: string): MessageEntity[] {
  return list.map((e) => {
    const entity = e as Json | null;
    const offset = int(entity?.offset);
    const length = int(entity?.length);
    if (typeof entity?.type !== "string" || offset === undefined || length === undefined || offset < 0 || length < 0) {
      throw bad("can't parse entities JSON object");
    }
    if (offset + length > text.length) {
      throw bad(`entity beginning at UTF-16 offset ${offset} ends after the end of the text at UTF-16 offset ${offset + length}`);
    }
    return entity as unknown as MessageEntity;
  });
}

/** Telegram strips whitespace around a text, moving the entities with it. */
function trimFormatted(f: FormattedText): FormattedText {
  const left = /^[ \t\r\n\v\f]*/.exec(f.text)![0].length;
  const text = f.text.slice(left).replace(/[ \t\r\n\v\f]+$/, "");
  const entities = f.entities
    .map((e) => {
      const start = Math.max(0, e.offset - left);
      const end = Math.min(text.length, e.offset + e.length - left);
      return { ...e, offset: start, length: end - start };
    })
    .filter((e) => e.length > 0);
  return { text, entities };
}

function textFields(f: FormattedText, kind: "text" | "caption"): Partial<FakeTelegramMessage> {
  if (kind === "caption" && !f.text) return {};
  const entities = f.entities.length ? f.entities : undefined;
  return kind === "text"
    ? { text: f.text, ...(entities ? { entities } : {}) }
    : { caption: f.text, ...(entities ? { caption_entities: entities } : {}) };
}

/** Checks reply_markup as Telegram does; returns it (undefined when absent). */
function replyMarkup(value: unknown, inlineRequired: boolean): Json | undefined {
  if (value === undefined || value === null || value === "") return undefined;
  const markup = typeof value === "string" ? parseJson(value, "reply keyboard markup") : value;
  if (!markup || typeof markup !== "object" || Array.isArray(markup)) throw bad("can't parse reply keyboard markup JSON object");
  const m = markup as Json;
  if (m.inline_keyboard === undefined) {
    if (inlineRequired) throw bad("inline keyboard expected");
    if (m.keyboard === undefined && m.remove_keyboard === undefined && m.force_reply === undefined) {
      throw bad("can't parse reply keyboard markup JSON object");
    }
    if (m.keyboard !== undefined && !(Array.isArray(m.keyboard) && m.keyboard.every(Array.isArray))) {
      throw bad("can't parse reply keyboard markup JSON object");
    }
    return m;
  }
  const rows = m.inline_keyboard;
  if (!Array.isArray(rows) || !rows.every(Array.isArray)) throw bad('can\'t parse inline keyboard markup: Field "inline_keyboard" must be an Array of Arrays');
  const buttons = (rows as unknown[][]).flat();
  if (buttons.length > BUTTONS_MAX) throw bad("reply markup is too long");
  for (const b of buttons) inlineButton(b);
  return m;
}

function inlineButton(value: unknown): void {
  if (!value || typeof value !== "object" || Array.isArray(value)) throw bad("can't parse inline keyboard button: InlineKeyboardButton must be an Object");
  const b = value as Json;
  if (typeof b.text !== "string") throw bad('can\'t parse inline keyboard button: Field "text" must be of type String');
  if (!b.text.trim()) throw bad("BUTTON_TEXT_INVALID");
  const actions = BUTTON_ACTIONS.filter((k) => b[k] !== undefined && b[k] !== null);
  if (actions.length === 0) throw bad("can't parse inline keyboard button: Text buttons are unallowed in the inline keyboard");
  // Telegram silently keeps only the first of several actions; refusing them catches the button whose data would be lost.
  if (actions.length > 1) throw bad(`can't parse inline keyboard button: only one of ${actions.map((a) => `"${a}"`).join(", ")} can be specified`);
  if (b.callback_data !== undefined) {
    if (typeof b.callback_data !== "string") throw bad('can\'t parse inline keyboard button: Field "callback_data" must be of type String');
    const bytes = Buffer.byteLength(b.callback_data);
    if (bytes < 1 || bytes > CALLBACK_DATA_MAX_BYTES) throw bad("BUTTON_DATA_INVALID");
  }
  if (b.url !== undefined) {
    if (typeof b.url !== "string" || /\s/.test(b.url)) throw bad("BUTTON_URL_INVALID");
    try {
      if (!["http:", "https:", "tg:"].includes(new URL(b.url).protocol)) throw new Error("scheme");
    } catch {
      throw bad("BUTTON_URL_INVALID");
    }
  }
}

/** The inline keyboard as a Message carries it: Telegram drops fields it does not know (such as Telegraf's `hide`). */
function inlineOnly(markup: Json | undefined): Partial<FakeTelegramMessage> {
  if (!markup?.inline_keyboard) return {};
  const rows = (markup.inline_keyboard as Json[][]).map((row) =>
    row.map((b) => Object.fromEntries(Object.entries(b).filter(([k, v]) => (k === "text" || BUTTON_ACTIONS.includes(k)) && v !== undefined && v !== null))),
  );
  return { reply_markup: { inline_keyboard: rows as unknown as InlineKeyboardMarkup["inline_keyboard"] } };
}

function sameContent(message: FakeTelegramMessage, next: Partial<FakeTelegramMessage>, keys: (keyof FakeTelegramMessage)[]): boolean {
  return keys.every((k) => JSON.stringify(message[k] ?? null) === JSON.stringify(next[k] ?? null));
}

// --- helpers ------------------------------------------------------------------

function commandsKey(scope: BotCommandScope, languageCode: string): string {
  const chat = scope.chat_id === undefined ? "" : String(scope.chat_id);
  const user = scope.user_id === undefined ? "" : String(scope.user_id);
  return `${scope.type}|${chat}|${user}|${languageCode}`;
}

function updateType(update: Update): string {
  return Object.keys(update).find((k) => k !== "update_id") ?? "";
}

function syntheticChat(id: number): Chat {
  if (id > 0) return { id, type: "private", first_name: `user${id}` };
  // Supergroup and channel ids are -100…; basic group ids are small negatives.
  if (id < -1_000_000_000_000) return { id, type: "supergroup", title: `chat${id}` };
  return { id, type: "group", title: `chat${id}` };
}

function withoutReply(m: FakeTelegramMessage): FakeTelegramMessage {
  const copy = clone(m);
  delete copy.reply_to_message;
  return copy;
}

function clone<T>(value: T): T {
  return structuredClone(value);
}

function toResponse(outcome: { result: unknown; description?: string } | ApiError): { status: number; response: TelegramResponse } {
  if (outcome instanceof ApiError) return { status: outcome.code, response: fail(outcome.code, outcome.description, outcome.parameters) };
  return { status: 200, response: { ok: true, result: outcome.result, ...(outcome.description ? { description: outcome.description } : {}) } };
}

function fail(code: number, description: string, parameters?: { retry_after: number }): TelegramResponse {
  return { ok: false, error_code: code, description, ...(parameters ? { parameters } : {}) };
}

function send(res: ServerResponse, status: number, body: TelegramResponse): void {
  if (res.writableEnded || res.destroyed) return;
  res.writeHead(status, { "content-type": "application/json" });
  res.end(JSON.stringify(body));
}

/** Pixel size of a PNG, GIF or JPEG; undefined for anything Telegram could not process as a photo here. */
function imageSize(b: Buffer): { width: number; height: number } | undefined {
  if (b.length >= 24 && b.readUInt32BE(0) === 0x89504e47) return { width: b.readUInt32BE(16), height: b.readUInt32BE(20) };
  if (b.length >= 10 && b.toString("latin1", 0, 4) === "GIF8") return { width: b.readUInt16LE(6), height: b.readUInt16LE(8) };
  if (b.length >= 4 && b[0] === 0xff && b[1] === 0xd8) {
    let i = 2;
    while (i + 9 < b.length) {
      if (b[i] !== 0xff) return undefined;
      const marker = b[i + 1]!;
      // SOF0–SOF15 carry the frame size; C4 (DHT), C8 (JPG) and CC (DAC) share the range but do not.
      if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
        return { height: b.readUInt16BE(i + 5), width: b.readUInt16BE(i + 7) };
      }
      i += 2 + b.readUInt16BE(i + 2);
    }
  }
  return undefined;
}

function mimeFor(filename: string): string | undefined {
  const ext = filename.includes(".") ? filename.split(".").pop()!.toLowerCase() : "";
  const types: Record<string, string> = {
    png: "image/png",
    jpg: "image/jpeg",
    jpeg: "image/jpeg",
    gif: "image/gif",
    pdf: "application/pdf",
    xlsx: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    csv: "text/csv",
    txt: "text/plain",
    json: "application/json",
    zip: "application/zip",
  };
  return types[ext];
}

/** An uploaded file part, kept apart from string parameters. */
class UploadedPart implements FakeTelegramUpload {
  constructor(
    readonly filename: string,
    readonly bytes: Buffer,
    readonly contentType?: string,
  ) {}
}

async function parseBody(req: IncomingMessage, raw: Buffer): Promise<Json> {
  if (raw.length === 0) return {};
  const contentType = String(req.headers["content-type"] ?? "");
  if (contentType.startsWith("application/json")) {
    const parsed: unknown = JSON.parse(raw.toString("utf8"));
    if (!parsed || typeof parsed !== "object" || Array.isArray(parsed)) throw new Error("JSON body must be an object");
    return parsed as Json;
  }
  if (contentType.startsWith("multipart/form-data")) {
    const form = await new Request("http://127.0.0.1/", { method: "POST", headers: { "content-type": contentType }, body: new Uint8Array(raw) }).formData();
    const out: Json = {};
    for (const [key, value] of form) {
      out[key] = typeof value === "string" ? value : new UploadedPart(value.name, Buffer.from(await value.arrayBuffer()), value.type || undefined);
    }
    return out;
  }
  return Object.fromEntries(new URLSearchParams(raw.toString("utf8")));
}

/** Form and multipart bodies carry object parameters as JSON text; Telegram takes either. */
function parseJsonParams(p: Json): void {
  for (const [key, what] of Object.entries(JSON_PARAMS)) {
    const value = p[key];
    if (typeof value === "string" && value !== "") p[key] = parseJson(value, what);
  }
}

function parseJson(value: string, what: string): unknown {
  try {
    return JSON.parse(value);
  } catch {
    throw bad(`can't parse ${what} JSON object`);
  }
}

function int(v: unknown): number | undefined {
  if (typeof v === "number" && Number.isInteger(v)) return v;
  if (typeof v === "string" && /^-?\d+$/.test(v.trim())) return Number(v.trim());
  return undefined;
}

function str(v: unknown): string | undefined {
  if (typeof v === "string") return v;
  if (typeof v === "number") return String(v);
  return undefined;
}

function flag(v: unknown): boolean {
  return v === true || v === "true" || v === "1" || v === 1;
}

function capitalized(word: string): string {
  return word.charAt(0).toUpperCase() + word.slice(1);
}

function clamp(n: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, n));
}
