import { z } from "zod";
import { ProviderError, type AccountRef, type FetchedPost, type ProviderCall, type SocialProvider } from "../../core/social/port.ts";
import { type Answer, type ApiOptions, counter, JsonClient, parseKeepingLongIntegers, retryAfterMs } from "../http.ts";

/**
 * TikTok API v2 (open.tiktokapis.com). A creator who connected TikTok is
 * read with their token through the Display API (/v2/user/info/,
 * /v2/video/list/); anyone else through the Research API with the app's
 * client token (/v2/research/user/info/, /v2/research/video/query/, which
 * reaches back 30 days at most). Comments always come from the Research API
 * (/v2/research/video/comment/list/), which names no authors. Every answer
 * carries `error: { code, message, log_id }`, "ok" on success.
 */

export interface TikTokOptions extends ApiOptions {
  clientKey: string;
  clientSecret: string;
}

const USER_FIELDS = "open_id,union_id,display_name,bio_description,follower_count,following_count,likes_count,video_count";
const RESEARCH_USER_FIELDS = "display_name,bio_description,is_verified,follower_count,following_count,likes_count,video_count";
const VIDEO_FIELDS = "id,create_time,title,video_description,share_url,like_count,comment_count,share_count,view_count";
const RESEARCH_VIDEO_FIELDS = "id,create_time,username,video_description,like_count,comment_count,share_count,view_count";
/** The Research API's video query spans at most 30 days. */
const RESEARCH_WINDOW_DAYS = 30;
const DAY_MS = 86_400_000;

const id = z.union([z.string(), z.number()]).transform(String);
const userShape = z.object({
  open_id: z.string().nullish(),
  display_name: z.string().nullish(),
  bio_description: z.string().nullish(),
  follower_count: counter,
  following_count: counter.nullish(),
  video_count: counter.nullish(),
});
const videoShape = z.object({
  id,
  create_time: z.number(),
  title: z.string().nullish(),
  video_description: z.string().nullish(),
  share_url: z.string().nullish(),
  like_count: counter.nullish(),
  comment_count: counter.nullish(),
  share_count: counter.nullish(),
  view_count: counter.nullish(),
});
const videoPage = z.object({ data: z.object({ videos: z.array(videoShape).default([]), cursor: z.union([z.number(), z.string()]).nullish(), has_more: z.boolean().default(false), search_id: z.string().nullish() }) });
const commentPage = z.object({
  data: z.object({ comments: z.array(z.object({ id, text: z.string(), create_time: z.number() })).default([]), cursor: z.number().nullish(), has_more: z.boolean().default(false) }),
});
const tokenShape = z.object({ access_token: z.string(), expires_in: z.number() });
const errorShape = z.object({ error: z.union([z.string(), z.object({ code: z.string(), message: z.string().optional(), log_id: z.string().optional() })]), error_description: z.string().optional() });

export function tiktokProvider(o: TikTokOptions): SocialProvider {
  const refusal = (answer: Answer): ProviderError | undefined => {
    const parsed = errorShape.safeParse(answer.body);
    if (!parsed.success) return undefined;
    const { error } = parsed.data;
    // The OAuth endpoint answers { error: "invalid_client", error_description }.
    if (typeof error === "string") return new ProviderError("tiktok", "token_expired", `tiktok: the client key and secret were refused (${error})`);
    if (error.code === "ok") return undefined;
    const say = (kind: ProviderError["kind"], text: string, retry?: number) => new ProviderError("tiktok", kind, `tiktok: ${text} (${error.code}: ${error.message ?? ""})`, retry);
    const message = error.message ?? "";
    if (error.code === "access_token_invalid" || /token.*expired/i.test(message)) return say("token_expired", "the access token is invalid or expired");
    if (error.code === "rate_limit_exceeded") return say("rate_limited", "rate limited", retryAfterMs(answer.headers, o.clock));
    if (error.code.startsWith("scope_") || /private/i.test(message)) return say("private", "the account's data isn't shared with this app");
    if (/not exist|not found/i.test(message)) return say("not_found", "no such account or video");
    if (error.code === "internal_error") return say("unavailable", "TikTok had a temporary problem");
    return say("bad_response", "refused");
  };
  const http = new JsonClient({ platform: "tiktok", baseUrl: o.apiUrl ?? "https://open.tiktokapis.com", clock: o.clock, timeoutMs: o.timeoutMs, refusal, parse: parseKeepingLongIntegers });

  // One client token for every research call until shortly before it expires; a refusal drops it.
  let clientToken: Promise<{ token: string; until: number }> | null = null;
  const research = async <S extends z.ZodType>(call: ProviderCall, path: string, fields: string, json: unknown, shape: S): Promise<z.infer<S>> => {
    for (let attempt = 0; ; attempt++) {
      const now = o.clock.now().getTime();
      if (!clientToken) {
        clientToken = http
          .request(call, { method: "POST", path: "/v2/oauth/token/", form: { client_key: o.clientKey, client_secret: o.clientSecret, grant_type: "client_credentials" } }, tokenShape)
          .then((t) => ({ token: t.access_token, until: now + Math.max(t.expires_in / 2, t.expires_in - 60) * 1000 }));
        clientToken.catch(() => (clientToken = null));
      }
      const held = await clientToken;
      if (held.until <= now) {
        clientToken = null;
        continue;
      }
      try {
        return await http.request(call, { method: "POST", path, query: { fields }, headers: { authorization: `Bearer ${held.token}` }, json }, shape);
      } catch (err) {
        // The app's own token lapsing is renewed here, not recorded as the creator's.
        if (!(err instanceof ProviderError && err.kind === "token_expired") || attempt > 0) throw err;
        clientToken = null;
      }
    }
  };
  const display = <S extends z.ZodType>(call: ProviderCall, token: string, method: "GET" | "POST", path: string, fields: string, shape: S, json?: unknown) =>
    http.request(call, { method, path, query: { fields }, headers: { authorization: `Bearer ${token}` }, ...(json ? { json } : {}) }, shape);

  const postOf = (account: AccountRef, v: z.infer<typeof videoShape>): FetchedPost => ({
    externalId: v.id,
    postedAt: new Date(v.create_time * 1000),
    kind: "video",
    caption: [v.title, v.video_description].filter(Boolean).join(" — "),
    url: v.share_url ?? `https://www.tiktok.com/@${account.handle}/video/${v.id}`,
    likes: v.like_count ?? 0,
    comments: v.comment_count ?? 0,
    shares: v.share_count ?? null,
    views: v.view_count ?? null,
  });
  const yyyymmdd = (at: number) => new Date(at).toISOString().slice(0, 10).replace(/-/g, "");

  return {
    platform: "tiktok",
    async profile(account, call) {
      const user = account.token
        ? (await display(call, account.token, "GET", "/v2/user/info/", USER_FIELDS, z.object({ data: z.object({ user: userShape }) }))).data.user
        : (await research(call, "/v2/research/user/info/", RESEARCH_USER_FIELDS, { username: account.handle }, z.object({ data: userShape }))).data;
      return {
        externalId: user.open_id ?? account.handle,
        handle: account.handle,
        displayName: user.display_name ?? null,
        bio: user.bio_description ?? null,
        followers: user.follower_count,
        following: user.following_count ?? null,
        postsCount: user.video_count ?? null,
      };
    },

    async posts(account, call, page) {
      let answer: z.infer<typeof videoPage>["data"];
      let next: string | null;
      if (account.token) {
        // The cursor is the create_time (ms) to continue below.
        answer = (await display(call, account.token, "POST", "/v2/video/list/", VIDEO_FIELDS, videoPage, { max_count: Math.min(page.limit, 20), ...(page.cursor ? { cursor: Number(page.cursor) } : {}) })).data;
        next = answer.has_more && answer.cursor != null ? String(answer.cursor) : null;
      } else {
        const now = o.clock.now().getTime();
        const [searchId, cursor] = page.cursor ? page.cursor.split("|") : [undefined, undefined];
        const start = Math.max(page.since.getTime(), now - (RESEARCH_WINDOW_DAYS - 1) * DAY_MS);
        const query = { and: [{ operation: "EQ", field_name: "username", field_values: [account.handle] }] };
        const json = { query, start_date: yyyymmdd(start), end_date: yyyymmdd(now), max_count: Math.min(page.limit, 100), ...(searchId ? { search_id: searchId, cursor: Number(cursor) } : {}) };
        answer = (await research(call, "/v2/research/video/query/", RESEARCH_VIDEO_FIELDS, json, videoPage)).data;
        next = answer.has_more && answer.search_id && answer.cursor != null ? `${answer.search_id}|${answer.cursor}` : null;
      }
      const items = answer.videos.map((v) => postOf(account, v)).sort((a, b) => b.postedAt.getTime() - a.postedAt.getTime());
      const fresh = items.filter((p) => p.postedAt >= page.since);
      return { items: fresh, next: fresh.length === items.length ? next : null };
    },

    async comments(_account, post, call, page) {
      const videoId = /^\d+$/.test(post.externalId) ? BigInt(post.externalId) : post.externalId;
      const answer = (await research(call, "/v2/research/video/comment/list/", "id,video_id,text,create_time", { video_id: videoId, max_count: Math.min(page.limit, 100), cursor: Number(page.cursor ?? 0) }, commentPage)).data;
      return {
        items: answer.comments.map((c) => ({ externalId: c.id, author: null, text: c.text, postedAt: new Date(c.create_time * 1000) })),
        next: answer.has_more && answer.cursor != null ? String(answer.cursor) : null,
      };
    },
  };
}
