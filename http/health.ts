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

async function timed(check: () => Promise<unknown>, timeoutMs: number): Promise<DependencyStatus & { detail?: string }> {
  const started = performance.now();
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([check(), new Promise((_, reject) => (timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs)))]);
    return { ok: true, latencyMs: Math.round(performance.now() - started) };
  } catch (err) {
    // /health is public: say what kind of failure it is, never the driver's text with internal hosts in it.
    const code = (err as { code?: unknown }).code;
    const error = typeof code === "string" && /^[A-Z0-9_]+$/.test(code) ? code : (err as Error).message.startsWith("no answer within") ? (err as Error).message : "unavailable";
    return { ok: false, latencyMs: Math.round(performance.now() - started), error, detail: (err as Error).message };
  } finally {
    clearTimeout(timer);
  }
}

export async function checkHealth(sql: SqlRunner, redis: Redis, timeoutMs = 1500): Promise<HealthReport & { details: string[] }> {
  const [database, redisStatus] = await Promise.all([timed(() => sql.query("SELECT 1"), timeoutMs), timed(() => redis.ping(), timeoutMs)]);
  const details = [database, redisStatus].flatMap((s, i) => (s.detail ? [`${i === 0 ? "database" : "redis"}: ${s.detail}`] : []));
  const strip = ({ detail: _detail, ...rest }: DependencyStatus & { detail?: string }) => rest;
  return { status: database.ok && redisStatus.ok ? "ok" : "degraded", checks: { database: strip(database), redis: strip(redisStatus) }, details };
}
