import type { Sign } from "../../core/actions/signer.ts";
import type { Clock } from "../../core/clock.ts";
import type { Locale } from "../../core/i18n/locale.ts";
import type { Logger } from "../../core/logger.ts";
import { PermanentSendError, type Messenger } from "../../core/notifications/messenger.ts";
import type { Reply } from "../../core/reply.ts";
import type { WhatsAppContacts } from "./contacts.ts";
import { OutsideWindowError, UndeliverableError } from "./errors.ts";
import { renderMessages, templateText } from "./render.ts";
import type { OutgoingMessage, WhatsAppTransport } from "./transport.ts";

/** The approved template that carries a message outside the 24-hour window (WHATSAPP_TEMPLATE, WHATSAPP_TEMPLATE_LANGUAGE). */
export interface TemplateConfig {
  name: string;
  language: string;
}

export interface DeliveryDeps {
  transport: WhatsAppTransport;
  contacts: WhatsAppContacts;
  sign: Sign;
  clock: Clock;
  log: Logger;
  template: TemplateConfig;
}

/** Enough of a number to tell messages apart in the logs, not enough to reach the person. */
export const masked = (phone: string) => `…${phone.slice(-4)}`;

/**
 * Every message Clout sends on WhatsApp goes through here: nothing to a
 * number that sent STOP; free-form messages only inside the 24-hour window
 * since the person last wrote, the approved template otherwise (where the
 * transport has that window); each sent
 * message recorded for its delivery statuses.
 */
export class WhatsAppDelivery {
  constructor(private readonly d: DeliveryDeps) {}

  /** `confirming`: the answer to STOP itself, which still goes to the number that just opted out. */
  async send(phone: string, reply: Reply, locale?: Locale, o: { confirming?: boolean } = {}): Promise<void> {
    const state = await this.d.contacts.state(phone, this.d.clock.now());
    if (state.optedOut && !o.confirming) {
      this.d.log.info({ to: masked(phone) }, "whatsapp: not sent, the number opted out (STOP)");
      return;
    }
    const template = (): OutgoingMessage => ({ type: "template", name: this.d.template.name, language: this.d.template.language, parameters: [templateText(reply, locale)] });
    const messages = state.windowOpen || !this.d.transport.serviceWindow ? renderMessages(reply, { sign: this.d.sign, locale }) : [template()];
    try {
      for (const m of messages) await this.post(phone, m);
    } catch (err) {
      // Our clock and WhatsApp's can disagree at the window's edge: WhatsApp's word wins, and the template goes.
      if (err instanceof OutsideWindowError) return this.post(phone, template());
      // Retrying won't help: the message goes straight to the failed list, where an admin sees why.
      if (err instanceof UndeliverableError) throw new PermanentSendError(`WhatsApp can't deliver to ${masked(phone)} (code ${err.code}): ${err.message}`);
      throw err;
    }
  }

  private async post(phone: string, m: OutgoingMessage): Promise<void> {
    const wamid = await this.d.transport.send(phone, m);
    await this.d.contacts.sent(wamid, phone, this.d.clock.now());
  }
}

/** Where a late answer goes: the number, and the message it answers (one answer per request). */
export const answerAddress = (phone: string, messageId: string) => `${phone} ${messageId}`;

/** Messages to a creator's number (target.externalId is E.164), and late answers to what they asked. */
export function whatsappMessenger(delivery: WhatsAppDelivery): Messenger {
  return {
    platform: "whatsapp",
    send: (target, reply) => delivery.send(target.externalId, reply, target.locale),
    respond: (to, reply) => delivery.send(to.address.split(" ")[0]!, reply, to.locale),
  };
}
