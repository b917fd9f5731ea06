import { createHash } from "node:crypto";
import { closeNow, listenLocally, readBody, Waiters } from "./local-server.ts";
import type { IncomingMessage, Server, ServerResponse } from "node:http";
import type {
  APIApplication,
  APIApplicationCommand,
  APIAttachment,
  APIDMChannel,
  APIEmbed,
  APIMessage,
  APIUser,
  ApplicationFlags,
  ChannelFlags,
  UserFlags,
} from "discord-api-types/v10";

/**
 * A local Discord REST API (v10) for tests: a node:http server that speaks the
 * wire format the real `@discordjs/rest` uses, so the bot runs its production
 * client against it:
 *
 *   const fake = new FakeDiscordApi({ botToken });
 *   await fake.start();
 *   const rest = new REST({ api: fake.url, version: "10" }).setToken(botToken);
 *
 * Bot routes need `Authorization: Bot <token>`; interaction routes (webhooks
 * and callbacks) are authorized by the token in their path, as on Discord.
 * Bodies are checked against Discord's limits and refused with 400 / 50035
 * "Invalid Form Body" and the same nested `errors` Discord sends, so a message
 * or command set that Discord would refuse fails here too. Bot and webhook
 * responses carry X-RateLimit-* headers counted per bucket and top-level
 * resource, and a client that ignores them gets 429s; `rateLimitNext` and `failNext` inject
 * 429s and 5xx faults. Everything is kept in `calls` (429s and faults too), so
 * a test can read what the bot sent and when.
 */

type Json = Record<string, unknown>;
type Path = (string | number)[];

/** One entry of Discord's `errors` tree, at a path into the request body. */
interface Issue {
  path: Path;
  code: string;
  message: string;
}

export interface FakeDiscordUser {
  username: string;
  globalName?: string;
}

export interface FakeDiscordApiOptions {
  /** The token bot routes require (`Authorization: Bot <token>`). */
  botToken: string;
  /** The application id; the bot user has the same id, as for every app made since 2020. */
  applicationId?: string;
  applicationName?: string;
  botUsername?: string;
  /** The hex Ed25519 public key GET /applications/@me reports as verify_key (DiscordInteractions.publicKeyHex). */
  publicKey?: string;
  interactionsEndpointUrl?: string;
  /** Users a DM can be opened with under these names; other ids get a made-up username. */
  users?: Record<string, FakeDiscordUser>;
  /** When given, only these guilds have the app: guild command routes answer 403 Missing Access for others. */
  guilds?: string[];
  /** When given, only these channels (and the DMs the bot opened) exist: messages elsewhere answer 404 Unknown Channel. */
  channels?: string[];
  /** Requests per bucket and top-level resource, and the window in seconds; default 5 per 5 s, Discord's figure for messages. */
  bucket?: { limit: number; resetAfter: number };
  /** Bytes of files one message may carry; default 10 MiB, beyond which Discord answers 413. */
  attachmentSizeLimit?: number;
}

/** A file part of a multipart body. */
export interface FakeDiscordFile {
  /** The form field, e.g. "files[0]". */
  field: string;
  /** n of `files[n]`, which payload_json's `attachments[].id` refers to. */
  index: number;
  filename: string;
  contentType?: string;
  bytes: Buffer;
}

export interface FakeDiscordCall {
  method: string;
  /** The path under /api/v10, without the query: "/channels/123/messages". */
  path: string;
  /** The route it matched, e.g. "/channels/:channel/messages"; "" when none did. */
  route: string;
  query: Record<string, string>;
  /** The JSON body, or the payload_json of a multipart body. */
  body: unknown;
  files: FakeDiscordFile[];
  /** The bot token sent, if any. */
  token?: string;
  status: number;
  response: unknown;
  responseHeaders: Record<string, string>;
  at: number;
}

export interface FakeDiscordAttachment {
  id: string;
  filename: string;
  description?: string;
  contentType?: string;
  size: number;
  bytes: Buffer;
}

export interface FakeDiscordMessage {
  id: string;
  channelId: string;
  /** "original": an interaction's response; "followup": a follow-up on its webhook; "channel": POST /channels/:id/messages. */
  kind: "channel" | "original" | "followup";
  /** The interaction token whose webhook made it (original and follow-ups). */
  interactionToken?: string;
  content: string;
  /** As the bot sent them. */
  embeds: Json[];
  components: Json[];
  attachments: FakeDiscordAttachment[];
  flags: number;
  edits: number;
  deleted: boolean;
  createdAt: number;
  editedAt?: number;
  /** message_reference.message_id: the message this one replies to. */
  replyTo?: string;
}

export interface FakeInteraction {
  token: string;
  /** Known once the app answered on /interactions/:id/:token/callback. */
  id?: string;
  /** Unknown to the fake, so a stable made-up id per token. */
  channelId: string;
  /** How the app acknowledged it: { type, data } (callback route or deliverResponse). */
  response?: { type: number; data?: Json };
  /** What "@original" is now: the response message, then its edits. */
  original?: FakeDiscordMessage;
  followups: FakeDiscordMessage[];
  expired: boolean;
}

/** Which requests a fault applies to: method (any when absent) and path under /api/v10 (equal to a string, or matching a RegExp). */
export interface CallMatch {
  method?: string;
  path?: string | RegExp;
}

export interface RateLimitSpec {
  /** Seconds; fractional allowed (body retry_after and X-RateLimit-Reset-After keep it, Retry-After rounds up). */
  retryAfter: number;
  /** The global limit (X-RateLimit-Global, scope "global") rather than the route's bucket. */
  global?: boolean;
  /** How many matching requests answer 429; default 1. */
  times?: number;
}

export interface FaultSpec {
  /** Default 500. */
  status?: number;
  /** JSON (or text, when a string) answered; default Discord's `{ message: "500: Internal Server Error", code: 0 }`. */
  body?: unknown;
  /** Default 1. */
  times?: number;
}

interface Reply {
  status: number;
  body?: unknown;
}

interface Ctx {
  params: Record<string, string>;
  query: URLSearchParams;
  body: unknown;
  files: FakeDiscordFile[];
}

interface RouteDef {
  method: string;
  route: string;
  pattern: RegExp;
  /** Bot routes need the bot token; interaction routes carry their own in the path. */
  auth: boolean;
  /** Interaction callbacks sit outside per-route buckets (discordjs sends them without queueing). */
  limited: boolean;
  run: (c: Ctx) => Reply;
}

interface Bucket {
  remaining: number;
  resetAt: number;
}

class DiscordError extends Error {
  constructor(
    readonly status: number,
    readonly body: Json,
    readonly issues: Issue[] = [],
  ) {
    super(String(body.message));
  }
}

const DISCORD_EPOCH = 1_420_070_400_000n;
const DEFAULT_APPLICATION_ID = "1180000000000000001";
const MIB = 1024 * 1024;
const API_PREFIX = "/api/v10";
const FLAG_SUPPRESS_EMBEDS = 4;
const FLAG_EPHEMERAL = 64;
const FLAG_LOADING = 128;
const FLAG_SUPPRESS_NOTIFICATIONS = 4096;
// SUPPRESS_NOTIFICATIONS is allowed too: Discord accepts it on any message the bot sends.
const SENDABLE_FLAGS = FLAG_SUPPRESS_EMBEDS | FLAG_EPHEMERAL | FLAG_SUPPRESS_NOTIFICATIONS;
const CALLBACK_TYPES = [1, 4, 5, 6, 7, 8, 9, 10, 12];

let increment = 0;

/** A snowflake as Discord makes them: ms since 2015 << 22, then worker, process and a counter. */
export function snowflake(atMs = Date.now()): string {
  increment = (increment + 1) & 0xfff;
  const ms = BigInt(Math.floor(atMs)) - DISCORD_EPOCH;
  return ((ms << 22n) | (1n << 17n) | (BigInt(process.pid & 0x1f) << 12n) | BigInt(increment)).toString();
}

export class FakeDiscordApi {
  readonly calls: FakeDiscordCall[] = [];
  readonly messages: FakeDiscordMessage[] = [];
  /** Keyed by interaction token. */
  readonly interactions = new Map<string, FakeInteraction>();

  readonly applicationId: string;
  private readonly bot: APIUser;
  private readonly users = new Map<string, FakeDiscordUser>();
  private readonly guilds?: Set<string>;
  private readonly channels?: Set<string>;
  private readonly bucketSpec: { limit: number; resetAfter: number };
  private readonly sizeLimit: number;
  private readonly commands = new Map<string, APIApplicationCommand[]>();
  private readonly dmChannels = new Map<string, string>();
  private readonly blockedDms = new Set<string>();
  private readonly faults: (CallMatch & { status: number; body: unknown; times: number })[] = [];
  private readonly limits: (CallMatch & { retryAfter: number; global: boolean; times: number })[] = [];
  private readonly buckets = new Map<string, Bucket>();
  private readonly waiters = new Waiters();
  private globalUntil = 0;
  private server?: Server;
  private port = 0;

  constructor(private readonly o: FakeDiscordApiOptions) {
    this.applicationId = o.applicationId ?? DEFAULT_APPLICATION_ID;
    this.bot = {
      id: this.applicationId,
      username: o.botUsername ?? "Clout",
      discriminator: "4127",
      global_name: null,
      avatar: null,
      bot: true,
      public_flags: 0 as UserFlags,
      flags: 0 as UserFlags,
    };
    for (const [id, user] of Object.entries(o.users ?? {})) this.users.set(id, user);
    if (o.guilds) this.guilds = new Set(o.guilds);
    if (o.channels) this.channels = new Set(o.channels);
    this.bucketSpec = o.bucket ?? { limit: 5, resetAfter: 5 };
    this.sizeLimit = o.attachmentSizeLimit ?? 10 * MIB;
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

  /** The value for `new REST({ api })` and DISCORD_API_URL: "http://127.0.0.1:PORT/api" (discordjs appends /v10). */
  get url(): string {
    if (!this.server) throw new Error("FakeDiscordApi is not started");
    return `http://127.0.0.1:${this.port}/api`;
  }

  get botUser(): APIUser {
    return { ...this.bot };
  }

  // --- faults -------------------------------------------------------------

  /** The next matching request(s) answer 429 as Discord does; the bucket (or, when global, every bot route) stays closed for retryAfter. */
  rateLimitNext(match: CallMatch, o: RateLimitSpec): void {
    this.limits.push({ ...match, retryAfter: o.retryAfter, global: o.global ?? false, times: o.times ?? 1 });
  }

  /** The next matching request(s) answer a 5xx (or any status) without touching any state. */
  failNext(match: CallMatch, o: FaultSpec = {}): void {
    const status = o.status ?? 500;
    this.faults.push({ ...match, status, body: o.body ?? { message: `${status}: ${httpReason(status)}`, code: 0 }, times: o.times ?? 1 });
  }

  /** The user refuses DMs from the bot (privacy settings, no shared server): messages to their DM answer 403 / 50007. */
  blockDms(userId: string): void {
    this.blockedDms.add(userId);
  }

  /** The interaction's 15 minutes are over (or its 3 s passed unanswered): its webhook answers 401 / 50027, its callback 404 / 10062. */
  expireInteraction(token: string): void {
    this.interaction(token).expired = true;
  }

  /** Forgets everything recorded and injected (calls, messages, interactions, commands, DMs, faults, buckets); keeps the options. */
  reset(): void {
    this.calls.length = 0;
    this.messages.length = 0;
    this.faults.length = 0;
    this.limits.length = 0;
    for (const map of [this.interactions, this.commands, this.dmChannels, this.buckets]) map.clear();
    this.blockedDms.clear();
    this.globalUntil = 0;
  }

  // --- reading what happened ---------------------------------------------

  callsTo(match: CallMatch): FakeDiscordCall[] {
    return this.calls.filter((c) => matches(match, c.method, c.path));
  }

  messagesIn(channelId: string): FakeDiscordMessage[] {
    return this.messages.filter((m) => m.channelId === channelId && !m.deleted);
  }

  /** What the interaction's "@original" response is now (undefined before any, or once deleted). */
  original(token: string): FakeDiscordMessage | undefined {
    const message = this.interactions.get(token)?.original;
    return message && !message.deleted ? message : undefined;
  }

  followups(token: string): FakeDiscordMessage[] {
    return (this.interactions.get(token)?.followups ?? []).filter((m) => !m.deleted);
  }

  /** The commands last bulk-overwritten: global ones, or a guild's. */
  commandsOf(guildId?: string): APIApplicationCommand[] {
    return this.commands.get(guildId ?? "global") ?? [];
  }

  /** The id of the DM channel opened with a user, if the bot opened one. */
  dmChannelOf(userId: string): string | undefined {
    return this.dmChannels.get(userId);
  }

  /**
   * Takes the answer the app gave in the HTTP response to Discord's interaction
   * POST ({ type, data }), as Discord does: "@original" becomes that message.
   * Returns the problems Discord would have with it ([] when accepted); with
   * any, the user sees "This interaction failed" and nothing is kept.
   */
  deliverResponse(token: string, response: unknown): string[] {
    try {
      this.applyResponse(this.interaction(token), response, []);
      this.waiters.notify();
      return [];
    } catch (err) {
      if (!(err instanceof DiscordError)) throw err;
      return err.issues.length ? err.issues.map(render) : [err.message];
    }
  }

  /** Resolves with the first call (made or still to come) that matches. */
  waitForCall(match: CallMatch | ((c: FakeDiscordCall) => boolean), timeoutMs = 5000): Promise<FakeDiscordCall> {
    const test = typeof match === "function" ? match : (c: FakeDiscordCall) => matches(match, c.method, c.path);
    return this.waiters.until(
      () => this.calls.find(test),
      timeoutMs,
      () => `no call matched within ${timeoutMs} ms (calls: ${this.calls.map((c) => `${c.method} ${c.path} ${c.status}`).join(", ") || "none"})`,
    );
  }

  /** Resolves once the interaction's "@original" exists and satisfies the predicate (e.g. the deferred reply was edited). */
  waitForOriginal(token: string, predicate: (m: FakeDiscordMessage) => boolean = () => true, timeoutMs = 5000): Promise<FakeDiscordMessage> {
    return this.waiters.until(
      () => {
        const m = this.original(token);
        return m && predicate(m) ? m : undefined;
      },
      timeoutMs,
      () => `the original response of ${token.slice(0, 12)}… did not match within ${timeoutMs} ms (now: ${JSON.stringify(this.original(token) ?? null)})`,
    );
  }


  // --- HTTP ---------------------------------------------------------------

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const raw = await readBody(req);
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    const method = (req.method ?? "GET").toUpperCase();
    const path = url.pathname.startsWith(`${API_PREFIX}/`) ? url.pathname.slice(API_PREFIX.length) : undefined;
    const token = /^Bot\s+(\S+)$/.exec(String(req.headers.authorization ?? ""))?.[1];
    let parsed: { body: unknown; files: FakeDiscordFile[] } = { body: undefined, files: [] };
    let malformed = false;
    try {
      parsed = await parseBody(String(req.headers["content-type"] ?? ""), raw);
    } catch {
      malformed = true;
    }

    const candidates = path === undefined ? [] : this.routes.filter((r) => r.pattern.test(path));
    const route = candidates.find((r) => r.method === method);
    let reply: Reply;
    let headers: Record<string, string> = {};
    if (path === undefined || candidates.length === 0) reply = { status: 404, body: { message: "404: Not Found", code: 0 } };
    else if (!route) reply = { status: 405, body: { message: "405: Method Not Allowed", code: 0 } };
    else {
      const params = route.pattern.exec(path)?.groups ?? {};
      const decoded = Object.fromEntries(Object.entries(params).map(([k, v]) => [k, decodeURIComponent(v)]));
      ({ reply, headers } = this.answer(route, method, path, token, () => {
        if (malformed) throw jsonError(400, 50109, "The request body contains invalid JSON.");
        return route.run({ params: decoded, query: url.searchParams, body: parsed.body, files: parsed.files });
      }));
    }

    this.calls.push({
      method,
      path: path ?? url.pathname,
      route: route?.route ?? "",
      query: Object.fromEntries(url.searchParams),
      body: parsed.body,
      files: parsed.files,
      token,
      status: reply.status,
      response: reply.body,
      responseHeaders: headers,
      at: Date.now(),
    });
    this.waiters.notify();
    if (reply.body === undefined) {
      res.writeHead(reply.status, headers);
      res.end();
    } else if (typeof reply.body === "string") {
      res.writeHead(reply.status, { "content-type": "text/plain", ...headers });
      res.end(reply.body);
    } else {
      res.writeHead(reply.status, { "content-type": "application/json", ...headers });
      res.end(JSON.stringify(reply.body));
    }
  }

  private answer(route: RouteDef, method: string, path: string, token: string | undefined, run: () => Reply): { reply: Reply; headers: Record<string, string> } {
    if (route.auth && token !== this.o.botToken) return { reply: { status: 401, body: { message: "401: Unauthorized", code: 0 } }, headers: {} };

    const fault = take(this.faults, method, path);
    if (fault) return { reply: { status: fault.status, body: fault.body }, headers: {} };

    const now = Date.now();
    // Interaction routes are not bound by the global limit.
    if (route.auth && now < this.globalUntil) return globallyLimited((this.globalUntil - now) / 1000);
    const injected = take(this.limits, method, path);
    if (injected?.global) {
      this.globalUntil = now + injected.retryAfter * 1000;
      return globallyLimited(injected.retryAfter);
    }
    if (!route.limited) return injected ? limited(injected.retryAfter, {}) : { reply: this.run(run), headers: {} };

    const hash = createHash("md5").update(`${method} ${route.route}`).digest("hex");
    const bucket = this.bucket(`${hash}:${majorOf(path)}`, now);
    if (injected) {
      bucket.remaining = 0;
      bucket.resetAt = now + injected.retryAfter * 1000;
    } else if (bucket.remaining > 0) {
      bucket.remaining--;
      return { reply: this.run(run), headers: this.limitHeaders(hash, bucket, now) };
    }
    return limited((bucket.resetAt - now) / 1000, this.limitHeaders(hash, bucket, now));
  }

  private run(run: () => Reply): Reply {
    try {
      return run();
    } catch (err) {
      if (err instanceof DiscordError) return { status: err.status, body: err.body };
      throw err;
    }
  }

  private bucket(key: string, now: number): Bucket {
    let bucket = this.buckets.get(key);
    if (!bucket || now >= bucket.resetAt) {
      bucket = { remaining: this.bucketSpec.limit, resetAt: now + this.bucketSpec.resetAfter * 1000 };
      this.buckets.set(key, bucket);
    }
    return bucket;
  }

  private limitHeaders(hash: string, bucket: Bucket, now: number): Record<string, string> {
    return {
      "x-ratelimit-bucket": hash,
      "x-ratelimit-limit": String(this.bucketSpec.limit),
      "x-ratelimit-remaining": String(bucket.remaining),
      "x-ratelimit-reset": (bucket.resetAt / 1000).toFixed(3),
      "x-ratelimit-reset-after": ((bucket.resetAt - now) / 1000).toFixed(3),
    };
  }

  // --- routes -------------------------------------------------------------

  private readonly routes: RouteDef[] = [
    route("GET", "/users/@me", true, () => ({ status: 200, body: this.bot })),
    route("GET", "/applications/@me", true, () => ({ status: 200, body: this.application() })),
    route("GET", "/applications/:app/commands", true, ({ params }) => ({ status: 200, body: this.commandsAt(params.app!) })),
    route("PUT", "/applications/:app/commands", true, ({ params, body }) => ({ status: 200, body: this.overwrite(params.app!, undefined, body) })),
    route("GET", "/applications/:app/guilds/:guild/commands", true, ({ params }) => ({ status: 200, body: this.commandsAt(params.app!, params.guild) })),
    route("PUT", "/applications/:app/guilds/:guild/commands", true, ({ params, body }) => ({ status: 200, body: this.overwrite(params.app!, params.guild, body) })),
    route("POST", "/users/@me/channels", true, ({ body }) => ({ status: 200, body: this.openDm(body) })),
    route("POST", "/channels/:channel/messages", true, ({ params, body, files }) => {
      const channelId = this.checkChannel(params.channel!);
      const reference = asObject(asObject(body).message_reference ?? {});
      // A reply to a message that is not in the channel is refused, as Discord does unless told not to mind.
      if (typeof reference.message_id === "string" && reference.fail_if_not_exists !== false && !this.messages.some((m) => m.channelId === channelId && m.id === reference.message_id && !m.deleted)) {
        throw invalidForm([{ path: ["message_reference"], code: "MESSAGE_REFERENCE_UNKNOWN_MESSAGE", message: "Unknown message" }]);
      }
      const message = this.createMessage({ channelId, kind: "channel", ...(typeof reference.message_id === "string" ? { replyTo: reference.message_id } : {}) }, asObject(body), files, []);
      return { status: 200, body: this.wire(message) };
    }),
    route("PATCH", "/channels/:channel/messages/:message", true, ({ params, body, files }) => {
      const channelId = this.checkChannel(params.channel!);
      const message = this.messages.find((m) => m.kind === "channel" && m.channelId === channelId && m.id === params.message && !m.deleted);
      if (!message) throw jsonError(404, 10008, "Unknown Message");
      return { status: 200, body: this.wire(this.editMessage(message, asObject(body), files, [])) };
    }),
    route("POST", "/interactions/:id/:token/callback", false, ({ params, body, files, query }) => {
      const interaction = this.interaction(params.token!);
      this.applyResponse(interaction, body, files);
      interaction.id = params.id;
      if (query.get("with_response") !== "true") return { status: 204 };
      return { status: 200, body: this.callbackResponse(interaction) };
    }),
    route("POST", "/webhooks/:app/:token", false, ({ params, body, files }) => {
      const interaction = this.webhookInteraction(params.app!, params.token!);
      const message = this.createMessage({ channelId: interaction.channelId, kind: "followup", interactionToken: interaction.token }, asObject(body), files, []);
      interaction.followups.push(message);
      return { status: 200, body: this.wire(message) };
    }),
    route("GET", "/webhooks/:app/:token/messages/:message", false, ({ params }) => ({
      status: 200,
      body: this.wire(this.webhookMessage(params.app!, params.token!, params.message!)),
    })),
    route("PATCH", "/webhooks/:app/:token/messages/:message", false, ({ params, body, files }) => {
      const interaction = this.webhookInteraction(params.app!, params.token!);
      if (params.message === "@original" && !interaction.original) {
        // Discord made "@original" when the app answered over HTTP, which the fake did not see.
        interaction.original = this.createMessage({ channelId: interaction.channelId, kind: "original", interactionToken: interaction.token }, asObject(body), files, []);
        return { status: 200, body: this.wire(interaction.original) };
      }
      const message = this.webhookMessage(params.app!, params.token!, params.message!);
      return { status: 200, body: this.wire(this.editMessage(message, asObject(body), files, [])) };
    }),
    route("DELETE", "/webhooks/:app/:token/messages/:message", false, ({ params }) => {
      this.webhookMessage(params.app!, params.token!, params.message!).deleted = true;
      return { status: 204 };
    }),
  ];

  private application(): APIApplication {
    return {
      id: this.applicationId,
      name: this.o.applicationName ?? "Clout",
      icon: null,
      description: "",
      summary: "",
      bot_public: true,
      bot_require_code_grant: false,
      bot: this.bot,
      verify_key: this.o.publicKey ?? "",
      team: null,
      flags: 0 as ApplicationFlags,
      flags_new: "0",
      interactions_endpoint_url: this.o.interactionsEndpointUrl ?? null,
      approximate_guild_count: this.guilds?.size ?? 1,
      redirect_uris: [],
    };
  }

  private checkApp(app: string, guildId?: string): void {
    if (app !== this.applicationId) throw jsonError(403, 50001, "Missing Access");
    if (guildId !== undefined && this.guilds && !this.guilds.has(guildId)) throw jsonError(403, 50001, "Missing Access");
  }

  private commandsAt(app: string, guildId?: string): APIApplicationCommand[] {
    this.checkApp(app, guildId);
    return this.commandsOf(guildId);
  }

  /** Bulk overwrite: a command keeps its id while its name and type stay; its version changes when it does. */
  private overwrite(app: string, guildId: string | undefined, body: unknown): APIApplicationCommand[] {
    this.checkApp(app, guildId);
    const issues = commandIssues(body);
    if (issues.length) throw invalidForm(issues);
    const before = this.commandsOf(guildId);
    const stored = (body as Json[]).map((c): APIApplicationCommand => {
      const type = (c.type as APIApplicationCommand["type"] | undefined) ?? 1;
      const previous = before.find((p) => p.name === c.name && p.type === type);
      const command = {
        id: previous?.id ?? snowflake(),
        application_id: this.applicationId,
        version: "",
        default_member_permissions: (c.default_member_permissions as string | null | undefined) ?? null,
        type,
        name: String(c.name),
        name_localizations: (c.name_localizations as Record<string, string> | null | undefined) ?? null,
        description: (c.description as string | undefined) ?? "",
        description_localizations: (c.description_localizations as Record<string, string> | null | undefined) ?? null,
        ...(guildId ? { guild_id: guildId } : { dm_permission: (c.dm_permission as boolean | undefined) ?? true }),
        contexts: (c.contexts as APIApplicationCommand["contexts"] | undefined) ?? null,
        integration_types: (c.integration_types as APIApplicationCommand["integration_types"] | undefined) ?? [0],
        nsfw: (c.nsfw as boolean | undefined) ?? false,
        ...(Array.isArray(c.options) && c.options.length ? { options: c.options as APIApplicationCommand["options"] } : {}),
      };
      const unchanged = previous && JSON.stringify({ ...previous, version: "" }) === JSON.stringify(command);
      return { ...command, version: unchanged ? previous.version : snowflake() };
    });
    this.commands.set(guildId ?? "global", stored);
    return stored;
  }

  private openDm(body: unknown): APIDMChannel {
    const recipient = isObject(body) ? body.recipient_id : undefined;
    if (recipient === undefined || recipient === null) throw invalidForm([issue(["recipient_id"], "BASE_TYPE_REQUIRED", "This field is required")]);
    if (!isSnowflake(recipient)) throw invalidForm([issue(["recipient_id"], "NUMBER_TYPE_COERCE", `Value "${String(recipient)}" is not snowflake.`)]);
    const userId = String(recipient);
    let channelId = this.dmChannels.get(userId);
    if (!channelId) {
      channelId = snowflake();
      this.dmChannels.set(userId, channelId);
    }
    return { id: channelId, type: 1, name: null, last_message_id: null, flags: 0 as ChannelFlags, recipients: [this.userOf(userId)] };
  }

  private userOf(id: string): APIUser {
    const known = this.users.get(id);
    return {
      id,
      username: known?.username ?? `user${id.slice(-6)}`,
      discriminator: "0",
      global_name: known?.globalName ?? null,
      avatar: null,
      public_flags: 0 as UserFlags,
      flags: 0 as UserFlags,
    };
  }

  private checkChannel(channelId: string): string {
    const dmOf = [...this.dmChannels].find(([, id]) => id === channelId)?.[0];
    if (dmOf !== undefined) {
      if (this.blockedDms.has(dmOf)) throw jsonError(403, 50007, "Cannot send messages to this user");
      return channelId;
    }
    if (this.channels && !this.channels.has(channelId)) throw jsonError(404, 10003, "Unknown Channel");
    return channelId;
  }

  // --- interactions ---------------------------------------------------------

  private interaction(token: string): FakeInteraction {
    let interaction = this.interactions.get(token);
    if (!interaction) {
      interaction = { token, channelId: snowflake(), followups: [], expired: false };
      this.interactions.set(token, interaction);
    }
    return interaction;
  }

  private webhookInteraction(app: string, token: string): FakeInteraction {
    if (app !== this.applicationId) throw jsonError(404, 10015, "Unknown Webhook");
    const interaction = this.interaction(token);
    if (interaction.expired) throw jsonError(401, 50027, "Invalid Webhook Token");
    return interaction;
  }

  private webhookMessage(app: string, token: string, id: string): FakeDiscordMessage {
    const interaction = this.webhookInteraction(app, token);
    const message = id === "@original" ? interaction.original : [interaction.original, ...interaction.followups].find((m) => m?.id === id);
    if (!message || message.deleted) throw jsonError(404, 10008, "Unknown Message");
    return message;
  }

  private applyResponse(interaction: FakeInteraction, body: unknown, files: FakeDiscordFile[]): void {
    if (interaction.expired) throw jsonError(404, 10062, "Unknown interaction");
    if (interaction.response) throw jsonError(400, 40060, "Interaction has already been acknowledged.");
    const response = asObject(body);
    const type = response.type;
    if (typeof type !== "number" || !CALLBACK_TYPES.includes(type)) {
      throw invalidForm([issue(["type"], "BASE_TYPE_CHOICES", `Value must be one of {${CALLBACK_TYPES.join(", ")}}.`)]);
    }
    const data = response.data === undefined || response.data === null ? undefined : asObject(response.data, ["data"]);
    const target = { channelId: interaction.channelId, kind: "original" as const, interactionToken: interaction.token };
    switch (type) {
      case 4:
        interaction.original = this.createMessage(target, data ?? {}, files, ["data"]);
        break;
      case 5: {
        const flags = typeof data?.flags === "number" ? data.flags & FLAG_EPHEMERAL : 0;
        interaction.original = this.createMessage(target, {}, [], ["data"], FLAG_LOADING | flags);
        break;
      }
      case 7:
        interaction.original = interaction.original
          ? this.editMessage(interaction.original, data ?? {}, files, ["data"])
          : this.createMessage(target, data ?? {}, files, ["data"]);
        break;
      case 8: {
        const issues = autocompleteIssues(data);
        if (issues.length) throw invalidForm(issues);
        break;
      }
      case 9: {
        const issues = modalIssues(data);
        if (issues.length) throw invalidForm(issues);
        break;
      }
    }
    interaction.response = { type, data };
  }

  /** The `?with_response=true` answer; the interaction's type is inferred from how it was answered. */
  private callbackResponse(interaction: FakeInteraction): Json {
    const type = interaction.response!.type;
    const original = interaction.original;
    const interactionType = type === 1 ? 1 : type === 8 ? 4 : type === 6 || type === 7 ? 3 : 2;
    return {
      interaction: {
        id: interaction.id,
        type: interactionType,
        ...(original
          ? {
              response_message_id: original.id,
              response_message_loading: (original.flags & FLAG_LOADING) !== 0,
              response_message_ephemeral: (original.flags & FLAG_EPHEMERAL) !== 0,
            }
          : {}),
      },
      resource: { type, ...(original && (type === 4 || type === 5 || type === 7) ? { message: this.wire(original) } : {}) },
    };
  }

  // --- messages ---------------------------------------------------------------

  private createMessage(
    target: { channelId: string; kind: FakeDiscordMessage["kind"]; interactionToken?: string; replyTo?: string },
    body: Json,
    files: FakeDiscordFile[],
    at: Path,
    extraFlags = 0,
  ): FakeDiscordMessage {
    const attachments = this.attachmentsFor(body, files, []);
    this.checkProblems(body, attachments, at);
    const message: FakeDiscordMessage = {
      id: snowflake(),
      ...target,
      content: typeof body.content === "string" ? body.content : "",
      embeds: objects(body.embeds),
      components: objects(body.components),
      attachments,
      flags: (typeof body.flags === "number" ? body.flags : 0) | extraFlags,
      edits: 0,
      deleted: false,
      createdAt: Date.now(),
    };
    if (!extraFlags && isEmpty(message, body)) throw jsonError(400, 50006, "Cannot send an empty message");
    this.messages.push(message);
    return message;
  }

  private editMessage(message: FakeDiscordMessage, body: Json, files: FakeDiscordFile[], at: Path): FakeDiscordMessage {
    const attachments = this.attachmentsFor(body, files, message.attachments);
    this.checkProblems(body, attachments, at);
    const next = {
      content: "content" in body ? (typeof body.content === "string" ? body.content : "") : message.content,
      embeds: "embeds" in body ? objects(body.embeds) : message.embeds,
      components: "components" in body ? objects(body.components) : message.components,
      attachments,
    };
    if (isEmpty(next, body)) throw jsonError(400, 50006, "Cannot send an empty message");
    Object.assign(message, next);
    // Only SUPPRESS_EMBEDS can change on an edit; the first edit of a deferred reply ends its "thinking…" state.
    if (typeof body.flags === "number") message.flags = (message.flags & ~FLAG_SUPPRESS_EMBEDS) | (body.flags & FLAG_SUPPRESS_EMBEDS);
    message.flags &= ~FLAG_LOADING;
    message.edits++;
    message.editedAt = Date.now();
    return message;
  }

  private checkProblems(body: Json, attachments: FakeDiscordAttachment[], at: Path): void {
    const size = attachments.reduce((n, a) => n + a.size, 0);
    if (size > this.sizeLimit) throw jsonError(413, 40005, "Request entity too large");
    const issues = messageIssues(body, attachments.map((a) => a.filename)).map((i) => ({ ...i, path: [...at, ...i.path] }));
    if (issues.length) throw invalidForm(issues);
  }

  /**
   * New files become attachments named as uploaded, or as payload_json's
   * `attachments[]` entry with `id: n` for `files[n]` says. On an edit, a
   * listed `attachments` array keeps only the old ones it names; without it
   * they all stay.
   */
  private attachmentsFor(body: Json, files: FakeDiscordFile[], existing: FakeDiscordAttachment[]): FakeDiscordAttachment[] {
    const listed = Array.isArray(body.attachments) ? body.attachments.filter(isObject) : undefined;
    const kept = listed ? existing.filter((a) => listed.some((l) => String(l.id) === a.id)) : existing;
    const added = files.map((f): FakeDiscordAttachment => {
      const meta = listed?.find((l) => String(l.id) === String(f.index));
      return {
        id: snowflake(),
        filename: typeof meta?.filename === "string" ? meta.filename : f.filename,
        ...(typeof meta?.description === "string" ? { description: meta.description } : {}),
        ...(f.contentType ? { contentType: f.contentType } : {}),
        size: f.bytes.length,
        bytes: f.bytes,
      };
    });
    return [...kept, ...added];
  }

  private wire(m: FakeDiscordMessage): APIMessage {
    const attachments = m.attachments.map((a) => wireAttachment(a, m.channelId, (m.flags & FLAG_EPHEMERAL) !== 0));
    const byName = new Map(attachments.map((a) => [a.filename, a]));
    return {
      id: m.id,
      channel_id: m.channelId,
      type: m.kind === "original" ? 20 : 0,
      author: this.bot,
      content: m.content,
      timestamp: discordTimestamp(m.createdAt),
      edited_timestamp: m.editedAt === undefined ? null : discordTimestamp(m.editedAt),
      tts: false,
      mention_everyone: false,
      mentions: [],
      mention_roles: [],
      attachments,
      embeds: m.embeds.map((e) => wireEmbed(e, byName)),
      components: m.components as unknown as APIMessage["components"],
      pinned: false,
      flags: m.flags,
      ...(m.interactionToken ? { webhook_id: this.applicationId, application_id: this.applicationId } : {}),
    };
  }
}

// --- routing helpers -----------------------------------------------------------

function route(method: string, template: string, auth: boolean, run: (c: Ctx) => Reply): RouteDef {
  const pattern = new RegExp(`^${template.replace(/:(\w+)/g, "(?<$1>[^/]+)")}$`);
  return { method, route: template, pattern, auth, limited: !template.startsWith("/interactions/"), run };
}

/** The top-level resource a bucket is counted per, as Discord (and discordjs) split them. */
function majorOf(path: string): string {
  return /^\/webhooks\/(\d+\/[^/]+)/.exec(path)?.[1] ?? /^\/(?:channels|guilds)\/(\d+)/.exec(path)?.[1] ?? "global";
}

function matches(match: CallMatch, method: string, path: string): boolean {
  if (match.method && match.method.toUpperCase() !== method) return false;
  if (match.path === undefined) return true;
  return typeof match.path === "string" ? match.path === path : match.path.test(path);
}

/** Takes one use of the first matching injected entry. */
function take<T extends CallMatch & { times: number }>(list: T[], method: string, path: string): T | undefined {
  const i = list.findIndex((e) => matches(e, method, path));
  if (i < 0) return undefined;
  const entry = list[i]!;
  if (--entry.times <= 0) list.splice(i, 1);
  return entry;
}

function limited(retryAfter: number, bucketHeaders: Record<string, string>): { reply: Reply; headers: Record<string, string> } {
  return {
    reply: { status: 429, body: { message: "You are being rate limited.", retry_after: round3(retryAfter), global: false } },
    headers: { ...bucketHeaders, "retry-after": String(Math.ceil(retryAfter)), "x-ratelimit-scope": "user" },
  };
}

/** Discord's global 429 carries no bucket headers, only these. */
function globallyLimited(retryAfter: number): { reply: Reply; headers: Record<string, string> } {
  return {
    reply: { status: 429, body: { message: "You are being rate limited.", retry_after: round3(retryAfter), global: true } },
    headers: { "retry-after": String(Math.ceil(retryAfter)), "x-ratelimit-global": "true", "x-ratelimit-scope": "global" },
  };
}

function httpReason(status: number): string {
  const reasons: Record<number, string> = { 500: "Internal Server Error", 502: "Bad Gateway", 503: "Service Unavailable", 504: "Gateway Timeout" };
  return reasons[status] ?? "Error";
}

// --- errors ----------------------------------------------------------------------

function issue(path: Path, code: string, message: string): Issue {
  return { path, code, message };
}

function jsonError(status: number, code: number, message: string): DiscordError {
  return new DiscordError(status, { message, code });
}

function invalidForm(issues: Issue[]): DiscordError {
  return new DiscordError(400, { message: "Invalid Form Body", code: 50035, errors: errorTree(issues) }, issues);
}

/** Discord's nested `errors`: { embeds: { 0: { title: { _errors: [{ code, message }] } } } }. */
function errorTree(issues: Issue[]): Json {
  const root: Json = {};
  for (const i of issues) {
    let node = root;
    for (const segment of i.path) node = (node[String(segment)] ??= {}) as Json;
    ((node._errors ??= []) as Json[]).push({ code: i.code, message: i.message });
  }
  return root;
}

/** One issue as DiscordAPIError's message lists it: "embeds[0].title[BASE_TYPE_MAX_LENGTH]: Must be 256 or fewer in length." */
function render(i: Issue): string {
  const key = i.path.map((s, n) => (typeof s === "number" ? (n === 0 ? String(s) : `[${s}]`) : n === 0 ? s : `.${s}`)).join("");
  return key ? `${key}[${i.code}]: ${i.message}` : `${i.code}: ${i.message}`;
}

// --- application commands ----------------------------------------------------------

const NAME = /^[-_\p{L}\p{N}\p{sc=Deva}\p{sc=Thai}]{1,32}$/u;
const LOCALES = new Set([
  "id", "da", "de", "en-GB", "en-US", "es-ES", "es-419", "fr", "hr", "it", "lt", "hu", "nl", "no", "pl", "pt-BR",
  "ro", "fi", "sv-SE", "vi", "tr", "cs", "el", "bg", "ru", "uk", "hi", "th", "zh-CN", "ja", "zh-TW", "ko",
]);
const OPTION_TYPES = "{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11}";

/** What Discord refuses in a bulk overwrite of application commands, as DiscordAPIError lists it; [] when valid. */
export function commandProblems(commands: unknown): string[] {
  return commandIssues(commands).map(render);
}

function commandIssues(commands: unknown): Issue[] {
  if (!Array.isArray(commands)) return [notArray([])];
  const out: Issue[] = [];
  if (commands.length > 100) out.push(tooMany([], 100));
  const seen = new Set<string>();
  for (const [i, c] of commands.entries()) {
    if (!isObject(c)) {
      out.push(notObject([i]));
      continue;
    }
    const type = c.type ?? 1;
    if (![1, 2, 3, 4].includes(type as number)) out.push(issue([i, "type"], "BASE_TYPE_CHOICES", "Value must be one of {1, 2, 3, 4}."));
    if (type === 1) {
      nameIssues(out, c.name, [i, "name"]);
      lengthIssues(out, c.description, 1, 100, [i, "description"]);
      localizationIssues(out, c.name_localizations, [i, "name_localizations"], (v, p) => nameIssues(out, v, p));
      localizationIssues(out, c.description_localizations, [i, "description_localizations"], (v, p) => lengthIssues(out, v, 1, 100, p));
      optionIssues(out, c.options, [i, "options"], "command");
    } else {
      lengthIssues(out, c.name, 1, 32, [i, "name"]);
    }
    const key = `${String(type)}:${String(c.name)}`;
    if (seen.has(key)) out.push(issue([i, "name"], "APPLICATION_COMMANDS_DUPLICATE_NAME", "Application command names must be unique"));
    seen.add(key);
  }
  return out;
}

function nameIssues(out: Issue[], name: unknown, at: Path): void {
  if (typeof name !== "string") out.push(required(at));
  else if (!NAME.test(name) || name !== name.toLowerCase()) out.push(issue(at, "APPLICATION_COMMAND_INVALID_NAME", "Command name is invalid"));
}

function localizationIssues(out: Issue[], map: unknown, at: Path, check: (value: unknown, at: Path) => void): void {
  if (map === undefined || map === null) return;
  if (!isObject(map)) {
    out.push(notObject(at));
    return;
  }
  for (const [locale, value] of Object.entries(map)) {
    if (!LOCALES.has(locale)) out.push(issue([...at, locale], "BASE_TYPE_CHOICES", `Value must be one of {${[...LOCALES].map((l) => `'${l}'`).join(", ")}}.`));
    else check(value, [...at, locale]);
  }
}

type Level = "command" | "group" | "subcommand";

function optionIssues(out: Issue[], options: unknown, at: Path, level: Level): void {
  if (options === undefined || options === null) return;
  if (!Array.isArray(options)) {
    out.push(notArray(at));
    return;
  }
  if (options.length > 25) out.push(tooMany(at, 25));
  const isSub = (o: unknown) => isObject(o) && (o.type === 1 || o.type === 2);
  if (level === "command" && options.some(isSub) && !options.every(isSub)) {
    out.push(issue(at, "APPLICATION_COMMAND_OPTIONS_TYPE_INVALID", "Sub-command and sub-command group option types are mutually exclusive to all other types"));
  }
  const names = new Set<string>();
  let optionalSeen = false;
  for (const [j, o] of options.entries()) {
    const p = [...at, j];
    if (!isObject(o)) {
      out.push(notObject(p));
      continue;
    }
    const type = o.type;
    if (typeof type !== "number" || !Number.isInteger(type) || type < 1 || type > 11) out.push(issue([...p, "type"], "BASE_TYPE_CHOICES", `Value must be one of ${OPTION_TYPES}.`));
    nameIssues(out, o.name, [...p, "name"]);
    lengthIssues(out, o.description, 1, 100, [...p, "description"]);
    localizationIssues(out, o.name_localizations, [...p, "name_localizations"], (v, q) => nameIssues(out, v, q));
    localizationIssues(out, o.description_localizations, [...p, "description_localizations"], (v, q) => lengthIssues(out, v, 1, 100, q));
    if (typeof o.name === "string") {
      if (names.has(o.name)) out.push(issue([...p, "name"], "APPLICATION_COMMAND_OPTIONS_NAME_ALREADY_EXISTS", `Option name ${o.name} is already used in these options`));
      names.add(o.name);
    }
    if (level === "group" && type !== 1) out.push(issue([...p, "type"], "APPLICATION_COMMAND_OPTIONS_TYPE_INVALID", "Sub-command groups can only contain sub-commands"));
    if (level === "subcommand" && (type === 1 || type === 2)) {
      out.push(issue([...p, "type"], "APPLICATION_COMMAND_OPTIONS_TYPE_INVALID", "Sub-commands cannot contain sub-commands or sub-command groups"));
    }
    if (type !== 1 && type !== 2) {
      if (o.required === true && optionalSeen) out.push(issue([...p, "required"], "APPLICATION_COMMAND_OPTIONS_REQUIRED_INVALID", "Required options must be placed before non-required options"));
      if (o.required !== true) optionalSeen = true;
    }
    choiceIssues(out, o, p);
    if (type === 1) optionIssues(out, o.options, [...p, "options"], "subcommand");
    if (type === 2) optionIssues(out, o.options, [...p, "options"], "group");
  }
}

function choiceIssues(out: Issue[], o: Json, at: Path): void {
  if (o.choices === undefined || o.choices === null) return;
  if (!Array.isArray(o.choices)) {
    out.push(notArray([...at, "choices"]));
    return;
  }
  if (o.choices.length > 25) out.push(tooMany([...at, "choices"], 25));
  if (o.autocomplete === true && o.choices.length > 0) {
    out.push(issue([...at, "autocomplete"], "APPLICATION_COMMAND_OPTION_AUTOCOMPLETE_WITH_CHOICES", "Autocomplete cannot be enabled on an option that has choices"));
  }
  for (const [k, choice] of o.choices.entries()) {
    const p = [...at, "choices", k];
    if (!isObject(choice)) {
      out.push(notObject(p));
      continue;
    }
    lengthIssues(out, choice.name, 1, 100, [...p, "name"]);
    localizationIssues(out, choice.name_localizations, [...p, "name_localizations"], (v, q) => lengthIssues(out, v, 1, 100, q));
    const value = choice.value;
    if (o.type === 3) lengthIssues(out, value, 1, 100, [...p, "value"]);
    else if (o.type === 4 && !Number.isInteger(value)) out.push(issue([...p, "value"], "NUMBER_TYPE_COERCE", `Value "${String(value)}" is not int.`));
    else if (o.type === 10 && typeof value !== "number") out.push(issue([...p, "value"], "NUMBER_TYPE_COERCE", `Value "${String(value)}" is not a valid number.`));
  }
}

// --- messages -------------------------------------------------------------------

const SELECT_TYPES = new Set([3, 5, 6, 7, 8]);
const EMBED_MEDIA = ["image", "thumbnail"] as const;

/**
 * What Discord refuses in a message body (create, edit, interaction response
 * data), as DiscordAPIError lists it; [] when valid. `attachmentNames` are the
 * files the message carries, which `attachment://name` URLs must name.
 */
export function messageProblems(body: unknown, attachmentNames: readonly string[] = []): string[] {
  return messageIssues(body, attachmentNames).map(render);
}

function messageIssues(body: unknown, names: readonly string[]): Issue[] {
  if (!isObject(body)) return [notObject([])];
  const out: Issue[] = [];
  if (body.content !== undefined && body.content !== null) {
    if (typeof body.content !== "string") out.push(issue(["content"], "BASE_TYPE_STRING", "Must be a string."));
    else maxLength(out, body.content, 2000, ["content"]);
  }
  embedIssues(out, body.embeds, names);
  componentIssues(out, body.components);
  if (body.flags !== undefined && body.flags !== null) {
    const flags = body.flags;
    if (typeof flags !== "number" || !Number.isInteger(flags) || (flags & ~SENDABLE_FLAGS) !== 0) {
      out.push(issue(["flags"], "MESSAGE_FLAGS_INVALID", `Only SUPPRESS_EMBEDS (4), EPHEMERAL (64) and SUPPRESS_NOTIFICATIONS (4096) can be set; got ${String(flags)}.`));
    }
  }
  if (names.length > 10) out.push(tooMany(["attachments"], 10));
  return out;
}

function embedIssues(out: Issue[], embeds: unknown, names: readonly string[]): void {
  if (embeds === undefined || embeds === null) return;
  if (!Array.isArray(embeds)) {
    out.push(notArray(["embeds"]));
    return;
  }
  if (embeds.length > 10) out.push(tooMany(["embeds"], 10));
  let total = 0;
  for (const [i, e] of embeds.entries()) {
    const p: Path = ["embeds", i];
    if (!isObject(e)) {
      out.push(notObject(p));
      continue;
    }
    maxLength(out, e.title, 256, [...p, "title"]);
    maxLength(out, e.description, 4096, [...p, "description"]);
    total += chars(e.title) + chars(e.description);
    urlIssues(out, e.url, [...p, "url"]);
    if (e.color !== undefined && e.color !== null) {
      if (!Number.isInteger(e.color) || (e.color as number) < 0) out.push(issue([...p, "color"], "NUMBER_TYPE_COERCE", `Value "${String(e.color)}" is not int.`));
      else if ((e.color as number) > 0xffffff) out.push(issue([...p, "color"], "NUMBER_TYPE_MAX", "int value should be less than or equal to 16777215."));
    }
    if (e.fields !== undefined && e.fields !== null) {
      if (!Array.isArray(e.fields)) out.push(notArray([...p, "fields"]));
      else {
        if (e.fields.length > 25) out.push(tooMany([...p, "fields"], 25));
        for (const [k, f] of e.fields.entries()) {
          const q = [...p, "fields", k];
          if (!isObject(f)) {
            out.push(notObject(q));
            continue;
          }
          requiredText(out, f.name, 256, [...q, "name"]);
          requiredText(out, f.value, 1024, [...q, "value"]);
          total += chars(f.name) + chars(f.value);
        }
      }
    }
    if (e.footer !== undefined && e.footer !== null) {
      if (!isObject(e.footer)) out.push(notObject([...p, "footer"]));
      else {
        requiredText(out, e.footer.text, 2048, [...p, "footer", "text"]);
        total += chars(e.footer.text);
        urlIssues(out, e.footer.icon_url, [...p, "footer", "icon_url"], names);
      }
    }
    if (e.author !== undefined && e.author !== null) {
      if (!isObject(e.author)) out.push(notObject([...p, "author"]));
      else {
        requiredText(out, e.author.name, 256, [...p, "author", "name"]);
        total += chars(e.author.name);
        urlIssues(out, e.author.url, [...p, "author", "url"]);
        urlIssues(out, e.author.icon_url, [...p, "author", "icon_url"], names);
      }
    }
    for (const key of EMBED_MEDIA) {
      const media = e[key];
      if (media === undefined || media === null) continue;
      if (!isObject(media)) out.push(notObject([...p, key]));
      else if (typeof media.url !== "string") out.push(required([...p, key, "url"]));
      else urlIssues(out, media.url, [...p, key, "url"], names);
    }
  }
  if (total > 6000) out.push(issue(["embeds"], "MAX_EMBED_SIZE_EXCEEDED", "Embed size exceeds maximum size of 6000"));
}

/** http(s) URLs only; where `names` is given (images, icons), `attachment://<a file of this message>` too. */
function urlIssues(out: Issue[], value: unknown, at: Path, names?: readonly string[]): void {
  if (value === undefined || value === null) return;
  if (typeof value !== "string") {
    out.push(issue(at, "BASE_TYPE_STRING", "Must be a string."));
    return;
  }
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(value)?.[1]?.toLowerCase();
  if (scheme === "attachment" && names) {
    const name = value.slice("attachment://".length);
    // Discord's wording for this case is not documented; the message names the file it could not find.
    if (!names.includes(name)) out.push(issue(at, "ATTACHMENT_NOT_FOUND", `No file named "${name}" is attached to this message.`));
    return;
  }
  if (scheme !== "http" && scheme !== "https") {
    out.push(issue(at, "URL_TYPE_INVALID_SCHEME", `Scheme "${scheme ?? value}" is not supported. Scheme must be one of ('http', 'https').`));
  }
}

function componentIssues(out: Issue[], components: unknown): void {
  if (components === undefined || components === null) return;
  if (!Array.isArray(components)) {
    out.push(notArray(["components"]));
    return;
  }
  if (components.length > 5) out.push(tooMany(["components"], 5));
  const customIds = new Set<string>();
  for (const [i, row] of components.entries()) {
    const p: Path = ["components", i];
    if (!isObject(row)) {
      out.push(notObject(p));
      continue;
    }
    if (row.type !== 1) {
      out.push(issue([...p, "type"], "UNION_TYPE_CHOICES", 'Value of field "type" must be one of (1,).'));
      continue;
    }
    const children = row.components;
    if (!Array.isArray(children) || children.length === 0 || children.length > 5) {
      out.push(issue([...p, "components"], "BASE_TYPE_BAD_LENGTH", "Must be between 1 and 5 in length."));
      continue;
    }
    if (children.length > 1 && children.some((c) => isObject(c) && SELECT_TYPES.has(c.type as number))) {
      out.push(issue([...p, "components"], "COMPONENT_LAYOUT_WIDTH_EXCEEDED", "The specified component exceeds the maximum width"));
    }
    children.forEach((c, j) => childIssues(out, c, [...p, "components", j], customIds));
  }
}

function childIssues(out: Issue[], c: unknown, at: Path, customIds: Set<string>): void {
  if (!isObject(c)) {
    out.push(notObject(at));
    return;
  }
  if (c.type === 2) {
    const style = c.style;
    if (typeof style !== "number" || !Number.isInteger(style) || style < 1 || style > 5) out.push(issue([...at, "style"], "BASE_TYPE_CHOICES", "Value must be one of {1, 2, 3, 4, 5}."));
    if (c.label === undefined && c.emoji === undefined) out.push(issue([...at, "label"], "BUTTON_COMPONENT_LABEL_OR_EMOJI_REQUIRED", "A button must have a label or an emoji"));
    maxLength(out, c.label, 80, [...at, "label"]);
    if (style === 5) {
      if (typeof c.url !== "string") out.push(issue([...at, "url"], "BUTTON_COMPONENT_URL_REQUIRED", "A link button must have a url"));
      else if (!/^(https?|discord):\/\//i.test(c.url)) out.push(issue([...at, "url"], "URL_TYPE_INVALID_SCHEME", "Scheme must be one of ('http', 'https', 'discord')."));
      if (c.custom_id !== undefined) out.push(issue([...at, "custom_id"], "BUTTON_COMPONENT_CUSTOM_ID_NOT_ALLOWED", "A link button cannot have a custom_id"));
    } else {
      customIdIssues(out, c.custom_id, [...at, "custom_id"], customIds);
      if (c.url !== undefined) out.push(issue([...at, "url"], "BUTTON_COMPONENT_URL_NOT_ALLOWED", "Only link buttons (style 5) can have a url"));
    }
    return;
  }
  if (!SELECT_TYPES.has(c.type as number)) {
    out.push(issue([...at, "type"], "UNION_TYPE_CHOICES", 'Value of field "type" must be one of (2, 3, 5, 6, 7, 8).'));
    return;
  }
  customIdIssues(out, c.custom_id, [...at, "custom_id"], customIds);
  maxLength(out, c.placeholder, 150, [...at, "placeholder"]);
  if (c.min_values !== undefined && !(Number.isInteger(c.min_values) && (c.min_values as number) >= 0 && (c.min_values as number) <= 25)) {
    out.push(issue([...at, "min_values"], "NUMBER_TYPE_MAX", "int value should be between 0 and 25."));
  }
  if (c.max_values !== undefined && !(Number.isInteger(c.max_values) && (c.max_values as number) >= 1 && (c.max_values as number) <= 25)) {
    out.push(issue([...at, "max_values"], "NUMBER_TYPE_MAX", "int value should be between 1 and 25."));
  }
  if (c.type !== 3) return;
  if (!Array.isArray(c.options) || c.options.length === 0 || c.options.length > 25) {
    out.push(issue([...at, "options"], "BASE_TYPE_BAD_LENGTH", "Must be between 1 and 25 in length."));
    return;
  }
  for (const [k, option] of c.options.entries()) {
    const q = [...at, "options", k];
    if (!isObject(option)) {
      out.push(notObject(q));
      continue;
    }
    lengthIssues(out, option.label, 1, 100, [...q, "label"]);
    lengthIssues(out, option.value, 1, 100, [...q, "value"]);
    maxLength(out, option.description, 100, [...q, "description"]);
  }
}

function customIdIssues(out: Issue[], id: unknown, at: Path, seen: Set<string>): void {
  if (typeof id !== "string" || id.length === 0) {
    out.push(required(at));
    return;
  }
  if (chars(id) > 100) out.push(issue(at, "BASE_TYPE_BAD_LENGTH", "Must be between 1 and 100 in length."));
  if (seen.has(id)) out.push(issue(at, "COMPONENT_CUSTOM_ID_DUPLICATED", "Component custom id cannot be duplicated"));
  seen.add(id);
}

function autocompleteIssues(data: Json | undefined): Issue[] {
  const out: Issue[] = [];
  const choices = data?.choices;
  if (!Array.isArray(choices)) return [required(["data", "choices"])];
  if (choices.length > 25) out.push(tooMany(["data", "choices"], 25));
  for (const [k, choice] of choices.entries()) {
    const p: Path = ["data", "choices", k];
    if (!isObject(choice)) {
      out.push(notObject(p));
      continue;
    }
    lengthIssues(out, choice.name, 1, 100, [...p, "name"]);
    if (typeof choice.value === "string") maxLength(out, choice.value, 100, [...p, "value"]);
    else if (typeof choice.value !== "number") out.push(required([...p, "value"]));
  }
  return out;
}

function modalIssues(data: Json | undefined): Issue[] {
  const out: Issue[] = [];
  lengthIssues(out, data?.custom_id, 1, 100, ["data", "custom_id"]);
  lengthIssues(out, data?.title, 1, 45, ["data", "title"]);
  const components = data?.components;
  if (!Array.isArray(components) || components.length === 0 || components.length > 5) {
    out.push(issue(["data", "components"], "BASE_TYPE_BAD_LENGTH", "Must be between 1 and 5 in length."));
  }
  return out;
}

function isEmpty(m: Pick<FakeDiscordMessage, "content" | "embeds" | "components" | "attachments">, body: Json): boolean {
  const stickers = Array.isArray(body.sticker_ids) && body.sticker_ids.length > 0;
  return !m.content && m.embeds.length === 0 && m.components.length === 0 && m.attachments.length === 0 && !stickers && !body.poll;
}

// --- field checks -----------------------------------------------------------------

/** Discord counts characters (code points), not UTF-16 units. */
function chars(value: unknown): number {
  return typeof value === "string" ? [...value].length : 0;
}

function maxLength(out: Issue[], value: unknown, max: number, at: Path): void {
  if (chars(value) > max) out.push(issue(at, "BASE_TYPE_MAX_LENGTH", `Must be ${max} or fewer in length.`));
}

function lengthIssues(out: Issue[], value: unknown, min: number, max: number, at: Path): void {
  if (typeof value !== "string") {
    out.push(required(at));
    return;
  }
  const n = chars(value);
  if (n < min || n > max) out.push(issue(at, "BASE_TYPE_BAD_LENGTH", `Must be between ${min} and ${max} in length.`));
}

function requiredText(out: Issue[], value: unknown, max: number, at: Path): void {
  if (typeof value !== "string" || value.length === 0) out.push(required(at));
  else maxLength(out, value, max, at);
}

function required(at: Path): Issue {
  return issue(at, "BASE_TYPE_REQUIRED", "This field is required");
}

function tooMany(at: Path, max: number): Issue {
  return issue(at, "BASE_TYPE_MAX_LENGTH", `Must be ${max} or fewer in length.`);
}

function notArray(at: Path): Issue {
  return issue(at, "BASE_TYPE_ARRAY", "Must be an array.");
}

function notObject(at: Path): Issue {
  return issue(at, "DICT_TYPE_CONVERT", "Only dictionaries may be used in a DictType");
}

// --- wire shapes -------------------------------------------------------------------

function wireAttachment(a: FakeDiscordAttachment, channelId: string, ephemeral: boolean): APIAttachment {
  const url = `https://cdn.discordapp.com/attachments/${channelId}/${a.id}/${encodeURIComponent(a.filename)}`;
  const size = pngSize(a.bytes);
  return {
    id: a.id,
    filename: a.filename,
    size: a.size,
    url,
    proxy_url: url.replace("cdn.discordapp.com", "media.discordapp.net"),
    ...(a.contentType ? { content_type: a.contentType } : {}),
    ...(a.description ? { description: a.description } : {}),
    ...(size ?? {}),
    ...(ephemeral ? { ephemeral: true } : {}),
  };
}

/** As Discord answers an embed: typed "rich", `attachment://` URLs swapped for the file's CDN URL. */
function wireEmbed(e: Json, files: Map<string, APIAttachment>): APIEmbed {
  const out: Json = { type: "rich", ...e };
  const media = (url: string) => {
    const file = url.startsWith("attachment://") ? files.get(url.slice("attachment://".length)) : undefined;
    return file ? { url: file.url, proxy_url: file.proxy_url, width: file.width, height: file.height } : { url, proxy_url: url };
  };
  for (const key of EMBED_MEDIA) {
    const part = e[key];
    if (isObject(part) && typeof part.url === "string") out[key] = { ...part, ...media(part.url) };
  }
  for (const key of ["author", "footer"] as const) {
    const part = e[key];
    if (isObject(part) && typeof part.icon_url === "string") {
      const m = media(part.icon_url);
      out[key] = { ...part, icon_url: m.url, proxy_icon_url: m.proxy_url };
    }
  }
  return out as APIEmbed;
}

function pngSize(bytes: Buffer): { width: number; height: number } | undefined {
  const signature = "89504e470d0a1a0a";
  if (bytes.length < 24 || bytes.subarray(0, 8).toString("hex") !== signature) return undefined;
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
}

/** Discord's timestamp format: microseconds and an explicit offset. */
export function discordTimestamp(ms: number): string {
  return new Date(ms).toISOString().replace("Z", "000+00:00");
}

// --- request parsing --------------------------------------------------------------------

/** JSON, or multipart/form-data with `payload_json` and `files[n]` parts as @discordjs/rest sends when files are attached. */
async function parseBody(contentType: string, raw: Buffer): Promise<{ body: unknown; files: FakeDiscordFile[] }> {
  if (raw.length === 0) return { body: undefined, files: [] };
  if (!contentType.startsWith("multipart/form-data")) return { body: JSON.parse(raw.toString("utf8")) as unknown, files: [] };
  const form = await new Request("http://127.0.0.1/", { method: "POST", headers: { "content-type": contentType }, body: new Uint8Array(raw) }).formData();
  const body: Json = {};
  const files: FakeDiscordFile[] = [];
  for (const [field, value] of form) {
    if (typeof value === "string") {
      if (field === "payload_json") Object.assign(body, asObject(JSON.parse(value) as unknown));
      else body[field] = value;
      continue;
    }
    const index = /^files\[(\d+)\]$/.exec(field)?.[1];
    files.push({
      field,
      index: index === undefined ? files.length : Number(index),
      filename: value.name,
      ...(value.type ? { contentType: value.type } : {}),
      bytes: Buffer.from(await value.arrayBuffer()),
    });
  }
  return { body, files };
}

function asObject(value: unknown, at: Path = []): Json {
  if (!isObject(value)) throw invalidForm([notObject(at)]);
  return value;
}

function isObject(value: unknown): value is Json {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function isSnowflake(value: unknown): boolean {
  return (typeof value === "string" || typeof value === "number") && /^\d{1,20}$/.test(String(value));
}

function objects(value: unknown): Json[] {
  return Array.isArray(value) ? value.filter(isObject) : [];
}

function round3(n: number): number {
  return Math.round(n * 1000) / 1000;
}
