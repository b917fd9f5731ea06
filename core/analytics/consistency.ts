import type { Post } from "./data.ts";
import { ENGAGEMENT_WINDOW } from "./engagement.ts";
import { clamp, DAY_MS, mean, stddev } from "./stats.ts";

/**
 * Posting regularity, 0–100: 100 × (1 − the coefficient of variation of the
 * gaps between the creator's posts of the last 90 days, on every platform),
 * floored at 0. The silence since the last post counts as a gap, so a creator
 * who stopped posting loses consistency. Fewer than 3 posts: not enough to say.
 */
export function consistency(posts: readonly Post[], now: Date): number | null {
  const since = now.getTime() - ENGAGEMENT_WINDOW.days * DAY_MS;
  const times = posts
    .map((p) => p.postedAt.getTime())
    .filter((t) => t >= since && t <= now.getTime())
    .sort((a, b) => a - b);
  if (times.length < 3) return null;
  const gaps = [...times.slice(1), now.getTime()].map((t, i) => (t - times[i]!) / DAY_MS);
  const m = mean(gaps)!;
  return m > 0 ? 100 * clamp(1 - stddev(gaps)! / m, 0, 1) : 0;
}
