/**
 * scripts/bench/redirect: how fast Clout answers referral links, beside a bare
 * node:http server answering the same 302 (issue #6's benchmark; run it
 * through scripts/bench/redirect, which prepares PostgreSQL, Redis and
 * node_modules first).
 *
 * Set-up: a fresh database bench_<random>, Clout as a child process
 * (`tsx app/main.ts serve`, NODE_ENV=production, RUN_WORKERS=false: it
 * migrates the database) and one `tsx app/main.ts worker` at nice 19,
 * one active campaign with a destination and one creator's link inserted in
 * SQL, and the baseline as another child process.
 *
 * Load: autocannon in this process sends a fixed number of requests (so every
 * request sent is answered and counted) to each target in turn; one in ten
 * carries a crawler's user agent; every request has its own client IP, so
 * each human click is a new visitor. Then the click stream is drained and the
 * human clicks sent are compared with the clicks stored and rolled up.
 *
 * Clean-up, also on Ctrl-C: both servers stopped, the Redis keys deleted, the
 * database dropped.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes, randomUUID } from "node:crypto";
import { createRequire } from "node:module";
import { createServer } from "node:net";
import { resolve } from "node:path";
import { parseArgs } from "node:util";
import { Redis } from "ioredis";
import pg from "pg";
import { withClickId, targetOf } from "../../core/referrals/destination.ts";
import { clickStreamKey } from "../../jobs/clicks.ts";

const ROOT = resolve(import.meta.dirname, "../..");
const USAGE = `usage: scripts/bench/redirect [options]

  --requests N      requests per target (default 100000)
  --connections N   concurrent connections (default 50)
  --warmup N        warm-up requests per target (default 5000)
  --writer WHEN     when the click writer runs: "after" the load (default: on two
                    cores it would compete with the server it feeds, as it
                    does not in production) or "during" it
  --help            this text`;

const fail = (message: string): never => {
  process.stderr.write(`redirect: ${message}\n`);
  process.exit(2);
};
const { values: flags } = (() => {
  try {
    return parseArgs({ options: { requests: { type: "string", default: "100000" }, connections: { type: "string", default: "50" }, warmup: { type: "string", default: "5000" }, writer: { type: "string", default: "after" }, help: { type: "boolean", default: false } } });
  } catch (err) {
    return fail(`${(err as Error).message}\n${USAGE}`);
  }
})();
if (flags.help) {
  process.stdout.write(`${USAGE}\n`);
  process.exit(0);
}
const count = (name: string, v: string, min: number) => {
  const n = Number(v);
  if (!Number.isInteger(n) || n < min) fail(`--${name} must be a whole number ≥ ${min} (got "${v}")`);
  return n;
};
const REQUESTS = count("requests", flags.requests, 100);
const CONNECTIONS = count("connections", flags.connections, 1);
const WARMUP = count("warmup", flags.warmup, 0);
const WRITER_DURING = flags.writer === "during";
if (!["during", "after"].includes(flags.writer)) fail(`--writer must be "during" or "after" (got "${flags.writer}")`);
const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";
const TEST_REDIS_URL = process.env.TEST_REDIS_URL ?? "redis://127.0.0.1:6379";
const HUMAN = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36";
const BOT = "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)";
const DESTINATION = "https://shop.example.com/summer?color=red";

const log = (s: string) => process.stderr.write(`redirect: ${s}\n`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const cleanups: (() => Promise<unknown>)[] = [];
async function cleanup() {
  for (const c of cleanups.splice(0).reverse()) await c().catch((err: unknown) => log(`clean-up: ${(err as Error).message}`));
}
for (const signal of ["SIGINT", "SIGTERM"] as const) process.once(signal, () => void cleanup().then(() => process.exit(130)));

async function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const s = createServer();
    s.once("error", rej);
    s.listen(0, "127.0.0.1", () => {
      const { port } = s.address() as { port: number };
      s.close(() => res(port));
    });
  });
}

function startChild(name: string, args: string[], env: NodeJS.ProcessEnv): ChildProcess {
  const proc = spawn(process.execPath, args, { cwd: ROOT, env, detached: true, stdio: ["ignore", "inherit", "inherit"] });
  cleanups.push(async () => {
    if (proc.exitCode !== null) return;
    const exited = new Promise((r) => proc.once("exit", r));
    process.kill(-proc.pid!, "SIGTERM");
    await Promise.race([exited, sleep(10_000).then(() => process.kill(-proc.pid!, "SIGKILL"))]);
  });
  proc.once("exit", (code) => code && log(`${name} exited with ${code}`));
  return proc;
}

async function waitFor(url: string, what: string) {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (await fetch(url, { redirect: "manual" }).then((r) => r.status < 500, () => false)) return;
    await sleep(250);
  }
  throw new Error(`${what} did not start within 60 s`);
}

type Result = { rps: number; p50: number; p99: number; statuses: Record<"3xx" | "4xx" | "5xx", number>; errors: number };

/** Client IPs, never repeated across runs: every human request is a new visitor. */
let n = 0;

async function load(url: string, amount: number, tally?: { human: number; bot: number }): Promise<Result> {
  const autocannon = createRequire(import.meta.url)("autocannon");
  const ip = () => {
    n++;
    return `10.${(n >> 16) & 255}.${(n >> 8) & 255}.${n & 255}`;
  };
  const request = (ua: string, kind: "human" | "bot") => ({
    setupRequest: (req: { headers: Record<string, string> }) => ({ ...req, headers: { ...req.headers, "user-agent": ua, "x-forwarded-for": ip() } }),
    onResponse: (status: number) => {
      if (tally && status === 302) tally[kind]++;
    },
  });
  const requests = [...Array.from({ length: 9 }, () => request(HUMAN, "human")), request(BOT, "bot")];
  const r = await autocannon({ url, connections: CONNECTIONS, amount, requests });
  return { rps: r.requests.total / r.duration, p50: r.latency.p50, p99: r.latency.p99, statuses: { "3xx": r["3xx"], "4xx": r["4xx"], "5xx": r["5xx"] }, errors: r.errors + r.timeouts };
}

async function main() {
  const prefix = `bench-${randomBytes(4).toString("hex")}`;
  const dbName = `bench_${randomBytes(4).toString("hex")}`;
  const admin = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${dbName}"`);
  cleanups.push(async () => {
    await admin.query(`DROP DATABASE IF EXISTS "${dbName}" WITH (FORCE)`);
    await admin.end();
  });
  const dbUrl = new URL(TEST_DATABASE_URL);
  dbUrl.pathname = `/${dbName}`;
  const redis = new Redis(TEST_REDIS_URL);
  cleanups.push(async () => {
    let cursor = "0";
    do {
      const [next, keys] = await redis.scan(cursor, "MATCH", `${prefix}:*`, "COUNT", 1000);
      if (keys.length) await redis.unlink(...keys);
      cursor = next;
    } while (cursor !== "0");
    redis.disconnect();
  });

  const [cloutPort, barePort] = [await freePort(), await freePort()];
  log(`starting Clout (npm start shape) on :${cloutPort} and the bare node:http baseline on :${barePort}`);
  const cloutEnv = {
    ...process.env,
    NODE_ENV: "production",
    DATABASE_URL: dbUrl.toString(),
    REDIS_URL: TEST_REDIS_URL,
    QUEUE_PREFIX: prefix,
    PORT: String(cloutPort),
    HOST: "127.0.0.1",
    LOG_LEVEL: "warn",
    PUBLIC_URL: `http://127.0.0.1:${cloutPort}`,
    CLOUT_SECRET: randomBytes(32).toString("base64"),
  };
  // As in production at scale (and scripts/bench/slack-ack): the app with RUN_WORKERS=false, and one
  // `npm run worker` at nice 19 standing in for a machine of its own; it writes the clicks.
  startChild("clout", ["--import", "tsx", "app/main.ts", "serve"], { ...cloutEnv, RUN_WORKERS: "false" });
  await waitFor(`http://127.0.0.1:${cloutPort}/health`, "Clout");
  const startWriter = () => {
    const worker = startChild("worker", ["--import", "tsx", "app/main.ts", "worker"], cloutEnv);
    worker.once("spawn", () => spawn("renice", ["-n", "19", "-p", String(worker.pid)], { stdio: "ignore" }));
  };
  if (WRITER_DURING) startWriter();

  // One active campaign, one creator and their link, as an accepted deal leaves them.
  const db = new pg.Client({ connectionString: dbUrl.toString() });
  await db.connect();
  const [ws, creator, campaign, link] = [randomUUID(), randomUUID(), randomUUID(), randomUUID()];
  const slug = "benchslug2";
  await db.query("INSERT INTO workspaces (id, name, slug) VALUES ($1, 'Bench Brand', $2)", [ws, prefix]);
  await db.query("INSERT INTO creators (id, workspace_id, number, name, name_key) VALUES ($1, $2, 1, 'Murugi Wanjiku', 'murugi wanjiku')", [creator, ws]);
  await db.query(
    "INSERT INTO campaigns (id, workspace_id, number, name, name_key, objective, budget_minor, currency, starts_on, ends_on, status, destination_url) VALUES ($1, $2, 1, 'Summer Launch', 'summer launch', 'sales', 1500000, 'USD', '2026-01-01', '2026-12-31', 'active', $3)",
    [campaign, ws, DESTINATION],
  );
  await db.query("INSERT INTO referral_links (id, workspace_id, campaign_id, creator_id, slug, code, code_key, created_at) VALUES ($1, $2, $3, $4, $5, 'MURUGI25', 'MURUGI25', now())", [link, ws, campaign, creator, slug]);
  cleanups.push(() => db.end());

  // The same answer Clout gives: a 302 to the destination with the UTM parameters and a fresh click id.
  const target = targetOf(DESTINATION, { campaignName: "Summer Launch", code: "MURUGI25" });
  const bareSource = `
    const { randomUUID } = require("node:crypto");
    require("node:http").createServer((req, res) => {
      res.writeHead(302, { location: ${JSON.stringify(target.head)} + "&clk=" + randomUUID(), "cache-control": "private, no-store" });
      res.end();
    }).listen(${barePort}, "127.0.0.1");`;
  startChild("baseline", ["-e", bareSource], process.env);
  await waitFor(`http://127.0.0.1:${barePort}/`, "the baseline");
  const sample = await fetch(`http://127.0.0.1:${cloutPort}/r/${slug}`, { redirect: "manual", headers: { "user-agent": BOT } });
  if (sample.status !== 302) throw new Error(`Clout answered ${sample.status} to /r/${slug}`);
  log(`Clout redirects to ${sample.headers.get("location")} (baseline: ${withClickId(target, "<uuid>")})`);

  const tally = { human: 0, bot: 0 };
  log(`warm-up: ${WARMUP} requests each`);
  if (WARMUP) {
    await load(`http://127.0.0.1:${cloutPort}/r/${slug}`, WARMUP, tally);
    await load(`http://127.0.0.1:${barePort}/r/${slug}`, WARMUP);
  }
  log(`load: ${REQUESTS} requests each, ${CONNECTIONS} connections, 1 in 10 from a crawler`);
  const clout = await load(`http://127.0.0.1:${cloutPort}/r/${slug}`, REQUESTS, tally);
  const bare = await load(`http://127.0.0.1:${barePort}/r/${slug}`, REQUESTS);

  if (!WRITER_DURING) startWriter();
  log("draining the click stream");
  const started = Date.now();
  let stored = 0;
  while (Date.now() - started < 120_000) {
    const backlog = await redis.xlen(clickStreamKey(prefix));
    stored = Number((await db.query("SELECT count(*) FROM clicks")).rows[0].count);
    if (backlog === 0 && stored >= tally.human) break;
    await sleep(200);
  }
  await sleep(1_000);
  stored = Number((await db.query("SELECT count(*) FROM clicks")).rows[0].count);
  const rolled = (await db.query("SELECT coalesce(sum(clicks), 0)::int AS clicks, coalesce(sum(unique_clicks), 0)::int AS uniques FROM link_daily_stats")).rows[0];
  const drainS = (Date.now() - started) / 1000;

  const ratio = clout.rps / bare.rps;
  const row = (name: string, r: Result) => `| ${name} | ${Math.round(r.rps).toLocaleString("en")} | ${r.p50} / ${r.p99} | ${r.statuses["3xx"]} | ${r.errors + r.statuses["4xx"] + r.statuses["5xx"]} |`;
  const out = [
    "",
    `${REQUESTS.toLocaleString("en")} requests per target, ${CONNECTIONS} connections (warm-up ${WARMUP} each); click writer ${WRITER_DURING ? "running during the load" : "started after the load"}`,
    "",
    "| target | req/s | p50 / p99 ms | 302s | errors |",
    "|---|---|---|---|---|",
    row("Clout GET /r/:slug", clout),
    row("bare node:http 302", bare),
    "",
    `throughput ratio Clout / bare: ${ratio.toFixed(2)} (target ≥ 0.6: ${ratio >= 0.6 ? "met" : "NOT met"})`,
    `human clicks sent ${tally.human.toLocaleString("en")} (bots ${tally.bot.toLocaleString("en")}); stored ${stored.toLocaleString("en")}; rolled up ${rolled.clicks.toLocaleString("en")} (unique ${rolled.uniques.toLocaleString("en")}); drained in ${drainS.toFixed(1)} s after the load: ${stored === tally.human && rolled.clicks === tally.human ? "exact" : "MISMATCH"}`,
    "",
  ];
  process.stdout.write(out.join("\n"));
  return clout.errors + clout.statuses["5xx"] > REQUESTS / 100 ? 1 : 0;
}

main()
  .then(async (code) => {
    await cleanup();
    process.exit(code);
  })
  .catch(async (err: unknown) => {
    log((err as Error).stack ?? String(err));
    await cleanup();
    process.exit(1);
  });
