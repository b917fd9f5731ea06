import { randomBytes } from "node:crypto";
import { signatureOf } from "../../bots/whatsapp/verify.ts";
import type { FakeWhatsAppApi } from "./whatsapp-api.ts";

/**
 * Builds the WhatsApp Cloud API's `messages` webhook payloads in Meta's
 * documented shape: `{ object: "whatsapp_business_account", entry: [{ id,
 * changes: [{ field: "messages", value: { messaging_product, metadata:
 * { display_phone_number, phone_number_id }, contacts: [{ profile: { name },
 * wa_id }], messages | statuses } }] }] }`, and signs them as Meta does
 * (X-Hub-Signature-256: "sha256=" + HMAC-SHA256 of the body under the app
 * secret). Linked to a FakeWhatsAppApi, every inbound message opens the
 * sender's 24-hour window there, as writing to a business does.
 */

export interface WhatsAppWebhooksOptions {
  appSecret: string;
  phoneNumberId: string;
  displayPhoneNumber?: string;
  businessAccountId?: string;
  api?: FakeWhatsAppApi;
  /** Seconds since the epoch; default now. */
  now?: () => number;
}

export interface WhatsAppFrom {
  /** wa_id: digits, country code first. */
  waId: string;
  name?: string;
}

export type StatusError = { code: number; title: string; message?: string; error_data?: { details: string } };

export class WhatsAppWebhooks {
  constructor(private readonly o: WhatsAppWebhooksOptions) {}

  private now(): number {
    return this.o.now?.() ?? Math.floor(Date.now() / 1000);
  }

  private envelope(value: Record<string, unknown>) {
    return {
      object: "whatsapp_business_account",
      entry: [
        {
          id: this.o.businessAccountId ?? "102290129340398",
          changes: [
            {
              field: "messages",
              value: { messaging_product: "whatsapp", metadata: { display_phone_number: this.o.displayPhoneNumber ?? "15550783881", phone_number_id: this.o.phoneNumberId }, ...value },
            },
          ],
        },
      ],
    };
  }

  private inbound(from: WhatsAppFrom, message: Record<string, unknown>, o: { id?: string; timestamp?: number } = {}) {
    const timestamp = o.timestamp ?? this.now();
    this.o.api?.heardFrom(from.waId, timestamp * 1000);
    return this.envelope({
      contacts: [{ profile: { name: from.name ?? "" }, wa_id: from.waId }],
      messages: [{ from: from.waId, id: o.id ?? `wamid.${randomBytes(18).toString("base64url")}`, timestamp: String(timestamp), ...message }],
    });
  }

  text(from: WhatsAppFrom, body: string, o?: { id?: string; timestamp?: number }) {
    return this.inbound(from, { type: "text", text: { body } }, o);
  }

  buttonReply(from: WhatsAppFrom, button: { id: string; title: string }, o?: { id?: string; timestamp?: number }) {
    return this.inbound(from, { type: "interactive", interactive: { type: "button_reply", button_reply: button } }, o);
  }

  listReply(from: WhatsAppFrom, row: { id: string; title: string; description?: string }, o?: { id?: string; timestamp?: number }) {
    return this.inbound(from, { type: "interactive", interactive: { type: "list_reply", list_reply: row } }, o);
  }

  status(s: { id: string; status: "sent" | "delivered" | "read" | "failed"; recipient: string; errors?: StatusError[]; timestamp?: number }) {
    return this.envelope({
      statuses: [
        {
          id: s.id,
          status: s.status,
          timestamp: String(s.timestamp ?? this.now()),
          recipient_id: s.recipient,
          ...(s.status === "failed" ? {} : { conversation: { id: randomBytes(16).toString("hex"), origin: { type: "service" } }, pricing: { billable: true, pricing_model: "PMP", category: "service" } }),
          ...(s.errors ? { errors: s.errors } : {}),
        },
      ],
    });
  }

  /** The body as Meta sends it and its headers, signed with the app secret (or the one given; null: unsigned). */
  request(payload: object, secret: string | null = this.o.appSecret): { body: string; headers: Record<string, string> } {
    const body = JSON.stringify(payload);
    return { body, headers: { "content-type": "application/json", ...(secret === null ? {} : { "x-hub-signature-256": signatureOf(secret, body) }) } };
  }
}
