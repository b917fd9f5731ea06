import { Redis } from "ioredis";
import { redisOptions } from "../../../jobs/connection.ts";

/** Deletes every key under `prefix:` (a benchmark's queues and pacing slots); how many went. */
export async function deleteKeys(redisUrl: string, prefix: string): Promise<number> {
  const redis = new Redis({ ...redisOptions(redisUrl, "command"), lazyConnect: true });
  redis.on("error", () => {});
  try {
    await redis.connect();
    let cursor = "0";
    let deleted = 0;
    do {
      const [next, keys] = await redis.scan(cursor, "MATCH", `${prefix}:*`, "COUNT", 500);
      cursor = next;
      if (keys.length) deleted += await redis.del(...keys);
    } while (cursor !== "0");
    return deleted;
  } finally {
    redis.disconnect();
  }
}
