import { Redis, type RedisOptions } from "ioredis";

/**
 * The one ioredis connection policy. REDIS_URL may be redis://, rediss:// or
 * unix:///path/to.sock (the private server scripts/dev starts).
 *
 * - "command": for producers and app reads. Fails fast when Redis is away, so an
 *   HTTP request errors within a second rather than hanging.
 * - "worker": for BullMQ workers, which need maxRetriesPerRequest null to block
 *   on Redis and wait out restarts.
 */
export function redisOptions(url: string, purpose: "command" | "worker"): RedisOptions {
  const u = new URL(url);
  const base: RedisOptions =
    u.protocol === "unix:"
      ? { path: decodeURIComponent(u.pathname) }
      : {
          host: u.hostname,
          port: Number(u.port || 6379),
          username: decodeURIComponent(u.username) || undefined,
          password: decodeURIComponent(u.password) || undefined,
          db: Number(u.pathname.slice(1) || 0),
          ...(u.protocol === "rediss:" ? { tls: {} } : {}),
        };
  return purpose === "worker"
    ? { ...base, maxRetriesPerRequest: null, enableReadyCheck: false }
    : { ...base, enableAutoPipelining: true, maxRetriesPerRequest: 1, connectTimeout: 2000, retryStrategy: (times) => Math.min(times * 200, 2000) };
}

export function connectRedis(url: string, purpose: "command" | "worker"): Redis {
  const redis = new Redis({ ...redisOptions(url, purpose), lazyConnect: false });
  // Errors surface through commands and /health; an unhandled 'error' event would crash the process.
  redis.on("error", () => {});
  return redis;
}
