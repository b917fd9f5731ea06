import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from "prom-client";
import type { Queues } from "../jobs/queues.ts";

export interface Metrics {
  registry: Registry;
  httpRequests: Counter<"method" | "route" | "status">;
  httpDuration: Histogram<"method" | "route" | "status">;
}

/** One registry per app instance (not prom-client's global), so tests and replicas don't share counters. */
export function createMetrics(queues?: Queues): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const httpRequests = new Counter({ name: "clout_http_requests_total", help: "HTTP requests by route and status", labelNames: ["method", "route", "status"], registers: [registry] });
  const httpDuration = new Histogram({
    name: "clout_http_request_duration_seconds",
    help: "HTTP request latency",
    labelNames: ["method", "route", "status"],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });
  if (queues) {
    new Gauge({
      name: "clout_queue_jobs",
      help: "Jobs per queue and state, read from Redis at scrape time",
      labelNames: ["queue", "state"],
      registers: [registry],
      async collect() {
        for (const queue of Object.values(queues)) {
          const counts = await queue.getJobCounts("waiting", "active", "delayed", "failed", "completed", "prioritized");
          for (const [state, n] of Object.entries(counts)) this.set({ queue: queue.name, state }, n);
        }
      },
    });
  }
  return { registry, httpRequests, httpDuration };
}
