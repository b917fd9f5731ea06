const HOUR_MS = 3_600_000;

const pacificHour = (at: Date): number => Number(new Intl.DateTimeFormat("en-US", { timeZone: "America/Los_Angeles", hour: "numeric", hourCycle: "h23" }).format(at));

/** Milliseconds from `now` to the next midnight in Pacific time, when YouTube's daily quota starts over (DST days are 23 or 25 hours). */
export function untilPacificMidnight(now: Date): number {
  const parts = new Intl.DateTimeFormat("en-US", { timeZone: "America/Los_Angeles", hour: "numeric", minute: "numeric", second: "numeric", hourCycle: "h23" }).formatToParts(now);
  const part = (type: string) => Number(parts.find((p) => p.type === type)!.value);
  const sinceMidnight = ((part("hour") * 60 + part("minute")) * 60 + part("second")) * 1000 + now.getUTCMilliseconds();
  let until = 24 * HOUR_MS - sinceMidnight;
  // Across a clock change, land on midnight itself.
  const hour = pacificHour(new Date(now.getTime() + until));
  if (hour === 23) until += HOUR_MS;
  if (hour === 1) until -= HOUR_MS;
  return until;
}
