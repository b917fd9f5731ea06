import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ManualClock } from "../../core/clock.ts";
import type { AccountRef, ProviderError } from "../../core/social/port.ts";
import { YOUTUBE_UNIT_COSTS } from "../../social/youtube/costs.ts";
import { youtubeProvider } from "../../social/youtube/provider.ts";
import { untilPacificMidnight } from "../../social/youtube/quota-day.ts";
import { startFakeYouTubeApi, type FakeYouTubeApi } from "../fakes/youtube-api.ts";
import { allComments, allPosts, countingGate } from "./paging.ts";

const NOW = new Date("2026-11-20T12:00:00Z");
const DAY = 86_400_000;
let fake: FakeYouTubeApi;
let provider: ReturnType<typeof youtubeProvider>;
const channel: AccountRef = { platform: "youtube", handle: "tomasreis" };
const kindOf = (p: Promise<unknown>) => p.then(() => "resolved", (e: ProviderError) => e.kind);

beforeAll(async () => {
  fake = await startFakeYouTubeApi({ now: () => NOW.getTime(), posts: 12, everyDays: 2, commentsPerPost: 7 });
  provider = youtubeProvider({ apiKey: fake.apiKey, apiUrl: fake.url, clock: new ManualClock(NOW) });
});
afterAll(() => fake.close());

describe("YouTube's unit costs", () => {
  it("are Google's: 1 for every list call the provider makes, 100 for the search it avoids", () => {
    expect(YOUTUBE_UNIT_COSTS).toEqual({ "channels.list": 1, "playlistItems.list": 1, "videos.list": 1, "commentThreads.list": 1, "search.list": 100 });
  });

  it("reset at midnight Pacific, summer and winter", () => {
    // 12:00 UTC is 04:00 PST (UTC-8) in November: 20 hours to go; 05:00 PDT (UTC-7) in July: 19.
    expect(untilPacificMidnight(NOW)).toBe(20 * 3_600_000);
    expect(untilPacificMidnight(new Date("2026-07-01T12:00:00Z"))).toBe(19 * 3_600_000);
    // The day clocks go back (1 Nov 2026) lasts 25 hours.
    expect(untilPacificMidnight(new Date("2026-11-01T07:00:00Z"))).toBe(25 * 3_600_000);
  });
});

describe("the YouTube provider", () => {
  it("finds a channel by handle with the API key and reads its counters from strings", async () => {
    const gate = countingGate();
    const profile = await provider.profile(channel, { gate });
    const account = fake.accounts.get("tomasreis")!;
    expect(profile).toMatchObject({ externalId: account.id, handle: "tomasreis", followers: account.followers, postsCount: 12, displayName: account.name });
    expect(profile.views).toBe(account.posts.reduce((n, p) => n + p.views, 0));
    expect(gate.taken).toEqual([1]);
    const call = fake.calls.at(-1)!;
    expect(call.path).toBe("/youtube/v3/channels");
    expect(Object.fromEntries(call.query)).toMatchObject({ part: "snippet,statistics,contentDetails", forHandle: "@tomasreis", key: fake.apiKey });
  });

  it("pages uploads through playlistItems and videos, 1 unit each, and stops at since", async () => {
    const gate = countingGate();
    const units = fake.unitsUsed;
    const since = new Date(NOW.getTime() - 9 * DAY);
    const posts = await allPosts(provider, channel, since, 2, gate);
    const account = fake.accounts.get("tomasreis")!;
    expect(posts.map((p) => p.externalId)).toEqual(account.posts.slice(0, 5).map((p) => p.id));
    expect(posts[0]).toMatchObject({ kind: "video", likes: account.posts[0]!.likes, views: account.posts[0]!.views, comments: 7, url: `https://www.youtube.com/watch?v=${account.posts[0]!.id}` });
    // channels + 3 × (playlistItems + videos).
    expect(gate.taken).toEqual([1, 1, 1, 1, 1, 1, 1]);
    expect(fake.unitsUsed - units).toBe(7);
    expect(fake.calls.filter((c) => c.path.endsWith("/search"))).toEqual([]);
    expect(fake.calls.find((c) => c.path.endsWith("/playlistItems"))!.query.get("playlistId")).toBe(`UU${account.id.slice(2)}`);
  });

  it("pages comment threads, and a video with comments off simply has none", async () => {
    const posts = await allPosts(provider, channel, new Date(NOW.getTime() - 3 * DAY));
    const gate = countingGate();
    const comments = await allComments(provider, channel, posts[0]!, 3, gate);
    expect(comments).toHaveLength(7);
    expect(comments.map((c) => c.text)).toContain("Amei demais");
    expect(gate.taken).toEqual([1, 1, 1]);
    expect(Object.fromEntries(fake.calls.at(-1)!.query)).toMatchObject({ part: "snippet", textFormat: "plainText", videoId: posts[0]!.externalId });

    fake.disableComments(posts[0]!.externalId);
    expect(await provider.comments(channel, posts[0]!, { gate: countingGate() }, { limit: 100 })).toEqual({ items: [], next: null });
  });

  it("uses the creator's token for their own channel", async () => {
    const profile = await provider.profile({ platform: "youtube", handle: "njugushofficial", token: fake.tokenFor("njugushofficial") }, { gate: countingGate() });
    expect(profile.externalId).toBe(fake.accounts.get("njugushofficial")!.id);
    const call = fake.calls.at(-1)!;
    expect(call.query.get("mine")).toBe("true");
    expect(call.query.get("key")).toBeNull();
    expect(call.headers.authorization).toBe(`Bearer ${fake.tokenFor("njugushofficial")}`);
  });

  it("maps YouTube's errors", async () => {
    fake.accounts.remove("nochannel");
    expect(await kindOf(provider.profile({ platform: "youtube", handle: "nochannel" }, { gate: countingGate() }))).toBe("not_found");
    fake.accounts.makePrivate("hiddenvids");
    expect(await kindOf(allPosts(provider, { platform: "youtube", handle: "hiddenvids" }, new Date(0)))).toBe("private");

    const token = fake.tokenFor("expiring");
    fake.expire(token);
    expect(await kindOf(provider.profile({ platform: "youtube", handle: "expiring", token }, { gate: countingGate() }))).toBe("token_expired");
    const badKey = youtubeProvider({ apiKey: "wrong", apiUrl: fake.url, clock: new ManualClock(NOW) });
    const refused = await badKey.profile(channel, { gate: countingGate() }).catch((e: ProviderError) => e);
    expect(refused).toMatchObject({ kind: "token_expired" });
    expect((refused as Error).message).not.toContain("wrong");

    fake.rateLimitNext(1, 45);
    expect(await provider.profile(channel, { gate: countingGate() }).catch((e: ProviderError) => e)).toMatchObject({ kind: "rate_limited", retryAfterMs: 45_000 });
  });

  it("waits for midnight Pacific once the day's quota is spent", async () => {
    const small = await startFakeYouTubeApi({ now: () => NOW.getTime(), dailyQuota: 2 });
    try {
      const p = youtubeProvider({ apiKey: small.apiKey, apiUrl: small.url, clock: new ManualClock(NOW) });
      await p.profile(channel, { gate: countingGate() });
      await p.profile(channel, { gate: countingGate() });
      expect(await p.profile(channel, { gate: countingGate() }).catch((e: ProviderError) => e)).toMatchObject({ kind: "rate_limited", retryAfterMs: 20 * 3_600_000 });
    } finally {
      await small.close();
    }
  });
});
