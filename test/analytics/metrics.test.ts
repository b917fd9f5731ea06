/**
 * The analytics as pure functions on fixed data, each figure checked against
 * arithmetic written out beside it: engagement on each platform's
 * denominator, growth with gaps in the history, the flags firing and not,
 * trends, consistency, the influence score and TF-IDF keywords.
 */
import { describe, expect, it } from "vitest";
import { consistency } from "../../core/analytics/consistency.ts";
import type { Post, Snapshot } from "../../core/analytics/data.ts";
import { engagement } from "../../core/analytics/engagement.ts";
import { followerJumps, lowEngagement } from "../../core/analytics/flags.ts";
import { dailyGains, growth } from "../../core/analytics/growth.ts";
import { termCounts, topKeywords } from "../../core/analytics/keywords.ts";
import { engagementPart, growthPart, influenceScore, reachPart, sentimentPart, type PlatformFigures } from "../../core/analytics/score.ts";
import { tierOf } from "../../core/analytics/tiers.ts";
import { followerSpikes, postSpikes } from "../../core/analytics/trends.ts";
import type { SocialPlatform } from "../../core/creators/handles.ts";

const NOW = new Date("2026-06-30T12:00:00Z");
const DAY = 86_400_000;
const ago = (days: number) => new Date(NOW.getTime() - days * DAY);
const post = (platform: SocialPlatform, daysAgo: number, c: Partial<Post>): Post => ({ platform, postedAt: ago(daysAgo), caption: "", likes: 0, comments: 0, shares: null, views: null, ...c });
const snap = (platform: SocialPlatform, daysAgo: number, followers: number): Snapshot => ({ platform, capturedAt: ago(daysAgo), followers });

describe("engagement rate, per platform on its stated denominator, median of the latest posts", () => {
  it("Instagram: (likes + comments) / followers, median over the posts", () => {
    // 10,000 followers: (300+20)/10,000 = 3.2 %, (450+50)/10,000 = 5 %, (180+20)/10,000 = 2 % → median 3.2 %.
    const posts = [post("instagram", 1, { likes: 300, comments: 20 }), post("instagram", 5, { likes: 450, comments: 50 }), post("instagram", 9, { likes: 180, comments: 20 })];
    expect(engagement("instagram", posts, 10_000, NOW)).toEqual({ platform: "instagram", rate: 3.2, denominator: "followers", posts: 3 });
  });

  it("YouTube and TikTok: (likes + comments) / views; a video without a view count is left out", () => {
    // (400+100)/10,000 = 5 %, (500+100)/20,000 = 3 % → median 4 %; the third has no views.
    const posts = (p: SocialPlatform) => [post(p, 1, { likes: 400, comments: 100, views: 10_000 }), post(p, 2, { likes: 500, comments: 100, views: 20_000 }), post(p, 3, { likes: 999, comments: 99 })];
    for (const p of ["youtube", "tiktok"] as const) expect(engagement(p, posts(p), 1_000_000, NOW)).toEqual({ platform: p, rate: 4, denominator: "views", posts: 2 });
  });

  it("X: (likes + replies + reposts) / impressions when every post has them, else / followers", () => {
    // (50+10+40)/5,000 = 2 %, (30+5+15)/2,500 = 2 % → 2 % of impressions.
    const withImpressions = [post("x", 1, { likes: 50, comments: 10, shares: 40, views: 5_000 }), post("x", 2, { likes: 30, comments: 5, shares: 15, views: 2_500 })];
    expect(engagement("x", withImpressions, 20_000, NOW)).toEqual({ platform: "x", rate: 2, denominator: "impressions", posts: 2 });
    // One post without impressions: all on 20,000 followers: 100/20,000 = 0.5 %, 50/20,000 = 0.25 % → median 0.375 %.
    const mixed = [withImpressions[0]!, { ...withImpressions[1]!, views: null }];
    expect(engagement("x", mixed, 20_000, NOW)).toEqual({ platform: "x", rate: 0.375, denominator: "followers", posts: 2 });
  });

  it("only the latest 12 posts of the last 90 days, of that platform", () => {
    // 13 recent posts: the oldest (100 % engagement) falls outside the latest 12; a 95-day-old one and a TikTok one never count.
    const posts = [
      ...Array.from({ length: 12 }, (_, i) => post("instagram", i + 1, { likes: 100 })),
      post("instagram", 20, { likes: 10_000 }),
      post("instagram", 95, { likes: 10_000 }),
      post("tiktok", 1, { likes: 10_000, views: 1 }),
    ];
    expect(engagement("instagram", posts, 10_000, NOW)).toEqual({ platform: "instagram", rate: 1, denominator: "followers", posts: 12 });
  });

  it("no posts measured: no rate, rather than zero", () => {
    expect(engagement("youtube", [post("youtube", 1, { likes: 5 })], 100, NOW).rate).toBeNull();
  });
});

describe("growth over 7 and 30 days", () => {
  const daily = Array.from({ length: 31 }, (_, i) => snap("instagram", 30 - i, 10_000 + i * 50));

  it("latest reading against the one 7 and 30 days before it", () => {
    // 30 days ago 10,000, now 11,500: +1,500 = +15 %. 7 days ago 11,150: +350 = 3.139… %.
    expect(growth("instagram", daily, 30)).toMatchObject({ enough: true, from: 10_000, to: 11_500, change: 1_500, percent: 15 });
    const week = growth("instagram", daily, 7);
    expect(week).toMatchObject({ enough: true, from: 11_150, to: 11_500, change: 350 });
    expect(week.enough && week.percent).toBeCloseTo((100 * 350) / 11_150, 6);
  });

  it("with a gap, the nearest reading within a tenth of the window (at least a day) stands in; further off, not enough history", () => {
    // No reading 30 days back, one 33 days back: 3 days off, inside 30/10 = 3 days.
    const gapped = [snap("youtube", 33, 8_000), snap("youtube", 10, 9_000), snap("youtube", 0, 10_000)];
    expect(growth("youtube", gapped, 30)).toMatchObject({ enough: true, from: 8_000, change: 2_000, percent: 25 });
    // 34 days back is 4 days off: not enough history, and how many days there are.
    const older = [snap("youtube", 34, 8_000), snap("youtube", 0, 10_000)];
    expect(growth("youtube", older, 30)).toEqual({ days: 30, enough: false, history: 34 });
    // 7 days: a reading 8.5 days back is 1.5 days off, over the 1-day minimum.
    expect(growth("youtube", [snap("youtube", 8.5, 9_000), snap("youtube", 0, 10_000)], 7)).toEqual({ days: 7, enough: false, history: 8 });
    expect(growth("tiktok", gapped, 7)).toEqual({ days: 7, enough: false, history: 0 });
  });

  it("daily gains skip days after a hole in the readings; the last reading of a day counts", () => {
    const s = [snap("x", 5, 100), snap("x", 4, 110), snap("x", 3.9, 120), snap("x", 3, 150), snap("x", 1, 400)];
    // Days: -5 100, -4 120 (its last reading), -3 150, -1 400 (after a missing day: no gain).
    expect(dailyGains("x", s).map((g) => g.gain)).toEqual([20, 30]);
  });
});

describe("audience-quality flags", () => {
  const gains = (values: number[]) => values.map((gain, i) => ({ platform: "instagram" as const, day: ago(values.length - i), gain }));

  it("a follower jump: over 5× the median day and over 1,000", () => {
    // Median of nine 100s and one 6,000 is 100; 6,000 > 5 × 100 and > 1,000.
    const flags = followerJumps(gains([100, 100, 100, 100, 6_000, 100, 100, 100, 100, 100]), NOW);
    expect(flags).toEqual([{ kind: "follower_jump", platform: "instagram", day: ago(6), gain: 6_000, typical: 100 }]);
  });

  it("no jump: 900 is over 5× the median but under 1,000; 1,200 is over 1,000 but under 5× a 300 median; fewer than 7 days", () => {
    expect(followerJumps(gains([100, 100, 100, 900, 100, 100, 100, 100]), NOW)).toEqual([]);
    expect(followerJumps(gains([300, 300, 300, 1_200, 300, 300, 300, 300]), NOW)).toEqual([]);
    expect(followerJumps(gains([10, 10, 10, 50_000, 10, 10]), NOW)).toEqual([]);
  });

  it("engagement under a quarter of the tier's median, on 3 posts or more", () => {
    // 20,000 followers is micro; Instagram's micro median is 2 %: under 0.5 % flags.
    expect(tierOf(20_000)).toBe("micro");
    const e = (rate: number, posts: number) => ({ platform: "instagram" as const, rate, denominator: "followers" as const, posts });
    expect(lowEngagement(e(0.4, 3), 20_000)).toEqual([{ kind: "low_engagement", platform: "instagram", rate: 0.4, tier: "micro", tierMedian: 2 }]);
    expect(lowEngagement(e(0.6, 3), 20_000)).toEqual([]);
    expect(lowEngagement(e(0.4, 2), 20_000)).toEqual([]);
  });
});

describe("trends: spikes against the creator's own baseline", () => {
  it("a post above mean + 2σ of the posts before it", () => {
    // Rates on 1,000 followers: 2, 2.2, 1.8, 2, 2 then 6 %. Mean 2, σ = √((0 + .04 + .04 + 0 + 0)/5) = 0.126…; 6 > 2.25 and > 1.5 × 2.
    const posts = [20, 22, 18, 20, 20, 60].map((likes, i) => post("instagram", 10 - i, { likes, url: `https://instagram.com/p/${i}` }));
    const spikes = postSpikes("instagram", posts, 1_000, NOW);
    expect(spikes).toHaveLength(1);
    expect(spikes[0]).toMatchObject({ kind: "post_spike", at: ago(5), rate: 6, url: "https://instagram.com/p/5" });
    expect(spikes[0]!.kind === "post_spike" && spikes[0]!.baseline).toBeCloseTo(2, 9);
  });

  it("no spike with fewer than 5 posts before, or within 2σ", () => {
    expect(postSpikes("instagram", [1, 1, 1, 1, 9].map((likes, i) => post("instagram", 9 - i, { likes })), 100, NOW)).toEqual([]);
    // 10, 30, 10, 30, 10 %: mean 18, σ = √((3 × 64 + 2 × 144)/5) = √96 = 9.80, so 35 % is under 18 + 19.6 = 37.6 %.
    expect(postSpikes("instagram", [10, 30, 10, 30, 10, 35].map((likes, i) => post("instagram", 9 - i, { likes })), 100, NOW)).toEqual([]);
  });

  it("a day's follower gain above mean + 2σ of the days before it", () => {
    // Seven days of 100 (σ 0) then 400 > 100 and > 150.
    const days = [100, 100, 100, 100, 100, 100, 100, 400].map((gain, i) => ({ platform: "tiktok" as const, day: ago(8 - i), gain }));
    expect(followerSpikes(days)).toEqual([{ kind: "follower_spike", platform: "tiktok", at: ago(1), gain: 400, baseline: 100 }]);
    expect(followerSpikes(days.slice(1))).toEqual([]);
  });
});

describe("consistency", () => {
  it("100 × (1 − coefficient of variation of the gaps, the silence since the last post included)", () => {
    // Every 10 days, last 10 days ago: gaps 10, 10, 10 → cv 0 → 100.
    expect(consistency([30, 20, 10].map((d) => post("instagram", d, {})), NOW)).toBe(100);
    // Posts 30, 29 and 10 days ago: gaps 1, 19, 10; mean 10, σ = √((81 + 81 + 0)/3) = √54 = 7.348 → 100 × (1 − 0.7348) = 26.52.
    expect(consistency([30, 29, 10].map((d) => post("youtube", d, {})), NOW)).toBeCloseTo(100 * (1 - Math.sqrt(54) / 10), 6);
    expect(consistency([5, 1].map((d) => post("x", d, {})), NOW)).toBeNull();
  });
});

describe("influence score", () => {
  const g = (from: number, to: number) => ({ days: 30 as const, enough: true as const, from, to, change: to - from, percent: (100 * (to - from)) / from, since: ago(30) });
  const none7 = { days: 7 as const, enough: false as const, history: 0 };
  const platforms: PlatformFigures[] = [
    { platform: "instagram", followers: 10_000, engagement: { platform: "instagram", rate: 3.2, denominator: "followers", posts: 12 }, growth7: none7, growth30: g(9_000, 10_000) } as unknown as PlatformFigures,
    { platform: "youtube", followers: 90_000, engagement: { platform: "youtube", rate: 4, denominator: "views", posts: 12 }, growth7: none7, growth30: g(88_000, 90_000) } as unknown as PlatformFigures,
  ];

  it("each part by hand", () => {
    // Engagement: both micro. Instagram 50 × 3.2 / 2.0 = 80, YouTube 50 × 4 / 4.0 = 50; by followers (80 × 10k + 50 × 90k) / 100k = 53.
    expect(engagementPart(platforms)).toBeCloseTo(53, 9);
    // Reach: 100 × log10(100,000) / 7 = 500 / 7 = 71.43.
    expect(reachPart(platforms)).toBeCloseTo(500 / 7, 9);
    // Growth: (+1,000 + 2,000) / (9,000 + 88,000) = 3.0928 % → 50 + 10 × 3.0928 = 80.93.
    expect(growthPart(platforms)).toBeCloseTo(50 + (10 * 100 * 3_000) / 97_000, 9);
    // Sentiment: mean 0.4 over 10 comments → 50 + 50 × 0.4 = 70; under 5 comments nothing.
    expect(sentimentPart({ comments: 10, mean: 0.4 })).toBeCloseTo(70, 9);
    expect(sentimentPart({ comments: 4, mean: 0.9 })).toBeNull();
  });

  it("the weighted mean: 0.35 engagement + 0.20 reach + 0.15 growth + 0.15 sentiment + 0.15 consistency", () => {
    const growth = 50 + (10 * 100 * 3_000) / 97_000;
    // 0.35 × 53 + 0.2 × 71.4286 + 0.15 × 80.9278 + 0.15 × 70 + 0.15 × 100 = 18.55 + 14.2857 + 12.1392 + 10.5 + 15 = 70.4749.
    expect(influenceScore({ engagement: 53, reach: 500 / 7, growth, sentiment: 70, consistency: 100 })).toBeCloseTo(70.4749, 3);
    // Without sentiment its 0.15 is shared out: (18.55 + 14.2857 + 12.1392 + 15) / 0.85 = 70.5587.
    expect(influenceScore({ engagement: 53, reach: 500 / 7, growth, sentiment: null, consistency: 100 })).toBeCloseTo(70.5587, 3);
    // No readings at all: no score.
    expect(influenceScore({ engagement: null, reach: null, growth: null, sentiment: 70, consistency: 100 })).toBeNull();
  });

  it("7-day growth stands in for the month while there is less history: × 30/7", () => {
    const week = { days: 7 as const, enough: true as const, from: 10_000, to: 10_070, change: 70, percent: 0.7, since: ago(7) };
    // 0.7 % a week × 30/7 = 3 % a month → 50 + 30 = 80.
    expect(growthPart([{ ...platforms[0]!, growth7: week, growth30: { days: 30, enough: false, history: 7 } }])).toBeCloseTo(80, 9);
  });
});

describe("keywords by TF-IDF", () => {
  it("a tiny corpus by hand", () => {
    // The creator's captions: skincare ×2, routine, #skincare, morning, serum ("with" is a stop word): 6 terms.
    const counts = termCounts(["Skincare routine #skincare", "Morning skincare with serum"]);
    expect(Object.fromEntries(counts)).toEqual({ skincare: 2, routine: 1, "#skincare": 1, morning: 1, serum: 1 });
    // 3 creators; skincare is used by 2, morning by all 3, the rest only by this one.
    const df: Record<string, number> = { skincare: 2, morning: 3 };
    const top = topKeywords(counts, { documents: 3, frequency: (t) => df[t] ?? 1 });
    // skincare: 2/6 × (ln(4/3) + 1) = 0.4292; the unique ones 1/6 × (ln(4/2) + 1) = 0.2822; morning 1/6 × (ln(4/4) + 1) = 0.1667.
    expect(top.map((k) => k.term)).toEqual(["skincare", "#skincare", "routine", "serum", "morning"]);
    expect(top[0]!.weight).toBeCloseTo((2 / 6) * (Math.log(4 / 3) + 1), 9);
    expect(top[1]!.weight).toBeCloseTo((1 / 6) * (Math.log(2) + 1), 9);
    expect(top[4]!.weight).toBeCloseTo(1 / 6, 9);
  });

  it("Portuguese stop words and numbers are not keywords; accents folded, hashtags kept", () => {
    expect([...termCounts(["Minha rotina de skincare para o verão 2026 #PeleLinda"]).keys()]).toEqual(["rotina", "skincare", "verao", "#pelelinda"]);
  });
});
