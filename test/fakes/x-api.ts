import { cursorOf, FakeAccounts, offsetOf, startSocialFake, type FakeAccountsOptions, type FakeAnswer, type FakeRequest, type SocialFakeServer } from "./social-accounts.ts";

/**
 * A local X API v2 (api.x.com) for tests and the sync benchmark. Any handle
 * is a user, made on first use. `GET /2/users/by/username/:username`,
 * `GET /2/users/:id/tweets` (max_results 5-100, start_time, pagination_token)
 * and `GET /2/tweets/search/recent?query=conversation_id:<id>` (max_results
 * 10-100, next_token; authors in includes.users) with the app's bearer token.
 * Pages end with `meta.next_token`; every answer has the x-rate-limit-*
 * headers. Not found and protected are `errors` arrays with a 200, as X
 * sends them; 401 and 429 are X's problem JSON.
 */

export interface FakeXApi extends SocialFakeServer {
  accounts: FakeAccounts;
  bearerToken: string;
  /** The next `times` calls answer 429 with x-rate-limit-reset `resetInSeconds` from now. */
  rateLimitNext(times?: number, resetInSeconds?: number): void;
  /** The bearer token stops working (401), as when the app's is regenerated. */
  revokeToken(): void;
}

const problem = (type: string, title: string, detail: string, extra: Record<string, string> = {}): FakeAnswer => ({
  status: 200,
  body: { errors: [{ ...extra, detail, title, type: `https://api.twitter.com/2/problems/${type}` }] },
});

export async function startFakeXApi(o: Partial<FakeAccountsOptions> & { record?: boolean } = {}): Promise<FakeXApi> {
  // Snowflake-sized ids, as strings, as X sends them.
  const accounts = new FakeAccounts({ id: (kind, n) => (kind === "account" ? String(1_400_000_000 + n) : `18${kind === "post" ? 6 : 7}0000000000${String(n).padStart(7, "0")}`), ...o });
  let bearerToken = "AAAA-fake-x-bearer";
  const now = () => (o.now ?? Date.now)();
  const limits = () => ({ "x-rate-limit-limit": "1500", "x-rate-limit-remaining": "1499", "x-rate-limit-reset": String(Math.floor(now() / 1000) + 900) });

  function paged<T>(all: T[], max: number, token: string | null, min: number): { data: T[]; meta: Record<string, unknown> } | FakeAnswer {
    if (!(max >= min && max <= 100)) return { status: 400, body: { errors: [{ parameters: { max_results: [String(max)] }, message: `The \`max_results\` query parameter value [${max}] is not between ${min} and 100` }], title: "Invalid Request", detail: "One or more parameters to your request was invalid.", type: "https://api.twitter.com/2/problems/invalid-request" } };
    const from = offsetOf(token);
    const data = all.slice(from, from + max);
    const end = from + data.length;
    return { data, meta: { result_count: data.length, ...(end < all.length ? { next_token: cursorOf(end) } : {}) } };
  }

  function route(req: FakeRequest): FakeAnswer {
    if (req.headers.authorization !== `Bearer ${bearerToken}`) return { status: 401, body: { title: "Unauthorized", type: "about:blank", status: 401, detail: "Unauthorized" } };
    const answer = (a: FakeAnswer): FakeAnswer => ({ ...a, headers: { ...limits(), ...a.headers } });
    const q = req.query;
    const byName = /^\/2\/users\/by\/username\/([^/]+)$/.exec(req.path);
    if (byName) {
      const handle = decodeURIComponent(byName[1]!);
      const a = accounts.get(handle);
      if (!a) return answer(problem("resource-not-found", "Not Found Error", `Could not find user with username: [${handle}].`, { value: handle, resource_type: "user", parameter: "username", resource_id: handle }));
      return answer({ status: 200, body: { data: { id: a.id, name: a.name, username: a.handle, description: a.bio, protected: a.private, public_metrics: { followers_count: a.followers, following_count: a.following, tweet_count: a.posts.length, listed_count: 3, like_count: 10 } } } });
    }
    const timeline = /^\/2\/users\/(\d+)\/tweets$/.exec(req.path);
    if (timeline) {
      const a = accounts.byExternalId(timeline[1]!);
      if (!a) return answer(problem("resource-not-found", "Not Found Error", `Could not find user with id: [${timeline[1]}].`, { value: timeline[1]!, resource_type: "user", parameter: "id", resource_id: timeline[1]! }));
      if (a.private) return answer(problem("not-authorized-for-resource", "Authorization Error", `Sorry, you are not authorized to see the user with id: [${a.id}].`, { resource_type: "user", resource_id: a.id }));
      const since = q.get("start_time") ? Date.parse(q.get("start_time")!) : 0;
      const tweets = a.posts
        .filter((p) => p.postedAt.getTime() >= since)
        .map((p) => ({ id: p.id, text: p.caption, created_at: p.postedAt.toISOString(), edit_history_tweet_ids: [p.id], public_metrics: { retweet_count: p.shares, reply_count: p.comments, like_count: p.likes, quote_count: 1, bookmark_count: 0, impression_count: p.views } }));
      const page = paged(tweets, Number(q.get("max_results") ?? 10), q.get("pagination_token"), 5);
      return answer("status" in page ? page : { status: 200, body: page });
    }
    if (req.path === "/2/tweets/search/recent") {
      const conversation = /^conversation_id:(\d+)$/.exec(q.get("query") ?? "");
      if (!conversation) return answer({ status: 400, body: { title: "Invalid Request", detail: "One or more parameters to your request was invalid.", type: "https://api.twitter.com/2/problems/invalid-request" } });
      const found = accounts.post(conversation[1]!);
      const replies = found ? accounts.comments(found.post).reverse() : [];
      const users = replies.map((c, i) => ({ id: String(2_000_000 + i), username: c.author }));
      const page = paged(
        replies.map((c, i) => ({ id: `${conversation[1]}${String(i).padStart(3, "0")}`, text: `@${found!.account.handle} ${c.text}`, created_at: c.postedAt.toISOString(), author_id: users[i]!.id, edit_history_tweet_ids: [] })),
        Number(q.get("max_results") ?? 10),
        q.get("next_token"),
        10,
      );
      if ("status" in page) return answer(page);
      const authors = new Set(page.data.map((t) => t.author_id));
      // A conversation with no replies has no data at all, only a zero result_count.
      const body = page.data.length ? { data: page.data, includes: { users: users.filter((u) => authors.has(u.id)) }, meta: page.meta } : { meta: { result_count: 0 } };
      return answer({ status: 200, body });
    }
    return answer({ status: 404, body: { title: "Not Found", type: "about:blank", status: 404, detail: "Not Found" } });
  }

  const server = await startSocialFake(route, o);
  return Object.assign(server, {
    accounts,
    bearerToken,
    rateLimitNext(times = 1, resetInSeconds = 300) {
      const reset = String(Math.floor(now() / 1000) + resetInSeconds);
      server.force({ status: 429, body: { title: "Too Many Requests", detail: "Too Many Requests", type: "about:blank", status: 429 }, headers: { "x-rate-limit-limit": "1500", "x-rate-limit-remaining": "0", "x-rate-limit-reset": reset } }, times);
    },
    revokeToken() {
      bearerToken = `${bearerToken}-revoked`;
    },
  });
}
