/** The few statistics the analytics need, on plain numbers. Each is undefined for an empty list. */
export function mean(xs: readonly number[]): number | undefined {
  return xs.length ? xs.reduce((s, x) => s + x, 0) / xs.length : undefined;
}

export function median(xs: readonly number[]): number | undefined {
  if (!xs.length) return undefined;
  const sorted = [...xs].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Population standard deviation: the spread of what was observed, not an estimate of a wider one. */
export function stddev(xs: readonly number[]): number | undefined {
  const m = mean(xs);
  if (m === undefined) return undefined;
  return Math.sqrt(xs.reduce((s, x) => s + (x - m) ** 2, 0) / xs.length);
}

export const clamp = (x: number, lo: number, hi: number): number => Math.min(hi, Math.max(lo, x));

export const DAY_MS = 86_400_000;
