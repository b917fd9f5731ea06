import type { Sign } from "../../core/actions/signer.ts";
import { DiscordAPIError, RateLimitError, type RawFile, type REST } from "@discordjs/rest";
import { MessageFlags, Routes, type RESTPostAPIChannelMessageJSONBody } from "discord-api-types/v10";
import { LRUCache } from "lru-cache";
import type { Locale } from "../../core/i18n/locale.ts";
import { RetryAfterError, type Messenger } from "../../core/notifications/messenger.ts";
import type { Reply } from "../../core/reply.ts";
import { renderMessage, type DiscordMessage } from "./render.ts";

/** A rendered reply as Discord's JSON body and the PNGs and documents that ride with it as multipart attachments. */
export function toRequest(m: DiscordMessage): { body: RESTPostAPIChannelMessageJSONBody & { flags?: number }; files: RawFile[] } {
  return {
    body: {
      ...(m.content ? { content: m.content } : {}),
      embeds: m.embeds,
      components: m.components,
      ...(m.flags ? { flags: m.flags } : {}),
      allowed_mentions: { parse: [] },
      ...(m.files.length || m.documents.length ? { attachments: [...m.files, ...m.documents].map((f, id) => ({ id: String(id), filename: f.filename })) } : {}),
    },
    files: [...m.files.map((f) => ({ name: f.filename, data: Buffer.from(f.png), contentType: "image/png" })), ...m.documents.map((d) => ({ name: d.filename, data: Buffer.from(d.bytes), contentType: d.mime }))],
  };
}

/** A posted message as Clout remembers it: "CHANNEL:MESSAGE". */
export const messageRef = (channel: string, message: string) => `${channel}:${message}`;
const parseRef = (ref: string) => {
  const [channel = "", message = ""] = ref.split(":");
  return { channel, message };
};

export interface DiscordMessengerOptions {
  rest: REST;
  applicationId: string;
  sign: Sign;
}

/**
 * Direct messages and channel posts through REST. @discordjs/rest keeps
 * Discord's rate-limit buckets and waits out short `retry_after`s itself; a
 * long one (the REST client is built to reject those) becomes a
 * RetryAfterError, so the outbound job is rescheduled instead of holding a
 * worker slot.
 */
export function discordMessenger(o: DiscordMessengerOptions): Messenger {
  const dms = new LRUCache<string, string>({ max: 50_000 });
  const render = (reply: Reply, locale?: Locale) => toRequest(renderMessage(reply, { sign: o.sign, locale }));
  const rateLimited = (err: unknown): never => {
    if (err instanceof RateLimitError) throw new RetryAfterError(err.retryAfter);
    throw err;
  };

  async function dmChannel(userId: string): Promise<string> {
    const known = dms.get(userId);
    if (known) return known;
    const channel = (await o.rest.post(Routes.userChannels(), { body: { recipient_id: userId } })) as { id: string };
    dms.set(userId, channel.id);
    return channel.id;
  }

  return {
    platform: "discord",
    async send(target, reply) {
      // Under a posted message: a reply to it, in its channel.
      if (target.thread) {
        const at = parseRef(target.thread);
        const { body, files } = render(reply);
        await o.rest.post(Routes.channelMessages(at.channel), { body: { ...body, message_reference: { message_id: at.message, fail_if_not_exists: false } }, files }).catch(rateLimited);
        return;
      }
      const channel = target.channel ? target.externalId : await dmChannel(target.externalId).catch(rateLimited);
      await o.rest.post(Routes.channelMessages(channel), render(reply)).catch(rateLimited);
    },
    async update(ref, reply) {
      const at = parseRef(ref);
      await o.rest.patch(Routes.channelMessage(at.channel, at.message), render(reply)).catch(rateLimited);
    },
    /**
     * The answer to a deferred interaction replaces its "thinking…" message.
     * That message is public, so a private answer (a link code, an error)
     * takes its place as an ephemeral follow-up instead.
     */
    async respond(to, reply) {
      const token = to.address;
      const { body, files } = render(reply, to.locale);
      const options = { body, files, auth: false } as const;
      if (!reply.ephemeral) {
        await o.rest.patch(Routes.webhookMessage(o.applicationId, token, "@original"), options).catch(rateLimited);
        return;
      }
      await o.rest.delete(Routes.webhookMessage(o.applicationId, token, "@original"), { auth: false }).catch((err: unknown) => {
        if (!(err instanceof DiscordAPIError && err.status === 404)) rateLimited(err);
      });
      await o.rest.post(Routes.webhook(o.applicationId, token), { ...options, body: { ...body, flags: MessageFlags.Ephemeral } }).catch(rateLimited);
    },
  };
}
