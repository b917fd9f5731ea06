/**
 * When a schedule fires next: at `hour`:00 in the workspace's time zone,
 * every day or every Monday. Wall-clock time is turned into UTC with the
 * zone's offset at that moment (Intl knows the zones' rules), so a digest
 * set for 09:00 stays at 09:00 across daylight-saving changes.
 */
export type Cadence = "daily" | "weekly";

export const CADENCES = ["daily", "weekly"] as const;
export const DEFAULT_HOUR = 9;

const DAY = 86_400_000;
const MONDAY = 1;

const parts = new Map<string, Intl.DateTimeFormat>();
function zoneFormat(timeZone: string): Intl.DateTimeFormat {
  let f = parts.get(timeZone);
  if (!f) parts.set(timeZone, (f = new Intl.DateTimeFormat("en-US", { timeZone, hourCycle: "h23", year: "numeric", month: "numeric", day: "numeric", hour: "numeric", minute: "numeric", second: "numeric" })));
  return f;
}

/** The zone's wall clock at `ms`, read as if it were UTC. */
function wall(ms: number, timeZone: string): number {
  const p = Object.fromEntries(zoneFormat(timeZone).formatToParts(ms).map((x) => [x.type, Number(x.value)]));
  return Date.UTC(p.year!, p.month! - 1, p.day!, p.hour!, p.minute!, p.second!);
}

/** The UTC moment the zone's clocks show `wallMs` (a wall time written as UTC); a time skipped by a DST jump lands just after it. */
export function fromWallTime(wallMs: number, timeZone: string): number {
  const guess = wallMs - (wall(wallMs, timeZone) - wallMs);
  const at = wallMs - (wall(guess, timeZone) - guess);
  return wall(at, timeZone) === wallMs ? at : Math.max(at, guess);
}

/** The first firing strictly after `after`. */
export function nextRunAt(cadence: Cadence, hour: number, timeZone: string, after: Date): Date {
  const local = wall(after.getTime(), timeZone);
  const today = local - (local % DAY);
  for (let d = 0; d <= 8; d++) {
    const day = today + d * DAY;
    if (cadence === "weekly" && new Date(day).getUTCDay() !== MONDAY) continue;
    const at = fromWallTime(day + hour * 3_600_000, timeZone);
    if (at > after.getTime()) return new Date(at);
  }
  throw new Error(`no ${cadence} run within 8 days of ${after.toISOString()}`);
}

/** The period a run at `runAt` reports on: the day or the week that just ended. */
export function periodBefore(cadence: Cadence, runAt: Date): { from: Date; to: Date } {
  return { from: new Date(runAt.getTime() - (cadence === "daily" ? 1 : 7) * DAY), to: runAt };
}

/** "2026-07-13 09:00": a moment on the zone's wall clock, to the minute. */
export const localMinute = (d: Date, timeZone: string): string => new Date(wall(d.getTime(), timeZone)).toISOString().slice(0, 16).replace("T", " ");
