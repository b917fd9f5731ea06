import { describe, expect, it } from "vitest";
import { ManualClock } from "../../core/clock.ts";
import type { AccountRef, SocialPlatform } from "../../core/social/port.ts";
import { simulatedProvider } from "../../social/simulated/provider.ts";
import { allComments, allPosts, countingGate } from "./paging.ts";

const NOW = new Date("2026-11-20T12:00:00Z");
const DAY = 86_400_000;

const account = (platform: SocialPlatform, handle: string): AccountRef => ({ platform, handle });

async function followersOver(platform: SocialPlatform, handle: string, days: number): Promise<number[]> {
  const clock = new ManualClock(new Date(NOW.getTime() - days * DAY));
  const provider = simulatedProvider(platform, clock);
  const out: number[] = [];
  for (let d = 0; d <= days; d++) {
    out.push((await provider.profile(account(platform, handle), { gate: countingGate() })).followers);
    clock.advance(DAY);
  }
  return out;
}

describe("the simulated provider", () => {
  it("gives the same account, posts and comments for the same handle and moment, in any instance", async () => {
    const read = async () => {
      const provider = simulatedProvider("instagram", new ManualClock(NOW));
      const ref = account("instagram", "murugi");
      const profile = await provider.profile(ref, { gate: countingGate() });
      const posts = await allPosts(provider, ref, new Date(NOW.getTime() - 30 * DAY));
      const comments = await allComments(provider, ref, posts[0]!);
      return { profile, posts, comments };
    };
    const first = await read();
    expect(await read()).toEqual(first);
    expect(first.posts.length).toBeGreaterThan(3);

    const other = await simulatedProvider("instagram", new ManualClock(NOW)).profile(account("instagram", "bialima"), { gate: countingGate() });
    expect(other.followers).not.toBe(first.profile.followers);
    expect(other.externalId).not.toBe(first.profile.externalId);
  });

  it("takes one from the gate for every call", async () => {
    const provider = simulatedProvider("youtube", new ManualClock(NOW));
    const gate = countingGate();
    const ref = account("youtube", "tomasreis");
    await provider.profile(ref, { gate });
    const page = await provider.posts(ref, { gate }, { since: new Date(NOW.getTime() - 60 * DAY), limit: 3 });
    await provider.comments(ref, page.items[0]!, { gate }, { limit: 10 });
    expect(gate.taken).toEqual([1, 1, 1]);
  });

  it("grows audiences at different speeds, and one has sudden jumps of followers", async () => {
    const growth = (series: number[]) => series.at(-1)! / series[0]! - 1;
    const dailyJumps = (series: number[]) => series.slice(1).map((f, i) => f / series[i]! - 1);

    const fast = await followersOver("instagram", "murugi", 30);
    const flat = await followersOver("instagram", "njugush", 30);
    const bought = await followersOver("youtube", "tomasreis", 60);
    expect(growth(fast)).toBeGreaterThan(0.05);
    expect(Math.abs(growth(flat))).toBeLessThan(0.02);
    // Organic audiences move by well under 2 % a day; bought followers land at once, then drain away.
    for (const series of [fast, flat]) expect(Math.max(...dailyJumps(series).map(Math.abs))).toBeLessThan(0.02);
    expect(Math.max(...dailyJumps(bought))).toBeGreaterThan(0.2);
    expect(Math.min(...dailyJumps(bought))).toBeLessThan(0);
  });

  it("posts every few days within the window, newest first, with counters that fit the audience", async () => {
    const since = new Date(NOW.getTime() - 90 * DAY);
    const ref = account("tiktok", "bialima");
    const provider = simulatedProvider("tiktok", new ManualClock(NOW));
    const posts = await allPosts(provider, ref, since, 4);
    const times = posts.map((p) => p.postedAt.getTime());
    expect(times.every((t) => t >= since.getTime() && t <= NOW.getTime())).toBe(true);
    expect([...times].sort((a, b) => b - a)).toEqual(times);
    expect(new Set(posts.map((p) => p.externalId)).size).toBe(posts.length);
    const meanGapDays = (times[0]! - times.at(-1)!) / (posts.length - 1) / DAY;
    expect(meanGapDays).toBeGreaterThan(1);
    expect(meanGapDays).toBeLessThan(7);

    // Paged or in one go, the same posts.
    expect(await allPosts(provider, ref, since, 1000)).toEqual(posts);

    const followers = (await provider.profile(ref, { gate: countingGate() })).followers;
    const settled = posts.filter((p) => NOW.getTime() - p.postedAt.getTime() > 7 * DAY);
    const medianViews = settled.map((p) => p.views!).sort((a, b) => a - b)[Math.floor(settled.length / 2)]!;
    expect(medianViews).toBeGreaterThan(followers * 0.2);
    expect(medianViews).toBeLessThan(followers * 3);
    for (const p of settled) {
      expect(p.likes).toBeLessThan(p.views!);
      expect(p.comments).toBeLessThan(p.likes);
      expect(p.caption).toMatch(/#\w+/);
    }
  });

  it("stops at since: nothing older, and no cursor past it", async () => {
    const provider = simulatedProvider("x", new ManualClock(NOW));
    const since = new Date(NOW.getTime() - 3 * DAY);
    const page = await provider.posts(account("x", "tomasreis"), { gate: countingGate() }, { since, limit: 100 });
    expect(page.next).toBeNull();
    expect(page.items.every((p) => p.postedAt >= since)).toBe(true);
  });

  it("lets counters grow as a post ages, never backwards", async () => {
    const clock = new ManualClock(NOW);
    const provider = simulatedProvider("instagram", clock);
    const ref = account("instagram", "murugi");
    const [latest] = (await provider.posts(ref, { gate: countingGate() }, { since: new Date(NOW.getTime() - 10 * DAY), limit: 1 })).items;
    clock.set(new Date(latest!.postedAt.getTime() + 3_600_000));
    const early = (await provider.posts(ref, { gate: countingGate() }, { since: latest!.postedAt, limit: 1 })).items[0]!;
    clock.set(new Date(latest!.postedAt.getTime() + 5 * DAY));
    // Newer posts have appeared by then: find the same one.
    const later = (await provider.posts(ref, { gate: countingGate() }, { since: latest!.postedAt, limit: 100 })).items.find((p) => p.externalId === early.externalId)!;
    expect(later).toBeDefined();
    expect(later.likes).toBeGreaterThan(early.likes);
    expect(later.comments).toBeGreaterThanOrEqual(early.comments);
  });

  it("has comments in English and Portuguese, kind and unkind, as many as the post counts", async () => {
    const texts: string[] = [];
    for (const [platform, handle] of [["instagram", "murugi"], ["tiktok", "bialima"]] as const) {
      const provider = simulatedProvider(platform, new ManualClock(NOW));
      const ref = account(platform, handle);
      const posts = (await allPosts(provider, ref, new Date(NOW.getTime() - 20 * DAY))).filter((p) => p.comments > 0).slice(0, 3);
      for (const post of posts) {
        const comments = await allComments(provider, ref, post);
        expect(comments).toHaveLength(post.comments);
        expect(new Set(comments.map((c) => c.externalId)).size).toBe(comments.length);
        expect(comments.every((c) => c.postedAt >= post.postedAt && c.postedAt <= NOW)).toBe(true);
        texts.push(...comments.map((c) => c.text));
      }
    }
    const has = (re: RegExp) => texts.some((t) => re.test(t));
    expect(has(/\b(love|amazing|great|helpful)\b/i)).toBe(true);
    expect(has(/\b(amei|incrível|perfeito|muito bom)\b/i)).toBe(true);
    expect(has(/\b(not good|not worth|hate|terrible|boring|don't like)\b/i)).toBe(true);
    expect(has(/\b(não gostei|não vale|não curti|péssima|odeio|chato)\b/i)).toBe(true);
    expect(has(/\?$/)).toBe(true);
  });

  it("says a post it never made is not found", async () => {
    const provider = simulatedProvider("youtube", new ManualClock(NOW));
    await expect(provider.comments(account("youtube", "tomasreis"), { externalId: "20000-zzz" }, { gate: countingGate() }, { limit: 10 })).rejects.toMatchObject({ kind: "not_found", platform: "youtube" });
  });
});
