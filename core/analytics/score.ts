import type { SocialPlatform } from "../creators/handles.ts";
import type { PlatformEngagement } from "./engagement.ts";
import { benchmarkOf } from "./flags.ts";
import type { Growth } from "./growth.ts";
import { clamp, mean } from "./stats.ts";
import { tierOf } from "./tiers.ts";

/**
 * The influence score, 0–100: a weighted mean of five parts, each 0–100.
 * A part without data (no comments yet, too little history) is left out and
 * the others' weights are scaled up to sum to 1; no snapshots at all, no score.
 */
export const SCORE_WEIGHTS = { engagement: 0.35, reach: 0.2, growth: 0.15, sentiment: 0.15, consistency: 0.15 } as const;

export type ScorePart = keyof typeof SCORE_WEIGHTS;
export const SCORE_PARTS = Object.keys(SCORE_WEIGHTS) as ScorePart[];

/**
 * How each part is made:
 * - engagement: per platform 50 × rate / the tier's median rate (the tier's
 *   median scores 50, twice it 100), averaged weighted by followers;
 * - reach: 100 × log10(all followers) / 7, so 10 M followers score 100, 100 k 71;
 * - growth: 50 + 10 × the month's follower growth in percent (30-day growth, or
 *   the 7-day growth × 30/7 while there is less history): +5 % a month scores 100;
 * - sentiment: 50 + 50 × the mean sentiment (−1..1) of the last 90 days'
 *   comments, from 5 scored comments up;
 * - consistency: see consistency.ts.
 */
export const SCORE_SCALES = { reachDecades: 7, growthPointsPerPercent: 10, minimumComments: 5, sentimentDays: 90 } as const;

export interface PlatformFigures {
  platform: SocialPlatform;
  followers: number;
  engagement: PlatformEngagement;
  growth7: Growth;
  growth30: Growth;
}

export type Breakdown = Record<ScorePart, number | null>;

export function engagementPart(platforms: readonly PlatformFigures[]): number | null {
  const rated = platforms.filter((p) => p.engagement.rate !== null);
  const weight = rated.reduce((s, p) => s + p.followers, 0);
  if (!rated.length) return null;
  const part = (p: PlatformFigures) => clamp((50 * p.engagement.rate!) / benchmarkOf(p.engagement, tierOf(p.followers)), 0, 100);
  return weight > 0 ? rated.reduce((s, p) => s + part(p) * p.followers, 0) / weight : mean(rated.map(part))!;
}

export function reachPart(platforms: readonly PlatformFigures[]): number | null {
  if (!platforms.length) return null;
  const followers = platforms.reduce((s, p) => s + p.followers, 0);
  return clamp((100 * Math.log10(Math.max(1, followers))) / SCORE_SCALES.reachDecades, 0, 100);
}

/** The month's growth in percent over all platforms with the history for it. */
export function monthlyGrowth(platforms: readonly PlatformFigures[]): number | null {
  for (const [key, toMonth] of [["growth30", 1], ["growth7", 30 / 7]] as const) {
    const known = platforms.flatMap((p) => (p[key].enough ? [p[key]] : []));
    const from = known.reduce((s, g) => s + g.from, 0);
    if (known.length && from > 0) return ((100 * known.reduce((s, g) => s + g.change, 0)) / from) * toMonth;
  }
  return null;
}

export function growthPart(platforms: readonly PlatformFigures[]): number | null {
  const pct = monthlyGrowth(platforms);
  return pct === null ? null : clamp(50 + SCORE_SCALES.growthPointsPerPercent * pct, 0, 100);
}

/** From the comments of the last SCORE_SCALES.sentimentDays: how many were read and their mean sentiment. */
export function sentimentPart(read: { comments: number; mean: number | null }): number | null {
  return read.comments >= SCORE_SCALES.minimumComments && read.mean !== null ? 50 + 50 * read.mean : null;
}

export function influenceScore(breakdown: Breakdown): number | null {
  if (breakdown.reach === null) return null;
  let total = 0;
  let weights = 0;
  for (const part of SCORE_PARTS) {
    const value = breakdown[part];
    if (value === null) continue;
    total += SCORE_WEIGHTS[part] * value;
    weights += SCORE_WEIGHTS[part];
  }
  return total / weights;
}
