/**
 * scripts/bench/slack-ack: how fast Clout acknowledges Slack slash commands
 * under load, beside a bare Fastify route on the same machine (issue #3's
 * benchmark; run it through scripts/bench/slack-ack, which prepares
 * PostgreSQL, Redis and node_modules first).
 *
 * Set-up: a fresh database bench_<random> on TEST_DATABASE_URL's server, a
 * FakeSlackApi (test/fakes) with a bot token and four users, the real Clout
 * server as a child process (`tsx app/main.ts serve`, NODE_ENV=production)
 * and a bare Fastify server as another child process. The workspace, its
 * members and 20 campaigns are created through signed `/clout` commands, the
 * way a Slack team would.
 *
 * Load: autocannon (in this process, never in a server's) sends `/clout
 * campaign list` and `/clout campaign show 1`, alternating, each freshly
 * signed with the current timestamp and a unique trigger_id (Clout dedupes on
 * trigger_id, so a repeated one would measure the dedupe path), at each
 * concurrency level, first to Clout and then to the baseline with the same
 * kind of bodies. Latencies are recorded per response (sub-millisecond).
 *
 * Clean-up, also on Ctrl-C: both servers stopped, the fake stopped, the queue
 * keys deleted from Redis, the database dropped.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdirSync, readdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { createServer } from "node:net";
import { cpus } from "node:os";
import { resolve } from "node:path";
import { parseArgs } from "node:util";
import pg from "pg";
import { FakeSlackApi } from "../../test/fakes/slack-api.ts";
import { cleanupOnExit } from "./lib/cleanup.ts";
import { deleteKeys } from "./lib/redis-keys.ts";
import { SlackRequests, type SlackRequest } from "../../test/fakes/slack-requests.ts";

const ROOT = resolve(import.meta.dirname, "../..");
const USAGE = `usage: scripts/bench/slack-ack [options]

  --duration S     seconds of load per level and target (default 8)
  --levels LIST    connection counts, comma-separated (default 1,50,100,200)
  --warmup S       seconds of warm-up per target before the first level (default 2; 0: none)
  --rate N         cap the load at N requests/s overall (default: none, closed loop)
  --target MS      the p99 target at the highest level (default 100)
  --profile DIR    write Clout's V8 CPU profile (.cpuprofile) into DIR
  --help           this text

Environment: TEST_DATABASE_URL, TEST_REDIS_URL (set by the shell wrapper),
DATABASE_POOL_SIZE (passed to Clout when set).`;

// ---------------------------------------------------------------------------
// Options

function fail(message: string): never {
  process.stderr.write(`slack-ack: ${message}\n`);
  process.exit(2);
}

const { values: flags } = (() => {
  try {
    return parseArgs({
      options: {
        duration: { type: "string", default: "8" },
        levels: { type: "string", default: "1,50,100,200" },
        warmup: { type: "string", default: "2" },
        rate: { type: "string" },
        target: { type: "string", default: "100" },
        profile: { type: "string" },
        help: { type: "boolean", default: false },
      },
    });
  } catch (err) {
    fail(`${(err as Error).message}\n${USAGE}`);
  }
})();
if (flags.help) {
  process.stdout.write(`${USAGE}\n`);
  process.exit(0);
}
const positive = (name: string, v: string, min = 1): number => {
  const n = Number(v);
  if (!Number.isFinite(n) || n < min) fail(`--${name} must be a number ≥ ${min} (got "${v}")`);
  return n;
};
const DURATION = positive("duration", flags.duration, 1);
const WARMUP = positive("warmup", flags.warmup, 0);
const TARGET_MS = positive("target", flags.target, 1);
const RATE = flags.rate === undefined ? 0 : positive("rate", flags.rate, 1);
const LEVELS = flags.levels.split(",").map((s) => Math.round(positive("levels", s.trim(), 1)));
const PROFILE_DIR = flags.profile ? resolve(flags.profile) : undefined;

const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";
const TEST_REDIS_URL = process.env.TEST_REDIS_URL ?? "redis://127.0.0.1:6379";

// ---------------------------------------------------------------------------
// Small helpers

const log = (s: string) => process.stderr.write(`slack-ack: ${s}\n`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Thrown when the benchmark itself cannot go on (exit 1 after clean-up). */
class BenchError extends Error {}

const { add: onCleanup, cleanup } = cleanupOnExit(log);

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

/** A child process in its own process group, with the last lines of its output kept for error messages. */
interface Child {
  name: string;
  proc: ChildProcess;
  pid: number;
  tail: string[];
  /** Output lines in total (Clout logs only warnings and errors here). */
  lines: number;
  exited: Promise<number | null>;
}

function startChild(name: string, command: string, args: string[], env: NodeJS.ProcessEnv): Child {
  const proc = spawn(command, args, { cwd: ROOT, env, detached: true, stdio: ["ignore", "pipe", "pipe"] });
  const child: Child = {
    name,
    proc,
    pid: proc.pid!,
    tail: [],
    lines: 0,
    exited: new Promise((r) => proc.once("exit", (code, signal) => r(code ?? (signal ? -1 : null)))),
  };
  for (const stream of [proc.stdout!, proc.stderr!]) {
    let partial = "";
    stream.setEncoding("utf8");
    stream.on("data", (chunk: string) => {
      const parts = (partial + chunk).split("\n");
      partial = parts.pop()!;
      for (const line of parts) {
        if (!line.trim()) continue;
        child.lines++;
        child.tail.push(line);
        if (child.tail.length > 40) child.tail.shift();
      }
    });
  }
  return child;
}

/** SIGTERM to the leader (tsx relays it, Clout shuts down gracefully and writes its profile), then SIGKILL to the whole group. */
async function stopChild(child: Child, graceMs = 15_000): Promise<void> {
  if (child.proc.exitCode !== null || child.proc.signalCode !== null) return killGroup(child);
  child.proc.kill("SIGTERM");
  const done = await Promise.race([child.exited.then(() => true), sleep(graceMs).then(() => false)]);
  if (!done) log(`${child.name} did not stop within ${graceMs / 1000} s; killing it`);
  killGroup(child);
}

function killGroup(child: Child): void {
  try {
    process.kill(-child.pid, "SIGKILL");
  } catch {
    // already gone
  }
}

async function waitForHealth(child: Child, url: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = "no answer";
  while (Date.now() < deadline) {
    if (child.proc.exitCode !== null || child.proc.signalCode !== null) {
      throw new BenchError(`${child.name} exited (${child.proc.exitCode ?? child.proc.signalCode}) before ${url} answered:\n${child.tail.join("\n")}`);
    }
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(2_000) });
      if (res.status === 200) return;
      last = `HTTP ${res.status} ${(await res.text()).slice(0, 300)}`;
    } catch (err) {
      last = (err as Error).message;
    }
    await sleep(250);
  }
  throw new BenchError(`${child.name}: ${url} did not answer 200 within ${timeoutMs / 1000} s (last: ${last})\n${child.tail.join("\n")}`);
}

/** CPU seconds (user + system) per process, from /proc; empty where there is no /proc. */
function cpuByPid(): Map<number, { ppid: number; comm: string; cpu: number }> {
  const out = new Map<number, { ppid: number; comm: string; cpu: number }>();
  let pids: string[];
  try {
    pids = readdirSync("/proc").filter((d) => /^\d+$/.test(d));
  } catch {
    return out;
  }
  const tick = 100; // USER_HZ on Linux
  for (const p of pids) {
    try {
      const stat = readFileSync(`/proc/${p}/stat`, "utf8");
      const close = stat.lastIndexOf(")");
      const comm = stat.slice(stat.indexOf("(") + 1, close);
      const f = stat.slice(close + 2).split(" ");
      out.set(Number(p), { ppid: Number(f[1]), comm, cpu: (Number(f[11]) + Number(f[12])) / tick });
    } catch {
      // exited meanwhile
    }
  }
  return out;
}

/** Cores used per group of processes between two snapshots. */
function coresUsed(
  before: ReturnType<typeof cpuByPid>,
  after: ReturnType<typeof cpuByPid>,
  seconds: number,
  groups: Record<string, (pid: number, comm: string, table: ReturnType<typeof cpuByPid>) => boolean>,
): Record<string, number> {
  const result: Record<string, number> = Object.fromEntries(Object.keys(groups).map((g) => [g, 0]));
  for (const [pid, a] of after) {
    const b = before.get(pid);
    const delta = a.cpu - (b?.cpu ?? 0);
    if (delta <= 0) continue;
    for (const [g, match] of Object.entries(groups)) {
      if (match(pid, a.comm, after)) {
        result[g]! += delta / seconds;
        break;
      }
    }
  }
  return result;
}

const descendsFrom = (root: number) => (pid: number, _comm: string, table: ReturnType<typeof cpuByPid>) => {
  for (let p: number | undefined = pid, hops = 0; p && hops < 20; p = table.get(p)?.ppid, hops++) if (p === root) return true;
  return false;
};

// ---------------------------------------------------------------------------
// Slack side

const SIGNING_SECRET = randomBytes(16).toString("hex");
const BOT_TOKEN = `xoxb-bench-${randomBytes(8).toString("hex")}`;
const TEAM = "T0BENCH01";
const USERS = {
  owner: { id: "UBOWNER01", name: "olivia", realName: "Olivia Owner", locale: "en-US" },
  admin: { id: "UBADMIN01", name: "adam", realName: "Adam Admin", locale: "en-GB" },
  manager: { id: "UBMANAGR1", name: "maria", realName: "Maria Manager", locale: "en-US" },
  analyst: { id: "UBANALYS1", name: "ana", realName: "Ana Analyst", locale: "en-US" },
} as const;
const LOAD_USERS = Object.values(USERS);
const CAMPAIGNS = 20;
const campaignName = (n: number) => `Bench Campaign ${String(n).padStart(2, "0")}`;
const LOAD_COMMANDS = ["campaign list", "campaign show 1"] as const;
/** What each load command's ack must contain to count as the real answer (checked during seeding, counted under load). */
const EXPECT: Record<(typeof LOAD_COMMANDS)[number], string> = {
  "campaign list": campaignName(CAMPAIGNS),
  "campaign show 1": `${campaignName(1)} (#1)`,
};

// ---------------------------------------------------------------------------
// Load generation (autocannon: programmatic API; it has no bundled types, hence the local shapes)

interface AutocannonRequest {
  method?: string;
  path?: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
  setupRequest?: (req: AutocannonRequest, context: object) => AutocannonRequest;
  onResponse?: (status: number, body: string, context: object) => void;
}
interface AutocannonResult {
  duration: number;
  errors: number;
  timeouts: number;
  non2xx: number;
  requests: { total: number; sent: number };
  statusCodeStats: Record<string, { count: number }>;
}
interface AutocannonInstance {
  on(event: "response", fn: (client: unknown, status: number, bytes: number, ms: number) => void): void;
  on(event: "done", fn: (r: AutocannonResult) => void): void;
  stop(): void;
}
type Autocannon = ((opts: Record<string, unknown>, cb: (err: Error | null, r: AutocannonResult) => void) => AutocannonInstance) & {
  track?: unknown;
};
const autocannon = createRequire(import.meta.url)("autocannon") as Autocannon;

interface RunResult {
  target: "clout" | "baseline";
  /** The level asked for (--levels). */
  level: number;
  /** Connections autocannon really opened (fewer than the level when --rate is lower). */
  connections: number;
  requests: number;
  seconds: number;
  rps: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
  non2xx: number;
  errors: number;
  /** Clout only: 2xx acks that were not the command's answer (an error reply, "working on it", a dedupe). */
  wrongBody: number;
  /** Clout only: acks that said "working on it"; their answers came through response_url. */
  deferred: number;
  /** Clout only: deferred answers that reached response_url, and how long after the run the last one did. */
  drained?: { answered: number; seconds: number };
  statusCodes: Record<string, number>;
  cores: Record<string, number>;
  /** Clout only: PostgreSQL transactions committed per request (statements outside a transaction count one each). */
  pgPerRequest?: number;
  /** Clout only: users.info calls the fake Slack API saw during the run. */
  usersInfo?: number;
}

function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i]!;
}

/** Every request gets a response_url of its own, as Slack gives; a deferred answer arrives there. */
let responseSeq = 0;

function loadRequests(slack: SlackRequests, responseUrl: (id: string) => string, check: boolean, counters: { wrong: number; deferred: number }): AutocannonRequest[] {
  let seq = 0;
  return LOAD_COMMANDS.map((text) => ({
    method: "POST",
    path: "/slack/events",
    // Called before every request: a fresh timestamp, signature and trigger_id each time.
    setupRequest: (req: AutocannonRequest) => {
      const user = LOAD_USERS[seq++ % LOAD_USERS.length]!;
      const signed: SlackRequest = slack.slashCommand({ text, teamId: TEAM, userId: user.id, userName: user.name, channelId: "C0BENCH01", responseUrl: responseUrl(`load-${++responseSeq}`) });
      return { ...req, headers: signed.headers, body: signed.body };
    },
    ...(check
      ? {
          onResponse: (status: number, body: string) => {
            if (status < 200 || status >= 300) return;
            // Past a few commands in flight Clout acks "working on it" and answers through response_url.
            if (body.includes("Working on it")) counters.deferred++;
            else if (!body.includes(EXPECT[text])) counters.wrong++;
          },
        }
      : {}),
  }));
}

async function runLoad(o: {
  target: RunResult["target"];
  url: string;
  connections: number;
  seconds: number;
  slack: SlackRequests;
  responseUrl: (id: string) => string;
  check: boolean;
}): Promise<Omit<RunResult, "cores">> {
  const counters = { wrong: 0, deferred: 0 };
  const latencies: number[] = [];
  const result = await new Promise<AutocannonResult>((res, rej) => {
    const instance = autocannon(
      {
        url: o.url,
        connections: o.connections,
        duration: o.seconds,
        timeout: 10,
        ...(RATE ? { overallRate: RATE } : {}),
        requests: loadRequests(o.slack, o.responseUrl, o.check, counters),
      },
      (err, r) => (err ? rej(err) : res(r)),
    );
    instance.on("response", (_client, _status, _bytes, ms) => latencies.push(ms));
  });
  const sorted = Float64Array.from(latencies).sort();
  const requests = result.requests.total;
  return {
    target: o.target,
    level: o.connections,
    // autocannon opens no more connections than the --rate (each sends at least one request a second).
    connections: RATE && RATE < o.connections ? RATE : o.connections,
    requests,
    seconds: result.duration,
    rps: requests / result.duration,
    p50: percentile(sorted, 50),
    p90: percentile(sorted, 90),
    p99: percentile(sorted, 99),
    max: sorted.length ? sorted[sorted.length - 1]! : NaN,
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
    wrongBody: counters.wrong,
    deferred: counters.deferred,
    statusCodes: Object.fromEntries(Object.entries(result.statusCodeStats ?? {}).map(([k, v]) => [k, v.count])),
  };
}

// ---------------------------------------------------------------------------
// The bare Fastify baseline: same Fastify, same raw-string body handling as Clout's Slack route, nothing else.

const BASELINE_SCRIPT = `
const app = require("fastify")({ logger: false });
app.removeAllContentTypeParsers();
app.addContentTypeParser("*", { parseAs: "string", bodyLimit: 1048576 }, (_req, body, done) => done(null, body));
app.post("/slack/events", async () => ({}));
app.get("/health", async () => ({ status: "ok" }));
app.listen({ port: Number(process.env.PORT), host: "127.0.0.1" }).catch((err) => { console.error(err); process.exit(1); });
for (const s of ["SIGINT", "SIGTERM"]) process.once(s, () => app.close().then(() => process.exit(0)));
`;

// ---------------------------------------------------------------------------
// Output

const fmt = (n: number, digits = 1) => (Number.isFinite(n) ? n.toFixed(digits) : "-");

function printTable(results: RunResult[]): void {
  const header = ["target", "conns", "requests", "req/s", "p50 ms", "p90 ms", "p99 ms", "max ms", "non-2xx", "errors", "wrong body", "pg xact/req", "cpu: clout+base / pg / redis / gen"];
  const rows = results.map((r) => [
    r.target,
    String(r.connections),
    String(r.requests),
    fmt(r.rps, 0),
    fmt(r.p50, 2),
    fmt(r.p90, 2),
    fmt(r.p99, 2),
    fmt(r.max, 1),
    String(r.non2xx),
    String(r.errors),
    r.target === "clout" ? String(r.wrongBody) : "-",
    r.pgPerRequest === undefined ? "-" : fmt(r.pgPerRequest, 1),
    `${fmt((r.cores.clout ?? 0) + (r.cores.baseline ?? 0), 2)} / ${fmt(r.cores.postgres ?? 0, 2)} / ${fmt(r.cores.redis ?? 0, 2)} / ${fmt(r.cores.generator ?? 0, 2)}`,
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => (i < 2 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join("  ");
  console.log(line(header));
  console.log(widths.map((w) => "-".repeat(w)).join("  "));
  let previous: number | undefined;
  for (const [i, r] of rows.entries()) {
    if (previous !== undefined && results[i]!.level !== previous) console.log("");
    previous = results[i]!.level;
    console.log(line(r));
  }
}

// ---------------------------------------------------------------------------
// Main

async function main(): Promise<number> {
  const id = randomBytes(4).toString("hex");
  const dbName = `bench_${id}`;
  const prefix = `bench-${id}`;
  const benchDbUrl = (() => {
    const u = new URL(TEST_DATABASE_URL);
    u.pathname = `/${dbName}`;
    return u.toString();
  })();
  const admin = async <T>(fn: (c: pg.Client) => Promise<T>): Promise<T> => {
    const c = new pg.Client({ connectionString: TEST_DATABASE_URL });
    await c.connect();
    try {
      return await fn(c);
    } finally {
      await c.end();
    }
  };

  // 1. A fresh database (Clout migrates it at start-up).
  log(`creating database ${dbName}`);
  await admin((c) => c.query(`CREATE DATABASE "${dbName}"`));
  onCleanup(`drop database ${dbName}`, () => admin((c) => c.query(`DROP DATABASE IF EXISTS "${dbName}" WITH (FORCE)`)));

  // Queue keys go last in the list so they are deleted after Clout (whose workers would recreate them) has stopped.
  onCleanup(`delete Redis keys ${prefix}:*`, async () => log(`deleted ${await deleteKeys(TEST_REDIS_URL, prefix)} Redis keys under ${prefix}:`));

  // 2. The fake Slack Web API.
  const api = new FakeSlackApi({
    tokens: { [BOT_TOKEN]: { teamId: TEAM, userId: "UBENCHBOT", botId: "BBENCHBOT", teamName: "Clout Bench" } },
    users: Object.fromEntries(Object.values(USERS).map((u) => [u.id, { name: u.name, realName: u.realName, locale: u.locale, teamId: TEAM }])),
  });
  await api.start();
  onCleanup("stop the fake Slack API", () => api.stop());
  const responseUrl = (id: string) => api.responseUrl(id);

  // 3. Clout, for real, as a child process.
  const [cloutPort, basePort] = [await freePort(), await freePort()];
  const basics = { PATH: process.env.PATH ?? "/usr/bin:/bin", HOME: process.env.HOME ?? "/tmp", LANG: process.env.LANG ?? "C.UTF-8" };
  const cloutEnv: NodeJS.ProcessEnv = {
    ...basics,
    DATABASE_URL: benchDbUrl,
    REDIS_URL: TEST_REDIS_URL,
    QUEUE_PREFIX: prefix,
    PORT: String(cloutPort),
    HOST: "127.0.0.1",
    LOG_LEVEL: "warn",
    NODE_ENV: "production",
    // Four members sending thousands of commands a second is the load, not abuse: the ack path is what is measured.
    RATE_LIMITS: "off",
    CLOUT_SECRET: randomBytes(36).toString("base64url"),
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_BOT_TOKEN: BOT_TOKEN,
    SLACK_API_URL: api.url,
    ...(process.env.DATABASE_POOL_SIZE ? { DATABASE_POOL_SIZE: process.env.DATABASE_POOL_SIZE } : {}),
  };
  // Node refuses --cpu-prof in NODE_OPTIONS, so a profiled Clout runs as `node --cpu-prof --import tsx` (what the tsx CLI does in a child anyway).
  if (PROFILE_DIR) mkdirSync(PROFILE_DIR, { recursive: true });
  const [cloutCmd, cloutArgs] = PROFILE_DIR
    ? [process.execPath, ["--cpu-prof", `--cpu-prof-dir=${PROFILE_DIR}`, "--import", "tsx", "app/main.ts", "serve"]]
    : [resolve(ROOT, "node_modules/.bin/tsx"), ["app/main.ts", "serve"]];
  log(`starting Clout on 127.0.0.1:${cloutPort} (${PROFILE_DIR ? "node --cpu-prof --import tsx" : "tsx"} app/main.ts serve)`);
  // Production shape: the app acknowledges, a separate worker process runs the queued commands.
  const clout = startChild("Clout", cloutCmd, cloutArgs, { ...cloutEnv, RUN_WORKERS: "false" });
  onCleanup("stop Clout", () => stopChild(clout));
  // On a machine this small the worker shares the cores with the app; `nice` stands in for the worker's own machine.
  const worker = startChild("worker", "nice", ["-n", "19", resolve(ROOT, "node_modules/.bin/tsx"), "app/main.ts", "worker"], { ...cloutEnv, PORT: "0" });
  onCleanup("stop the worker", () => stopChild(worker));
  const cloutBase = `http://127.0.0.1:${cloutPort}`;
  await waitForHealth(clout, `${cloutBase}/health`, 90_000);

  // 4. The baseline.
  log(`starting the bare Fastify baseline on 127.0.0.1:${basePort}`);
  const baseline = startChild("baseline", process.execPath, ["-e", BASELINE_SCRIPT], { ...basics, PORT: String(basePort), NODE_ENV: "production" });
  onCleanup("stop the baseline", () => stopChild(baseline, 5_000));
  const baseUrl = `http://127.0.0.1:${basePort}`;
  await waitForHealth(baseline, `${baseUrl}/health`, 20_000);

  // 5. Seed through Slack, as a team would: the owner creates the workspace, adds the others by mention, creates campaigns.
  const slack = new SlackRequests({ signingSecret: SIGNING_SECRET });
  let seedSeq = 0;
  const command = async (who: (typeof USERS)[keyof typeof USERS], text: string) => {
    const id = `seed-${++seedSeq}`;
    const req = slack.slashCommand({ text, teamId: TEAM, userId: who.id, userName: who.name, channelId: "C0BENCH01", responseUrl: responseUrl(id) });
    const res = await fetch(`${cloutBase}/slack/events`, { method: "POST", headers: req.headers, body: req.body });
    let body = await res.text();
    // A process still warming up queues commands and answers through response_url.
    if (body.includes("Working on it")) body = JSON.stringify((await api.waitForResponse((r) => r.id === id, 30_000)).body);
    return { status: res.status, body, json: body ? (JSON.parse(body) as { response_type?: string; text?: string }) : undefined };
  };
  const must = async (who: (typeof USERS)[keyof typeof USERS], text: string) => {
    const r = await command(who, text);
    if (r.status !== 200 || r.json?.response_type !== "in_channel") {
      throw new BenchError(`seeding: "/clout ${text}" by ${who.name} was not a success (HTTP ${r.status}): ${r.body.slice(0, 500)}`);
    }
  };
  log(`seeding: workspace, 4 members, ${CAMPAIGNS} campaigns (through signed /clout commands)`);
  await must(USERS.owner, 'workspace create "Bench Brand" --currency USD');
  await must(USERS.owner, `member add <@${USERS.admin.id}|${USERS.admin.name}> --role admin`);
  await must(USERS.owner, `member add <@${USERS.manager.id}|${USERS.manager.name}> --role manager`);
  await must(USERS.owner, `member add <@${USERS.analyst.id}|${USERS.analyst.name}> --role analyst`);
  for (let n = 1; n <= CAMPAIGNS; n++) {
    const who = n % 2 ? USERS.owner : USERS.manager;
    await must(who, `campaign create "${campaignName(n)}" --budget ${1000 * n} --currency USD --start 2026-07-01 --end 2026-09-30 --objective ${["awareness", "engagement", "sales"][n % 3]}`);
  }
  // Campaign 1 gets a history (shown by `campaign show`): submitted and approved.
  await must(USERS.manager, "campaign submit 1");
  await must(USERS.admin, "campaign approve 1");

  // Every load user gets the real answer to both load commands (this also fills Clout's users.info cache).
  const sizes: Record<string, number> = {};
  for (const user of LOAD_USERS) {
    for (const text of LOAD_COMMANDS) {
      const r = await command(user, text);
      if (r.status !== 200 || !r.body.includes(EXPECT[text])) {
        throw new BenchError(`seeding check: "/clout ${text}" by ${user.name} did not answer with "${EXPECT[text]}" (HTTP ${r.status}): ${r.body.slice(0, 500)}`);
      }
      sizes[text] = r.body.length;
    }
  }
  log(`ack sizes: ${LOAD_COMMANDS.map((t) => `"${t}" ${sizes[t]} bytes`).join(", ")}`);

  // 6. Load.
  const statsAdmin = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await statsAdmin.connect();
  onCleanup("close the stats connection", () => statsAdmin.end());
  const pgXacts = async () =>
    Number((await statsAdmin.query<{ x: string }>("SELECT xact_commit + xact_rollback AS x FROM pg_stat_database WHERE datname = $1", [dbName])).rows[0]?.x ?? 0);

  const groups = {
    clout: (pid: number, comm: string, table: ReturnType<typeof cpuByPid>) => descendsFrom(clout.pid)(pid, comm, table) || descendsFrom(worker.pid)(pid, comm, table),
    baseline: descendsFrom(baseline.pid),
    postgres: (_p: number, comm: string) => comm === "postgres" || comm.startsWith("postgres:"),
    redis: (_p: number, comm: string) => comm.startsWith("redis-server"),
    generator: (pid: number) => pid === process.pid,
  };
  const targets = [
    { target: "clout" as const, url: `${cloutBase}/slack/events` },
    { target: "baseline" as const, url: `${baseUrl}/slack/events` },
  ];

  if (WARMUP > 0) {
    for (const t of targets) {
      log(`warm-up: ${t.target}, 10 connections, ${WARMUP} s`);
      await runLoad({ ...t, connections: 10, seconds: WARMUP, slack, responseUrl, check: false });
    }
  }

  const results: RunResult[] = [];
  for (const connections of LEVELS) {
    for (const t of targets) {
      await sleep(1_000);
      log(`${t.target}: ${connections} connection(s), ${DURATION} s${RATE ? `, capped at ${RATE} req/s` : ""}`);
      const cpuBefore = cpuByPid();
      const xactBefore = t.target === "clout" ? await pgXacts() : 0;
      const infoBefore = api.callsTo("users.info").length;
      const started = performance.now();
      const seqBefore = responseSeq;
      const r = await runLoad({ ...t, connections, seconds: DURATION, slack, responseUrl, check: t.target === "clout" });
      const cores = coresUsed(cpuBefore, cpuByPid(), (performance.now() - started) / 1000, groups);
      const row: RunResult = { ...r, cores };
      if (t.target === "clout") {
        row.usersInfo = api.callsTo("users.info").length - infoBefore;
        // The deferred commands still run after the load stops; wait for their answers.
        const drainStart = performance.now();
        const answered = () => api.responses.filter((x) => x.id.startsWith("load-") && Number(x.id.slice(5)) > seqBefore).length;
        while (answered() < r.deferred && performance.now() - drainStart < 120_000) await sleep(250);
        row.drained = { answered: answered(), seconds: (performance.now() - drainStart) / 1000 };
        // PostgreSQL publishes a backend's counters within a second of it going idle.
        await sleep(1_500);
        row.pgPerRequest = r.requests ? ((await pgXacts()) - xactBefore) / r.requests : undefined;
      }
      results.push(row);
      if (clout.proc.exitCode !== null || clout.proc.signalCode !== null) throw new BenchError(`Clout exited during the load:\n${clout.tail.join("\n")}`);
    }
  }

  // 7. Report.
  console.log("");
  console.log(
    `slack-ack: /clout campaign list | campaign show 1 (alternating), ${DURATION} s per run${RATE ? `, capped at ${RATE} req/s` : ", closed loop"}; ` +
      `ack bytes ${LOAD_COMMANDS.map((t) => sizes[t]).join("/")}; node ${process.version}, ${cpus().length} CPU(s)`,
  );
  console.log("");
  printTable(results);
  console.log("");
  console.log("Clout vs baseline per level:");
  for (const connections of LEVELS) {
    const c = results.find((r) => r.target === "clout" && r.level === connections)!;
    const b = results.find((r) => r.target === "baseline" && r.level === connections)!;
    console.log(
      `  ${String(connections).padStart(4)} conns: p99 ${fmt(c.p99, 2)} / ${fmt(b.p99, 2)} ms = ${fmt(c.p99 / b.p99, 1)}x   ` +
        `throughput ${fmt(c.rps, 0)} / ${fmt(b.rps, 0)} req/s = ${fmt(c.rps / b.rps, 3)}x   users.info calls: ${c.usersInfo ?? 0}   ` +
          `deferred ${c.deferred} (answered ${c.drained?.answered ?? 0}, last ${fmt(c.drained?.seconds ?? 0, 1)} s after the run)`,
    );
  }
  const statusLines = results.filter((r) => Object.keys(r.statusCodes).some((s) => !s.startsWith("2")));
  for (const r of statusLines) console.log(`  ${r.target} @${r.connections}: status codes ${JSON.stringify(r.statusCodes)}`);
  if (clout.lines > 0) {
    console.log(`\nClout logged ${clout.lines} warning/error line(s); the last ones:`);
    for (const l of clout.tail.slice(-10)) console.log(`  ${l.slice(0, 400)}`);
  }

  const top = Math.max(...LEVELS);
  const at = results.find((r) => r.target === "clout" && r.level === top)!;
  console.log("");
  if (RATE) console.log(`slack-ack: the load was capped at ${RATE} req/s (autocannon sends each connection's share at the start of every second: bursts, not a steady stream)`);
  console.log(`slack-ack: p99 at ${top} concurrent = ${fmt(at.p99, 1)} ms (target < ${TARGET_MS} ms): ${at.p99 < TARGET_MS ? "PASS" : "FAIL"}`);

  // The benchmark is broken (not merely slow) when requests fail outright.
  const broken = results.filter((r) => (r.errors + r.non2xx) / Math.max(1, r.requests + r.errors) > 0.01);
  if (broken.length) {
    log(`the benchmark broke: more than 1% of requests failed in ${broken.map((r) => `${r.target}@${r.connections} (${r.errors} errors, ${r.non2xx} non-2xx of ${r.requests})`).join(", ")}`);
    return 1;
  }
  return 0;
}

let code = 1;
try {
  code = await main();
} catch (err) {
  log(err instanceof BenchError ? err.message : `failed: ${(err as Error).stack ?? err}`);
  code = 1;
} finally {
  await cleanup();
  if (PROFILE_DIR) log(`CPU profiles in ${PROFILE_DIR}`);
}
process.exit(code);
