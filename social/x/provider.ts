import { z } from "zod";
import { ProviderError, type AccountRef, type ProviderCall, type SocialProvider } from "../../core/social/port.ts";
import { type Answer, type ApiOptions, counter, JsonClient } from "../http.ts";

/**
 * X API v2 (api.x.com) with the app's bearer token: the user by username,
 * their own tweets since `since` (start_time; no retweets or replies), and
 * the replies to a tweet through recent search on its conversation_id
 * (which reaches back 7 days). A 429 waits until x-rate-limit-reset.
 */

export interface XOptions extends ApiOptions {
  bearerToken: string;
}

const PROBLEMS = "https://api.twitter.com/2/problems/";

const userShape = z.object({
  id: z.string(),
  username: z.string(),
  name: z.string().nullish(),
  description: z.string().nullish(),
  protected: z.boolean().default(false),
  public_metrics: z.object({ followers_count: counter, following_count: counter.nullish(), tweet_count: counter.nullish() }),
});
const tweetShape = z.object({
  id: z.string(),
  text: z.string(),
  created_at: z.string(),
  author_id: z.string().nullish(),
  public_metrics: z.object({ retweet_count: counter.nullish(), reply_count: counter.nullish(), like_count: counter.nullish(), quote_count: counter.nullish(), impression_count: counter.nullish() }).nullish(),
});
const tweetsPage = z.object({
  data: z.array(tweetShape).default([]),
  includes: z.object({ users: z.array(z.object({ id: z.string(), username: z.string() })).default([]) }).default({ users: [] }),
  meta: z.object({ next_token: z.string().nullish() }).default({}),
});
const problems = z.object({ errors: z.array(z.object({ type: z.string().optional(), detail: z.string().optional(), title: z.string().optional() })).min(1) });

/** X puts "not found" and "protected" in an errors array, often with a 200; an answer with data and errors is a partial success. */
function refusal(answer: Answer): ProviderError | undefined {
  const parsed = problems.safeParse(answer.body);
  if (!parsed.success || (answer.body as { data?: unknown }).data !== undefined) return undefined;
  const problem = parsed.data.errors[0]!;
  const type = problem.type?.replace(PROBLEMS, "") ?? "";
  const say = (kind: ProviderError["kind"], text: string) => new ProviderError("x", kind, `x: ${text} (${type}: ${problem.detail ?? problem.title ?? ""})`);
  if (type === "resource-not-found" || type === "resource-unavailable") return say("not_found", "no such user or tweet");
  if (type === "not-authorized-for-resource") return say("private", "the account's tweets are protected");
  return undefined;
}

export function xProvider(o: XOptions): SocialProvider {
  const http = new JsonClient({ platform: "x", baseUrl: o.apiUrl ?? "https://api.x.com", clock: o.clock, timeoutMs: o.timeoutMs, refusal });
  const auth = { authorization: `Bearer ${o.bearerToken}` };
  const user = async (account: AccountRef, call: ProviderCall) =>
    (await http.request(call, { path: `/2/users/by/username/${encodeURIComponent(account.handle)}`, query: { "user.fields": "description,public_metrics,protected" }, headers: auth }, z.object({ data: userShape }))).data;

  return {
    platform: "x",
    async profile(account, call) {
      const u = await user(account, call);
      return { externalId: u.id, handle: u.username, displayName: u.name ?? null, bio: u.description ?? null, followers: u.public_metrics.followers_count, following: u.public_metrics.following_count ?? null, postsCount: u.public_metrics.tweet_count ?? null };
    },

    async posts(account, call, page) {
      let id = account.externalId;
      if (!id) {
        const u = await user(account, call);
        if (u.protected) throw new ProviderError("x", "private", `x: @${account.handle}'s tweets are protected`);
        id = u.id;
      }
      const answer = await http.request(
        call,
        {
          path: `/2/users/${id}/tweets`,
          // X takes 5 to 100 a page.
          query: { max_results: Math.min(Math.max(page.limit, 5), 100), "tweet.fields": "created_at,public_metrics", exclude: "retweets,replies", start_time: page.since.toISOString(), pagination_token: page.cursor },
          headers: auth,
        },
        tweetsPage,
      );
      const items = answer.data
        .map((t) => ({
          externalId: t.id,
          postedAt: new Date(t.created_at),
          kind: "tweet",
          caption: t.text,
          url: `https://x.com/${account.handle}/status/${t.id}`,
          likes: t.public_metrics?.like_count ?? 0,
          comments: t.public_metrics?.reply_count ?? 0,
          shares: (t.public_metrics?.retweet_count ?? 0) + (t.public_metrics?.quote_count ?? 0),
          views: t.public_metrics?.impression_count ?? null,
        }))
        .filter((p) => p.postedAt >= page.since);
      return { items, next: items.length === answer.data.length ? (answer.meta.next_token ?? null) : null };
    },

    async comments(_account, post, call, page) {
      const answer = await http.request(
        call,
        {
          path: "/2/tweets/search/recent",
          // Recent search takes 10 to 100 a page.
          query: { query: `conversation_id:${post.externalId}`, "tweet.fields": "created_at,author_id", expansions: "author_id", "user.fields": "username", max_results: Math.min(Math.max(page.limit, 10), 100), next_token: page.cursor },
          headers: auth,
        },
        tweetsPage,
      );
      const names = new Map(answer.includes.users.map((u) => [u.id, u.username]));
      return {
        items: answer.data.map((t) => ({ externalId: t.id, author: (t.author_id && names.get(t.author_id)) ?? t.author_id ?? null, text: t.text, postedAt: new Date(t.created_at) })),
        next: answer.meta.next_token ?? null,
      };
    },
  };
}
