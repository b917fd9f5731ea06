import type { SocialPlatform } from "../creators/handles.ts";
import type { Post } from "./data.ts";
import { DAY_MS, median } from "./stats.ts";

/**
 * Engagement rate, per platform, on the denominator that platform's numbers
 * make meaningful:
 *
 * | platform  | per post                                  | denominator |
 * |-----------|-------------------------------------------|-------------|
 * | Instagram | (likes + comments) / followers            | followers   |
 * | YouTube   | (likes + comments) / views                | views       |
 * | TikTok    | (likes + comments) / views                | views       |
 * | X         | (likes + replies + reposts) / impressions | impressions, when every post measured has them; else followers |
 *
 * The rate is the MEDIAN of the per-post rates of the latest 12 posts of the
 * last 90 days (one viral post does not make a creator engaging), in percent.
 * Followers are the latest reading: post counters are as last synced too.
 * Video posts without a view count are left out rather than counted as zero.
 */
export const ENGAGEMENT_WINDOW = { posts: 12, days: 90 } as const;

export type Denominator = "followers" | "views" | "impressions";

export interface PlatformEngagement {
  platform: SocialPlatform;
  /** Percent, or null when no post of the window could be measured. */
  rate: number | null;
  denominator: Denominator;
  /** How many posts the median was taken over. */
  posts: number;
}

export function denominatorOf(platform: SocialPlatform, posts: readonly Post[]): Denominator {
  if (platform === "youtube" || platform === "tiktok") return "views";
  if (platform === "x" && posts.length > 0 && posts.every((p) => (p.views ?? 0) > 0)) return "impressions";
  return "followers";
}

/** One post's rate in percent on the given denominator; undefined when that denominator is missing or zero. */
export function postRate(platform: SocialPlatform, post: Post, denominator: Denominator, followers: number): number | undefined {
  const interactions = post.likes + post.comments + (platform === "x" ? (post.shares ?? 0) : 0);
  const base = denominator === "followers" ? followers : (post.views ?? 0);
  return base > 0 ? (100 * interactions) / base : undefined;
}

/** The posts the rate is measured on: the platform's latest ENGAGEMENT_WINDOW.posts of the last ENGAGEMENT_WINDOW.days, oldest first. */
export function windowPosts(platform: SocialPlatform, posts: readonly Post[], now: Date): Post[] {
  const since = now.getTime() - ENGAGEMENT_WINDOW.days * DAY_MS;
  return posts
    .filter((p) => p.platform === platform && p.postedAt.getTime() >= since && p.postedAt.getTime() <= now.getTime())
    .sort((a, b) => a.postedAt.getTime() - b.postedAt.getTime())
    .slice(-ENGAGEMENT_WINDOW.posts);
}

export function engagement(platform: SocialPlatform, posts: readonly Post[], followers: number, now: Date): PlatformEngagement {
  const recent = windowPosts(platform, posts, now);
  const denominator = denominatorOf(platform, recent);
  const rates = recent.flatMap((p) => postRate(platform, p, denominator, followers) ?? []);
  return { platform, rate: median(rates) ?? null, denominator, posts: rates.length };
}
