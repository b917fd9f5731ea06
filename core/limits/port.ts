/** One sliding window: at most `limit` takes within any `windowMs`. */
export interface Bucket {
  key: string;
  limit: number;
  windowMs: number;
}

/** Allowed, or refused with how long until the oldest take in the fullest window leaves it. */
export type Take = { ok: true } | { ok: false; retryAfterMs: number };

/**
 * Port: sliding-window rate limits shared by every process (Redis in
 * production). A take counts against all its buckets or, when any is full,
 * against none, so a refused request never uses up what it was refused.
 */
export interface RateLimiter {
  take(buckets: Bucket[], now: Date): Promise<Take>;
  /** How many takes the bucket's window holds now, for showing usage. */
  used(bucket: Bucket, now: Date): Promise<number>;
}

/** What a person reads: whole seconds, never "0 s". */
export const retrySeconds = (ms: number): number => Math.max(1, Math.ceil(ms / 1000));
