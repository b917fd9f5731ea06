import type { Redis } from "ioredis";
import type { Clock } from "../../core/clock.ts";
import type { Bucket } from "../../core/limits/port.ts";
import { ProviderError, type CallGate, type SocialPlatform } from "../../core/social/port.ts";
import type { SyncLimits } from "../../core/sync/limits.ts";
import { rateKey, slideArgs, SLIDING_WINDOW_LUA } from "../rate-limit.ts";

/**
 * KEYS: the scope's pause (set when the platform itself said "wait"), then
 * the quota's bucket. ARGV: the call's cost, then the sliding window's
 * arguments. One step: a paused scope or a full window takes nothing.
 */
const GATE_SCRIPT = `${SLIDING_WINDOW_LUA}
local paused = redis.call('PTTL', KEYS[1])
if paused > 0 then return paused end
local buckets = {}
for i = 2, #KEYS do buckets[i - 1] = KEYS[i] end
return slide(buckets, ARGV, 2, tonumber(ARGV[1]))`;

/** The gate refused for longer than a job should hold its worker: the job is put back until then. */
export class QuotaWait extends ProviderError {}

export interface SyncGate extends CallGate {
  /** The platform answered 429: nobody in this gate's scope calls it until `ms` from now. */
  pause(ms: number): Promise<void>;
}

export interface SyncGates {
  /** One job's gate for calls about one account: the platform's quota, or the account's where it is counted per account. */
  gate(platform: SocialPlatform, account: string): SyncGate;
}

/**
 * A call reaches the platform a moment after it took its place here (a
 * connection to open, the network, a busy event loop: a loaded machine
 * measured over 250 ms); the platform counts arrivals. So each place is
 * held this much longer than the platform's window, and the platform never
 * sees more than its limit within its own. Against windows of a minute or
 * more (every default) it costs under 2 % of the rate.
 */
const ARRIVAL_SLACK_MS = 1_000;

type GatedRedis = Redis & { syncTake(n: number, ...args: (string | number)[]): Promise<number> };

/**
 * Per-platform quotas shared by every worker process, in Redis: each call
 * takes its cost from a sliding window (jobs/rate-limit.ts) or waits. A
 * gate is one job's: before its first call any wait throws QuotaWait (the
 * job is delayed having done nothing, and its worker slot goes to another
 * platform's job); once it has started, short waits are slept out so the
 * work done isn't lost, and longer ones throw.
 */
export function redisSyncGates(redis: Redis, prefix: string, limits: SyncLimits, clock: Clock, maxWaitMs: number): SyncGates {
  redis.defineCommand("syncTake", { lua: GATE_SCRIPT });
  const r = redis as GatedRedis;
  return {
    gate(platform, account) {
      const quota = limits[platform];
      const scope = quota?.perAccount ? `${platform}:${account}` : platform;
      const pauseKey = `${prefix}:sync:pause:${scope}`;
      const bucket: Bucket | null = quota ? { key: `sync:${scope}`, limit: quota.limit, windowMs: quota.windowMs + ARRIVAL_SLACK_MS } : null;
      let started = false;
      return {
        async take(cost) {
          // More than a whole window holds could never be taken: it takes the whole window instead.
          const n = Math.max(1, Math.min(cost, bucket?.limit ?? cost));
          for (;;) {
            const keys = bucket ? [pauseKey, rateKey(prefix, bucket)] : [pauseKey];
            const wait = await r.syncTake(keys.length, ...keys, n, ...slideArgs(bucket ? [bucket] : [], clock.now()));
            if (wait <= 0) {
              started = true;
              return;
            }
            if (!started || wait > maxWaitMs) throw new QuotaWait(platform, "rate_limited", `${platform} quota in use: next call in ${Math.ceil(wait / 1000)} s`, wait);
            await new Promise((done) => setTimeout(done, wait));
          }
        },
        async pause(ms) {
          await redis.set(pauseKey, "1", "PX", Math.max(1, Math.ceil(ms)));
        },
      };
    },
  };
}
