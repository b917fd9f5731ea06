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

const dependency = {
  type: "object",
  properties: { ok: { type: "boolean" }, latencyMs: { type: "number" }, error: { type: "string" } },
  required: ["ok", "latencyMs"],
} as const;

const report = {
  type: "object",
  properties: { status: { type: "string", enum: ["ok", "degraded"] }, checks: { type: "object", properties: { database: dependency, redis: dependency } } },
} as const;

export const HEALTH_SCHEMA = {
  summary: "Liveness and dependencies",
  description: "200 when PostgreSQL and Redis both answer within 1.5 s, 503 otherwise; the body says which failed.",
  tags: ["operations"],
  response: { 200: report, 503: report },
};

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
