import { WebClient } from "@slack/web-api";
import { LRUCache } from "lru-cache";
import type { Caller } from "../../core/commands/types.ts";

/** Slack identities are per team: the same user id can exist in two workspaces. */
export const slackExternalId = (teamId: string, userId: string) => `${teamId}:${userId}`;

/**
 * Builds the core's Caller for a Slack user. Their name and language come from
 * users.info (needs users:read), cached for an hour so a busy channel costs one
 * call per person; without it, replies fall back to the workspace language.
 */
export class SlackCallers {
  private readonly people = new LRUCache<string, { locale?: string; name?: string }>({ max: 50_000, ttl: 3_600_000 });
  private readonly lookups = new LRUCache<string, WebClient>({ max: 1_000 });

  constructor(private readonly slackApiUrl?: string) {}

  /**
   * The lookup sits inside Slack's 3-second window, so it gets its own client:
   * one try, 800 ms, then the reply goes out without the name and language.
   */
  private lookupClient(token: string): WebClient {
    let c = this.lookups.get(token);
    if (!c) this.lookups.set(token, (c = new WebClient(token, { timeout: 800, retryConfig: { retries: 0 }, ...(this.slackApiUrl ? { slackApiUrl: this.slackApiUrl } : {}) })));
    return c;
  }

  async caller(client: WebClient, teamId: string, userId: string, userName?: string): Promise<Caller> {
    const key = slackExternalId(teamId, userId);
    let person = this.people.get(key);
    if (!person) {
      person = await this.lookupClient(client.token ?? "").users
        .info({ user: userId, include_locale: true })
        .then((r) => ({ locale: r.user?.locale, name: r.user?.real_name || r.user?.profile?.display_name || undefined }))
        .catch(() => ({}));
      this.people.set(key, person);
    }
    return toCaller(teamId, userId, person, userName);
  }

  /** The caller without any call to Slack, when this person was looked up within the hour. */
  cached(teamId: string, userId: string, userName?: string): Caller | undefined {
    const person = this.people.get(slackExternalId(teamId, userId));
    return person && toCaller(teamId, userId, person, userName);
  }
}

/** The caller typing in this channel: where `digest schedule --channel here` posts (a channel id is a chat.postMessage target like a user id). */
export function inChannel(caller: Caller, teamId: string, channelId: string, channelName?: string): Caller {
  return { ...caller, conversation: { externalId: slackExternalId(teamId, channelId), name: channelName ? `#${channelName}` : channelId } };
}

function toCaller(teamId: string, userId: string, person: { locale?: string; name?: string }, userName?: string): Caller {
  return {
    platform: "slack",
    externalId: slackExternalId(teamId, userId),
    displayName: person.name ?? userName ?? userId,
    locale: person.locale,
    tenant: teamId,
    mentionPrefix: slackExternalId(teamId, ""),
  };
}
