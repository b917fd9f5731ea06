import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ManualClock } from "../../core/clock.ts";
import { ProviderError, type AccountRef } from "../../core/social/port.ts";
import { instagramProvider } from "../../social/instagram/provider.ts";
import { startFakeInstagramApi, type FakeInstagramApi } from "../fakes/instagram-api.ts";
import { allComments, allPosts, countingGate } from "./paging.ts";

const NOW = new Date("2026-11-20T12:00:00Z");
const DAY = 86_400_000;
let fake: FakeInstagramApi;
let provider: ReturnType<typeof instagramProvider>;

beforeAll(async () => {
  fake = await startFakeInstagramApi({ now: () => NOW.getTime(), posts: 12, everyDays: 2, commentsPerPost: 7 });
  provider = instagramProvider({ accessToken: fake.appToken, businessAccountId: fake.businessAccountId, apiUrl: `${fake.url}/v21.0`, clock: new ManualClock(NOW) });
});
afterAll(() => fake.close());

const discovered: AccountRef = { platform: "instagram", handle: "murugi" };

describe("the Instagram provider", () => {
  it("reads another business account's profile through business_discovery with the app's token", async () => {
    const gate = countingGate();
    const profile = await provider.profile(discovered, { gate });
    const account = fake.accounts.get("murugi")!;
    expect(profile).toMatchObject({ externalId: account.id, handle: "murugi", followers: account.followers, following: account.following, postsCount: 12, bio: account.bio });
    expect(gate.taken).toEqual([1]);
    const call = fake.calls.at(-1)!;
    expect(call.path).toBe(`/v21.0/${fake.businessAccountId}`);
    expect(call.query.get("fields")).toMatch(/^business_discovery\.username\(murugi\)\{id,username,.*followers_count/);
    expect(call.headers.authorization).toBe(`Bearer ${fake.appToken}`);
  });

  it("pages posts by cursor, newest first, and stops at since without asking for more", async () => {
    const gate = countingGate();
    const before = fake.requests;
    const since = new Date(NOW.getTime() - 9 * DAY);
    const posts = await allPosts(provider, discovered, since, 2, gate);
    // Posts every 2 days, an hour before each day: 5 within 9 days.
    expect(posts.map((p) => p.externalId)).toEqual(fake.accounts.get("murugi")!.posts.slice(0, 5).map((p) => p.id));
    expect(posts.every((p) => p.postedAt >= since)).toBe(true);
    expect(posts[0]).toMatchObject({ kind: "image", caption: "Post 1 by @murugi #fake", likes: fake.accounts.get("murugi")!.posts[0]!.likes, comments: 7 });
    expect(posts[0]!.postedAt).toEqual(fake.accounts.get("murugi")!.posts[0]!.postedAt);
    // Pages of 2: [1,2] [3,4] [5,6→older than since: stop].
    expect(fake.requests - before).toBe(3);
    expect(gate.taken).toEqual([1, 1, 1]);
  });

  it("reads a connected creator's own account, media and comments with their token", async () => {
    const account = fake.accounts.get("bialima")!;
    const own: AccountRef = { platform: "instagram", handle: "bialima", externalId: account.id, token: fake.tokenFor("bialima") };
    const profile = await provider.profile(own, { gate: countingGate() });
    expect(profile).toMatchObject({ externalId: account.id, followers: account.followers });
    expect(fake.calls.at(-1)!.path).toBe(`/v21.0/${account.id}`);

    const posts = await allPosts(provider, own, new Date(NOW.getTime() - 100 * DAY), 5);
    expect(posts).toHaveLength(12);
    expect(fake.calls.at(-1)!.path).toBe(`/v21.0/${account.id}/media`);

    const gate = countingGate();
    const comments = await allComments(provider, own, posts[0]!, 3, gate);
    expect(comments).toHaveLength(7);
    expect(new Set(comments.map((c) => c.externalId)).size).toBe(7);
    expect(comments.map((c) => c.text)).toContain("Não gostei");
    expect(comments[0]!.postedAt.getTime()).toBeGreaterThan(comments.at(-1)!.postedAt.getTime());
    expect(gate.taken).toEqual([1, 1, 1]);
  });

  it("has no comments for an account read through business_discovery, and asks nothing for them", async () => {
    const before = fake.requests;
    const gate = countingGate();
    expect(await provider.comments(discovered, { externalId: fake.accounts.get("murugi")!.posts[0]!.id }, { gate }, { limit: 25 })).toEqual({ items: [] });
    expect(fake.requests).toBe(before);
    expect(gate.taken).toEqual([]);
  });

  it("maps Graph API errors to what the sync does with them", async () => {
    const kindOf = (p: Promise<unknown>) => p.then(() => "resolved", (e: ProviderError) => e.kind);
    fake.accounts.remove("gone");
    expect(await kindOf(provider.profile({ platform: "instagram", handle: "gone" }, { gate: countingGate() }))).toBe("not_found");
    fake.accounts.makePrivate("hidden");
    expect(await kindOf(provider.profile({ platform: "instagram", handle: "hidden" }, { gate: countingGate() }))).toBe("private");
    expect(await kindOf(provider.profile({ platform: "instagram", handle: "x", externalId: "999", token: fake.tokenFor("x") }, { gate: countingGate() }))).toBe("not_found");

    const token = fake.tokenFor("expiring");
    const id = fake.accounts.get("expiring")!.id;
    fake.expire(token);
    const expired = await provider.profile({ platform: "instagram", handle: "expiring", externalId: id, token }, { gate: countingGate() }).catch((e: ProviderError) => e);
    expect(expired).toMatchObject({ kind: "token_expired", permanent: true });
    expect((expired as Error).message).not.toContain(token);

    fake.rateLimitNext(1, 12);
    const limited = await provider.profile(discovered, { gate: countingGate() }).catch((e: ProviderError) => e);
    expect(limited).toMatchObject({ kind: "rate_limited", retryAfterMs: 12 * 60_000, permanent: false });

    fake.force({ status: 500, body: { error: { message: "An unexpected error has occurred.", code: 2 } } });
    expect(await kindOf(provider.profile(discovered, { gate: countingGate() }))).toBe("unavailable");
    fake.force({ status: 502, body: "<html>Bad Gateway</html>" });
    expect(await kindOf(provider.profile(discovered, { gate: countingGate() }))).toBe("unavailable");
    fake.force({ status: 200, body: "not json" });
    expect(await kindOf(provider.profile(discovered, { gate: countingGate() }))).toBe("bad_response");
    fake.force({ status: 200, body: { business_discovery: { id: "1", username: "murugi" } } });
    const shapeless = await provider.profile(discovered, { gate: countingGate() }).catch((e: ProviderError) => e);
    expect(shapeless).toMatchObject({ kind: "bad_response" });
    expect((shapeless as Error).message).toContain("followers_count");
  });

  it("takes from the gate before calling, so a gate that refuses stops the call", async () => {
    const before = fake.requests;
    const refusing = { take: async () => Promise.reject(new ProviderError("instagram", "rate_limited", "quota used", 5_000)) };
    await expect(provider.profile(discovered, { gate: refusing })).rejects.toMatchObject({ kind: "rate_limited", retryAfterMs: 5_000 });
    expect(fake.requests).toBe(before);
  });
});
