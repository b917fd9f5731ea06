import type { Sign } from "../../core/actions/signer.ts";
import { ErrorCode, WebClient } from "@slack/web-api";
import { RetryAfterError, type Messenger } from "../../core/notifications/messenger.ts";
import type { Reply } from "../../core/reply.ts";
import { uploadFiles } from "./files.ts";
import { renderMessage, responseBody } from "./render.ts";

export interface SlackMessengerOptions {
  /** The bot token for a team: the single workspace's, or the team's installation's. */
  tokenFor(teamId: string): Promise<string>;
  sign: Sign;
  slackApiUrl?: string;
}

/** Failures throw: the outbound job retries with backoff; a 429 reschedules it after Slack's Retry-After. */
function rateLimited(err: unknown): never {
  const e = err as { code?: string; retryAfter?: number };
  throw e.code === ErrorCode.RateLimitedError ? new RetryAfterError((e.retryAfter ?? 1) * 1000) : err;
}

/** A posted message as Clout remembers it: "TEAM:CHANNEL:TS". */
export const messageRef = (team: string, channel: string, ts: string) => `${team}:${channel}:${ts}`;

/** Where a late answer goes: its text to response_url, its files uploaded to the conversation it was asked in. */
export const answerAddress = (responseUrl: string, team: string, channel: string, user: string) => `${responseUrl} ${team}:${channel}:${user}`;

function parseRef(ref: string): { team: string; channel: string; ts: string } {
  const [team = "", channel = "", ts = ""] = ref.split(":");
  return { team, channel, ts };
}

/** Sends a reply to a person as a direct message from the app (posting to a user id opens the DM). */
export function slackMessenger(o: SlackMessengerOptions): Messenger {
  const clients = new Map<string, WebClient>();
  const responseOrigins = new Set(["https://hooks.slack.com", ...(o.slackApiUrl ? [new URL(o.slackApiUrl).origin] : [])]);
  const clientFor = (token: string) => {
    let c = clients.get(token);
    if (!c) clients.set(token, (c = new WebClient(token, { ...(o.slackApiUrl ? { slackApiUrl: o.slackApiUrl } : {}), retryConfig: { retries: 0 }, rejectRateLimitedCalls: true })));
    return c;
  };
  return {
    platform: "slack",
    async send(target, reply: Reply) {
      const { text, blocks } = renderMessage(reply, { sign: o.sign });
      // Under a posted message: a reply in its thread.
      if (target.thread) {
        const at = parseRef(target.thread);
        const client = clientFor(await o.tokenFor(at.team));
        await client.chat.postMessage({ channel: at.channel, thread_ts: at.ts, text, blocks }).catch(rateLimited);
        await uploadFiles(client, { channel: at.channel, user: at.channel, private: false, threadTs: at.ts }, reply).catch(rateLimited);
        return;
      }
      const [teamId = "", userId = ""] = target.externalId.split(":");
      const client = clientFor(await o.tokenFor(teamId));
      const posted = await client.chat.postMessage({ channel: userId, text, blocks }).catch(rateLimited);
      await uploadFiles(client, { channel: posted.channel ?? userId, user: userId, private: false }, reply).catch(rateLimited);
    },
    async update(ref, reply) {
      const at = parseRef(ref);
      const client = clientFor(await o.tokenFor(at.team));
      const { text, blocks } = renderMessage(reply, { sign: o.sign });
      await client.chat.update({ channel: at.channel, ts: at.ts, text, blocks }).catch(rateLimited);
    },
    async respond(to, reply) {
      const [url = "", where] = to.address.split(" ");
      // response_url takes a JSON message for 30 minutes. It is only ever Slack's own host (or the
      // configured API base), so a queued job can't be turned into a request to anywhere else.
      if (!responseOrigins.has(new URL(url).origin)) throw new Error(`refusing a response_url outside Slack: ${new URL(url).origin}`);
      const res = await fetch(url, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(responseBody(reply, { sign: o.sign, locale: to.locale })),
        signal: AbortSignal.timeout(10_000),
      });
      if (!res.ok) throw new Error(`Slack response_url answered ${res.status}`);
      // response_url takes no files: they go up with the bot's token (an answer queued before addresses named the conversation has none).
      if (!where || !(reply.images?.length || reply.files?.length)) return;
      const [team = "", channel = "", user = ""] = where.split(":");
      await uploadFiles(clientFor(await o.tokenFor(team)), { channel, user, private: reply.ephemeral === true }, reply).catch(rateLimited);
    },
  };
}
