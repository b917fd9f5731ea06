import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { App } from "../../app/container.ts";
import { startTestApp } from "../support/app.ts";
import { createTestDatabase } from "../support/database.ts";

let env: Awaited<ReturnType<typeof createTestDatabase>>;
let app: App;
let base: string;

beforeAll(async () => {
  env = await createTestDatabase();
  // No workers: whatever is enqueued stays put, so the queue gauges are exact.
  app = await startTestApp(env.url, { http: true });
  base = `http://127.0.0.1:${(app.server!.server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await app?.stop();
  await env?.drop();
});

async function scrape(): Promise<string> {
  const res = await fetch(`${base}/metrics`);
  expect(res.status).toBe(200);
  expect(res.headers.get("content-type")).toMatch(/^text\/plain; version=0\.0\.4/);
  return res.text();
}

/** The value of one sample line, e.g. `name{a="b"} 3`; undefined when the series is absent. */
function sample(body: string, series: string): number | undefined {
  const line = body.split("\n").find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

/** Scrapes until pred holds for the body (request counters are bumped just after each response leaves). */
async function scrapeUntil(pred: (body: string) => boolean, timeoutMs = 2000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const body = await scrape();
    if (pred(body) || Date.now() > deadline) return body;
    await new Promise((r) => setTimeout(r, 25));
  }
}

const HEALTH_200 = 'clout_http_requests_total{method="GET",route="/health",status="200"}';

describe("GET /metrics", () => {
  it("counts requests per method, route and status, with a latency histogram", async () => {
    const n = 5;
    for (let i = 0; i < n; i++) expect((await fetch(`${base}/health`)).status).toBe(200);
    const missing = await fetch(`${base}/no-such-route`);
    expect(missing.status).toBe(404);

    const body = await scrapeUntil((b) => (sample(b, HEALTH_200) ?? 0) >= n && sample(b, 'clout_http_requests_total{method="GET",route="unmatched",status="404"}') !== undefined);
    expect(body).toContain("# TYPE clout_http_requests_total counter");
    // One registry per app: this instance has served exactly these /health requests.
    expect(sample(body, HEALTH_200)).toBe(n);
    expect(sample(body, 'clout_http_requests_total{method="GET",route="unmatched",status="404"}')).toBe(1);

    expect(body).toContain("# TYPE clout_http_request_duration_seconds histogram");
    expect(body).toMatch(/^clout_http_request_duration_seconds_bucket\{le="0\.005",method="GET",route="\/health",status="200"\} \d+$/m);
    expect(sample(body, 'clout_http_request_duration_seconds_bucket{le="+Inf",method="GET",route="/health",status="200"}')).toBe(n);
    expect(sample(body, 'clout_http_request_duration_seconds_count{method="GET",route="/health",status="200"}')).toBe(n);
    expect(sample(body, 'clout_http_request_duration_seconds_sum{method="GET",route="/health",status="200"}')).toBeGreaterThan(0);
  });

  it("includes the process's default metrics", async () => {
    const body = await scrape();
    expect(body).toMatch(/^process_cpu_user_seconds_total \d/m);
    expect(body).toMatch(/^nodejs_heap_size_used_bytes \d/m);
  });

  it("reads queue depth per queue and state from Redis at scrape time", async () => {
    const before = await scrape();
    expect(before).toContain("# TYPE clout_queue_jobs gauge");
    for (const queue of ["notifications", "housekeeping"]) {
      for (const state of ["waiting", "active", "delayed", "failed", "completed", "prioritized"]) {
        expect(sample(before, `clout_queue_jobs{queue="${queue}",state="${state}"}`), `${queue} ${state}`).toBe(0);
      }
    }

    await app.queues.housekeeping.add("housekeeping", {}, { delay: 60_000 });
    await app.queues.notifications.add("campaign.transitioned", {
      type: "campaign.transitioned",
      workspaceId: crypto.randomUUID(),
      campaignId: crypto.randomUUID(),
      from: "draft",
      to: "submitted",
      actorMemberId: crypto.randomUUID(),
      at: new Date().toISOString(),
    });

    const after = await scrape();
    expect(sample(after, 'clout_queue_jobs{queue="housekeeping",state="delayed"}')).toBeGreaterThanOrEqual(1);
    expect(sample(after, 'clout_queue_jobs{queue="housekeeping",state="waiting"}')).toBe(0);
    expect(sample(after, 'clout_queue_jobs{queue="notifications",state="waiting"}')).toBeGreaterThanOrEqual(1);
    expect(sample(after, 'clout_queue_jobs{queue="notifications",state="delayed"}')).toBe(0);

    // And back down once the jobs are gone: the gauge is read, not accumulated.
    await app.queues.housekeeping.obliterate({ force: true });
    await app.queues.notifications.obliterate({ force: true });
    const emptied = await scrape();
    expect(sample(emptied, 'clout_queue_jobs{queue="housekeeping",state="delayed"}')).toBe(0);
    expect(sample(emptied, 'clout_queue_jobs{queue="notifications",state="waiting"}')).toBe(0);
  });
});
