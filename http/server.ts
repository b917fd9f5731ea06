import Fastify, { type FastifyBaseLogger, type FastifyInstance } from "fastify";
import type { Redis } from "ioredis";
import type { Logger as PinoLogger } from "pino";
import type { SqlRunner } from "../db/database.ts";
import type { Queues } from "../jobs/queues.ts";
import { mountQueueDashboard } from "./admin-queues.ts";
import { mountDocs } from "./docs.ts";
import { checkHealth, HEALTH_SCHEMA } from "./health.ts";
import type { Metrics } from "./metrics.ts";

export interface ServerDeps {
  sql: SqlRunner;
  redis: Redis;
  queues: Queues;
  metrics: Metrics;
  log: PinoLogger;
  adminToken?: string;
}

/** The one HTTP server: every webhook, the public API, /health, /metrics and the queue dashboard mount here. */
export async function buildServer(deps: ServerDeps): Promise<FastifyInstance> {
  const app = Fastify({ loggerInstance: deps.log as FastifyBaseLogger, trustProxy: true, return503OnClosing: true });

  app.addHook("onResponse", async (req, reply) => {
    const route = req.routeOptions.url ?? "unmatched";
    const labels = { method: req.method, route, status: String(reply.statusCode) };
    deps.metrics.httpRequests.inc(labels);
    deps.metrics.httpDuration.observe(labels, reply.elapsedTime / 1000);
  });

  await mountDocs(app);

  // Probes and scrapes every few seconds would drown the access log.
  const quiet = { logLevel: "warn" } as const;

  app.get("/health", { ...quiet, schema: HEALTH_SCHEMA }, async (_req, reply) => {
    const { details, ...report } = await checkHealth(deps.sql, deps.redis);
    if (details.length) deps.log.warn({ details }, "health: a dependency is down");
    return reply.code(report.status === "ok" ? 200 : 503).send(report);
  });

  app.get("/metrics", { ...quiet, schema: { summary: "Prometheus metrics", tags: ["operations"], produces: ["text/plain"] } }, async (_req, reply) => {
    const body = await deps.metrics.registry.metrics();
    return reply.header("content-type", deps.metrics.registry.contentType).send(body);
  });

  if (deps.adminToken) await mountQueueDashboard(app, deps.queues, deps.adminToken);
  else deps.log.info("queue dashboard: off (set ADMIN_TOKEN to serve /admin/queues)");

  return app;
}
