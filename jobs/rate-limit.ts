import { randomBytes } from "node:crypto";
import type { Redis } from "ioredis";
import type { Bucket, RateLimiter, Take } from "../core/limits/port.ts";

/**
 * A sliding log per bucket: a sorted set of the takes' times. Entries older
 * than the window drop out first; the take is added to every bucket only if
 * none is full, else the answer is how long until the fullest one's oldest
 * entry leaves. The caller's clock gives "now", so tests can move time.
 * Memory is one entry per take inside the window, and each set expires a
 * window after its last take.
 *
 * KEYS: the buckets. ARGV: now (ms), the take's unique member, then a
 * window (ms) and a limit per key. Returns 0 when taken, else the wait in ms.
 * An optional `cost` takes that many entries at once (a quota counted in
 * units, such as YouTube's), all or none.
 */
export const SLIDING_WINDOW_LUA = `
local function slide(keys, argv, first, cost)
  local now = tonumber(argv[first])
  local member = argv[first + 1]
  local n = cost or 1
  local wait = 0
  for i, key in ipairs(keys) do
    local window = tonumber(argv[first + i * 2])
    local limit = tonumber(argv[first + i * 2 + 1])
    redis.call('ZREMRANGEBYSCORE', key, '-inf', now - window)
    local held = redis.call('ZCARD', key)
    if held + n > limit then
      -- Enough entries must leave for n to fit: the wait is until the last of them does.
      local oldest = redis.call('ZRANGE', key, math.max(0, held + n - limit - 1), math.max(0, held + n - limit - 1), 'WITHSCORES')
      local w = tonumber(oldest[2]) + window - now
      if w > wait then wait = w end
    end
  end
  if wait > 0 then return wait end
  for i, key in ipairs(keys) do
    if n == 1 then
      redis.call('ZADD', key, now, member)
    else
      for j = 1, n do redis.call('ZADD', key, now, member .. '#' .. j) end
    end
    redis.call('PEXPIRE', key, argv[first + i * 2])
  end
  return 0
end
`;

const TAKE_SCRIPT = `${SLIDING_WINDOW_LUA}
return slide(KEYS, ARGV, 1)`;

/** A member no other take shares, even two in the same millisecond. */
export const takeMember = (now: Date): string => `${now.getTime()}-${randomBytes(6).toString("base64url")}`;

/** The sliding-window arguments after the keys, in the order SLIDING_WINDOW_LUA reads them. */
export const slideArgs = (buckets: Bucket[], now: Date): (string | number)[] => [now.getTime(), takeMember(now), ...buckets.flatMap((b) => [b.windowMs, b.limit])];

/** Where a bucket lives in Redis; the click script counts the redirect's buckets under the same names. */
export const rateKey = (prefix: string, bucket: Bucket): string => `${prefix}:rl:${bucket.key}`;

type LimitingRedis = Redis & { rateTake(n: number, ...args: (string | number)[]): Promise<number> };

export function redisRateLimiter(redis: Redis, prefix: string): RateLimiter {
  redis.defineCommand("rateTake", { lua: TAKE_SCRIPT });
  const r = redis as LimitingRedis;
  return {
    async take(buckets: Bucket[], now: Date): Promise<Take> {
      if (buckets.length === 0) return { ok: true };
      const wait = await r.rateTake(buckets.length, ...buckets.map((b) => rateKey(prefix, b)), ...slideArgs(buckets, now));
      return wait > 0 ? { ok: false, retryAfterMs: wait } : { ok: true };
    },
    used: (bucket: Bucket, now: Date) => redis.zcount(rateKey(prefix, bucket), `(${now.getTime() - bucket.windowMs}`, "+inf"),
  };
}

/** RATE_LIMITS=off: every take allowed, nothing counted. */
export const noRateLimits: RateLimiter = { take: async () => ({ ok: true }), used: async () => 0 };
