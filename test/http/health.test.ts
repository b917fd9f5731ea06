import { once } from "node:events";
import { createServer, connect, type AddressInfo, type Server, type Socket } from "node:net";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { App } from "../../app/container.ts";
import type { HealthReport } from "../../http/health.ts";
import { startTestApp } from "../support/app.ts";
import { createTestDatabase } from "../support/database.ts";
import { freePort, PrivateRedis } from "../support/private-redis.ts";

type TestDb = Awaited<ReturnType<typeof createTestDatabase>>;

function baseUrl(app: App): string {
  const { port } = app.server!.server.address() as AddressInfo;
  return `http://127.0.0.1:${port}`;
}

async function health(app: App): Promise<{ status: number; body: HealthReport; ms: number }> {
  const started = performance.now();
  const res = await fetch(`${baseUrl(app)}/health`);
  const body = (await res.json()) as HealthReport;
  return { status: res.status, body, ms: performance.now() - started };
}

/** Polls /health until it answers `status`, or fails after timeoutMs with the last answer. */
async function healthBecomes(app: App, status: number, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const r = await health(app);
    if (r.status === status) return r;
    if (Date.now() > deadline) throw new Error(`/health still ${r.status} after ${timeoutMs} ms: ${JSON.stringify(r.body)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** A TCP relay in front of PostgreSQL that the test can cut and restore, to take "the database" away from one app only. */
class CuttableProxy {
  private server?: Server;
  private sockets = new Set<Socket>();
  port = 0;
  constructor(
    readonly targetHost: string,
    readonly targetPort: number,
  ) {}

  async open(): Promise<void> {
    this.server = createServer((client) => {
      const upstream = connect(this.targetPort, this.targetHost);
      for (const s of [client, upstream]) {
        this.sockets.add(s);
        s.on("close", () => this.sockets.delete(s));
        s.on("error", () => {
          client.destroy();
          upstream.destroy();
        });
      }
      client.pipe(upstream).pipe(client);
    });
    this.server.listen(this.port, "127.0.0.1");
    await once(this.server, "listening");
    this.port = (this.server.address() as AddressInfo).port;
  }

  async cut(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    for (const s of this.sockets) s.destroy();
    if (server) await new Promise((r) => server.close(r));
  }
}

describe("GET /health with every dependency up", () => {
  let db: TestDb;
  let app: App;
  beforeAll(async () => {
    db = await createTestDatabase();
    app = await startTestApp(db.url, { http: true });
  });
  afterAll(async () => {
    await app?.stop();
    await db?.drop();
  });

  it("answers 200 with the database and Redis checked", async () => {
    const res = await fetch(`${baseUrl(app)}/health`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^application\/json/);
    const body = (await res.json()) as HealthReport;
    expect(body.status).toBe("ok");
    expect(body.checks.database.ok).toBe(true);
    expect(body.checks.redis.ok).toBe(true);
    expect(body.checks.database.latencyMs).toBeGreaterThanOrEqual(0);
    expect(body.checks.redis.latencyMs).toBeGreaterThanOrEqual(0);
    expect(body.checks.database.error).toBeUndefined();
    expect(body.checks.redis.error).toBeUndefined();
  });
});

describe("GET /health when Redis goes away", () => {
  let db: TestDb;
  let app: App | undefined;
  let redis: PrivateRedis;
  beforeAll(async () => {
    db = await createTestDatabase();
    redis = new PrivateRedis(await freePort());
    await redis.start();
    app = await startTestApp(db.url, { http: true, env: { REDIS_URL: `redis://127.0.0.1:${redis.port}` } });
  });
  afterAll(async () => {
    // Bring Redis back first if a test left it down, so the app's queues close cleanly.
    if (redis && app && !redis.running) await redis.start().catch(() => {});
    await app?.stop();
    await redis?.kill();
    await db?.drop();
  });

  it("answers 503 naming Redis within the check's timeout, then 200 again once Redis is back", async () => {
    const up = await health(app!);
    expect(up.status).toBe(200);
    expect(up.body.checks.redis.ok).toBe(true);

    await redis.kill();
    const down = await health(app!);
    expect(down.status).toBe(503);
    expect(down.body.status).toBe("degraded");
    expect(down.body.checks.redis.ok).toBe(false);
    expect(down.body.checks.redis.error).toEqual(expect.any(String));
    expect(down.body.checks.redis.error!.length).toBeGreaterThan(0);
    // Public endpoint: the kind of failure, not the driver's message with internal addresses.
    expect(JSON.stringify(down.body)).not.toMatch(/127\.0\.0\.1|:\d{4,5}\b/);
    expect(down.body.checks.database.ok).toBe(true);
    // The Redis check gives up after 1.5 s: the answer comes within ~3 s, never hangs.
    expect(down.ms).toBeLessThan(3000);

    await redis.start();
    const back = await healthBecomes(app!, 200, 5000);
    expect(back.body.checks.redis.ok).toBe(true);
  });

  // Logs are JSON through pino (and go to a file while the dev console owns the terminal), so an
  // outage must not print raw stack traces to stderr, once per reconnect attempt and queue.
  it("reports the outage through the logger, never as raw console output", async () => {
    const consoleError = vi.spyOn(console, "error").mockImplementation(() => {});
    try {
      await redis.kill();
      await healthBecomes(app!, 503, 3000);
      // Long enough for a couple of reconnect attempts (ioredis retries after 200 ms, 400 ms, ...).
      await new Promise((r) => setTimeout(r, 700));
      await redis.start();
      await healthBecomes(app!, 200, 5000);
      expect(consoleError.mock.calls.map((c) => String(c[0]).split("\n")[0])).toEqual([]);
    } finally {
      consoleError.mockRestore();
    }
  });
});

describe("GET /health when the database goes away", () => {
  let db: TestDb;
  let app: App | undefined;
  let proxy: CuttableProxy;
  beforeAll(async () => {
    db = await createTestDatabase();
    const target = new URL(db.url);
    proxy = new CuttableProxy(target.hostname, Number(target.port || 5432));
    await proxy.open();
    const viaProxy = new URL(db.url);
    viaProxy.hostname = "127.0.0.1";
    viaProxy.port = String(proxy.port);
    app = await startTestApp(viaProxy.toString(), { http: true });
  });
  afterAll(async () => {
    await app?.stop();
    await proxy?.cut();
    await db?.drop();
  });

  it("answers 503 naming the database within ~3 s, then 200 again once it is back", async () => {
    expect((await health(app!)).status).toBe(200);

    await proxy.cut();
    const down = await health(app!);
    expect(down.status).toBe(503);
    expect(down.body.status).toBe("degraded");
    expect(down.body.checks.database.ok).toBe(false);
    expect(down.body.checks.database.error).toEqual(expect.any(String));
    expect(down.body.checks.redis.ok).toBe(true);
    expect(down.ms).toBeLessThan(3000);

    await proxy.open();
    const back = await healthBecomes(app!, 200, 5000);
    expect(back.body.checks.database.ok).toBe(true);
  });
});
