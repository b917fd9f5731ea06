/**
 * scripts/bench/sync: the metrics sync (issue #8's benchmark; run it through
 * scripts/bench/sync, which prepares PostgreSQL, Redis and node_modules).
 *
 * Set-up: a fresh database bench_<random>, the four platforms' fake API
 * servers (test/fakes, the real wire formats) in this process, Clout's real
 * composition root with workers (real providers pointed at the fakes by
 * their *_API_URL), CREATORS creators with a handle on each platform
 * bulk-inserted (db/seed-creators.ts).
 *
 * 1. No limits: a bare BullMQ loop of no-op jobs, one per account, on a
 *    worker of the same concurrency; then `sync all` through the real
 *    command runner until every account has synced (profile, posts, the
 *    newest posts' comments, stored, analytics recomputed). Jobs/s of each
 *    and their ratio; what was stored; the plans of per-creator time-range
 *    reads on the now big tables.
 * 2. Limits: the same workspace synced again with each platform's quota set
 *    to --limit calls per --window seconds, for --seconds; the calls each
 *    fake server answered, per window and on average, against the limit
 *    (target 90-100 %, never above in any window).
 *
 * Clean-up, also on Ctrl-C: the app stopped, the fakes closed, the Redis
 * keys deleted, the database dropped.
 */
import { randomBytes } from "node:crypto";
import pino from "pino";
import { Queue, Worker } from "bullmq";
import { loadConfig } from "../../app/config.ts";
import { createApp, type App } from "../../app/container.ts";
import { runCommand } from "../../core/commands/run.ts";
import { SOCIAL_PLATFORMS, type SocialPlatform } from "../../core/creators/handles.ts";
import { seedCreators } from "../../db/seed-creators.ts";
import { connectRedis } from "../../jobs/connection.ts";
import { createTeam, type Team } from "../../test/support/team.ts";
import { benchDatabase, TEST_REDIS_URL } from "./lib/bench-db.ts";
import { benchCli } from "./lib/cli.ts";
import { cleanupOnExit } from "./lib/cleanup.ts";
import { timed } from "./lib/timing.ts";
import { startFakeSocialApis, type FakeSocialApis } from "../../test/fakes/social-apis.ts";
import { busiestWindow } from "../../test/sync/support.ts";

const USAGE = `usage: scripts/bench/sync [options]

  --creators N      creators, each with a handle on the four platforms (default 10000)
  --concurrency N   accounts synced at once, and no-op jobs run at once (default 16)
  --limit N         calls each platform allows per window in the limited run (default 900)
  --window N        the window, in seconds (default 30)
  --seconds N       how long the limited run lasts (default 60)
  --help            this text`;

const { flags, log, positive } = benchCli("sync", USAGE, { creators: { type: "string" }, concurrency: { type: "string" }, limit: { type: "string" }, window: { type: "string" }, seconds: { type: "string" } });
const CREATORS = positive(flags.creators, 10_000, "creators");
const CONCURRENCY = positive(flags.concurrency, 16, "concurrency");
const LIMIT = positive(flags.limit, 900, "limit");
const WINDOW_S = positive(flags.window, 30, "window");
const SECONDS = positive(flags.seconds, 60, "seconds");
const ACCOUNTS = CREATORS * SOCIAL_PLATFORMS.length;

const cleanup = cleanupOnExit(log);
const rate = (n: number, ms: number) => n / (ms / 1000);
const fmt = (n: number, digits = 0) => n.toLocaleString("en", { maximumFractionDigits: digits, minimumFractionDigits: digits });

async function startClout(url: string, prefix: string, platforms: FakeSocialApis, limits: string): Promise<App> {
  const config = loadConfig({ DATABASE_URL: url, REDIS_URL: TEST_REDIS_URL, QUEUE_PREFIX: prefix, PORT: "0", LOG_LEVEL: "silent", RATE_LIMITS: "off", CLOUT_SECRET: randomBytes(36).toString("base64url"), SYNC_LIMITS: limits, SYNC_CONCURRENCY: String(CONCURRENCY), ...platforms.env });
  return createApp(config, { log: pino({ level: process.env.BENCH_LOG ?? "silent" }), workers: true });
}

/** Completions of `worker`'s jobs, awaited until `n`. */
function counting(worker: Worker): { count: () => number; reach(n: number, timeoutMs: number): Promise<void> } {
  let done = 0;
  const waiters: { n: number; resolve: () => void }[] = [];
  worker.on("completed", () => {
    done++;
    for (const w of waiters.filter((x) => done >= x.n)) w.resolve();
  });
  return {
    count: () => done,
    reach: (n, timeoutMs) =>
      new Promise<void>((resolve, reject) => {
        if (done >= n) return resolve();
        const timer = setTimeout(() => reject(new Error(`only ${done} of ${n} jobs completed within ${timeoutMs / 1000} s`)), timeoutMs);
        waiters.push({ n, resolve: () => (clearTimeout(timer), resolve()) });
      }),
  };
}

/** The bare loop: as many no-op jobs as there are accounts, added in pages of 1,000 like a run's, on a worker of the same concurrency. */
async function noopLoop(prefix: string): Promise<number> {
  const connection = connectRedis(TEST_REDIS_URL, "worker");
  const queue = new Queue("noop", { connection, prefix });
  const worker = new Worker("noop", async () => undefined, { connection, prefix, concurrency: CONCURRENCY });
  const done = counting(worker);
  try {
    return await timed(log, `no-op loop, ${fmt(ACCOUNTS)} jobs`, async () => {
      for (let i = 0; i < ACCOUNTS; i += 1_000) {
        await queue.addBulk(Array.from({ length: Math.min(1_000, ACCOUNTS - i) }, (_, k) => ({ name: "noop", data: { i: i + k }, opts: { jobId: `noop-${i + k}`, removeOnComplete: true, priority: 1 } })));
      }
      await done.reach(ACCOUNTS, 600_000);
    });
  } finally {
    await worker.close();
    await queue.obliterate({ force: true });
    await queue.close();
    connection.disconnect();
  }
}

/** `sync all`, until every account synced or failed for good since it started: how long, and how many failed. */
async function syncAll(app: App, team: Team, timeoutMs: number): Promise<{ ms: number; failed: number }> {
  const started = new Date();
  let failed = 0;
  const ms = await timed(log, `sync all, ${fmt(ACCOUNTS)} accounts`, async () => {
    const r = await runCommand(app.runner, { text: "sync all", caller: team.members.owner.caller });
    if (!r.ok) throw new Error(r.reply.text);
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const [row] = await app.database.sql.query<{ ok: number; failed: number }>(
        "SELECT count(*) FILTER (WHERE sync_status = 'ok' AND synced_at >= $1)::int AS ok, count(*) FILTER (WHERE sync_status = 'failed')::int AS failed FROM creator_handles WHERE workspace_id = $2",
        [started, team.workspaceId],
      );
      failed = row!.failed;
      if (row!.ok + row!.failed >= ACCOUNTS) return;
      if (Date.now() > deadline) throw new Error(`only ${row!.ok} synced and ${row!.failed} failed of ${ACCOUNTS} accounts within ${timeoutMs / 1000} s`);
      await new Promise((r) => setTimeout(r, 100));
    }
  });
  return { ms, failed };
}

/** Index names in the plans of one creator's last 30 days, read the way analytics read them. */
async function plans(app: App): Promise<string[]> {
  const [{ id }] = (await app.database.sql.query<{ id: string }>("SELECT creator_id AS id FROM social_posts ORDER BY random() LIMIT 1")) as [{ id: string }];
  const since = new Date(Date.now() - 30 * 86_400_000);
  const queries = [
    ["metric_snapshots", "SELECT * FROM metric_snapshots WHERE creator_id = $1 AND platform = 'instagram' AND captured_at >= $2"],
    ["social_posts", "SELECT * FROM social_posts WHERE creator_id = $1 AND posted_at >= $2 ORDER BY posted_at DESC"],
    ["post_comments", "SELECT * FROM post_comments WHERE creator_id = $1 AND posted_at >= $2"],
  ];
  const out: string[] = [];
  for (const [table, q] of queries) {
    const rows = await app.database.sql.query<{ "QUERY PLAN": string }>(`EXPLAIN ${q}`, [id, since]);
    const plan = rows.map((r) => r["QUERY PLAN"]).join(" ");
    out.push(`${table}: ${/(Index Only Scan|Index Scan|Bitmap Index Scan) (?:Backward )?(?:using|on) (\w+)/.exec(plan)?.slice(1, 3).join(" on ") ?? plan.slice(0, 80)}`);
  }
  return out;
}

async function main(): Promise<void> {
  const { url, prefix } = await benchDatabase(log, cleanup.add);
  // Recording only arrival times: 10,000 accounts a platform make too many calls to keep whole.
  const platforms = await startFakeSocialApis({ record: false });
  cleanup.add("stop the fake platforms", () => platforms.close());
  const arrivals = (p: SocialPlatform) => platforms.byPlatform[p].arrivals;
  const forget = () => SOCIAL_PLATFORMS.forEach((p) => (arrivals(p).length = 0));

  let app = await startClout(url, prefix, platforms, "off");
  cleanup.add("stop the app", () => app.stop());
  const team = await createTeam(app.database.db, "Bench Brand");
  await timed(log, `${fmt(CREATORS)} creators, ${fmt(ACCOUNTS)} handles`, () => seedCreators(app.database.sql, team.workspaceId, CREATORS));
  await app.database.sql.exec("ANALYZE");

  const noopMs = await noopLoop(`${prefix}-noop`);
  forget();
  const { ms: syncMs, failed } = await syncAll(app, team, 1_800_000);
  const calls = SOCIAL_PLATFORMS.map((p) => arrivals(p).length).reduce((a, b) => a + b, 0);
  const [snapshots, posts, comments] = (await Promise.all(["metric_snapshots", "social_posts", "post_comments"].map(async (t) => (await app.database.sql.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${t}`))[0]!.n))) as [number, number, number];
  await app.database.sql.exec("ANALYZE");
  const planned = await plans(app);
  await app.stop();

  // The limited run: a fresh app with every platform's quota set, the same accounts again.
  const limits = ["off", ...SOCIAL_PLATFORMS.map((p) => `${p}=${LIMIT}/${WINDOW_S}s`)].join(",");
  app = await startClout(url, `${prefix}-limited`, platforms, limits);
  cleanup.add("stop the limited app", () => app.stop());
  forget();
  const started = Date.now();
  const r = await runCommand(app.runner, { text: "sync all", caller: team.members.owner.caller });
  if (!r.ok) throw new Error(r.reply.text);
  await new Promise((done) => setTimeout(done, SECONDS * 1000));
  const ended = Date.now();
  await app.queues.sync.pause();
  await app.stop();

  const windowMs = WINDOW_S * 1000;
  // Every call the providers make costs one unit on each platform (YouTube's lists cost 1 each), so calls are units here.
  const limited = SOCIAL_PLATFORMS.map((p: SocialPlatform) => {
    const times = arrivals(p).filter((t) => t >= started && t <= ended).sort((a, b) => a - b);
    // Whole windows from the first call: a window's worth may go at once at the start, so a part-window would read above the rate.
    const first = times[0] ?? started;
    const windows = Math.max(1, Math.floor((ended - first) / windowMs));
    const inWindows = times.filter((t) => t < first + windows * windowMs).length;
    return { p, calls: times.length, achieved: inWindows / ((windows * windowMs) / 1000), allowed: LIMIT / WINDOW_S, busiest: busiestWindow(times, windowMs) };
  });

  const out = [
    `sync benchmark: ${fmt(CREATORS)} creators × ${SOCIAL_PLATFORMS.length} platforms = ${fmt(ACCOUNTS)} accounts, concurrency ${CONCURRENCY}, one process`,
    `no limits:`,
    `  no-op BullMQ loop   ${fmt(rate(ACCOUNTS, noopMs))} jobs/s  (${(noopMs / 1000).toFixed(1)} s)`,
    `  sync all            ${fmt(rate(ACCOUNTS, syncMs))} jobs/s  (${(syncMs / 1000).toFixed(1)} s, ${fmt(calls)} platform calls, ${fmt(rate(calls, syncMs))} calls/s)`,
    `  ratio               ${(syncMs > 0 ? noopMs / syncMs : 0).toFixed(3)} of the no-op loop`,
    `  stored              ${fmt(snapshots)} snapshots, ${fmt(posts)} posts, ${fmt(comments)} comments; ${fmt(failed)} accounts failed`,
    `  plans               ${planned.join("; ")}`,
    `limits ${LIMIT} per ${WINDOW_S} s on each platform, ${SECONDS} s:`,
    ...limited.map((l) => `  ${l.p.padEnd(10)} ${fmt(l.achieved, 1)} calls/s of ${fmt(l.allowed, 1)} allowed = ${((100 * l.achieved) / l.allowed).toFixed(1)} %  (${fmt(l.calls)} calls; busiest ${WINDOW_S} s window ${fmt(l.busiest)} of ${fmt(LIMIT)}${l.busiest > LIMIT ? "  ABOVE THE LIMIT" : ""})`),
  ];
  process.stdout.write(`${out.join("\n")}\n`);
  if (snapshots + failed !== ACCOUNTS || limited.some((l) => l.busiest > LIMIT)) process.exitCode = 1;
}

main()
  .catch((err: unknown) => {
    log(`failed: ${(err as Error).stack ?? String(err)}`);
    process.exitCode = 1;
  })
  .finally(() => cleanup.cleanup());
