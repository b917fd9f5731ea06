import { randomBytes } from "node:crypto";
import type { IncomingMessage, Server, ServerResponse } from "node:http";
import { closeNow, listenLocally, readBody, Waiters } from "./local-server.ts";

/**
 * A local WhatsApp Cloud API (the Graph API's messaging endpoints) for tests,
 * speaking the wire format of graph.facebook.com so the real client can be
 * pointed at it with WHATSAPP_API_URL=fake.url.
 *
 * `POST /<version>/<phone-number-id>/messages` with `Authorization: Bearer
 * <token>` and a JSON body (messaging_product "whatsapp", to, type text /
 * interactive / template / image / document) answers `{ messaging_product,
 * contacts: [{ input, wa_id }], messages: [{ id: "wamid…" }] }`;
 * `POST …/media` (multipart: messaging_product, type, file) answers `{ id }`.
 * Refusals are Graph error JSON `{ error: { message, type, code,
 * error_subcode?, error_data, fbtrace_id } }`, with the limits the real API
 * enforces (text 4096, interactive body 1024, 1–3 reply buttons with unique
 * titles ≤ 20 and ids ≤ 256, lists of ≤ 10 rows with titles ≤ 24, headers and
 * footers ≤ 60, template parameters without line breaks). It knows the 24-hour
 * window: a free-form message to a number that has not written in 24 hours
 * (see `heardFrom`, which WhatsAppWebhooks calls) is refused with 131047.
 *
 * What it does not model: webhook delivery (build payloads with
 * WhatsAppWebhooks and POST them to the app), media by link, reactions,
 * location and contact messages, template components other than the body.
 */

export interface FakeWhatsAppApiOptions {
  accessToken: string;
  phoneNumberId: string;
  /** Approved templates as "name:language"; default ["clout_notification:en"]. */
  templates?: string[];
  /** Milliseconds since the epoch; the window is measured against it. Default Date.now. */
  now?: () => number;
}

export interface FakeWhatsAppMessage {
  id: string;
  /** The `to` as sent: digits only. */
  to: string;
  type: string;
  body: Record<string, unknown>;
  at: number;
}

export interface FakeWhatsAppCall {
  path: string;
  status: number;
  body: unknown;
  response: unknown;
}

interface Fault {
  status: number;
  code: number;
  message: string;
  retryAfter?: number;
  times: number;
}

type Json = Record<string, unknown>;

class GraphError extends Error {
  constructor(
    readonly status: number,
    readonly code: number,
    message: string,
    readonly details: string,
    readonly subcode?: number,
  ) {
    super(message);
  }
}

const invalid = (details: string) => new GraphError(400, 131009, "(#131009) Parameter value is not valid", details);
const missing = (details: string) => new GraphError(400, 131008, "(#131008) Required parameter is missing", details);
const WINDOW_MS = 24 * 3_600_000;

export class FakeWhatsAppApi {
  readonly calls: FakeWhatsAppCall[] = [];
  readonly sent: FakeWhatsAppMessage[] = [];
  readonly uploads: { id: string; type: string; filename: string; bytes: Buffer }[] = [];
  private readonly templates: Set<string>;
  private readonly now: () => number;
  private readonly lastInbound = new Map<string, number>();
  private readonly faults: Fault[] = [];
  private readonly waiters = new Waiters();
  private server?: Server;
  private port = 0;

  constructor(private readonly o: FakeWhatsAppApiOptions) {
    this.templates = new Set(o.templates ?? ["clout_notification:en"]);
    this.now = o.now ?? Date.now;
  }

  async start(): Promise<void> {
    const { server, port } = await listenLocally((req, res) => this.handle(req, res));
    this.server = server;
    this.port = port;
  }

  async stop(): Promise<void> {
    if (this.server) await closeNow(this.server);
    this.server = undefined;
  }

  /** WHATSAPP_API_URL: the Graph base with its version, e.g. "http://127.0.0.1:PORT/v21.0". */
  get url(): string {
    if (!this.server) throw new Error("FakeWhatsAppApi is not started");
    return `http://127.0.0.1:${this.port}/v21.0`;
  }

  /** The person wrote at `at` (ms): free-form messages to them are allowed for 24 hours. */
  heardFrom(waId: string, at = this.now()): void {
    const digits = waId.replace(/\D/g, "");
    this.lastInbound.set(digits, Math.max(at, this.lastInbound.get(digits) ?? 0));
  }

  /** The next `times` sends are refused with this Graph error (e.g. 130429 throughput, HTTP 429 with Retry-After). */
  failNext(f: { status?: number; code: number; message?: string; retryAfter?: number; times?: number }): void {
    this.faults.push({ status: f.status ?? 400, code: f.code, message: f.message ?? `(#${f.code}) Error`, ...(f.retryAfter === undefined ? {} : { retryAfter: f.retryAfter }), times: f.times ?? 1 });
  }

  rateLimitNext(times = 1, o: { http429?: boolean; retryAfter?: number } = {}): void {
    this.failNext(o.http429 ? { status: 429, code: 80007, message: "(#80007) Rate limit hit", retryAfter: o.retryAfter, times } : { code: 130429, message: "(#130429) Rate limit hit", times });
  }

  messagesTo(waId: string): FakeWhatsAppMessage[] {
    const digits = waId.replace(/\D/g, "");
    return this.sent.filter((m) => m.to === digits);
  }

  /** The first message to `waId` that `match` accepts, now or when it arrives. */
  waitForMessage(waId: string, match: (m: FakeWhatsAppMessage) => boolean, timeoutMs = 5_000): Promise<FakeWhatsAppMessage> {
    return this.waiters.until(
      () => this.messagesTo(waId).find(match),
      timeoutMs,
      () => `no matching WhatsApp message to ${waId} within ${timeoutMs} ms; sent there: ${JSON.stringify(this.messagesTo(waId).map((m) => m.body))}`,
    );
  }

  /** What a person reads in a message: its text, body, template parameters or caption. */
  static textOf(m: FakeWhatsAppMessage): string {
    const b = m.body as { text?: { body?: string }; interactive?: { body?: { text?: string } }; template?: { components?: { parameters?: { text?: string }[] }[] }; image?: { caption?: string } };
    return b.text?.body ?? b.interactive?.body?.text ?? b.template?.components?.flatMap((c) => c.parameters ?? []).map((p) => p.text).join(" ") ?? b.image?.caption ?? "";
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const raw = await readBody(req);
    const path = new URL(req.url ?? "/", "http://127.0.0.1").pathname;
    let body: unknown;
    try {
      const m = /^\/v\d+\.\d+\/([^/]+)\/(messages|media)$/.exec(path);
      if (req.method !== "POST" || !m) throw new GraphError(400, 100, "Unsupported post request.", `no ${req.method} ${path}`, 33);
      if (req.headers.authorization !== `Bearer ${this.o.accessToken}`) throw new GraphError(401, 190, "Invalid OAuth access token - Cannot parse access token", "");
      if (m[1] !== this.o.phoneNumberId) throw new GraphError(400, 100, `Unsupported post request. Object with ID '${m[1]}' does not exist`, "", 33);
      if (m[2] === "media") {
        const upload = await this.upload(req, raw);
        body = { upload: upload.filename };
        return this.answer(res, path, body, 200, { id: upload.id });
      }
      body = JSON.parse(raw.toString("utf8")) as Json;
      const fault = this.faults[0];
      if (fault) {
        if (--fault.times <= 0) this.faults.shift();
        throw Object.assign(new GraphError(fault.status, fault.code, fault.message, "fault injected by the test"), { retryAfter: fault.retryAfter });
      }
      const message = this.validate(body as Json);
      this.sent.push(message);
      this.waiters.notify();
      return this.answer(res, path, body, 200, { messaging_product: "whatsapp", contacts: [{ input: message.to, wa_id: message.to }], messages: [{ id: message.id, ...(message.type === "template" ? { message_status: "accepted" } : {}) }] });
    } catch (err) {
      if (!(err instanceof GraphError)) throw err;
      const error = {
        message: err.message,
        type: "OAuthException",
        code: err.code,
        ...(err.subcode === undefined ? {} : { error_subcode: err.subcode }),
        error_data: { messaging_product: "whatsapp", details: err.details },
        fbtrace_id: randomBytes(9).toString("base64url"),
      };
      const retryAfter = (err as GraphError & { retryAfter?: number }).retryAfter;
      return this.answer(res, path, body, err.status, { error }, retryAfter === undefined ? {} : { "retry-after": String(retryAfter) });
    }
  }

  private answer(res: ServerResponse, path: string, body: unknown, status: number, response: unknown, headers: Record<string, string> = {}): void {
    this.calls.push({ path, status, body, response });
    res.writeHead(status, { "content-type": "application/json", ...headers });
    res.end(JSON.stringify(response));
    this.waiters.notify();
  }

  private async upload(req: IncomingMessage, raw: Buffer) {
    const contentType = String(req.headers["content-type"] ?? "");
    if (!contentType.startsWith("multipart/form-data")) throw missing("file");
    const form = await new Request("http://127.0.0.1/", { method: "POST", headers: { "content-type": contentType }, body: new Uint8Array(raw) }).formData();
    if (form.get("messaging_product") !== "whatsapp") throw missing("messaging_product");
    const file = form.get("file");
    const type = form.get("type");
    if (!file || typeof file === "string" || typeof type !== "string") throw missing("file and type");
    const upload = { id: String(1_000_000_000_000 + this.uploads.length), type, filename: file.name, bytes: Buffer.from(await file.arrayBuffer()) };
    this.uploads.push(upload);
    return upload;
  }

  /** The checks the Cloud API makes before it accepts a message. */
  private validate(b: Json): FakeWhatsAppMessage {
    if (b.messaging_product !== "whatsapp") throw missing("messaging_product must be whatsapp");
    const to = typeof b.to === "string" ? b.to : "";
    if (!/^\d{7,15}$/.test(to)) throw new GraphError(400, 131026, "(#131026) Message undeliverable", `"${to}" is not a WhatsApp number (digits, country code first, no +)`);
    const type = b.type as string;
    const text = (v: unknown, what: string, max: number, min = 1) => {
      if (typeof v !== "string" || v.length < min) throw missing(what);
      if (v.length > max) throw invalid(`${what} is too long: ${v.length} characters, at most ${max}`);
    };
    if (type !== "template") {
      const last = this.lastInbound.get(to);
      if (last === undefined || this.now() - last > WINDOW_MS) {
        throw new GraphError(400, 131047, "(#131047) Re-engagement message", "Message failed to send because more than 24 hours have passed since the customer last replied to this number.");
      }
    }
    switch (type) {
      case "text":
        text((b.text as Json | undefined)?.body, "text.body", 4096);
        break;
      case "interactive":
        this.interactive(b.interactive as Json | undefined, text);
        break;
      case "template": {
        const t = b.template as { name?: string; language?: { code?: string }; components?: { type: string; parameters?: { type: string; text?: string }[] }[] } | undefined;
        if (!t?.name || !t.language?.code) throw missing("template.name and template.language.code");
        if (!this.templates.has(`${t.name}:${t.language.code}`)) throw new GraphError(404, 132001, "(#132001) Template name does not exist in the translation", `template name (${t.name}) does not exist in ${t.language.code}`);
        for (const p of t.components?.flatMap((c) => c.parameters ?? []) ?? []) {
          text(p.text, "template parameter text", 32_768);
          if (/[\n\t]|\s{5,}/.test(p.text!)) throw new GraphError(400, 132018, "(#132018) There was an issue with the parameters in your template", "Param text cannot have new-line/tab characters or more than 4 consecutive spaces");
        }
        break;
      }
      case "image":
      case "document": {
        const media = b[type] as { id?: string; caption?: string } | undefined;
        if (!media?.id || !this.uploads.some((u) => u.id === media.id)) throw invalid(`${type}.id is not an uploaded media id`);
        if (media.caption !== undefined) text(media.caption, `${type}.caption`, 1024);
        break;
      }
      default:
        throw invalid(`type "${String(type)}" is not supported here`);
    }
    return { id: `wamid.${randomBytes(18).toString("base64url")}`, to, type, body: b, at: this.now() };
  }

  private interactive(i: Json | undefined, text: (v: unknown, what: string, max: number, min?: number) => void): void {
    if (!i) throw missing("interactive");
    const body = i.body as Json | undefined;
    text(body?.text, "interactive.body.text", 1024);
    const header = i.header as Json | undefined;
    if (header) text(header.text, "interactive.header.text", 60);
    const footer = i.footer as Json | undefined;
    if (footer) text(footer.text, "interactive.footer.text", 60);
    const action = i.action as Json | undefined;
    const unique = (values: string[], what: string) => {
      if (new Set(values).size !== values.length) throw invalid(`${what} must be unique`);
    };
    if (i.type === "button") {
      const buttons = (action?.buttons as { type?: string; reply?: { id?: string; title?: string } }[] | undefined) ?? [];
      if (buttons.length < 1 || buttons.length > 3) throw invalid(`interactive.action.buttons: ${buttons.length} buttons, 1 to 3 allowed`);
      for (const btn of buttons) {
        if (btn.type !== "reply") throw invalid("button type must be reply");
        text(btn.reply?.id, "button reply.id", 256);
        text(btn.reply?.title, "button reply.title", 20);
      }
      unique(buttons.map((btn) => btn.reply!.title!), "button titles");
      unique(buttons.map((btn) => btn.reply!.id!), "button ids");
      return;
    }
    if (i.type === "list") {
      text(action?.button, "interactive.action.button", 20);
      const sections = (action?.sections as { title?: string; rows?: { id?: string; title?: string; description?: string }[] }[] | undefined) ?? [];
      if (sections.length < 1 || sections.length > 10) throw invalid(`interactive.action.sections: ${sections.length}, 1 to 10 allowed`);
      if (sections.length > 1) for (const s of sections) text(s.title, "section title", 24);
      const rows = sections.flatMap((s) => s.rows ?? []);
      if (rows.length < 1 || rows.length > 10) throw invalid(`list rows: ${rows.length}, 1 to 10 allowed in all sections`);
      for (const r of rows) {
        text(r.id, "row id", 200);
        text(r.title, "row title", 24);
        if (r.description !== undefined) text(r.description, "row description", 72, 0);
      }
      unique(rows.map((r) => r.id!), "row ids");
      return;
    }
    throw invalid(`interactive.type "${String(i.type)}" is not supported here`);
  }
}
