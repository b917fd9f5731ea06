/**
 * The one interface both WhatsApp transports implement: the Cloud API
 * (cloud.ts, for production) and whatsapp-web.js (a paired phone, for trying
 * things). Everything above it (rendering, opt-out, the 24-hour window,
 * commands) is the same whichever carries the messages.
 */

/** A message to send, in WhatsApp's own terms; the renderer keeps every field within limits.ts. */
export type OutgoingMessage =
  | { type: "text"; body: string }
  | { type: "buttons"; body: string; header?: string; footer?: string; buttons: { id: string; title: string }[] }
  | { type: "list"; body: string; header?: string; footer?: string; button: string; rows: { id: string; title: string; description?: string }[] }
  /** An approved template with its body parameters: the only message allowed outside the 24-hour window. */
  | { type: "template"; name: string; language: string; parameters: string[] }
  | { type: "image"; png: Uint8Array; filename: string; caption?: string }
  | { type: "document"; bytes: Uint8Array; filename: string; mimeType: string; caption?: string };

/** What a person sent: a text, or a press of one of our buttons or list rows (its id is our signed payload). */
export interface InboundMessage {
  /** The platform's message id ("wamid…"): redeliveries carry the same one. */
  id: string;
  /** E.164 with its "+", e.g. "+254712345678". */
  phone: string;
  /** The name on their WhatsApp profile, when shared. */
  name?: string;
  at: Date;
  text?: string;
  press?: { id: string; title: string };
}

/** How far a sent message got. */
export interface DeliveryStatus {
  id: string;
  phone: string;
  status: "sent" | "delivered" | "read" | "failed";
  at: Date;
  errorCode?: number;
}

export interface InboundHandlers {
  message(m: InboundMessage): Promise<void>;
  status(s: DeliveryStatus): Promise<void>;
}

export interface WhatsAppTransport {
  readonly kind: "cloud" | "web";
  /**
   * The Cloud API allows free-form messages only within 24 hours of the
   * person's last one (templates outside it); a paired personal account has
   * no such window.
   */
  readonly serviceWindow: boolean;
  /** Sends one message to an E.164 number; resolves with the platform's message id. */
  send(phone: string, message: OutgoingMessage): Promise<string>;
  /** Where inbound messages and statuses go; set once, before any arrive. */
  receive(handlers: InboundHandlers): void;
  /** Starts receiving (web: pairs or reconnects the phone); the Cloud API needs nothing. */
  start?(): Promise<void>;
  close?(): Promise<void>;
}

/** "+254712345678" as WhatsApp's APIs want it: digits only. */
export const waId = (phone: string) => phone.replace(/\D/g, "");

/** WhatsApp's "254712345678" as the E.164 Clout stores. */
export const e164 = (id: string) => `+${id.replace(/\D/g, "")}`;
