import type { SocialPlatform } from "../creators/handles.ts";
import type { Snapshot } from "./data.ts";
import { DAY_MS } from "./stats.ts";

/**
 * Follower growth over 7 and 30 days: the latest reading against the reading
 * nearest to `days` before it. That earlier reading must lie within a tenth of
 * the window (at least a day) of the mark; otherwise there is not enough
 * history, and the growth says so instead of stretching another span.
 */
export const GROWTH_WINDOWS = [7, 30] as const;
export type GrowthWindow = (typeof GROWTH_WINDOWS)[number];

export type Growth =
  | { days: GrowthWindow; enough: true; from: number; to: number; change: number; percent: number | null; since: Date }
  | { days: GrowthWindow; enough: false; /** How many days of readings there are. */ history: number };

export function growth(platform: SocialPlatform, snapshots: readonly Snapshot[], days: GrowthWindow): Growth {
  const mine = snapshots.filter((s) => s.platform === platform).sort((a, b) => a.capturedAt.getTime() - b.capturedAt.getTime());
  const latest = mine.at(-1);
  if (!latest) return { days, enough: false, history: 0 };
  const mark = latest.capturedAt.getTime() - days * DAY_MS;
  const tolerance = Math.max(DAY_MS, (days * DAY_MS) / 10);
  let nearest: Snapshot | undefined;
  for (const s of mine) {
    const off = Math.abs(s.capturedAt.getTime() - mark);
    if (off <= tolerance && (!nearest || off < Math.abs(nearest.capturedAt.getTime() - mark))) nearest = s;
  }
  if (!nearest) return { days, enough: false, history: Math.floor((latest.capturedAt.getTime() - mine[0]!.capturedAt.getTime()) / DAY_MS) };
  const change = latest.followers - nearest.followers;
  return { days, enough: true, from: nearest.followers, to: latest.followers, change, percent: nearest.followers > 0 ? (100 * change) / nearest.followers : null, since: nearest.capturedAt };
}

export interface DailyGain {
  platform: SocialPlatform;
  /** The UTC day the gain happened on (midnight). */
  day: Date;
  gain: number;
}

/**
 * A day's gain: its last reading minus the previous calendar day's last. Days
 * after a gap in the readings have no gain (three days' growth is not one day's).
 */
export function dailyGains(platform: SocialPlatform, snapshots: readonly Snapshot[]): DailyGain[] {
  const lastOfDay = new Map<number, Snapshot>();
  for (const s of snapshots) {
    if (s.platform !== platform) continue;
    const day = Math.floor(s.capturedAt.getTime() / DAY_MS);
    const held = lastOfDay.get(day);
    if (!held || held.capturedAt < s.capturedAt) lastOfDay.set(day, s);
  }
  const days = [...lastOfDay.keys()].sort((a, b) => a - b);
  return days.flatMap((day, i) => {
    const before = lastOfDay.get(day - 1);
    return i > 0 && before ? [{ platform, day: new Date(day * DAY_MS), gain: lastOfDay.get(day)!.followers - before.followers }] : [];
  });
}
