import type { EventEmitter } from "node:events";
import { LRUCache } from "lru-cache";
import qrcode from "qrcode-terminal";
import wwebjs from "whatsapp-web.js";
import type { Clock } from "../../core/clock.ts";
import type { EventClaims } from "../../core/idempotency.ts";
import type { Logger } from "../../core/logger.ts";
import { PermanentSendError } from "../../core/notifications/messenger.ts";
import { fileName } from "./cloud.ts";
import { masked } from "./messenger.ts";
import { e164, waId, type InboundHandlers, type OutgoingMessage, type WhatsAppTransport } from "./transport.ts";
import type { ChoiceStore } from "./web-choices.ts";
import { ackStatus, inboundOf, senderOf, webText, type WebMessage } from "./web-messages.ts";
import { puppeteerOptions, sessionPaths } from "./web-options.ts";

const { Client, LocalAuth, MessageMedia } = wwebjs;

/** The slice of whatsapp-web.js's Client the transport uses; tests stand in a fake. */
export interface WebClient extends EventEmitter {
  info?: { wid?: { user?: string } };
  initialize(): Promise<void>;
  destroy(): Promise<void>;
  getNumberId(number: string): Promise<{ _serialized: string } | null>;
  getContactLidAndPhone(ids: string[]): Promise<{ lid: string; pn: string }[]>;
  sendMessage(chatId: string, content: string | InstanceType<typeof MessageMedia>, options?: object): Promise<{ id: { _serialized: string } }>;
}

export interface WebOptions {
  executablePath: string;
  dataDir: string;
  claims: EventClaims;
  choices: ChoiceStore;
  clock: Clock;
  log: Logger;
  /** Where the pairing QR code goes: the terminal, on stderr, since the console owns stdout in dev. */
  print?: (s: string) => void;
  client?: () => WebClient;
  /** How often, and how soon, a lost connection is retried; each wait doubles the one before. */
  reconnect?: { attempts: number; firstDelayMs: number };
}

const RECONNECT = { attempts: 6, firstDelayMs: 2_000 };

function whatsappWebClient(o: WebOptions): WebClient {
  const paths = sessionPaths(o.dataDir);
  return new Client({
    authStrategy: new LocalAuth({ dataPath: paths.auth, clientId: "clout" }),
    webVersionCache: { type: "local", path: paths.webCache },
    puppeteer: puppeteerOptions(o.executablePath),
  });
}

const base64 = (bytes: Uint8Array) => Buffer.from(bytes).toString("base64");

/**
 * WhatsApp through whatsapp-web.js: WhatsApp Web in the system Chromium,
 * paired with a phone by QR code. An unofficial client, for trying Clout:
 * WhatsApp may ban numbers it sees automated. One process holds the session,
 * so it runs where the app and workers run together (scripts/dev, npm start).
 */
export class WebTransport implements WhatsAppTransport {
  readonly kind = "web" as const;
  readonly serviceWindow = false;
  private handlers?: InboundHandlers;
  private readonly client: WebClient;
  private ready = false;
  private closing = false;
  private failures = 0;
  private retry?: NodeJS.Timeout;
  /** Each sender's messages in order: "STOP" then "START" must leave the number opted in. */
  private readonly chains = new Map<string, Promise<void>>();
  /** Whom each message went to: acks name the chat, which may be a privacy id rather than the number. */
  private readonly sentTo = new LRUCache<string, string>({ max: 10_000, ttl: 7 * 86_400_000 });

  constructor(private readonly o: WebOptions) {
    this.client = (o.client ?? (() => whatsappWebClient(o)))();
    this.wire();
  }

  receive(handlers: InboundHandlers): void {
    this.handlers = handlers;
  }

  /** Returns at once: pairing waits on a person with a phone, and the other platforms should not. */
  async start(): Promise<void> {
    void this.connect();
  }

  async close(): Promise<void> {
    this.closing = true;
    clearTimeout(this.retry);
    await this.client.destroy();
  }

  async send(phone: string, message: OutgoingMessage): Promise<string> {
    // A plain error: the outbound queue retries with backoff while the phone pairs or reconnects.
    if (!this.ready) throw new Error("WhatsApp web is not connected (scan the QR code Clout printed at start-up)");
    const chat = await this.client.getNumberId(waId(phone));
    if (!chat) throw new PermanentSendError(`${masked(phone)} is not on WhatsApp`);
    const { text, choices } = webText(message);
    const media =
      message.type === "image"
        ? new MessageMedia("image/png", base64(message.png), fileName(message.filename, "image.png"))
        : message.type === "document"
          ? new MessageMedia(message.mimeType, base64(message.bytes), fileName(message.filename, "document"))
          : undefined;
    const sent = media
      ? await this.client.sendMessage(chat._serialized, media, { ...(text ? { caption: text } : {}), sendMediaAsDocument: message.type === "document" })
      : await this.client.sendMessage(chat._serialized, text, { linkPreview: false });
    const id = sent.id._serialized;
    this.sentTo.set(id, phone);
    if (choices.length) await this.o.choices.offer(phone, choices);
    return id;
  }

  private wire(): void {
    const { log } = this.o;
    const print = this.o.print ?? ((s: string) => void process.stderr.write(s));
    const c = this.client;
    c.on("qr", (qr: string) => {
      qrcode.generate(qr, { small: true }, (art) => print(`${art}\nclout: pair WhatsApp: on the phone open WhatsApp → Linked devices → Link a device, and scan this code\n`));
      log.info({}, "whatsapp web: pairing QR code printed in the terminal (WhatsApp → Linked devices)");
    });
    c.on("authenticated", () => log.info({}, "whatsapp web: paired; the session is kept under DATA_DIR/whatsapp-web"));
    c.on("auth_failure", (reason: unknown) => log.error({ reason: String(reason) }, "whatsapp web: the saved session was refused; pair again with the new QR code"));
    c.on("ready", () => {
      this.ready = true;
      this.failures = 0;
      const number = c.info?.wid?.user ? e164(c.info.wid.user) : "unknown";
      log.info({ number }, "whatsapp web: ready");
      print(`clout: WhatsApp web ready as ${number}\n`);
    });
    c.on("disconnected", (reason: unknown) => {
      this.ready = false;
      if (this.closing) return;
      // whatsapp-web.js handles a logout itself: it drops the session and shows a new QR code.
      if (reason === "LOGOUT") return log.warn({}, "whatsapp web: logged out from the phone; scan the new QR code to pair again");
      this.reconnect(String(reason));
    });
    c.on("message", (m: WebMessage) => this.inbound(m));
    c.on("message_ack", (m: WebMessage, ack: number) => {
      const status = ackStatus(ack);
      const phone = this.sentTo.get(m.id._serialized);
      if (!status || !phone || !this.handlers) return;
      this.handlers.status({ id: m.id._serialized, phone, status, at: this.o.clock.now() }).catch((err: unknown) => log.error({ err: (err as Error).message }, "whatsapp web: status not recorded"));
    });
  }

  private async connect(): Promise<void> {
    try {
      await this.client.initialize();
    } catch (err) {
      if (this.closing) return;
      // Puppeteer's messages name the browser and the page, never a message's text.
      this.o.log.error({ err: (err as Error).message }, "whatsapp web: the client did not start");
      this.reconnect((err as Error).message);
    }
  }

  private reconnect(reason: string): void {
    if (this.retry) return;
    const { attempts, firstDelayMs } = this.o.reconnect ?? RECONNECT;
    if (this.failures >= attempts) {
      this.o.log.error({ reason, attempts }, "whatsapp web: gave up reconnecting; restart Clout to try again");
      return;
    }
    const delayMs = firstDelayMs * 2 ** this.failures++;
    this.o.log.warn({ reason, attempt: this.failures, of: attempts, delayMs }, "whatsapp web: not connected; trying again");
    this.retry = setTimeout(() => {
      this.retry = undefined;
      // The old browser may still be up (a failed start): one browser per session directory.
      void this.client
        .destroy()
        .catch(() => {})
        .then(() => (this.closing ? undefined : this.connect()));
    }, delayMs);
  }

  private inbound(m: WebMessage): void {
    const from = senderOf(m.from);
    const handlers = this.handlers;
    if (!from || !handlers) return;
    const { log, claims, choices } = this.o;
    const work = async () => {
      const phone = "phone" in from ? from.phone : await this.phoneOf(from.lid);
      if (!phone) return log.warn({}, "whatsapp web: ignored a message whose sender's number WhatsApp did not reveal");
      const message = inboundOf(m, phone, await choices.of(phone));
      if (!message || !(await claims.claim("whatsapp", message.id))) return;
      await handlers.message(message);
    };
    // Errors can carry the person's text: only their message is logged.
    const next = (this.chains.get(m.from) ?? Promise.resolve()).then(work).catch((err: unknown) => log.error({ err: (err as Error).message }, "whatsapp: event failed"));
    this.chains.set(m.from, next);
    void next.then(() => this.chains.get(m.from) === next && this.chains.delete(m.from));
  }

  private async phoneOf(lid: string): Promise<string | undefined> {
    const [known] = await this.client.getContactLidAndPhone([lid]);
    const sender = known?.pn ? senderOf(known.pn) : undefined;
    return sender && "phone" in sender ? sender.phone : undefined;
  }
}
