import type { SocialPlatform } from "../creators/handles.ts";
import type { Post } from "./data.ts";
import { denominatorOf, postRate, windowPosts } from "./engagement.ts";
import type { DailyGain } from "./growth.ts";
import { mean, stddev } from "./stats.ts";

/**
 * A spike is a value above mean + 2σ of the creator's own values before it
 * (at least 5 posts or 7 days of gains to compare with, the last 20 of them)
 * and at least 1.5× that mean, so a creator whose numbers never vary is not
 * "spiking" by a single like.
 */
export const TREND_RULES = { sigmas: 2, minimumBaseline: { post: 5, day: 7 }, baselineLength: 20, minimumRatio: 1.5, shown: 5 } as const;

export type Trend =
  | { kind: "post_spike"; platform: SocialPlatform; at: Date; rate: number; baseline: number; url: string | null; caption: string }
  | { kind: "follower_spike"; platform: SocialPlatform; at: Date; gain: number; baseline: number };

function isSpike(value: number, before: readonly number[], minimum: number): number | undefined {
  if (before.length < minimum) return undefined;
  const window = before.slice(-TREND_RULES.baselineLength);
  const m = mean(window)!;
  const s = stddev(window)!;
  return value > m + TREND_RULES.sigmas * s && value > TREND_RULES.minimumRatio * m && value > 0 ? m : undefined;
}

export function postSpikes(platform: SocialPlatform, posts: readonly Post[], followers: number, now: Date): Trend[] {
  const recent = windowPosts(platform, posts, now);
  const denominator = denominatorOf(platform, recent);
  const rated = recent.flatMap((p) => {
    const rate = postRate(platform, p, denominator, followers);
    return rate === undefined ? [] : [{ post: p, rate }];
  });
  return rated.flatMap(({ post, rate }, i) => {
    const baseline = isSpike(rate, rated.slice(0, i).map((r) => r.rate), TREND_RULES.minimumBaseline.post);
    return baseline === undefined ? [] : [{ kind: "post_spike" as const, platform, at: post.postedAt, rate, baseline, url: post.url ?? null, caption: post.caption }];
  });
}

export function followerSpikes(gains: readonly DailyGain[]): Trend[] {
  return gains.flatMap((g, i) => {
    const baseline = isSpike(g.gain, gains.slice(0, i).map((x) => x.gain), TREND_RULES.minimumBaseline.day);
    return baseline === undefined ? [] : [{ kind: "follower_spike" as const, platform: g.platform, at: g.day, gain: g.gain, baseline }];
  });
}

/** The newest first, as many as a reply shows. */
export function latestTrends(trends: readonly Trend[]): Trend[] {
  return [...trends].sort((a, b) => b.at.getTime() - a.at.getTime()).slice(0, TREND_RULES.shown);
}
