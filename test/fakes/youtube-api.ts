import { YOUTUBE_UNIT_COSTS } from "../../social/youtube/costs.ts";
import { cursorOf, FakeAccounts, offsetOf, startSocialFake, type FakeAccount, type FakeAccountsOptions, type FakeAnswer, type FakeRequest, type SocialFakeServer } from "./social-accounts.ts";

/**
 * A local YouTube Data API v3 for tests and the sync benchmark. Any handle
 * is a channel, made on first use.
 *
 * `GET /youtube/v3/channels?part=snippet,statistics,contentDetails` by
 * `forHandle=@h`, `id=UC…` or `mine=true` (the creator's token,
 * `tokenFor(handle)`); `playlistItems?playlistId=UU…&maxResults&pageToken`;
 * `videos?id=a,b,c`; `commentThreads?videoId&maxResults&pageToken`. Counters
 * are strings, as YouTube sends them; an unknown handle has no `items`.
 * Every call needs `key=apiKey` or a Bearer token and spends its units
 * (`unitsUsed`); past `dailyQuota` it answers 403 quotaExceeded. Errors are
 * Google's `{ error: { code, message, errors: [{ message, domain, reason }], status } }`.
 */

export interface FakeYouTubeApi extends SocialFakeServer {
  accounts: FakeAccounts;
  apiKey: string;
  unitsUsed: number;
  tokenFor(handle: string): string;
  expire(token: string): void;
  disableComments(videoId: string): void;
  /** The next `times` calls answer 429 rateLimitExceeded with Retry-After. */
  rateLimitNext(times?: number, retryAfterSeconds?: number): void;
}

const googleError = (code: number, reason: string, message: string, domain = "youtube.api"): FakeAnswer => ({
  status: code,
  body: { error: { code, message, errors: [{ message, domain, reason }], status: code === 403 ? "PERMISSION_DENIED" : code === 404 ? "NOT_FOUND" : code === 401 ? "UNAUTHENTICATED" : "INVALID_ARGUMENT" } },
});

const ID_CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
const idOf = (n: number, length: number) => Array.from({ length }, (_, i) => ID_CHARS[Math.floor(n / ID_CHARS.length ** (length - 1 - i)) % ID_CHARS.length]).join("");

export async function startFakeYouTubeApi(o: Partial<FakeAccountsOptions> & { record?: boolean; dailyQuota?: number } = {}): Promise<FakeYouTubeApi> {
  const accounts = new FakeAccounts({ id: (kind, n) => (kind === "account" ? `UC${idOf(n, 22)}` : kind === "post" ? idOf(n, 11) : `Ug${idOf(n, 24)}`), ...o });
  const apiKey = "AIza-fake-youtube-key";
  const expired = new Set<string>();
  const noComments = new Set<string>();
  const tokenFor = (handle: string) => `ya29.fake-${handle.toLowerCase()}`;
  const costs: Record<string, number> = { channels: YOUTUBE_UNIT_COSTS["channels.list"], playlistItems: YOUTUBE_UNIT_COSTS["playlistItems.list"], videos: YOUTUBE_UNIT_COSTS["videos.list"], commentThreads: YOUTUBE_UNIT_COSTS["commentThreads.list"] };
  let fake: FakeYouTubeApi;

  const channelOf = (a: FakeAccount) => ({
    kind: "youtube#channel",
    etag: "fake",
    id: a.id,
    snippet: { title: a.name, description: a.bio, customUrl: `@${a.handle}`, publishedAt: "2019-03-01T10:00:00Z" },
    statistics: { viewCount: String(a.posts.reduce((n, p) => n + p.views, 0)), subscriberCount: String(a.followers), hiddenSubscriberCount: false, videoCount: String(a.posts.length) },
    contentDetails: { relatedPlaylists: { likes: "", uploads: `UU${a.id.slice(2)}` } },
  });
  function paged<T>(all: T[], max: string | null, token: string | null) {
    const from = offsetOf(token);
    const items = all.slice(from, from + Math.min(Number(max ?? 5), 50));
    const end = from + items.length;
    return { items, pageInfo: { totalResults: all.length, resultsPerPage: items.length }, ...(end < all.length ? { nextPageToken: cursorOf(end) } : {}) };
  }

  function route(req: FakeRequest): FakeAnswer {
    const name = req.path.replace(/^\/youtube\/v3\//, "");
    const token = String(req.headers.authorization ?? "").replace(/^Bearer /, "");
    if (token ? expired.has(token) : req.query.get("key") !== apiKey) {
      return token ? googleError(401, "authError", "Request had invalid authentication credentials.", "global") : googleError(400, "keyInvalid", "API key not valid. Please pass a valid API key.", "global");
    }
    fake.unitsUsed += costs[name] ?? 1;
    if (o.dailyQuota !== undefined && fake.unitsUsed > o.dailyQuota) return googleError(403, "quotaExceeded", "The request cannot be completed because you have exceeded your quota.", "youtube.quota");
    const q = req.query;
    if (name === "channels") {
      const handle = q.get("forHandle")?.replace(/^@/, "");
      const account = handle ? accounts.get(handle) : q.get("id") ? accounts.byExternalId(q.get("id")!) : q.get("mine") ? accounts.get(token.replace("ya29.fake-", "")) : undefined;
      return { status: 200, body: { kind: "youtube#channelListResponse", etag: "fake", pageInfo: { totalResults: account ? 1 : 0, resultsPerPage: 5 }, ...(account ? { items: [channelOf(account)] } : {}) } };
    }
    if (name === "playlistItems") {
      const account = accounts.byExternalId(`UC${(q.get("playlistId") ?? "").slice(2)}`);
      if (!account) return googleError(404, "playlistNotFound", "The playlist identified with the request's playlistId parameter cannot be found.");
      if (account.private) return googleError(403, "playlistItemsNotAccessible", "The request is not properly authorized to retrieve the specified playlist.");
      const items = account.posts.map((p) => ({ kind: "youtube#playlistItem", id: `PI${p.id}`, contentDetails: { videoId: p.id, videoPublishedAt: p.postedAt.toISOString() } }));
      return { status: 200, body: { kind: "youtube#playlistItemListResponse", ...paged(items, q.get("maxResults"), q.get("pageToken")) } };
    }
    if (name === "videos") {
      const items = (q.get("id") ?? "").split(",").flatMap((id) => {
        const found = accounts.post(id);
        if (!found) return [];
        const { post: p, account } = found;
        return [{ kind: "youtube#video", id: p.id, snippet: { publishedAt: p.postedAt.toISOString(), channelId: account.id, title: p.caption, description: `More from ${account.name}` }, statistics: { viewCount: String(p.views), likeCount: String(p.likes), favoriteCount: "0", commentCount: String(p.comments) } }];
      });
      return { status: 200, body: { kind: "youtube#videoListResponse", items, pageInfo: { totalResults: items.length, resultsPerPage: items.length } } };
    }
    if (name === "commentThreads") {
      const found = accounts.post(q.get("videoId") ?? "");
      if (!found) return googleError(404, "videoNotFound", "The video identified by the videoId parameter could not be found.");
      if (noComments.has(found.post.id)) return googleError(403, "commentsDisabled", "The video identified by the videoId parameter has disabled comments.");
      const threads = accounts
        .comments(found.post)
        .reverse()
        .map((c) => ({ kind: "youtube#commentThread", id: c.id, snippet: { videoId: found.post.id, topLevelComment: { kind: "youtube#comment", id: c.id, snippet: { textDisplay: c.text, textOriginal: c.text, authorDisplayName: `@${c.author}`, publishedAt: c.postedAt.toISOString() } }, totalReplyCount: 0 } }));
      return { status: 200, body: { kind: "youtube#commentThreadListResponse", ...paged(threads, q.get("maxResults") ?? "20", q.get("pageToken")) } };
    }
    return googleError(404, "notFound", `no such method ${name}`);
  }

  const server = await startSocialFake(route, o);
  fake = Object.assign(server, {
    accounts,
    apiKey,
    unitsUsed: 0,
    tokenFor,
    expire: (token: string) => void expired.add(token),
    disableComments: (videoId: string) => void noComments.add(videoId),
    rateLimitNext(times = 1, retryAfterSeconds = 30) {
      server.force({ ...googleError(429, "rateLimitExceeded", "The request cannot be completed because you have exceeded your quota."), headers: { "retry-after": String(retryAfterSeconds) } }, times);
    },
  });
  return fake;
}
