import { randomBytes } from "node:crypto";
import { closeNow, listenLocally, readBody, Waiters } from "./local-server.ts";
import type { IncomingMessage, Server, ServerResponse } from "node:http";

/**
 * A local Slack Web API for tests: a node:http server that speaks the wire
 * format @slack/web-api's WebClient (and so Bolt and @slack/oauth) uses —
 * `POST <url><method>` with form-urlencoded or JSON bodies, the token as
 * `Authorization: Bearer …` (or a `token` form field), JSON answers with
 * `ok: true|false` and Slack's error codes, HTTP 429 + `Retry-After` when rate
 * limited. It keeps every call so tests can read what the adapter sent, and it
 * enforces Slack's Block Kit limits so an adapter that overflows them fails
 * here the way it would against Slack.
 *
 * Point clients at `url` ("http://127.0.0.1:PORT/api/"): WebClient
 * `slackApiUrl`, Bolt `clientOptions.slackApiUrl`, InstallProvider
 * `clientOptions.slackApiUrl`. `responseUrl(id)` gives a `response_url` that
 * lands here too, and files.uploadV2 uploads its bytes to this server.
 */

export interface FakeSlackToken {
  teamId: string;
  /** The user the token acts as: the bot user for bot tokens. */
  userId: string;
  /** Present for bot tokens (xoxb-); absent for user tokens. */
  botId?: string;
  teamName?: string;
  teamDomain?: string;
  userName?: string;
  appId?: string;
}

export interface FakeSlackUser {
  name: string;
  realName: string;
  locale?: string;
  tz?: string;
  /** When set, only tokens of this team can see the user (users.info answers user_not_found otherwise). */
  teamId?: string;
  email?: string;
  isBot?: boolean;
}

/** What Slack hands over for one OAuth code (oauth.v2.access). */
export interface FakeOAuthGrant {
  teamId: string;
  teamName?: string;
  botToken: string;
  botUserId: string;
  botId: string;
  /** The Slack user who clicked "Allow". */
  authedUserId: string;
  scope?: string;
  userScope?: string;
  userToken?: string;
  appId?: string;
}

export interface FakeOAuthApp {
  clientId: string;
  clientSecret: string;
  /** When set, a redirect_uri sent with the exchange must equal it (else bad_redirect_uri). */
  redirectUri?: string;
  codes?: Record<string, FakeOAuthGrant>;
}

export interface FakeSlackApiOptions {
  tokens?: Record<string, FakeSlackToken>;
  users?: Record<string, FakeSlackUser>;
  /** When given, only these channel ids (plus DMs: D…, or a user id) are known; others are channel_not_found. */
  channels?: string[];
  oauth?: FakeOAuthApp;
  /** Enforce Block Kit limits (invalid_blocks / invalid_arguments). Default true. */
  validateBlocks?: boolean;
}

export interface FakeSlackCall {
  method: string;
  token?: string;
  /** The request's fields; JSON-valued form fields (blocks, view, attachments, files, metadata …) parsed. */
  body: Record<string, unknown>;
  /** HTTP status answered (200, or 429/5xx when a fault was injected or a rate limit hit). */
  status: number;
  /** The JSON answered. */
  response: Record<string, unknown>;
  at: number;
}

export interface FakeSlackMessage {
  channel: string;
  ts: string;
  teamId: string;
  /** The bot user that posted it. */
  user: string;
  botId?: string;
  text?: string;
  blocks?: unknown[];
  threadTs?: string;
  /** chat.postEphemeral: the one user who sees it. */
  ephemeralTo?: string;
  /** Times chat.update changed it. */
  edits: number;
}

export interface FakeSlackView {
  id: string;
  teamId: string;
  type: string;
  /** views.publish: the user whose App Home this is. views.open: the user who triggered it (unknown here, so undefined). */
  userId?: string;
  view: Record<string, unknown>;
  hash: string;
  externalId?: string;
}

export interface FakeSlackUpload {
  fileId: string;
  teamId: string;
  user: string;
  filename: string;
  /** The length announced to files.getUploadURLExternal. */
  length: number;
  altText?: string;
  /** The bytes POSTed to upload_url (undefined until then). */
  bytes?: Buffer;
  contentType?: string;
  /** Set by files.completeUploadExternal. */
  completed: boolean;
  title?: string;
  channelId?: string;
  threadTs?: string;
  initialComment?: string;
}

export interface FakeSlackResponse {
  /** The id given to responseUrl(id). */
  id: string;
  body: Record<string, unknown>;
  status: number;
  error?: string;
  at: number;
}

export interface FaultSpec {
  /** HTTP status; default 429. */
  status?: number;
  /** The `error` in the JSON body; default "ratelimited" for 429, "internal_error" otherwise. */
  error?: string;
  /** Seconds for the Retry-After header; default 1 for 429, none otherwise. */
  retryAfter?: number;
  /** How many calls in a row fail; default 1. */
  times?: number;
}

export interface RateLimitSpec {
  /** Calls allowed per window (per channel when perChannel). */
  max: number;
  windowMs: number;
  /** Seconds in Retry-After; default ceil(windowMs / 1000). */
  retryAfter?: number;
  /** Count per `channel` field (chat.postMessage's ~1/s per channel). */
  perChannel?: boolean;
}

type Json = Record<string, unknown>;
interface AuthContext {
  token: string;
  info: FakeSlackToken;
}

class ApiError extends Error {
  constructor(
    readonly code: string,
    readonly extra: Json = {},
  ) {
    super(code);
  }
}

/** Form fields that carry JSON (as WebClient serializes objects); parsed in the call record. */
const JSON_FIELDS = new Set(["blocks", "attachments", "view", "files", "metadata", "unfurls", "user_auth_blocks", "chunks"]);
const NO_AUTH_METHODS = new Set(["oauth.v2.access", "oauth.access", "api.test"]);
const RESPONSE_URL_MAX_USES = 5;
const START_SECONDS = 1_700_000_000;

export class FakeSlackApi {
  readonly calls: FakeSlackCall[] = [];
  readonly messages: FakeSlackMessage[] = [];
  readonly views: FakeSlackView[] = [];
  readonly uploads: FakeSlackUpload[] = [];
  readonly responses: FakeSlackResponse[] = [];

  private readonly tokens = new Map<string, FakeSlackToken>();
  private readonly revoked = new Set<string>();
  private readonly users = new Map<string, FakeSlackUser>();
  private readonly channels?: Set<string>;
  private readonly oauth?: FakeOAuthApp;
  private readonly oauthCodes = new Map<string, FakeOAuthGrant>();
  private readonly usedCodes = new Set<string>();
  private readonly validate: boolean;
  private readonly faults = new Map<string, Required<Pick<FaultSpec, "status" | "error" | "times">> & { retryAfter?: number }>();
  private readonly limits = new Map<string, RateLimitSpec & { hits: Map<string, number[]> }>();
  private readonly responseUses = new Map<string, number>();
  private readonly openedIms = new Set<string>();
  private readonly waiters = new Waiters();
  private server?: Server;
  private port = 0;
  private seq = 0;
  private ids = 0;

  constructor(o: FakeSlackApiOptions = {}) {
    for (const [token, info] of Object.entries(o.tokens ?? {})) this.tokens.set(token, info);
    for (const [id, user] of Object.entries(o.users ?? {})) this.users.set(id, user);
    if (o.channels) this.channels = new Set(o.channels);
    this.oauth = o.oauth;
    for (const [code, grant] of Object.entries(o.oauth?.codes ?? {})) this.oauthCodes.set(code, grant);
    this.validate = o.validateBlocks ?? true;
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
    await closeNow(server);
  }

  /** "http://127.0.0.1:PORT" — the server's origin, no trailing slash. */
  get origin(): string {
    if (!this.server) throw new Error("FakeSlackApi is not started");
    return `http://127.0.0.1:${this.port}`;
  }

  /** The Web API base for `slackApiUrl`: "http://127.0.0.1:PORT/api/". */
  get url(): string {
    return `${this.origin}/api/`;
  }

  /** A response_url that records what is POSTed to it under `id`. */
  responseUrl(id: string): string {
    return `${this.origin}/response/${encodeURIComponent(id)}`;
  }

  // --- configuration while running ---------------------------------------

  addToken(token: string, info: FakeSlackToken): void {
    this.tokens.set(token, info);
    this.revoked.delete(token);
  }

  /** Later calls with this token answer token_revoked (as after an uninstall). */
  revokeToken(token: string): void {
    this.revoked.add(token);
  }

  addUser(id: string, user: FakeSlackUser): void {
    this.users.set(id, user);
  }

  addOAuthCode(code: string, grant: FakeOAuthGrant): void {
    this.oauthCodes.set(code, grant);
  }

  /** The next call(s) to `method` fail: HTTP 429 + Retry-After by default, or the given status/error. */
  failNext(method: string, fault: FaultSpec = {}): void {
    const status = fault.status ?? 429;
    this.faults.set(method, {
      status,
      error: fault.error ?? (status === 429 ? "ratelimited" : "internal_error"),
      retryAfter: fault.retryAfter ?? (status === 429 ? 1 : undefined),
      times: fault.times ?? 1,
    });
  }

  /** From now on, calls to `method` beyond `max` per window answer 429 ratelimited with Retry-After; `null` lifts it. */
  rateLimit(method: string, spec: RateLimitSpec | null): void {
    if (spec) this.limits.set(method, { ...spec, hits: new Map() });
    else this.limits.delete(method);
  }

  /** Forgets what was recorded (calls, messages, views, uploads, responses) and pending faults; keeps tokens, users and OAuth codes. */
  reset(): void {
    for (const list of [this.calls, this.messages, this.views, this.uploads, this.responses] as unknown[][]) list.length = 0;
    this.faults.clear();
    this.limits.clear();
    this.responseUses.clear();
    this.openedIms.clear();
  }

  // --- reading what happened ---------------------------------------------

  callsTo(method: string): FakeSlackCall[] {
    return this.calls.filter((c) => c.method === method);
  }

  messagesIn(channel: string): FakeSlackMessage[] {
    return this.messages.filter((m) => m.channel === channel);
  }

  /** The App Home view last published for a user. */
  homeOf(userId: string): FakeSlackView | undefined {
    return lastOf(this.views, (v) => v.type === "home" && v.userId === userId);
  }

  /** Resolves with the first call (already made or still to come) to `method` that matches. */
  waitForCall(method: string, predicate: (c: FakeSlackCall) => boolean = () => true, timeoutMs = 5000): Promise<FakeSlackCall> {
    return this.waiters.until(
      () => this.calls.find((c) => c.method === method && predicate(c)),
      timeoutMs,
      () => `no ${method} call matched within ${timeoutMs} ms (calls: ${this.calls.map((c) => c.method).join(", ") || "none"})`,
    );
  }

  /** Resolves with the first response_url POST (already made or still to come) that matches. */
  waitForResponse(predicate: (r: FakeSlackResponse) => boolean = () => true, timeoutMs = 5000): Promise<FakeSlackResponse> {
    return this.waiters.until(
      () => this.responses.find(predicate),
      timeoutMs,
      () => `no response_url POST matched within ${timeoutMs} ms (${this.responses.length} received)`,
    );
  }


  // --- HTTP ---------------------------------------------------------------

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const raw = await readBody(req);
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    const parts = url.pathname.split("/").filter(Boolean);
    if (req.method === "POST" && parts[0] === "upload" && parts[1]) return this.handleUpload(decodeURIComponent(parts[1]), req, raw, res);
    if (req.method === "POST" && parts[0] === "response" && parts[1]) return this.handleResponse(decodeURIComponent(parts[1]), req, raw, res);
    if (parts[0] === "api" && parts[1] && (req.method === "POST" || req.method === "GET")) return this.handleApi(parts[1], req, url, raw, res);
    res.writeHead(404, { "content-type": "text/plain" });
    res.end("not found");
  }

  private async handleApi(method: string, req: IncomingMessage, url: URL, raw: Buffer, res: ServerResponse): Promise<void> {
    const contentType = String(req.headers["content-type"] ?? "");
    const isJson = contentType.startsWith("application/json");
    let body: Json = Object.fromEntries(url.searchParams);
    let malformed = false;
    try {
      body = { ...body, ...(await parseBody(req, raw)) };
    } catch {
      malformed = true;
    }
    const bearer = /^Bearer\s+(\S+)$/i.exec(String(req.headers.authorization ?? ""))?.[1];
    // Slack takes a token from a form field, never from a JSON body.
    const token = bearer ?? (!isJson && typeof body.token === "string" ? body.token : undefined);
    const recordBody = { ...body };
    delete recordBody.token;

    let status = 200;
    let headers: Record<string, string> = {};
    let response: Json;
    const fault = this.faults.get(method);
    const limited = fault ? undefined : this.overLimit(method, body);
    if (fault) {
      if (--fault.times <= 0) this.faults.delete(method);
      status = fault.status;
      if (fault.retryAfter !== undefined) headers["retry-after"] = String(fault.retryAfter);
      response = { ok: false, error: fault.error };
    } else if (limited !== undefined) {
      status = 429;
      headers["retry-after"] = String(limited);
      response = { ok: false, error: "ratelimited" };
    } else if (malformed) {
      response = { ok: false, error: "invalid_json" };
    } else {
      response = this.dispatch(method, body, token, req);
    }

    const call: FakeSlackCall = { method, token, body: recordBody, status, response, at: Date.now() };
    this.calls.push(call);
    this.waiters.notify();
    res.writeHead(status, { "content-type": "application/json; charset=utf-8", ...headers });
    res.end(JSON.stringify(response));
  }

  private dispatch(method: string, body: Json, token: string | undefined, req: IncomingMessage): Json {
    const handler = this.handlers[method];
    if (!handler) return { ok: false, error: "unknown_method" };
    try {
      if (NO_AUTH_METHODS.has(method)) return handler(body, { token: token ?? "", info: { teamId: "", userId: "" } }, req);
      if (!token) return { ok: false, error: "not_authed" };
      if (this.revoked.has(token)) return { ok: false, error: "token_revoked" };
      const info = this.tokens.get(token);
      if (!info) return { ok: false, error: "invalid_auth" };
      return handler(body, { token, info }, req);
    } catch (err) {
      if (err instanceof ApiError) {
        const messages = err.extra.errors as string[] | undefined;
        return {
          ok: false,
          error: err.code,
          ...err.extra,
          ...(messages ? { response_metadata: { messages: messages.map((m) => `[ERROR] ${m}`) } } : {}),
        };
      }
      throw err;
    }
  }

  private overLimit(method: string, body: Json): number | undefined {
    const limit = this.limits.get(method);
    if (!limit) return undefined;
    const key = limit.perChannel ? String(body.channel ?? "") : "";
    const now = Date.now();
    const hits = (limit.hits.get(key) ?? []).filter((t) => now - t < limit.windowMs);
    if (hits.length >= limit.max) {
      limit.hits.set(key, hits);
      return limit.retryAfter ?? Math.ceil(limit.windowMs / 1000);
    }
    hits.push(now);
    limit.hits.set(key, hits);
    return undefined;
  }

  private async handleUpload(fileId: string, req: IncomingMessage, raw: Buffer, res: ServerResponse): Promise<void> {
    const upload = this.uploads.find((u) => u.fileId === fileId);
    if (!upload) {
      res.writeHead(404, { "content-type": "text/plain" });
      res.end("file_not_found");
      return;
    }
    const contentType = String(req.headers["content-type"] ?? "");
    if (contentType.startsWith("multipart/form-data")) {
      // WebClient sends the bytes as a multipart part (its field is "body"); take the first file part.
      const form = await toRequest(req, raw).formData();
      for (const [, value] of form) {
        if (typeof value === "string") continue;
        upload.bytes = Buffer.from(await value.arrayBuffer());
        upload.contentType = value.type || undefined;
        break;
      }
      if (!upload.bytes) {
        const text = [...form.values()].find((v): v is string => typeof v === "string");
        upload.bytes = Buffer.from(text ?? "");
      }
    } else {
      upload.bytes = raw;
      upload.contentType = contentType || undefined;
    }
    this.waiters.notify();
    res.writeHead(200, { "content-type": "text/plain" });
    res.end(`OK - ${upload.bytes.length}`);
  }

  private handleResponse(id: string, _req: IncomingMessage, raw: Buffer, res: ServerResponse): void {
    const uses = (this.responseUses.get(id) ?? 0) + 1;
    this.responseUses.set(id, uses);
    let body: Json = {};
    let status = 200;
    let error: string | undefined;
    try {
      const parsed: unknown = JSON.parse(raw.toString("utf8"));
      if (!parsed || typeof parsed !== "object" || Array.isArray(parsed)) throw new Error("not an object");
      body = parsed as Json;
    } catch {
      status = 400;
      error = "invalid_payload";
    }
    if (!error && uses > RESPONSE_URL_MAX_USES) {
      status = 404;
      error = "used_url";
    }
    if (!error && body.text === undefined && body.blocks === undefined && body.attachments === undefined && !body.delete_original) {
      status = 400;
      error = "no_text";
    }
    if (!error && this.validate && body.blocks !== undefined) {
      const problems = blockProblems(body.blocks, 50, "/blocks");
      if (problems.length) {
        status = 400;
        error = "invalid_blocks";
      }
    }
    this.responses.push({ id, body, status, error, at: Date.now() });
    this.waiters.notify();
    res.writeHead(status, { "content-type": "application/json; charset=utf-8" });
    res.end(JSON.stringify(error ? { ok: false, error } : { ok: true }));
  }

  // --- methods ------------------------------------------------------------

  private readonly handlers: Record<string, (body: Json, auth: AuthContext, req: IncomingMessage) => Json> = {
    "api.test": (body) => ({ ok: true, args: body }),

    "auth.test": (_body, { info }) => ({
      ok: true,
      url: `https://${info.teamDomain ?? info.teamId.toLowerCase()}.slack.com/`,
      team: info.teamName ?? info.teamId,
      user: info.userName ?? info.userId.toLowerCase(),
      team_id: info.teamId,
      user_id: info.userId,
      ...(info.botId ? { bot_id: info.botId } : {}),
      is_enterprise_install: false,
    }),

    "chat.postMessage": (body, { info }) => {
      const channel = this.resolveChannel(body.channel);
      const content = messageContent(body, this.validate);
      const ts = this.nextTs();
      const threadTs = str(body.thread_ts);
      const message: FakeSlackMessage = { channel, ts, teamId: info.teamId, user: info.userId, botId: info.botId, ...content, threadTs, edits: 0 };
      this.messages.push(message);
      return { ok: true, channel, ts, message: wireMessage(message, info) };
    },

    "chat.postEphemeral": (body, { info }) => {
      const channel = this.resolveChannel(body.channel);
      const user = str(body.user);
      if (!user) throw new ApiError("user_not_in_channel");
      const content = messageContent(body, this.validate);
      const ts = this.nextTs();
      this.messages.push({ channel, ts, teamId: info.teamId, user: info.userId, botId: info.botId, ...content, threadTs: str(body.thread_ts), ephemeralTo: user, edits: 0 });
      return { ok: true, message_ts: ts };
    },

    "chat.update": (body, { info }) => {
      const channel = this.resolveChannel(body.channel);
      const ts = str(body.ts);
      if (!ts) throw new ApiError("message_not_found");
      const message = this.messages.find((m) => m.channel === channel && m.ts === ts && !m.ephemeralTo);
      if (!message) throw new ApiError("message_not_found");
      if (message.user !== info.userId) throw new ApiError("cant_update_message");
      const content = messageContent(body, this.validate);
      if (content.text !== undefined) message.text = content.text;
      if (content.blocks !== undefined) message.blocks = content.blocks;
      message.edits++;
      return { ok: true, channel, ts, text: message.text ?? "", message: wireMessage(message, info) };
    },

    "chat.delete": (body, { info }) => {
      const channel = this.resolveChannel(body.channel);
      const i = this.messages.findIndex((m) => m.channel === channel && m.ts === str(body.ts) && !m.ephemeralTo);
      if (i < 0) throw new ApiError("message_not_found");
      if (this.messages[i]!.user !== info.userId) throw new ApiError("cant_delete_message");
      this.messages.splice(i, 1);
      return { ok: true, channel, ts: str(body.ts) };
    },

    "views.open": (body, { info }) => {
      const trigger = str(body.trigger_id);
      if (!trigger || !/^\d+\.\d+\.[0-9a-f]+$/.test(trigger)) throw new ApiError("invalid_trigger_id");
      const view = this.checkView(body.view, ["modal"]);
      return { ok: true, view: this.storeView(info, view).view };
    },

    "views.publish": (body, { info }) => {
      const userId = str(body.user_id);
      if (!userId) throw new ApiError("invalid_arguments", { errors: ["missing required field: user_id"] });
      this.checkUserVisible(userId, info);
      const view = this.checkView(body.view, ["home"]);
      const existing = this.homeOf(userId);
      if (existing && body.hash !== undefined && body.hash !== existing.hash) throw new ApiError("hash_conflict");
      return { ok: true, view: this.storeView(info, view, userId, existing?.id).view };
    },

    "views.update": (body, { info }) => {
      const id = str(body.view_id);
      const externalId = str(body.external_id);
      if (!id && !externalId) throw new ApiError("invalid_arguments", { errors: ["either view_id or external_id is required"] });
      const existing = lastOf(this.views, (v) => (id ? v.id === id : v.externalId === externalId) && v.teamId === info.teamId);
      if (!existing) throw new ApiError("not_found");
      if (body.hash !== undefined && body.hash !== existing.hash) throw new ApiError("hash_conflict");
      const view = this.checkView(body.view, [existing.type]);
      return { ok: true, view: this.storeView(info, view, existing.userId, existing.id).view };
    },

    "users.info": (body, { info }) => {
      const id = str(body.user);
      if (!id) throw new ApiError("user_not_found");
      const user = this.checkUserVisible(id, info);
      return { ok: true, user: wireUser(id, user, info.teamId, flag(body.include_locale)) };
    },

    "conversations.open": (body, { info }) => {
      const channelArg = str(body.channel);
      if (channelArg) return { ok: true, no_op: true, already_open: true, channel: { id: channelArg } };
      const users = (str(body.users) ?? "").split(",").map((u) => u.trim()).filter(Boolean);
      if (users.length === 0) throw new ApiError("users_list_not_supplied");
      for (const u of users) this.checkUserVisible(u, info);
      const id = users.length === 1 ? `D${users[0]}` : `G${users.slice().sort().join("").slice(0, 12)}`;
      const already = this.openedIms.has(id);
      this.openedIms.add(id);
      const channel = flag(body.return_im) ? { id, created: START_SECONDS, is_im: users.length === 1, user: users[0], is_open: true } : { id };
      return { ok: true, ...(already ? { no_op: true, already_open: true } : {}), channel };
    },

    "files.getUploadURLExternal": (body, { info }) => {
      const filename = str(body.filename);
      const length = Number(body.length);
      if (!filename) throw new ApiError("invalid_arguments", { errors: ["missing required field: filename"] });
      if (!Number.isInteger(length) || length <= 0) throw new ApiError("invalid_arguments", { errors: ["missing required field: length"] });
      const fileId = `F${String(++this.ids).padStart(10, "0")}`;
      this.uploads.push({ fileId, teamId: info.teamId, user: info.userId, filename, length, altText: str(body.alt_text), completed: false });
      return { ok: true, upload_url: `${this.origin}/upload/${fileId}`, file_id: fileId };
    },

    "files.completeUploadExternal": (body, { info }) => {
      const files = body.files;
      if (!Array.isArray(files) || files.length === 0) throw new ApiError("invalid_arguments", { errors: ["missing required field: files"] });
      const channelId = str(body.channel_id) ?? str(body.channels);
      const channel = channelId ? this.resolveChannel(channelId) : undefined;
      const out: Json[] = [];
      for (const f of files as Json[]) {
        const upload = this.uploads.find((u) => u.fileId === f.id && u.teamId === info.teamId);
        if (!upload || !upload.bytes) throw new ApiError("file_not_found");
        if (upload.bytes.length !== upload.length) throw new ApiError("file_upload_size_mismatch");
        upload.completed = true;
        upload.title = str(f.title) ?? upload.filename;
        upload.channelId = channel;
        upload.threadTs = str(body.thread_ts);
        upload.initialComment = str(body.initial_comment);
        out.push(wireFile(upload));
      }
      if (channel) {
        this.messages.push({
          channel,
          ts: this.nextTs(),
          teamId: info.teamId,
          user: info.userId,
          botId: info.botId,
          text: str(body.initial_comment) ?? "",
          threadTs: str(body.thread_ts),
          edits: 0,
        });
      }
      return { ok: true, files: out };
    },

    "oauth.v2.access": (body, _auth, req) => {
      const app = this.oauth;
      if (!app) throw new ApiError("invalid_client_id");
      const basic = /^Basic\s+(\S+)$/i.exec(String(req.headers.authorization ?? ""))?.[1];
      let clientId = str(body.client_id);
      let clientSecret = str(body.client_secret);
      if (basic) {
        const decoded = Buffer.from(basic, "base64").toString("utf8");
        const i = decoded.indexOf(":");
        clientId = decoded.slice(0, i < 0 ? undefined : i);
        clientSecret = i < 0 ? undefined : decoded.slice(i + 1);
      }
      if (!clientId || clientId !== app.clientId) throw new ApiError("invalid_client_id");
      if (clientSecret !== app.clientSecret) throw new ApiError("bad_client_secret");
      if (str(body.grant_type) === "refresh_token") throw new ApiError("invalid_refresh_token");
      const code = str(body.code);
      const grant = code ? this.oauthCodes.get(code) : undefined;
      if (!code || !grant || this.usedCodes.has(code)) throw new ApiError("invalid_code");
      const redirect = str(body.redirect_uri);
      if (app.redirectUri && redirect !== undefined && redirect !== app.redirectUri) throw new ApiError("bad_redirect_uri");
      this.usedCodes.add(code);
      const appId = grant.appId ?? "A0FAKEAPP";
      this.addToken(grant.botToken, { teamId: grant.teamId, teamName: grant.teamName, userId: grant.botUserId, botId: grant.botId, appId });
      if (grant.userToken) this.addToken(grant.userToken, { teamId: grant.teamId, teamName: grant.teamName, userId: grant.authedUserId, appId });
      return {
        ok: true,
        app_id: appId,
        authed_user: {
          id: grant.authedUserId,
          ...(grant.userToken ? { scope: grant.userScope ?? "", access_token: grant.userToken, token_type: "user" } : {}),
        },
        scope: grant.scope ?? "commands,chat:write,users:read,im:write,files:write",
        token_type: "bot",
        access_token: grant.botToken,
        bot_user_id: grant.botUserId,
        team: { id: grant.teamId, name: grant.teamName ?? grant.teamId },
        enterprise: null,
        is_enterprise_install: false,
      };
    },
  };

  // --- helpers ------------------------------------------------------------

  private nextTs(): string {
    const micros = ++this.seq * 100;
    return `${START_SECONDS + Math.floor(micros / 1_000_000)}.${String(micros % 1_000_000).padStart(6, "0")}`;
  }

  /** A user id (U…/W…) as channel means the app's DM with that user: "D" + user id. */
  private resolveChannel(value: unknown): string {
    const channel = str(value);
    if (!channel) throw new ApiError("channel_not_found");
    if (/^[UW][A-Z0-9]+$/.test(channel)) return `D${channel}`;
    if (!/^[CGD][A-Z0-9]+$/.test(channel)) throw new ApiError("channel_not_found");
    if (this.channels && !channel.startsWith("D") && !this.channels.has(channel)) throw new ApiError("channel_not_found");
    return channel;
  }

  private checkUserVisible(id: string, info: FakeSlackToken): FakeSlackUser {
    const user = this.users.get(id) ?? this.botUser(id);
    if (!user || (user.teamId && user.teamId !== info.teamId)) throw new ApiError("user_not_found");
    return user;
  }

  private botUser(id: string): FakeSlackUser | undefined {
    for (const info of this.tokens.values()) {
      if (info.userId === id && info.botId) return { name: info.userName ?? "clout", realName: "Clout", teamId: info.teamId, isBot: true };
    }
    return undefined;
  }

  private checkView(value: unknown, types: string[]): Json {
    if (!value || typeof value !== "object" || Array.isArray(value)) throw new ApiError("invalid_arguments", { errors: ["missing required field: view"] });
    const view = value as Json;
    if (!types.includes(String(view.type))) throw new ApiError("invalid_arguments", { errors: [`must be one of ${types.join(", ")} [json-pointer:/view/type]`] });
    if (this.validate) {
      const problems = viewProblems(view);
      if (problems.length) throw new ApiError("invalid_arguments", { errors: problems });
    }
    return view;
  }

  private storeView(info: FakeSlackToken, view: Json, userId?: string, id?: string): FakeSlackView {
    const viewId = id ?? `V${String(++this.ids).padStart(10, "0")}`;
    const hash = `${START_SECONDS + this.seq}.${randomBytes(4).toString("hex")}`;
    const wire: Json = {
      id: viewId,
      team_id: info.teamId,
      type: view.type,
      blocks: view.blocks ?? [],
      private_metadata: view.private_metadata ?? "",
      callback_id: view.callback_id ?? "",
      state: { values: {} },
      hash,
      title: view.title ?? null,
      clear_on_close: view.clear_on_close ?? false,
      notify_on_close: view.notify_on_close ?? false,
      close: view.close ?? null,
      submit: view.submit ?? null,
      previous_view_id: null,
      root_view_id: viewId,
      app_id: info.appId ?? "A0FAKEAPP",
      external_id: view.external_id ?? "",
      app_installed_team_id: info.teamId,
      bot_id: info.botId ?? null,
    };
    const stored: FakeSlackView = { id: viewId, teamId: info.teamId, type: String(view.type), userId, view: wire, hash, externalId: str(view.external_id) };
    this.views.push(stored);
    return stored;
  }
}

// --- wire shapes -----------------------------------------------------------

function wireMessage(m: FakeSlackMessage, info: FakeSlackToken): Json {
  return {
    type: "message",
    text: m.text ?? "",
    user: m.user,
    bot_id: m.botId,
    app_id: info.appId ?? "A0FAKEAPP",
    team: m.teamId,
    ts: m.ts,
    ...(m.threadTs ? { thread_ts: m.threadTs } : {}),
    ...(m.blocks ? { blocks: m.blocks } : {}),
    ...(m.edits ? { edited: { user: m.user, ts: m.ts } } : {}),
  };
}

function wireUser(id: string, u: FakeSlackUser, teamId: string, includeLocale: boolean): Json {
  const tz = u.tz ?? "UTC";
  return {
    id,
    team_id: u.teamId ?? teamId,
    name: u.name,
    deleted: false,
    real_name: u.realName,
    tz,
    tz_label: tz,
    tz_offset: 0,
    is_bot: u.isBot ?? false,
    is_app_user: false,
    is_admin: false,
    is_owner: false,
    updated: START_SECONDS,
    profile: {
      real_name: u.realName,
      real_name_normalized: u.realName,
      display_name: u.name,
      display_name_normalized: u.name,
      ...(u.email ? { email: u.email } : {}),
      team: u.teamId ?? teamId,
    },
    ...(includeLocale ? { locale: u.locale ?? "en-US" } : {}),
  };
}

function wireFile(u: FakeSlackUpload): Json {
  const ext = u.filename.includes(".") ? u.filename.split(".").pop()!.toLowerCase() : "";
  return {
    id: u.fileId,
    created: START_SECONDS,
    timestamp: START_SECONDS,
    name: u.filename,
    title: u.title ?? u.filename,
    mimetype: u.contentType && u.contentType !== "application/octet-stream" ? u.contentType : mimeFor(ext),
    filetype: ext || "binary",
    user: u.user,
    user_team: u.teamId,
    size: u.bytes?.length ?? u.length,
    is_external: false,
    is_public: Boolean(u.channelId?.startsWith("C")),
    url_private: `https://files.slack.com/files-pri/${u.teamId}-${u.fileId}/${encodeURIComponent(u.filename)}`,
    permalink: `https://fake.slack.com/files/${u.user}/${u.fileId}/${encodeURIComponent(u.filename)}`,
    channels: u.channelId?.startsWith("C") ? [u.channelId] : [],
    groups: u.channelId?.startsWith("G") ? [u.channelId] : [],
    ims: u.channelId?.startsWith("D") ? [u.channelId] : [],
    ...(u.altText ? { alt_txt: u.altText } : {}),
  };
}

function mimeFor(ext: string): string {
  const types: Record<string, string> = {
    png: "image/png",
    jpg: "image/jpeg",
    jpeg: "image/jpeg",
    gif: "image/gif",
    pdf: "application/pdf",
    xlsx: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    csv: "text/csv",
    txt: "text/plain",
  };
  return types[ext] ?? "application/octet-stream";
}

// --- Block Kit limits --------------------------------------------------------

function messageContent(body: Json, validate: boolean): { text?: string; blocks?: unknown[] } {
  const text = str(body.text);
  const blocks = body.blocks;
  if (blocks !== undefined && blocks !== "" && !Array.isArray(blocks)) throw new ApiError("invalid_blocks_format");
  const hasBlocks = Array.isArray(blocks) && blocks.length > 0;
  if (!text && !hasBlocks && !body.attachments) throw new ApiError("no_text");
  if (text && text.length > 40_000) throw new ApiError("msg_too_long");
  if (validate && Array.isArray(blocks)) {
    const problems = blockProblems(blocks, 50, "/blocks");
    if (problems.length) throw new ApiError("invalid_blocks", { errors: problems });
  }
  return { text, blocks: Array.isArray(blocks) ? blocks : undefined };
}

const BLOCK_TYPES = new Set([
  "section", "divider", "image", "actions", "context", "input", "header", "rich_text", "file", "video", "markdown", "table", "call", "context_actions",
]);

/** Slack's Block Kit limits, reported the way Slack reports them ("… [json-pointer:/blocks/3/text/text]"). */
export function blockProblems(blocks: unknown, maxBlocks: number, at = "/blocks"): string[] {
  const out: string[] = [];
  if (!Array.isArray(blocks)) return [`must be an array [json-pointer:${at}]`];
  if (blocks.length > maxBlocks) out.push(`must be less than ${maxBlocks + 1} items [json-pointer:${at}]`);
  const blockIds = new Set<string>();
  blocks.forEach((b, i) => {
    const p = `${at}/${i}`;
    if (!b || typeof b !== "object") return out.push(`must be an object [json-pointer:${p}]`);
    const block = b as Json;
    const type = String(block.type);
    if (!BLOCK_TYPES.has(type)) return out.push(`unsupported type: ${type} [json-pointer:${p}/type]`);
    if (block.block_id !== undefined) {
      const id = String(block.block_id);
      maxLen(out, id, 255, `${p}/block_id`);
      if (blockIds.has(id)) out.push(`duplicate block_id: ${id} [json-pointer:${p}/block_id]`);
      blockIds.add(id);
    }
    switch (type) {
      case "section": {
        if (block.text === undefined && block.fields === undefined) out.push(`must provide either text or fields [json-pointer:${p}]`);
        if (block.text !== undefined) textObject(out, block.text, 3000, `${p}/text`);
        if (block.fields !== undefined) {
          if (!Array.isArray(block.fields)) out.push(`must be an array [json-pointer:${p}/fields]`);
          else {
            if (block.fields.length > 10) out.push(`must be less than 11 items [json-pointer:${p}/fields]`);
            block.fields.forEach((f, j) => textObject(out, f, 2000, `${p}/fields/${j}`));
          }
        }
        if (block.accessory !== undefined) element(out, block.accessory, `${p}/accessory`);
        break;
      }
      case "header":
        textObject(out, block.text, 150, `${p}/text`, true);
        break;
      case "context": {
        const els = block.elements;
        if (!Array.isArray(els) || els.length === 0) out.push(`must provide at least 1 element [json-pointer:${p}/elements]`);
        else {
          if (els.length > 10) out.push(`must be less than 11 items [json-pointer:${p}/elements]`);
          els.forEach((e, j) => {
            const el = e as Json;
            if (el?.type === "image") maxLen(out, el.alt_text, 2000, `${p}/elements/${j}/alt_text`);
            else textObject(out, el, 3000, `${p}/elements/${j}`);
          });
        }
        break;
      }
      case "actions": {
        const els = block.elements;
        if (!Array.isArray(els) || els.length === 0) out.push(`must provide at least 1 element [json-pointer:${p}/elements]`);
        else {
          if (els.length > 25) out.push(`must be less than 26 items [json-pointer:${p}/elements]`);
          const actionIds = new Set<string>();
          els.forEach((e, j) => {
            element(out, e, `${p}/elements/${j}`);
            const id = (e as Json)?.action_id;
            if (typeof id === "string") {
              if (actionIds.has(id)) out.push(`duplicate action_id: ${id} [json-pointer:${p}/elements/${j}/action_id]`);
              actionIds.add(id);
            }
          });
        }
        break;
      }
      case "image":
        if (typeof block.image_url !== "string" && !block.slack_file) out.push(`must provide image_url or slack_file [json-pointer:${p}]`);
        maxLen(out, block.image_url, 3000, `${p}/image_url`);
        if (typeof block.alt_text !== "string" || block.alt_text.length === 0) out.push(`must be more than 0 characters [json-pointer:${p}/alt_text]`);
        else maxLen(out, block.alt_text, 2000, `${p}/alt_text`);
        if (block.title !== undefined) textObject(out, block.title, 2000, `${p}/title`, true);
        break;
      case "input":
        textObject(out, block.label, 2000, `${p}/label`, true);
        if (!block.element) out.push(`must provide element [json-pointer:${p}/element]`);
        else element(out, block.element, `${p}/element`);
        if (block.hint !== undefined) textObject(out, block.hint, 2000, `${p}/hint`, true);
        break;
      case "markdown":
        if (typeof block.text !== "string") out.push(`must provide text [json-pointer:${p}/text]`);
        else maxLen(out, block.text, 12000, `${p}/text`);
        break;
    }
    return undefined;
  });
  return out;
}

function viewProblems(view: Json): string[] {
  const out: string[] = [];
  const blocks = view.blocks ?? [];
  out.push(...blockProblems(blocks, 100, "/view/blocks"));
  maxLen(out, view.private_metadata, 3000, "/view/private_metadata");
  maxLen(out, view.callback_id, 255, "/view/callback_id");
  maxLen(out, view.external_id, 255, "/view/external_id");
  if (view.type === "modal") {
    textObject(out, view.title, 24, "/view/title", true);
    if (view.submit !== undefined && view.submit !== null) textObject(out, view.submit, 24, "/view/submit", true);
    if (view.close !== undefined && view.close !== null) textObject(out, view.close, 24, "/view/close", true);
    const hasInput = Array.isArray(blocks) && blocks.some((b) => (b as Json)?.type === "input");
    if (hasInput && !view.submit) out.push("must provide submit when a view has input blocks [json-pointer:/view/submit]");
  }
  return out;
}

function element(out: string[], value: unknown, p: string): void {
  if (!value || typeof value !== "object") {
    out.push(`must be an object [json-pointer:${p}]`);
    return;
  }
  const el = value as Json;
  if (typeof el.type !== "string") out.push(`must provide type [json-pointer:${p}/type]`);
  maxLen(out, el.action_id, 255, `${p}/action_id`);
  switch (el.type) {
    case "button":
      textObject(out, el.text, 75, `${p}/text`, true);
      maxLen(out, el.value, 2000, `${p}/value`);
      maxLen(out, el.url, 3000, `${p}/url`);
      if (el.style !== undefined && el.style !== "primary" && el.style !== "danger") out.push(`must be one of primary, danger [json-pointer:${p}/style]`);
      break;
    case "static_select":
    case "multi_static_select":
    case "radio_buttons":
    case "checkboxes":
    case "overflow": {
      const max = el.type === "overflow" ? 5 : el.type === "radio_buttons" || el.type === "checkboxes" ? 10 : 100;
      if (Array.isArray(el.options)) {
        if (el.options.length > max) out.push(`must be less than ${max + 1} items [json-pointer:${p}/options]`);
        el.options.forEach((o, j) => {
          textObject(out, (o as Json)?.text, 75, `${p}/options/${j}/text`);
          maxLen(out, (o as Json)?.value, 150, `${p}/options/${j}/value`);
        });
      } else if (!Array.isArray(el.option_groups)) out.push(`must provide options or option_groups [json-pointer:${p}]`);
      if (el.placeholder !== undefined) textObject(out, el.placeholder, 150, `${p}/placeholder`, true);
      break;
    }
    case "plain_text_input":
    case "number_input":
    case "datepicker":
    case "timepicker":
    case "email_text_input":
    case "url_text_input":
      if (el.placeholder !== undefined) textObject(out, el.placeholder, 150, `${p}/placeholder`, true);
      break;
    case "image":
      maxLen(out, el.alt_text, 2000, `${p}/alt_text`);
      break;
  }
}

function textObject(out: string[], value: unknown, max: number, p: string, plainOnly = false): void {
  if (!value || typeof value !== "object") {
    out.push(`must provide an object [json-pointer:${p}]`);
    return;
  }
  const t = value as Json;
  if (t.type !== "plain_text" && (plainOnly || t.type !== "mrkdwn")) {
    out.push(`must be one of ${plainOnly ? "plain_text" : "plain_text, mrkdwn"} [json-pointer:${p}/type]`);
  }
  if (typeof t.text !== "string" || t.text.length === 0) out.push(`must be more than 0 characters [json-pointer:${p}/text]`);
  else maxLen(out, t.text, max, `${p}/text`);
}

function maxLen(out: string[], value: unknown, max: number, p: string): void {
  if (typeof value === "string" && value.length > max) out.push(`must be less than ${max + 1} characters [json-pointer:${p}]`);
}

// --- request parsing ----------------------------------------------------------

function toRequest(req: IncomingMessage, raw: Buffer): Request {
  return new Request("http://127.0.0.1/", {
    method: "POST",
    headers: { "content-type": String(req.headers["content-type"] ?? "") },
    body: new Uint8Array(raw),
  });
}

async function parseBody(req: IncomingMessage, raw: Buffer): Promise<Json> {
  if (raw.length === 0) return {};
  const contentType = String(req.headers["content-type"] ?? "");
  if (contentType.startsWith("application/json")) {
    const parsed: unknown = JSON.parse(raw.toString("utf8"));
    if (!parsed || typeof parsed !== "object" || Array.isArray(parsed)) throw new Error("JSON body must be an object");
    return parsed as Json;
  }
  let fields: [string, string][];
  if (contentType.startsWith("multipart/form-data")) {
    const form = await toRequest(req, raw).formData();
    fields = [];
    for (const [k, v] of form) fields.push([k, typeof v === "string" ? v : `<file ${v.size} bytes>`]);
  } else {
    fields = [...new URLSearchParams(raw.toString("utf8"))];
  }
  const out: Json = {};
  for (const [k, v] of fields) out[k] = JSON_FIELDS.has(k) ? parseJsonField(v) : v;
  return out;
}

function parseJsonField(v: string): unknown {
  try {
    return JSON.parse(v);
  } catch {
    return v;
  }
}

function lastOf<T>(items: readonly T[], predicate: (item: T) => boolean): T | undefined {
  for (let i = items.length - 1; i >= 0; i--) if (predicate(items[i]!)) return items[i];
  return undefined;
}

function str(v: unknown): string | undefined {
  if (typeof v === "string") return v === "" ? undefined : v;
  if (typeof v === "number") return String(v);
  return undefined;
}

/** Form booleans arrive as "true"/"1"; JSON ones as true. */
function flag(v: unknown): boolean {
  return v === true || v === "true" || v === "1" || v === 1;
}
