import { cursorOf, FakeAccounts, offsetOf, startSocialFake, type FakeAccount, type FakeAccountsOptions, type FakeAnswer, type FakeRequest, type SocialFakeServer } from "./social-accounts.ts";

/**
 * A local Instagram Graph API (graph.facebook.com/v21.0) for tests and the
 * sync benchmark. Any handle is a business account, made on first use.
 *
 * - `GET /{business-account}?fields=business_discovery.username(h){...}` with
 *   the app's token: the profile fields, or `media.limit(n).after(c){...}`.
 * - `GET /{ig-user-id}?fields=...`, `/{ig-user-id}/media?fields&limit&after`,
 *   `/{media-id}/comments?fields&limit&after` with the creator's token
 *   (`tokenFor(handle)`), which reads only its own account.
 * - Pages are `{ data, paging: { cursors: { before, after }, next? } }`.
 * - Errors are Graph's `{ error: { message, type, code, error_subcode, fbtrace_id } }`:
 *   190 (expired token), 4 with usage headers (`rateLimitNext`), 100/33 (no
 *   such object), 110/2207013 (no such username), 10 (a private account).
 */

export interface FakeInstagramApi extends SocialFakeServer {
  accounts: FakeAccounts;
  appToken: string;
  businessAccountId: string;
  tokenFor(handle: string): string;
  expire(token: string): void;
  /** The next `times` calls hit the app's rate limit (code 4), told to wait `minutes`. */
  rateLimitNext(times?: number, minutes?: number): void;
}

const graphError = (code: number, message: string, subcode?: number, status = 400): FakeAnswer => ({
  status,
  body: { error: { message, type: code === 190 ? "OAuthException" : "GraphMethodException", code, ...(subcode ? { error_subcode: subcode } : {}), fbtrace_id: "AbCdEfFake" } },
});

const PAGE_MAX = 100;

export async function startFakeInstagramApi(o: Partial<FakeAccountsOptions> & { record?: boolean } = {}): Promise<FakeInstagramApi> {
  const accounts = new FakeAccounts({ id: (kind, n) => `${kind === "account" ? "17841" : kind === "post" ? "17900" : "17850"}${String(n).padStart(10, "0")}`, ...o });
  const appToken = "EAAB-fake-app-token";
  const businessAccountId = "17841400000000001";
  const expired = new Set<string>();
  const tokenFor = (handle: string) => `IGQ-${handle.toLowerCase()}`;
  let base = "";

  const profileOf = (a: FakeAccount) => ({ id: a.id, username: a.handle, name: a.name, biography: a.bio, followers_count: a.followers, follows_count: a.following, media_count: a.posts.length });
  const mediaOf = (p: FakeAccount["posts"][number]) => ({
    id: p.id,
    caption: p.caption,
    media_type: "IMAGE",
    permalink: `https://www.instagram.com/p/${p.id}/`,
    timestamp: p.postedAt.toISOString().replace(/\.\d+Z$/, "+0000"),
    like_count: p.likes,
    comments_count: p.comments,
  });
  function paged<T>(all: T[], limit: number, after: string | null | undefined, nextUrl: (after: string) => string) {
    const from = offsetOf(after);
    const data = all.slice(from, from + Math.min(limit || 25, PAGE_MAX));
    const end = from + data.length;
    return { data, paging: { cursors: { before: cursorOf(from), after: cursorOf(end) }, ...(end < all.length ? { next: nextUrl(cursorOf(end)) } : {}) } };
  }

  function route(req: FakeRequest): FakeAnswer {
    const token = String(req.headers.authorization ?? "").replace(/^Bearer /, "") || req.query.get("access_token") || "";
    if (!token) return graphError(2500, "An active access token must be used to query information about the current user.");
    if (expired.has(token)) return graphError(190, "Error validating access token: Session has expired.", 463);
    const parts = req.path.replace(/^\/v\d+\.\d+/, "").split("/").filter(Boolean);
    const fields = req.query.get("fields") ?? "";
    const limit = Number(req.query.get("limit") ?? 25);
    const after = req.query.get("after");

    if (parts.length === 1 && parts[0] === businessAccountId) {
      if (token !== appToken) return graphError(190, "Invalid OAuth access token - Cannot parse access token");
      const m = /^business_discovery\.username\(([^)]+)\)\{(.*)\}$/.exec(fields);
      if (!m) return graphError(100, "(#100) Tried accessing nonexisting field");
      const account = accounts.get(m[1]!);
      if (!account) return graphError(110, `Invalid user id: The user with username: ${m[1]} cannot be found.`, 2207013);
      if (account.private) return graphError(10, "(#10) Application does not have permission for this action");
      const media = /^media(?:\.limit\((\d+)\))?(?:\.after\(([^)]+)\))?\{/.exec(m[2]!);
      const found = media
        ? { id: account.id, media: paged(account.posts.map((p) => mediaOf(p)), Number(media[1] ?? 25), media[2], (c) => `${base}/v21.0/${businessAccountId}?fields=${encodeURIComponent(fields.replace(/\.after\([^)]+\)/, ""))}&after=${c}`) }
        : profileOf(account);
      return { status: 200, body: { business_discovery: found, id: businessAccountId } };
    }

    const [id, edge] = parts;
    const owner = accounts.byExternalId(id!) ?? accounts.post(id!)?.account;
    if (!owner || parts.length > 2) return graphError(100, `Unsupported get request. Object with ID '${id}' does not exist, cannot be loaded due to missing permissions, or does not support this operation.`, 33);
    if (token !== tokenFor(owner.handle)) return graphError(10, "(#10) Application does not have permission for this action");
    if (owner.private) return graphError(10, "(#10) Application does not have permission for this action");
    const next = (c: string) => `${base}${req.path}?fields=${encodeURIComponent(fields)}&limit=${limit}&after=${c}`;
    if (!edge && id === owner.id) return { status: 200, body: profileOf(owner) };
    if (edge === "media" && id === owner.id) return { status: 200, body: paged(owner.posts.map((p) => mediaOf(p)), limit, after, next) };
    const post = accounts.post(id!)?.post;
    if (edge === "comments" && post) {
      const newestFirst = accounts.comments(post).reverse().map((c) => ({ id: c.id, text: c.text, timestamp: c.postedAt.toISOString().replace(/\.\d+Z$/, "+0000"), username: c.author }));
      return { status: 200, body: paged(newestFirst, limit, after, next) };
    }
    return graphError(100, "(#100) Tried accessing nonexisting field");
  }

  const server = await startSocialFake(route, o);
  base = server.url;
  return Object.assign(server, {
    accounts,
    appToken,
    businessAccountId,
    tokenFor,
    expire: (token: string) => void expired.add(token),
    rateLimitNext(times = 1, minutes = 12) {
      const usage = JSON.stringify({ [businessAccountId]: [{ type: "instagram", call_count: 100, total_cputime: 30, total_time: 40, estimated_time_to_regain_access: minutes }] });
      server.force({ ...graphError(4, "(#4) Application request limit reached"), headers: { "x-app-usage": JSON.stringify({ call_count: 100, total_cputime: 30, total_time: 40 }), "x-business-use-case-usage": usage } }, times);
    },
  });
}
