import type { Redis } from "ioredis";

/** A pace to keep: at most one send per `intervalMs` under `key`. */
export interface Slot {
  key: string;
  intervalMs: number;
}

// All slots or none, in one step: taking the platform's slot and then finding the conversation busy would waste the platform's.
const RESERVE = `
local wait = 0
for i, key in ipairs(KEYS) do
  local left = redis.call('PTTL', key)
  if left > wait then wait = left end
end
if wait > 0 then return wait end
for i, key in ipairs(KEYS) do redis.call('SET', key, '1', 'PX', ARGV[i]) end
return 0`;

/**
 * Paces sends across every worker process. A send takes all its slots at
 * once or waits for the busiest; when it ends, its conversation's slot is
 * held for a whole interval again, so the next message arrives no sooner
 * than the interval after this one however long this one took to deliver.
 */
export function redisPacer(redis: Redis, prefix: string) {
  const name = (key: string) => `${prefix}:pace:${key}`;
  return {
    /** 0 when every slot was taken now; otherwise the milliseconds until the busiest frees. */
    async reserve(slots: Slot[]): Promise<number> {
      if (slots.length === 0) return 0;
      const wait = (await redis.eval(RESERVE, slots.length, ...slots.map((s) => name(s.key)), ...slots.map((s) => String(s.intervalMs)))) as number;
      return wait > 0 ? Math.max(1, wait) : 0;
    },
    async hold(slot: Slot): Promise<void> {
      await redis.set(name(slot.key), "1", "PX", slot.intervalMs);
    },
  };
}

export type Pacer = ReturnType<typeof redisPacer>;
