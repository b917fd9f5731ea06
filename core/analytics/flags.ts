import type { SocialPlatform } from "../creators/handles.ts";
import type { PlatformEngagement } from "./engagement.ts";
import type { DailyGain } from "./growth.ts";
import { median } from "./stats.ts";
import { TIER_MEDIAN_ENGAGEMENT, tierOf, type Tier } from "./tiers.ts";

/**
 * Audience-quality warnings, as data so the README and the replies can state them:
 * - a follower jump: one day's gain over 5× the creator's median daily gain of
 *   the last 30 days AND over 1,000 followers (bought followers arrive in
 *   bursts; small accounts' noise stays under the absolute floor), judged once
 *   there are 7 daily gains to compare with;
 * - engagement far below the tier: under a quarter of the tier's median rate,
 *   measured on at least 3 posts.
 */
export const FLAG_RULES = {
  jumpTimesMedian: 5,
  jumpMinimum: 1_000,
  jumpLookbackDays: 30,
  jumpMinimumDays: 7,
  lowEngagementShare: 0.25,
  lowEngagementMinimumPosts: 3,
} as const;

export type Flag =
  | { kind: "follower_jump"; platform: SocialPlatform; day: Date; gain: number; typical: number }
  | { kind: "low_engagement"; platform: SocialPlatform; rate: number; tier: Tier; tierMedian: number };

export function followerJumps(gains: readonly DailyGain[], now: Date): Flag[] {
  const since = now.getTime() - FLAG_RULES.jumpLookbackDays * 86_400_000;
  const recent = gains.filter((g) => g.day.getTime() >= since);
  if (recent.length < FLAG_RULES.jumpMinimumDays) return [];
  const typical = median(recent.map((g) => g.gain))!;
  return recent
    .filter((g) => g.gain > FLAG_RULES.jumpTimesMedian * Math.max(typical, 0) && g.gain > FLAG_RULES.jumpMinimum)
    .map((g) => ({ kind: "follower_jump", platform: g.platform, day: g.day, gain: g.gain, typical }));
}

export function lowEngagement(e: PlatformEngagement, followers: number): Flag[] {
  if (e.rate === null || e.posts < FLAG_RULES.lowEngagementMinimumPosts) return [];
  const tier = tierOf(followers);
  const tierMedian = benchmarkOf(e, tier);
  return e.rate < FLAG_RULES.lowEngagementShare * tierMedian ? [{ kind: "low_engagement", platform: e.platform, rate: e.rate, tier, tierMedian }] : [];
}

/** The tier's median rate on the same denominator as the creator's. */
export function benchmarkOf(e: PlatformEngagement, tier: Tier): number {
  return TIER_MEDIAN_ENGAGEMENT[e.platform === "x" && e.denominator === "impressions" ? "x_impressions" : e.platform][tier];
}
