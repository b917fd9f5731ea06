import type { FastifyInstance } from "fastify";
import { errorReply, runCommand } from "../../core/commands/run.ts";
import type { Caller } from "../../core/commands/types.ts";
import { DomainError } from "../../core/errors.ts";
import { toLocale, type Locale } from "../../core/i18n/locale.ts";
import { t } from "../../core/i18n/t.ts";
import { resolveActor } from "../../core/identity/actor.ts";
import { claimPhone } from "../../core/identity/phone.ts";
import type { Messenger } from "../../core/notifications/messenger.ts";
import type { Reply } from "../../core/reply.ts";
import type { AdapterServices } from "../common/services.ts";
import { WhatsAppContacts } from "./contacts.ts";
import { answerAddress, masked, WhatsAppDelivery, whatsappMessenger, type TemplateConfig } from "./messenger.ts";
import type { InboundMessage, WhatsAppTransport } from "./transport.ts";

export interface WhatsAppBotOptions extends AdapterServices {
  transport: WhatsAppTransport & { mount?(server: FastifyInstance): Promise<void> };
  template: TemplateConfig;
}

export interface WhatsAppBot {
  mount(server: FastifyInstance): Promise<void>;
  listen(): Promise<void>;
  close(): Promise<void>;
  messenger: Messenger;
}

/** WhatsApp's own words for opting out and back in; people type them in any case. */
const STOP = /^\s*stop\s*$/i;
const START = /^\s*start\s*$/i;
/** A number on no creator profile may still link itself to a member with a code, or ask for help. */
const OPEN_TO_STRANGERS = /^\s*(link|help)\b/i;

export function whatsappCaller(m: InboundMessage): Caller {
  return { platform: "whatsapp", externalId: m.phone, displayName: m.name ?? m.phone };
}

/**
 * WhatsApp for creators: a number on a creator's profile is that creator
 * (claimPhone links it on the first message), text runs in the console's
 * grammar, reply buttons and list rows run their signed command, STOP and
 * START opt the number out and in. Whatever carries the messages (the Cloud
 * API, or whatsapp-web.js) is the transport's business.
 */
export function createWhatsAppBot(o: WhatsAppBotOptions): WhatsAppBot {
  const { runner, log } = o;
  const contacts = new WhatsAppContacts(runner.db);
  const delivery = new WhatsAppDelivery({ transport: o.transport, contacts, sign: (command, scope) => o.signer.sign(command, scope), clock: o.clock, log, template: o.template });

  /** An answer WhatsApp refuses for now (rate limit, outage) goes to the outbound queue, which paces and retries it. */
  async function answer(m: InboundMessage, reply: Reply, locale: Locale) {
    await delivery.send(m.phone, reply, locale).catch(async (err: unknown) => {
      log.warn({ err: (err as Error).message, to: masked(m.phone) }, "whatsapp: answer queued for retry");
      await o.enqueue({ to: { platform: "whatsapp", address: answerAddress(m.phone, m.id), locale }, reply });
    });
  }

  async function message(m: InboundMessage) {
    const now = o.clock.now();
    await contacts.heardFrom(m.phone, m.at);
    const caller = whatsappCaller(m);
    if (m.text !== undefined && (STOP.test(m.text) || START.test(m.text))) {
      const stop = STOP.test(m.text);
      await contacts.optOut(m.phone, stop ? now : null, now);
      const actor = await resolveActor(runner.db, caller);
      const locale = toLocale(actor?.workspace.locale);
      log.info({ from: masked(m.phone) }, stop ? "whatsapp: number opted out (STOP)" : "whatsapp: number opted back in (START)");
      await delivery.send(m.phone, { text: t(locale, stop ? "whatsapp.stopped" : "whatsapp.started") }, locale, { confirming: true });
      return;
    }
    const claim = await claimPhone(runner, m.phone);
    if (claim === "unknown" && !(m.text && OPEN_TO_STRANGERS.test(m.text))) {
      await answer(m, { text: t("en", "whatsapp.unknown") }, "en");
      return;
    }
    const actor = await resolveActor(runner.db, caller);
    const locale = toLocale(actor?.workspace.locale);
    let text = m.text ?? "";
    if (m.press) {
      try {
        text = o.signer.verify(m.press.id, actor?.workspace.id);
      } catch (err) {
        if (!(err instanceof DomainError)) throw err;
        log.warn({ from: masked(m.phone) }, "whatsapp: button payload refused");
        await answer(m, errorReply(err, locale), locale);
        return;
      }
    }
    if (!text.trim()) return;
    const result = o.busy() ? undefined : await runCommand(runner, { text, caller, actor, queue: true });
    // A slow command says it is under way, once: queued for a retry, the note would take the answer's place (one answer per request).
    if (result?.queued) await delivery.send(m.phone, result.reply, locale).catch((err: unknown) => log.warn({ err: (err as Error).message, to: masked(m.phone) }, "whatsapp: the under-way note was not sent"));
    if (!result || result.queued) {
      await o.defer({ text, caller, replyTo: { platform: "whatsapp", address: answerAddress(m.phone, m.id), locale } });
      return;
    }
    await answer(m, result.reply, locale);
  }

  o.transport.receive({ message, status: (s) => contacts.status(s, o.clock.now()) });

  return {
    messenger: whatsappMessenger(delivery),
    async mount(server) {
      await o.transport.mount?.(server);
    },
    async listen() {
      await o.transport.start?.();
    },
    async close() {
      await o.transport.close?.();
    },
  };
}
