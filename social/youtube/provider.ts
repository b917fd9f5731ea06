import { z } from "zod";
import { ProviderError, type AccountRef, type FetchedPost, type ProviderCall, type SocialProvider } from "../../core/social/port.ts";
import { type Answer, type ApiOptions, counter, JsonClient, type JsonRequest, retryAfterMs } from "../http.ts";
import { YOUTUBE_UNIT_COSTS, type YouTubeCall } from "./costs.ts";
import { untilPacificMidnight } from "./quota-day.ts";

/**
 * YouTube Data API v3 (www.googleapis.com/youtube/v3). A channel is found by
 * its id once known, else by handle (forHandle=@h), or as `mine` with the
 * creator's token; its videos come from its uploads playlist (playlistItems,
 * then videos for their counters: 2 units a page instead of search's 100),
 * comments from commentThreads. Public data with the app's API key, or with
 * the creator's token when they connected one.
 */

export interface YouTubeOptions extends ApiOptions {
  apiKey: string;
}

const errorShape = z.object({ error: z.object({ code: z.number().optional(), message: z.string().optional(), errors: z.array(z.object({ reason: z.string().optional() })).optional() }) });

const channelShape = z.object({
  id: z.string(),
  snippet: z.object({ title: z.string(), description: z.string().nullish(), customUrl: z.string().nullish() }),
  statistics: z.object({ subscriberCount: counter.nullish(), videoCount: counter.nullish(), viewCount: counter.nullish(), hiddenSubscriberCount: z.boolean().nullish() }),
  contentDetails: z.object({ relatedPlaylists: z.object({ uploads: z.string() }) }),
});
const channels = z.object({ items: z.array(channelShape).default([]) });
const playlistItems = z.object({
  items: z.array(z.object({ contentDetails: z.object({ videoId: z.string(), videoPublishedAt: z.string().nullish() }) })).default([]),
  nextPageToken: z.string().nullish(),
});
const videos = z.object({
  items: z
    .array(
      z.object({
        id: z.string(),
        snippet: z.object({ publishedAt: z.string(), title: z.string(), description: z.string().nullish() }),
        statistics: z.object({ viewCount: counter.nullish(), likeCount: counter.nullish(), commentCount: counter.nullish() }).default({}),
      }),
    )
    .default([]),
});
const commentThreads = z.object({
  items: z.array(z.object({ snippet: z.object({ topLevelComment: z.object({ id: z.string(), snippet: z.object({ textDisplay: z.string(), authorDisplayName: z.string().nullish(), publishedAt: z.string() }) }) }) })).default([]),
  nextPageToken: z.string().nullish(),
});

const reasonOf = (answer: Answer): string | undefined => {
  const parsed = errorShape.safeParse(answer.body);
  return parsed.success ? (parsed.data.error.errors?.[0]?.reason ?? "") : undefined;
};

export function youtubeProvider(o: YouTubeOptions): SocialProvider {
  const refusal = (answer: Answer): ProviderError | undefined => {
    const reason = reasonOf(answer);
    if (reason === undefined) return undefined;
    const say = (kind: ProviderError["kind"], text: string, retry?: number) => new ProviderError("youtube", kind, `youtube: ${text} (${answer.status} ${reason})`, retry);
    if (reason === "quotaExceeded" || reason === "dailyLimitExceeded") return say("rate_limited", "the day's quota is used up until midnight Pacific", untilPacificMidnight(o.clock.now()));
    if (reason === "rateLimitExceeded" || reason === "userRateLimitExceeded" || answer.status === 429) return say("rate_limited", "calling too fast", retryAfterMs(answer.headers, o.clock));
    if (answer.status === 401 || reason === "authError" || reason === "keyInvalid" || reason === "keyExpired") return say("token_expired", "the token or API key was refused");
    return undefined;
  };
  const http = new JsonClient({ platform: "youtube", baseUrl: o.apiUrl ?? "https://www.googleapis.com", clock: o.clock, timeoutMs: o.timeoutMs, refusal });

  /** The creator's token when they connected one, else the app's key. */
  const call = <S extends z.ZodType>(name: YouTubeCall, account: AccountRef, c: ProviderCall, query: JsonRequest["query"], shape: S, instead?: JsonRequest["instead"]) =>
    http.request(
      c,
      {
        path: `/youtube/v3/${name.replace(".list", "")}`,
        query: account.token ? query : { ...query, key: o.apiKey },
        ...(account.token ? { headers: { authorization: `Bearer ${account.token}` } } : {}),
        cost: YOUTUBE_UNIT_COSTS[name],
        ...(instead ? { instead } : {}),
      },
      shape,
    );

  const channel = async (account: AccountRef, c: ProviderCall) => {
    const by = account.externalId ? { id: account.externalId } : account.token ? { mine: "true" } : { forHandle: `@${account.handle}` };
    const found = await call("channels.list", account, c, { part: "snippet,statistics,contentDetails", ...by }, channels);
    const first = found.items[0];
    if (!first) throw new ProviderError("youtube", "not_found", `youtube: no channel @${account.handle}`);
    return first;
  };

  return {
    platform: "youtube",
    async profile(account, c) {
      const ch = await channel(account, c);
      return {
        externalId: ch.id,
        handle: ch.snippet.customUrl?.replace(/^@/, "") ?? account.handle,
        displayName: ch.snippet.title,
        bio: ch.snippet.description ?? null,
        followers: ch.statistics.subscriberCount ?? 0,
        following: null,
        postsCount: ch.statistics.videoCount ?? null,
        views: ch.statistics.viewCount ?? null,
      };
    },

    async posts(account, c, page) {
      // The cursor carries the uploads playlist, so later pages skip the channel lookup.
      const [uploads, pageToken] = page.cursor ? page.cursor.split("|") : [(await channel(account, c)).contentDetails.relatedPlaylists.uploads, undefined];
      const listed = await call("playlistItems.list", account, c, { part: "contentDetails", playlistId: uploads, maxResults: Math.min(page.limit, 50), pageToken }, playlistItems);
      const fresh = listed.items.filter((i) => !i.contentDetails.videoPublishedAt || Date.parse(i.contentDetails.videoPublishedAt) >= page.since.getTime());
      const more = fresh.length === listed.items.length && listed.nextPageToken ? `${uploads}|${listed.nextPageToken}` : null;
      if (fresh.length === 0) return { items: [], next: more };
      const details = await call("videos.list", account, c, { part: "snippet,statistics", id: fresh.map((i) => i.contentDetails.videoId).join(","), maxResults: 50 }, videos);
      const items: FetchedPost[] = details.items
        .map((v) => ({
          externalId: v.id,
          postedAt: new Date(v.snippet.publishedAt),
          kind: "video",
          caption: [v.snippet.title, v.snippet.description].filter(Boolean).join("\n\n"),
          url: `https://www.youtube.com/watch?v=${v.id}`,
          likes: v.statistics.likeCount ?? 0,
          comments: v.statistics.commentCount ?? 0,
          views: v.statistics.viewCount ?? null,
        }))
        .filter((p) => p.postedAt >= page.since);
      return { items, next: more };
    },

    async comments(account, post, c, page) {
      // A video with comments turned off has none to read: not a failure.
      const disabled = (answer: Answer) => (reasonOf(answer) === "commentsDisabled" ? { items: [] } : undefined);
      const threads = await call("commentThreads.list", account, c, { part: "snippet", videoId: post.externalId, maxResults: Math.min(page.limit, 100), pageToken: page.cursor, textFormat: "plainText" }, commentThreads, disabled);
      return {
        items: threads.items.map(({ snippet: { topLevelComment: t } }) => ({ externalId: t.id, author: t.snippet.authorDisplayName ?? null, text: t.snippet.textDisplay, postedAt: new Date(t.snippet.publishedAt) })),
        next: threads.nextPageToken ?? null,
      };
    },
  };
}
