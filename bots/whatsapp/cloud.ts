import type { FastifyInstance } from "fastify";
import { RetryAfterError } from "../../core/notifications/messenger.ts";
import { GraphApiError, OutsideWindowError, UndeliverableError } from "./errors.ts";
import { GRAPH_ERRORS, RATE_LIMIT_RETRY_MS } from "./limits.ts";
import { waId, type InboundHandlers, type OutgoingMessage, type WhatsAppTransport } from "./transport.ts";
import { mountWebhook, type WebhookOptions } from "./webhook.ts";

export const DEFAULT_GRAPH_URL = "https://graph.facebook.com/v21.0";

export interface CloudOptions extends Omit<WebhookOptions, "handlers"> {
  /** WHATSAPP_API_URL: the Graph API base, version included. */
  apiUrl?: string;
  phoneNumberId: string;
  accessToken: string;
}

interface GraphErrorBody {
  error?: { message?: string; type?: string; code?: number; error_subcode?: number; error_data?: { details?: string } };
}

const RATE_LIMIT_CODES = new Set<number>([GRAPH_ERRORS.rateLimit, GRAPH_ERRORS.pairRateLimit, ...GRAPH_ERRORS.callRateLimits]);

/** A Graph API refusal as a typed error; a rate limit as RetryAfterError, so the outbound queue reschedules the message. */
export function graphError(status: number, body: GraphErrorBody, retryAfter: string | null): Error {
  const code = body.error?.code;
  if (status === 429 || (code !== undefined && RATE_LIMIT_CODES.has(code))) {
    const seconds = Number(retryAfter);
    return new RetryAfterError(Number.isFinite(seconds) && seconds > 0 ? seconds * 1000 : RATE_LIMIT_RETRY_MS);
  }
  const message = body.error?.error_data?.details ?? body.error?.message ?? `HTTP ${status}`;
  const subcode = body.error?.error_subcode;
  if (code === GRAPH_ERRORS.reEngagement) return new OutsideWindowError(status, code, subcode, message);
  if (code === GRAPH_ERRORS.undeliverable) return new UndeliverableError(status, code, subcode, message);
  return new GraphApiError(status, code, subcode, message);
}

/** A file name any multipart parser takes: WhatsApp shows it, so it stays readable, but quotes and line breaks would break the upload. */
export const fileName = (name: string, fallback: string) => name.replace(/[^\p{L}\p{N}._ -]+/gu, "_").trim().slice(0, 200) || fallback;

/** The message as the Graph API's POST /{phone-number-id}/messages body, media already uploaded. */
function graphBody(to: string, m: OutgoingMessage, mediaId?: string): Record<string, unknown> {
  const base = { messaging_product: "whatsapp", recipient_type: "individual", to };
  const frame = (o: { header?: string; footer?: string; body: string }) => ({
    ...(o.header ? { header: { type: "text", text: o.header } } : {}),
    body: { text: o.body },
    ...(o.footer ? { footer: { text: o.footer } } : {}),
  });
  switch (m.type) {
    case "text":
      return { ...base, type: "text", text: { body: m.body, preview_url: false } };
    case "buttons":
      return { ...base, type: "interactive", interactive: { type: "button", ...frame(m), action: { buttons: m.buttons.map((b) => ({ type: "reply", reply: b })) } } };
    case "list":
      return { ...base, type: "interactive", interactive: { type: "list", ...frame(m), action: { button: m.button, sections: [{ rows: m.rows }] } } };
    case "template":
      return {
        ...base,
        type: "template",
        template: { name: m.name, language: { code: m.language }, components: [{ type: "body", parameters: m.parameters.map((text) => ({ type: "text", text })) }] },
      };
    case "image":
      return { ...base, type: "image", image: { id: mediaId, ...(m.caption ? { caption: m.caption } : {}) } };
    case "document":
      return { ...base, type: "document", document: { id: mediaId, filename: fileName(m.filename, "document"), ...(m.caption ? { caption: m.caption } : {}) } };
  }
}

/**
 * The WhatsApp Cloud API: messages through the Graph API with the access
 * token, events through the signed webhook (webhook.ts) mounted on our server.
 */
export class CloudTransport implements WhatsAppTransport {
  readonly kind = "cloud" as const;
  readonly serviceWindow = true;
  private handlers?: InboundHandlers;
  private readonly base: string;

  constructor(private readonly o: CloudOptions) {
    this.base = `${(o.apiUrl ?? DEFAULT_GRAPH_URL).replace(/\/+$/, "")}/${encodeURIComponent(o.phoneNumberId)}`;
  }

  receive(handlers: InboundHandlers): void {
    this.handlers = handlers;
  }

  async mount(server: FastifyInstance): Promise<void> {
    const handlers = this.handlers;
    if (!handlers) throw new Error("whatsapp: receive() must be called before mount()");
    await mountWebhook(server, { ...this.o, handlers });
  }

  async send(phone: string, message: OutgoingMessage): Promise<string> {
    let mediaId: string | undefined;
    if (message.type === "image") mediaId = await this.upload(message.png, "image/png", fileName(message.filename, "image.png"));
    if (message.type === "document") mediaId = await this.upload(message.bytes, message.mimeType, fileName(message.filename, "document"));
    const answer = await this.call<{ messages?: { id: string }[] }>("messages", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(graphBody(waId(phone), message, mediaId)),
    });
    const id = answer.messages?.[0]?.id;
    if (!id) throw new GraphApiError(200, undefined, undefined, "the answer named no message id");
    return id;
  }

  private async upload(bytes: Uint8Array, type: string, filename: string): Promise<string> {
    const form = new FormData();
    form.set("messaging_product", "whatsapp");
    form.set("type", type);
    form.set("file", new Blob([new Uint8Array(bytes)], { type }), filename);
    const answer = await this.call<{ id?: string }>("media", { method: "POST", body: form });
    if (!answer.id) throw new GraphApiError(200, undefined, undefined, "the media upload named no id");
    return answer.id;
  }

  private async call<T>(path: string, init: RequestInit): Promise<T> {
    const res = await fetch(`${this.base}/${path}`, { ...init, headers: { ...(init.headers as Record<string, string>), authorization: `Bearer ${this.o.accessToken}` } });
    const body = (await res.json().catch(() => ({}))) as T & GraphErrorBody;
    if (!res.ok || body.error) throw graphError(res.status, body, res.headers.get("retry-after"));
    return body;
  }
}
