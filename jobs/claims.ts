import type { Redis } from "ioredis";
import type { EventClaims } from "../core/idempotency.ts";

/**
 * Claims in Redis: one SET NX per event, gone after `ttlSeconds`. Chat
 * platforms redeliver within minutes, and this sits on the 3-second ack path,
 * where a PostgreSQL insert waiting on its WAL flush costs more than the rest.
 */
export function redisClaims(redis: Redis, prefix: string, ttlSeconds = 86_400): EventClaims {
  return {
    async claim(source, eventId) {
      return (await redis.set(`${prefix}:claim:${source}:${eventId}`, "1", "EX", ttlSeconds, "NX")) === "OK";
    },
  };
}
