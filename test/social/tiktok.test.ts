import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ManualClock } from "../../core/clock.ts";
import type { AccountRef, ProviderError } from "../../core/social/port.ts";
import { tiktokProvider } from "../../social/tiktok/provider.ts";
import { startFakeTikTokApi, type FakeTikTokApi } from "../fakes/tiktok-api.ts";
import { allComments, allPosts, countingGate } from "./paging.ts";

const NOW = new Date("2026-11-20T12:00:00Z");
const DAY = 86_400_000;
let fake: FakeTikTokApi;
let provider: ReturnType<typeof tiktokProvider>;
const kindOf = (p: Promise<unknown>) => p.then(() => "resolved", (e: ProviderError) => e.kind);

beforeAll(async () => {
  fake = await startFakeTikTokApi({ now: () => NOW.getTime(), posts: 24, everyDays: 2, commentsPerPost: 7 });
  provider = tiktokProvider({ clientKey: fake.clientKey, clientSecret: fake.clientSecret, apiUrl: fake.url, clock: new ManualClock(NOW) });
});
afterAll(() => fake.close());

const connected = (handle: string): AccountRef => ({ platform: "tiktok", handle, token: fake.tokenFor(handle) });
const unconnected: AccountRef = { platform: "tiktok", handle: "bialima" };

describe("the TikTok provider", () => {
  it("reads a connected creator through the Display API with their token", async () => {
    const gate = countingGate();
    const profile = await provider.profile(connected("murugi.w"), { gate });
    const account = fake.accounts.get("murugi.w")!;
    expect(profile).toMatchObject({ externalId: account.id, handle: "murugi.w", followers: account.followers, following: account.following, postsCount: 24 });
    expect(gate.taken).toEqual([1]);
    const call = fake.calls.at(-1)!;
    expect(call).toMatchObject({ method: "GET", path: "/v2/user/info/" });
    expect(call.query.get("fields")).toBe("open_id,union_id,display_name,bio_description,follower_count,following_count,likes_count,video_count");
  });

  it("pages the creator's videos by create_time cursor and stops at since", async () => {
    const gate = countingGate();
    const since = new Date(NOW.getTime() - 9 * DAY);
    const posts = await allPosts(provider, connected("murugi.w"), since, 2, gate);
    const account = fake.accounts.get("murugi.w")!;
    expect(posts.map((p) => p.externalId)).toEqual(account.posts.slice(0, 5).map((p) => p.id));
    expect(posts[0]).toMatchObject({ kind: "video", likes: account.posts[0]!.likes, views: account.posts[0]!.views, shares: account.posts[0]!.shares, comments: 7 });
    expect(gate.taken).toEqual([1, 1, 1]);
    const listCalls = fake.calls.filter((c) => c.path === "/v2/video/list/").slice(-3);
    expect(listCalls.map((c) => c.body.max_count)).toEqual([2, 2, 2]);
    expect(listCalls[0]!.body.cursor).toBeUndefined();
    expect(listCalls[1]!.body.cursor).toBe(account.posts[1]!.postedAt.getTime());
  });

  it("reads anyone else through the Research API with one client token, within its 30 days", async () => {
    const before = fake.clientTokens.length;
    const requests = fake.requests;
    const gate = countingGate();
    const profile = await provider.profile(unconnected, { gate });
    expect(profile).toMatchObject({ handle: "bialima", followers: fake.accounts.get("bialima")!.followers });
    const posts = await allPosts(provider, unconnected, new Date(NOW.getTime() - 90 * DAY), 4, gate);
    // 24 posts every 2 days span 47 days; the Research API reaches 30 back.
    expect(posts).toHaveLength(15);
    expect(posts.every((p) => p.postedAt.getTime() >= NOW.getTime() - 30 * DAY)).toBe(true);
    expect(fake.clientTokens.length - before).toBeLessThanOrEqual(1);
    // Every request, the token's included, took 1 from the gate.
    expect(gate.taken).toEqual(Array.from({ length: fake.requests - requests }, () => 1));
    const query = fake.calls.filter((c) => c.path === "/v2/research/video/query/").at(-1)!;
    expect(query.body).toMatchObject({ query: { and: [{ operation: "EQ", field_name: "username", field_values: ["bialima"] }] }, end_date: "20261120", start_date: "20261022" });
    expect(query.headers.authorization).toMatch(/^Bearer clt\./);
  });

  it("pages comments from the Research API, keeping int64 ids whole", async () => {
    const [post] = await allPosts(provider, connected("murugi.w"), new Date(NOW.getTime() - 2 * DAY));
    const gate = countingGate();
    const comments = await allComments(provider, connected("murugi.w"), post!, 3, gate);
    expect(comments).toHaveLength(7);
    expect(new Set(comments.map((c) => c.externalId)).size).toBe(7);
    expect(comments.map((c) => c.text)).toContain("Onde comprou?");
    expect(gate.taken.every((c) => c === 1)).toBe(true);

    fake.force({ status: 200, body: `{"data":{"comments":[{"id":7401234567890123456,"text":"Amei","create_time":1763640000}],"cursor":1,"has_more":false},"error":{"code":"ok","message":"","log_id":"x"}}` });
    const page = await provider.comments(connected("murugi.w"), { externalId: "7301234567890123456" }, { gate: countingGate() }, { limit: 10 });
    expect(page.items[0]!.externalId).toBe("7401234567890123456");
    expect(fake.calls.at(-1)!.body.video_id).toBe(7301234567890123456);
  });

  it("maps TikTok's error bodies", async () => {
    const token = fake.tokenFor("expiring");
    fake.expire(token);
    expect(await kindOf(provider.profile({ platform: "tiktok", handle: "expiring", token }, { gate: countingGate() }))).toBe("token_expired");
    fake.accounts.makePrivate("hidden");
    expect(await kindOf(provider.profile(connected("hidden"), { gate: countingGate() }))).toBe("private");
    expect(await kindOf(provider.profile({ platform: "tiktok", handle: "hidden" }, { gate: countingGate() }))).toBe("private");
    fake.accounts.remove("gone");
    expect(await kindOf(provider.profile({ platform: "tiktok", handle: "gone" }, { gate: countingGate() }))).toBe("not_found");

    fake.rateLimitNext(1, 75);
    expect(await provider.profile(connected("murugi.w"), { gate: countingGate() }).catch((e: ProviderError) => e)).toMatchObject({ kind: "rate_limited", retryAfterMs: 75_000 });

    const wrongKeys = tiktokProvider({ clientKey: "nope", clientSecret: "nope", apiUrl: fake.url, clock: new ManualClock(NOW) });
    const refused = await wrongKeys.profile(unconnected, { gate: countingGate() }).catch((e: ProviderError) => e);
    expect(refused).toMatchObject({ kind: "token_expired" });
    expect((refused as Error).message).toContain("client key");
  });

  it("renews the app's client token when TikTok says it lapsed, instead of failing the creator", async () => {
    const p = tiktokProvider({ clientKey: fake.clientKey, clientSecret: fake.clientSecret, apiUrl: fake.url, clock: new ManualClock(NOW) });
    await p.profile(unconnected, { gate: countingGate() });
    fake.expire(fake.clientTokens.at(-1)!);
    const before = fake.clientTokens.length;
    await expect(p.profile(unconnected, { gate: countingGate() })).resolves.toMatchObject({ handle: "bialima" });
    expect(fake.clientTokens.length).toBe(before + 1);
  });
});
