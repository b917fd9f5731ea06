import { FakeAccounts, startSocialFake, type FakeAccount, type FakeAccountsOptions, type FakeAnswer, type FakeRequest, type SocialFakeServer } from "./social-accounts.ts";

/**
 * A local TikTok API v2 (open.tiktokapis.com) for tests and the sync
 * benchmark. Any handle is an account, made on first use.
 *
 * - `POST /v2/oauth/token/` (form: client_key, client_secret,
 *   grant_type=client_credentials) gives a client token (`clt.…`).
 * - Display API with a creator's token (`tokenFor(handle)`), which names its
 *   account: `GET /v2/user/info/?fields=…`, `POST /v2/video/list/?fields=…`
 *   with `{ max_count ≤ 20, cursor }` (create_time in ms to continue below).
 * - Research API with the client token: `POST /v2/research/user/info/`
 *   `{ username }`; `/v2/research/video/query/` (a username EQ query,
 *   start_date/end_date YYYYMMDD at most 30 days apart, cursor + search_id);
 *   `/v2/research/video/comment/list/` `{ video_id, max_count ≤ 100, cursor }`.
 * - Every answer has `error: { code, message, log_id }` ("ok" on success);
 *   ids are int64 (numbers in research answers, strings in the Display API).
 */

export interface FakeTikTokApi extends SocialFakeServer {
  accounts: FakeAccounts;
  clientKey: string;
  clientSecret: string;
  tokenFor(handle: string): string;
  expire(token: string): void;
  /** Client tokens issued so far. */
  clientTokens: string[];
  /** The next `times` calls answer 429 rate_limit_exceeded with Retry-After. */
  rateLimitNext(times?: number, retryAfterSeconds?: number): void;
}

const ok = (data: unknown): FakeAnswer => ({ status: 200, body: { data, error: { code: "ok", message: "", log_id: "20261120fake" } } });
const fail = (status: number, code: string, message: string): FakeAnswer => ({ status, body: { data: {}, error: { code, message, log_id: "20261120fake" } } });

export async function startFakeTikTokApi(o: Partial<FakeAccountsOptions> & { record?: boolean } = {}): Promise<FakeTikTokApi> {
  // Below 2^53, so the fake reads them from JSON as exactly as TikTok does.
  const accounts = new FakeAccounts({ id: (kind, n) => (kind === "account" ? `-000fake${n}` : String((kind === "post" ? 7_300_000_000_000_000 : 7_400_000_000_000_000) + n)), ...o });
  const clientKey = "awfakeclientkey";
  const clientSecret = "fake-client-secret";
  const clientTokens: string[] = [];
  const expired = new Set<string>();
  const tokenFor = (handle: string) => `act.fake-${handle.toLowerCase()}`;

  const userOf = (a: FakeAccount) => ({ open_id: a.id, union_id: `u${a.id}`, display_name: a.name, bio_description: a.bio, follower_count: a.followers, following_count: a.following, likes_count: a.posts.reduce((n, p) => n + p.likes, 0), video_count: a.posts.length });
  const videoOf = (a: FakeAccount, p: FakeAccount["posts"][number], research: boolean) => ({
    id: research ? Number(p.id) : p.id,
    create_time: Math.floor(p.postedAt.getTime() / 1000),
    ...(research ? { username: a.handle } : { title: p.caption, share_url: `https://www.tiktok.com/@${a.handle}/video/${p.id}` }),
    video_description: p.caption,
    like_count: p.likes,
    comment_count: p.comments,
    share_count: p.shares,
    view_count: p.views,
  });
  const guard = (a: FakeAccount | undefined): FakeAnswer | undefined => (!a ? fail(404, "invalid_params", "The user does not exist") : a.private ? fail(403, "invalid_params", "The user is private") : undefined);

  function route(req: FakeRequest): FakeAnswer {
    if (req.path === "/v2/oauth/token/") {
      if (req.body.client_key !== clientKey || req.body.client_secret !== clientSecret || req.body.grant_type !== "client_credentials") return { status: 401, body: { error: "invalid_client", error_description: "Client key or secret is incorrect.", log_id: "fake" } };
      const token = `clt.fake${clientTokens.length + 1}`;
      clientTokens.push(token);
      return { status: 200, body: { access_token: token, expires_in: 7200, token_type: "Bearer" } };
    }
    const token = String(req.headers.authorization ?? "").replace(/^Bearer /, "");
    const client = clientTokens.includes(token);
    if (expired.has(token) || (!client && !token.startsWith("act.fake-"))) return fail(401, "access_token_invalid", "The access token is invalid or not found in the request.");
    const body = req.body;

    if (req.path.startsWith("/v2/research/")) {
      if (!client) return fail(401, "scope_not_authorized", "The client token does not have the research.data.basic scope.");
      if (req.path === "/v2/research/user/info/") {
        const a = accounts.get(String(body.username ?? ""));
        const refused = guard(a);
        if (refused) return refused;
        // The Research API knows users by username: no open_id or union_id.
        const { open_id: _open, union_id: _union, ...user } = userOf(a!);
        return ok({ ...user, is_verified: false });
      }
      if (req.path === "/v2/research/video/query/") {
        const query = body.query as { and?: { field_name: string; field_values: string[] }[] } | undefined;
        const handle = query?.and?.find((c) => c.field_name === "username")?.field_values[0] ?? "";
        const start = Date.parse(String(body.start_date).replace(/^(\d{4})(\d{2})(\d{2})$/, "$1-$2-$3T00:00:00Z"));
        const end = Date.parse(String(body.end_date).replace(/^(\d{4})(\d{2})(\d{2})$/, "$1-$2-$3T00:00:00Z")) + 86_400_000;
        if (!(end > start) || end - start > 31 * 86_400_000) return fail(400, "invalid_params", "start_date and end_date must be at most 30 days apart");
        const a = accounts.get(handle);
        const refused = guard(a);
        if (refused) return refused;
        const all = a!.posts.filter((p) => p.postedAt.getTime() >= start && p.postedAt.getTime() < end);
        const from = Number(body.cursor ?? 0);
        const videos = all.slice(from, from + Math.min(Number(body.max_count ?? 20), 100));
        const next = from + videos.length;
        return ok({ videos: videos.map((p) => videoOf(a!, p, true)), cursor: next, has_more: next < all.length, search_id: String(body.search_id ?? `search-${handle}`) });
      }
      if (req.path === "/v2/research/video/comment/list/") {
        const found = accounts.post(String(body.video_id));
        if (!found) return fail(404, "invalid_params", "The video does not exist");
        const all = accounts.comments(found.post).reverse();
        const from = Number(body.cursor ?? 0);
        const comments = all.slice(from, from + Math.min(Number(body.max_count ?? 10), 100));
        const next = from + comments.length;
        return ok({ comments: comments.map((c, i) => ({ id: 7_400_000_000_000_000 + (Number(found.post.id) % 1_000_000) * 1_000 + from + i, video_id: Number(found.post.id), text: c.text, create_time: Math.floor(c.postedAt.getTime() / 1000), like_count: 0, reply_count: 0, parent_comment_id: Number(found.post.id) })), cursor: next, has_more: next < all.length });
      }
    }

    if (client) return fail(401, "scope_not_authorized", "A client token cannot read a user's own data.");
    const a = accounts.get(token.replace("act.fake-", ""));
    const refused = guard(a);
    if (refused) return refused;
    if (req.method === "GET" && req.path === "/v2/user/info/") return ok({ user: userOf(a!) });
    if (req.method === "POST" && req.path === "/v2/video/list/") {
      const below = body.cursor === undefined ? Infinity : Number(body.cursor);
      const videos = a!.posts.filter((p) => p.postedAt.getTime() < below).slice(0, Math.min(Number(body.max_count ?? 10), 20));
      const last = videos.at(-1);
      const hasMore = last !== undefined && a!.posts.some((p) => p.postedAt < last.postedAt);
      return ok({ videos: videos.map((p) => videoOf(a!, p, false)), cursor: last ? last.postedAt.getTime() : 0, has_more: hasMore });
    }
    return fail(404, "invalid_params", `no such endpoint ${req.method} ${req.path}`);
  }

  const server = await startSocialFake(route, o);
  return Object.assign(server, {
    accounts,
    clientKey,
    clientSecret,
    clientTokens,
    tokenFor,
    expire: (token: string) => void expired.add(token),
    rateLimitNext(times = 1, retryAfterSeconds = 60) {
      server.force({ ...fail(429, "rate_limit_exceeded", "API rate limit exceeded, please try again later."), headers: { "retry-after": String(retryAfterSeconds) } }, times);
    },
  });
}
