import { e164, type DeliveryStatus, type InboundMessage, type OutgoingMessage } from "./transport.ts";

/**
 * whatsapp-web.js messages in Clout's terms, kept apart from the client so
 * they are testable without a browser or a phone.
 */

/** The parts of a whatsapp-web.js Message Clout reads. */
export interface WebMessage {
  id: { _serialized: string };
  from: string;
  body: string;
  type: string;
  timestamp: number;
  fromMe: boolean;
  isStatus: boolean;
  broadcast: boolean;
  /** Missing from whatsapp-web.js's typings, but WhatsApp Web fills it: the sender's profile name. */
  _data?: { notifyName?: string };
}

/** An option shown as a number; `id` is the signed payload a Cloud API button would carry. */
export interface Choice {
  id: string;
  title: string;
}

/**
 * Who wrote: a phone number (…@c.us), or a privacy id (…@lid) the client
 * must resolve to one. Groups (@g.us), status@broadcast and channels are
 * nobody Clout answers: a creator talks to it one to one.
 */
export function senderOf(from: string): { phone: string } | { lid: string } | undefined {
  const [user, server, extra] = from.split("@");
  if (extra !== undefined || !user || !/^\d+$/.test(user)) return undefined;
  if (server === "c.us") return { phone: e164(user) };
  if (server === "lid") return { lid: from };
  return undefined;
}

/** "2", " 2. " or "2)" picks the second option; anything else is not a pick. */
export function chosen(text: string, choices: readonly Choice[]): Choice | undefined {
  const n = /^\s*(\d{1,2})\s*[.)]?\s*$/.exec(text)?.[1];
  return n === undefined ? undefined : choices[Number(n) - 1];
}

/**
 * A person's text as the inbound message the bot handles, or undefined for
 * what Clout ignores (its own messages, statuses, broadcasts, media). A bare
 * number answering the options last sent to them becomes the press of that
 * option, so the bot verifies its signed command exactly as for a Cloud API
 * button.
 */
export function inboundOf(m: WebMessage, phone: string, choices: readonly Choice[] = []): InboundMessage | undefined {
  if (m.fromMe || m.isStatus || m.broadcast || m.type !== "chat" || !m.body.trim()) return undefined;
  const name = m._data?.notifyName?.trim();
  const base = { id: m.id._serialized, phone, at: new Date(m.timestamp * 1000), ...(name ? { name } : {}) };
  const choice = chosen(m.body, choices);
  return choice ? { ...base, press: { id: choice.id, title: choice.title } } : { ...base, text: m.body };
}

/**
 * An outgoing message as WhatsApp Web text, and the options it offers. An
 * unofficial client cannot send reply buttons or lists (whatsapp-web.js
 * dropped Buttons and List once WhatsApp stopped delivering them), so options
 * are numbered and answered by number: "1 Accept · 2 Counter · 3 Decline".
 * The renderer keeps every part within the Cloud API's limits, so the whole
 * stays within one text message.
 */
export function webText(m: OutgoingMessage): { text: string; choices: Choice[] } {
  const framed = (o: { header?: string; body: string; footer?: string }, options: string) =>
    [o.header && `*${o.header}*`, o.body, options, o.footer && `_${o.footer}_`].filter(Boolean).join("\n\n");
  switch (m.type) {
    case "text":
      return { text: m.body, choices: [] };
    case "buttons":
      return { text: framed(m, m.buttons.map((b, i) => `${i + 1} ${b.title}`).join(" · ")), choices: m.buttons.map(({ id, title }) => ({ id, title })) };
    case "list":
      return {
        text: framed(m, m.rows.map((r, i) => `${i + 1} ${r.title}${r.description ? ` — ${r.description}` : ""}`).join("\n")),
        choices: m.rows.map(({ id, title }) => ({ id, title })),
      };
    case "template":
      return { text: m.parameters.join(" "), choices: [] };
    case "image":
    case "document":
      return { text: m.caption ?? "", choices: [] };
  }
}

/** whatsapp-web.js's MessageAck as the Cloud API's statuses; pending (0) says nothing new. */
export function ackStatus(ack: number): DeliveryStatus["status"] | undefined {
  if (ack === -1) return "failed";
  if (ack === 1) return "sent";
  if (ack === 2) return "delivered";
  if (ack >= 3) return "read";
  return undefined;
}
