import type { Redis } from "ioredis";
import type { SqlRunner } from "../db/database.ts";

export interface DependencyStatus {
  ok: boolean;
  latencyMs: number;
  error?: string;
}

export interface HealthReport {
  status: "ok" | "degraded";
  checks: { database: DependencyStatus; redis: DependencyStatus };
}

async function timed(check: () => Promise<unknown>, timeoutMs: number): Promise<DependencyStatus> {
  const started = performance.now();
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([check(), new Promise((_, reject) => (timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs)))]);
    return { ok: true, latencyMs: Math.round(performance.now() - started) };
  } catch (err) {
    return { ok: false, latencyMs: Math.round(performance.now() - started), error: (err as Error).message };
  } finally {
    clearTimeout(timer);
  }
}

export async function checkHealth(sql: SqlRunner, redis: Redis, timeoutMs = 1500): Promise<HealthReport> {
  const [database, redisStatus] = await Promise.all([timed(() => sql.query("SELECT 1"), timeoutMs), timed(() => redis.ping(), timeoutMs)]);
  return { status: database.ok && redisStatus.ok ? "ok" : "degraded", checks: { database, redis: redisStatus } };
}
