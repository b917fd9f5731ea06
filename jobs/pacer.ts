import type { Redis } from "ioredis";

/**
 * At most one send per key per interval, across every worker process: the
 * first caller takes the slot (SET NX PX); the others learn how long until it
 * frees (PTTL) and come back then.
 */
export function redisPacer(redis: Redis, prefix: string) {
  return {
    /** 0 when the slot was taken now; otherwise the milliseconds to wait. */
    async reserve(key: string, intervalMs: number): Promise<number> {
      const slot = `${prefix}:pace:${key}`;
      if ((await redis.set(slot, "1", "PX", intervalMs, "NX")) === "OK") return 0;
      return Math.max(1, await redis.pttl(slot));
    },
  };
}

export type Pacer = ReturnType<typeof redisPacer>;
