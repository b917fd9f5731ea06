import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ManualClock } from "../../core/clock.ts";
import type { AccountRef, ProviderError } from "../../core/social/port.ts";
import { xProvider } from "../../social/x/provider.ts";
import { startFakeXApi, type FakeXApi } from "../fakes/x-api.ts";
import { allComments, allPosts, countingGate } from "./paging.ts";

const NOW = new Date("2026-11-20T12:00:00Z");
const DAY = 86_400_000;
let fake: FakeXApi;
let provider: ReturnType<typeof xProvider>;
const kindOf = (p: Promise<unknown>) => p.then(() => "resolved", (e: ProviderError) => e.kind);
const user: AccountRef = { platform: "x", handle: "tomasreis" };

beforeAll(async () => {
  fake = await startFakeXApi({ now: () => NOW.getTime(), posts: 30, everyDays: 1, commentsPerPost: 23 });
  provider = xProvider({ bearerToken: fake.bearerToken, apiUrl: fake.url, clock: new ManualClock(NOW) });
});
afterAll(() => fake.close());

describe("the X provider", () => {
  it("reads a user by username with the app's bearer token", async () => {
    const gate = countingGate();
    const profile = await provider.profile(user, { gate });
    const account = fake.accounts.get("tomasreis")!;
    expect(profile).toMatchObject({ externalId: account.id, handle: "tomasreis", followers: account.followers, following: account.following, postsCount: 30, bio: account.bio });
    expect(gate.taken).toEqual([1]);
    const call = fake.calls.at(-1)!;
    expect(call.path).toBe("/2/users/by/username/tomasreis");
    expect(call.query.get("user.fields")).toBe("description,public_metrics,protected");
    expect(call.headers.authorization).toBe(`Bearer ${fake.bearerToken}`);
  });

  it("pages the user's tweets from start_time by pagination_token, at least 5 a page", async () => {
    const gate = countingGate();
    const since = new Date(NOW.getTime() - 12 * DAY);
    const account = fake.accounts.get("tomasreis")!;
    const posts = await allPosts(provider, { ...user, externalId: account.id }, since, 2, gate);
    expect(posts.map((p) => p.externalId)).toEqual(account.posts.slice(0, 12).map((p) => p.id));
    const first = account.posts[0]!;
    expect(posts[0]).toMatchObject({ kind: "tweet", caption: first.caption, likes: first.likes, comments: first.comments, shares: first.shares + 1, views: first.views, url: `https://x.com/tomasreis/status/${first.id}` });
    // 12 tweets at 5 a page (X's minimum).
    expect(gate.taken).toEqual([1, 1, 1]);
    const calls = fake.calls.filter((c) => c.path === `/2/users/${account.id}/tweets`);
    expect(Object.fromEntries(calls[0]!.query)).toMatchObject({ max_results: "5", start_time: since.toISOString(), "tweet.fields": "created_at,public_metrics", exclude: "retweets,replies" });
    expect(calls[1]!.query.get("pagination_token")).toBeTruthy();
  });

  it("looks the user up first when their id isn't known yet", async () => {
    const gate = countingGate();
    const page = await provider.posts({ platform: "x", handle: "bialima" }, { gate }, { since: new Date(NOW.getTime() - 3 * DAY), limit: 100 });
    expect(page.items).toHaveLength(3);
    expect(page.next).toBeNull();
    expect(gate.taken).toEqual([1, 1]);
  });

  it("reads replies through recent search on the conversation, with their authors", async () => {
    const [post] = fake.accounts.get("tomasreis")!.posts;
    const gate = countingGate();
    const replies = await allComments(provider, user, { externalId: post!.id }, 10, gate);
    expect(replies).toHaveLength(23);
    expect(new Set(replies.map((r) => r.externalId)).size).toBe(23);
    expect(replies[0]!.author).toMatch(/^fan\d+$/);
    expect(replies.map((r) => r.text)).toContain("@tomasreis Não gostei");
    expect(gate.taken).toEqual([1, 1, 1]);
    expect(fake.calls.at(-1)!.query.get("query")).toBe(`conversation_id:${post!.id}`);

    const none = await provider.comments(user, { externalId: "1869999999999999999" }, { gate: countingGate() }, { limit: 100 });
    expect(none).toEqual({ items: [], next: null });
  });

  it("maps X's errors: missing, protected, revoked, and 429 until x-rate-limit-reset", async () => {
    fake.accounts.remove("gone");
    expect(await kindOf(provider.profile({ platform: "x", handle: "gone" }, { gate: countingGate() }))).toBe("not_found");
    fake.accounts.makePrivate("locked");
    expect(await kindOf(provider.posts({ platform: "x", handle: "locked" }, { gate: countingGate() }, { since: new Date(0), limit: 10 }))).toBe("private");
    const lockedId = fake.accounts.get("locked")!.id;
    expect(await kindOf(provider.posts({ platform: "x", handle: "locked", externalId: lockedId }, { gate: countingGate() }, { since: new Date(0), limit: 10 }))).toBe("private");

    fake.rateLimitNext(1, 420);
    expect(await provider.profile(user, { gate: countingGate() }).catch((e: ProviderError) => e)).toMatchObject({ kind: "rate_limited", retryAfterMs: 420_000 });

    fake.revokeToken();
    const revoked = await provider.profile(user, { gate: countingGate() }).catch((e: ProviderError) => e);
    expect(revoked).toMatchObject({ kind: "token_expired" });
    expect((revoked as Error).message).not.toContain(fake.bearerToken);
  });
});
