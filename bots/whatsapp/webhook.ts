import type { FastifyInstance } from "fastify";
import type { EventClaims } from "../../core/idempotency.ts";
import type { Logger } from "../../core/logger.ts";
import { mountRawPost } from "../common/raw-route.ts";
import { e164, type DeliveryStatus, type InboundHandlers, type InboundMessage } from "./transport.ts";
import { sameSecret, verifySignature } from "./verify.ts";

export const WEBHOOK_PATH = "/whatsapp/webhook";

export interface WebhookOptions {
  /** Only events for this business number are ours (one Meta app can serve several). */
  phoneNumberId: string;
  appSecret: string;
  verifyToken: string;
  claims: EventClaims;
  log: Logger;
  handlers: InboundHandlers;
}

/** The parts of Meta's `messages` webhook payload Clout reads (entry[].changes[].value). */
interface WebhookValue {
  messaging_product?: string;
  metadata?: { display_phone_number?: string; phone_number_id?: string };
  contacts?: { profile?: { name?: string }; wa_id?: string }[];
  messages?: {
    from: string;
    id: string;
    timestamp: string;
    type: string;
    text?: { body?: string };
    interactive?: { type: string; button_reply?: { id: string; title: string }; list_reply?: { id: string; title: string } };
    button?: { payload?: string; text?: string };
  }[];
  statuses?: { id: string; status: string; timestamp: string; recipient_id: string; errors?: { code?: number }[] }[];
}

interface WebhookPayload {
  object?: string;
  entry?: { id?: string; changes?: { field?: string; value?: WebhookValue }[] }[];
}

const STATUSES = new Set<DeliveryStatus["status"]>(["sent", "delivered", "read", "failed"]);
const at = (timestamp: string) => new Date(Number(timestamp) * 1000);

/** The messages and statuses of a payload meant for our number, in Clout's terms; anything else (reactions, media, other numbers) is left out. */
export function readPayload(payload: WebhookPayload, phoneNumberId: string): { messages: InboundMessage[]; statuses: DeliveryStatus[] } {
  const messages: InboundMessage[] = [];
  const statuses: DeliveryStatus[] = [];
  for (const entry of payload.entry ?? []) {
    for (const change of entry.changes ?? []) {
      const v = change.value;
      if (change.field !== "messages" || !v || v.metadata?.phone_number_id !== phoneNumberId) continue;
      for (const m of v.messages ?? []) {
        const contact = v.contacts?.find((c) => c.wa_id === m.from) ?? v.contacts?.[0];
        const base = { id: m.id, phone: e164(m.from), at: at(m.timestamp), ...(contact?.profile?.name ? { name: contact.profile.name } : {}) };
        const press = m.interactive?.button_reply ?? m.interactive?.list_reply;
        if (m.type === "text" && typeof m.text?.body === "string") messages.push({ ...base, text: m.text.body });
        else if (m.type === "interactive" && press) messages.push({ ...base, press: { id: press.id, title: press.title } });
        // A template's quick-reply button comes back as type "button" with our payload.
        else if (m.type === "button" && m.button?.payload) messages.push({ ...base, press: { id: m.button.payload, title: m.button.text ?? "" } });
      }
      for (const s of v.statuses ?? []) {
        if (!STATUSES.has(s.status as DeliveryStatus["status"])) continue;
        const code = s.errors?.[0]?.code;
        statuses.push({ id: s.id, phone: e164(s.recipient_id), status: s.status as DeliveryStatus["status"], at: at(s.timestamp), ...(code === undefined ? {} : { errorCode: code }) });
      }
    }
  }
  return { messages, statuses };
}

/**
 * GET answers Meta's verification handshake; POST takes signed events. The
 * answer is 200 as soon as the signature checks out and each message id is
 * claimed (Meta retries anything slower or non-200); the work runs after.
 */
export async function mountWebhook(server: FastifyInstance, o: WebhookOptions): Promise<void> {
  const { log } = o;
  server.get(WEBHOOK_PATH, async (req, reply) => {
    const q = req.query as Record<string, string | undefined>;
    if (q["hub.mode"] === "subscribe" && sameSecret(o.verifyToken, q["hub.verify_token"]) && typeof q["hub.challenge"] === "string") {
      return reply.type("text/plain").send(q["hub.challenge"]);
    }
    log.warn({ ip: req.ip }, "whatsapp: webhook verification refused");
    return reply.code(403).type("text/plain").send("verification failed");
  });

  await mountRawPost(server, WEBHOOK_PATH, async (raw, req, reply) => {
    if (!verifySignature(o.appSecret, raw, req.headers["x-hub-signature-256"])) {
      log.warn({ ip: req.ip }, "whatsapp: webhook request refused (signature)");
      return reply.code(401).send({ error: "invalid_signature" });
    }
    let payload: WebhookPayload;
    try {
      payload = JSON.parse(raw) as WebhookPayload;
    } catch {
      return reply.code(400).send({ error: "not_json" });
    }
    const { messages, statuses } = readPayload(payload, o.phoneNumberId);
    // Meta redelivers until it gets a 200; a message it already sent does nothing the second time.
    const fresh = (await Promise.all(messages.map(async (m) => ((await o.claims.claim("whatsapp", m.id)) ? m : undefined)))).filter((m) => m !== undefined);
    reply.raw.once("finish", () => {
      // Errors can carry the person's text: only their message is logged.
      const failed = (err: unknown) => log.error({ err: (err as Error).message }, "whatsapp: event failed");
      for (const s of statuses) void o.handlers.status(s).catch(failed);
      // In order: "STOP" then "START" in one delivery must leave the number opted in.
      void fresh.reduce((done, m) => done.then(() => o.handlers.message(m).catch(failed)), Promise.resolve());
    });
    return reply.send({ ok: true });
  });
}
