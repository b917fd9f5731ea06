import { get as httpGet } from "node:http";
import type { AddressInfo } from "node:net";
import { Queue } from "bullmq";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { App } from "../../app/container.ts";
import { runCommand } from "../../core/commands/run.ts";
import type { HealthReport } from "../../http/health.ts";
import { connectRedis } from "../../jobs/connection.ts";
import { ChatInbox } from "../fakes/chat-inbox.ts";
import { startTestApp } from "../support/app.ts";
import { createTestDatabase } from "../support/database.ts";
import { TEST_REDIS_URL } from "../support/env.ts";
import { freePort, PrivateRedis } from "../support/private-redis.ts";
import { createTeam } from "../support/team.ts";

let env: Awaited<ReturnType<typeof createTestDatabase>>;
/** Every app this file starts, so afterAll stops any a failed test left running. */
const running = new Set<App>();

async function start(...args: Parameters<typeof startTestApp>): Promise<App> {
  const app = await startTestApp(...args);
  running.add(app);
  return app;
}
async function stop(app: App): Promise<void> {
  running.delete(app);
  await app.stop();
}

beforeAll(async () => {
  env = await createTestDatabase();
});
afterAll(async () => {
  await Promise.all([...running].map((app) => app.stop()));
  await env?.drop();
});

async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 5000, pollMs = 20): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, pollMs));
  }
}

/** One GET on a connection of its own (no keep-alive): the status and body, or the socket error. */
function getOnce(port: number, path: string): Promise<{ status: number; body: string } | { error: string }> {
  return new Promise((resolve) => {
    const req = httpGet({ host: "127.0.0.1", port, path, agent: false }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (c: string) => (body += c));
      res.on("end", () => resolve({ status: res.statusCode!, body }));
      res.on("error", (err: NodeJS.ErrnoException) => resolve({ error: err.code ?? err.message }));
    });
    req.on("error", (err: NodeJS.ErrnoException) => resolve({ error: err.code ?? err.message }));
  });
}

describe("graceful shutdown of the HTTP server", () => {
  it("lets requests already received finish with 200, then refuses new connections", async () => {
    // One database connection only, so a held connection keeps /health requests in flight for as long as we hold it.
    const app = await start(env.url, { http: true, env: { DATABASE_POOL_SIZE: "1" } });
    const raw = app.server!.server;
    const port = (raw.address() as AddressInfo).port;

    // A keep-alive client leaves an idle connection open; stop() must not wait out its keep-alive timeout.
    const warm = await fetch(`http://127.0.0.1:${port}/health`);
    expect(warm.status).toBe(200);
    await warm.arrayBuffer();

    let received = 0;
    raw.on("request", () => received++);
    const held = app.database.sql.session((s) => s.query("SELECT pg_sleep(0.6)"));
    const n = 5;
    const responses = Array.from({ length: n }, () => getOnce(port, "/health"));
    await until("every request to reach the server", async () => (received >= n ? true : undefined));

    const stopStarted = performance.now();
    const stopping = stop(app);
    const results = await Promise.all(responses);
    await held;
    await stopping;
    const stopMs = performance.now() - stopStarted;

    for (const r of results) {
      expect(r, JSON.stringify(r)).toHaveProperty("status", 200);
      const body = JSON.parse((r as { body: string }).body) as HealthReport;
      // The database was still open for them: stop() closes it only after they are answered.
      expect(body.checks.database.ok).toBe(true);
      expect(body.checks.redis.ok).toBe(true);
    }
    // The idle keep-alive connection was closed, not waited out (Fastify's keep-alive timeout is 72 s).
    expect(stopMs).toBeLessThan(3000);

    const late = await getOnce(port, "/health");
    expect(late).toEqual({ error: "ECONNREFUSED" });
  });
});

describe("graceful shutdown of the workers", () => {
  it("finishes the messages being sent when stop() is called; no job is left failed, stalled or half-done", async () => {
    const inbox = new ChatInbox("console", 800);
    const app = await start(env.url, { workers: true, messengers: [inbox] });
    const prefix = app.config.env.QUEUE_PREFIX;
    const team = await createTeam(app.database.db, "Shutdown Brand");
    const manager = team.members.manager.caller;
    expect((await runCommand(app.runner, { caller: manager, text: 'campaign create "Stop Safely" --budget 100 --start 2099-01-01 --end 2099-01-31 --objective sales' })).ok).toBe(true);
    const submitted = await runCommand(app.runner, { caller: manager, text: 'campaign submit "Stop Safely"' });
    expect(submitted.ok, submitted.reply.text).toBe(true);

    // Approvers other than the submitter hear of it: the owner and the admin, one message each.
    // Wait until both sends are under way (each takes 800 ms), then stop.
    await until("both messages to be in progress", async () => {
      const c = await app.queues.outbound.getJobCounts("active", "waiting");
      return c.active === 2 && c.waiting === 0 ? c : undefined;
    });
    expect(inbox.sent).toHaveLength(0);

    const started = performance.now();
    await stop(app);
    const stopMs = performance.now() - started;

    expect(inbox.sent.map((s) => s.target.externalId).sort()).toEqual([team.members.admin.caller.externalId, team.members.owner.caller.externalId].sort());
    expect(inbox.to(team.members.owner.caller.externalId)[0]!.text).toContain("Stop Safely");
    // It waited for the sends rather than returning at once, and no longer than they needed.
    expect(stopMs).toBeGreaterThan(100);
    expect(stopMs).toBeLessThan(3000);

    // The app's queues are closed now; look at the jobs through connections of our own.
    const connection = connectRedis(TEST_REDIS_URL, "command");
    const notifications = new Queue("notifications", { connection, prefix });
    const outbound = new Queue("outbound", { connection, prefix });
    try {
      expect(await notifications.getJobCounts("waiting", "active", "delayed", "failed", "completed")).toEqual({ waiting: 0, active: 0, delayed: 0, failed: 0, completed: 1 });
      expect(await outbound.getJobCounts("waiting", "active", "delayed", "failed", "completed")).toEqual({ waiting: 0, active: 0, delayed: 0, failed: 0, completed: 2 });
      for (const job of await outbound.getJobs(["completed"])) {
        expect(job.finishedOn, job.id).toBeGreaterThan(0);
        expect(job.failedReason, job.id).toBeFalsy();
        expect(job.stalledCounter ?? 0, job.id).toBe(0);
      }
    } finally {
      await notifications.obliterate({ force: true });
      await outbound.obliterate({ force: true });
      await Promise.all([notifications.close(), outbound.close()]);
      connection.disconnect();
    }
  });
});

describe("graceful shutdown while Redis is away", () => {
  let redis: PrivateRedis;
  let port: number;
  const startRedis = () => redis.start();
  const killRedis = () => redis.kill();
  beforeAll(async () => {
    port = await freePort();
    redis = new PrivateRedis(port);
    await startRedis();
  });
  afterAll(async () => {
    await killRedis();
  });

  // main.ts gives stop() 10 s (close-with-grace) before it exits the process with an error.
  it("stop() still returns within 5 s when Redis went down first", async () => {
    const app = await start(env.url, { http: true, workers: true, env: { REDIS_URL: `redis://127.0.0.1:${port}` } });
    await app.queues.notifications.getJobCounts();
    await killRedis();

    const started = performance.now();
    const stopping = stop(app).then(() => "stopped" as const);
    const outcome = await Promise.race([stopping, new Promise<"hung">((r) => setTimeout(() => r("hung"), 5000))]);
    const ms = Math.round(performance.now() - started);
    if (outcome === "hung") {
      // Bring Redis back so the stuck close has something to finish against, then kill it in afterAll.
      await startRedis();
    }
    expect(outcome, `stop() after ${ms} ms`).toBe("stopped");
  });
});
