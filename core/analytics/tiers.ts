import type { SocialPlatform } from "../creators/handles.ts";

/** Creators are compared with others of their size: a nano account's 4 % is ordinary, a mega account's is exceptional. */
export const TIERS = [
  { tier: "nano", from: 0 },
  { tier: "micro", from: 10_000 },
  { tier: "mid", from: 100_000 },
  { tier: "macro", from: 500_000 },
  { tier: "mega", from: 1_000_000 },
] as const;

export type Tier = (typeof TIERS)[number]["tier"];

export function tierOf(followers: number): Tier {
  let found: Tier = "nano";
  for (const t of TIERS) if (followers >= t.from) found = t.tier;
  return found;
}

/**
 * The median engagement rate (percent, on the platform's own denominator, see
 * engagement.ts) of creators of each tier: the benchmark a creator's rate is
 * scored against. Figures in the range the 2024–2025 industry benchmark reports
 * (HypeAuditor, Influencer Marketing Hub) give; X is followers-based, and
 * higher when its impressions are the denominator.
 */
export const TIER_MEDIAN_ENGAGEMENT: Record<SocialPlatform | "x_impressions", Record<Tier, number>> = {
  instagram: { nano: 4.0, micro: 2.0, mid: 1.5, macro: 1.2, mega: 1.0 },
  tiktok: { nano: 8.0, micro: 7.0, mid: 6.0, macro: 5.5, mega: 5.0 },
  youtube: { nano: 4.5, micro: 4.0, mid: 3.5, macro: 3.0, mega: 2.5 },
  x: { nano: 1.0, micro: 0.6, mid: 0.4, macro: 0.3, mega: 0.2 },
  x_impressions: { nano: 3.0, micro: 2.5, mid: 2.0, macro: 1.5, mega: 1.2 },
};
