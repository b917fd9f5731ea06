/**
 * `scripts/dev --script FILE` end to end: the real entry point in a child
 * process, on embedded PGlite under a fresh DATA_DIR (no DATABASE_URL) and the
 * test Redis. Each spawn boots tsx + PGlite (several seconds), so the file keeps
 * to six of them and the runs build on each other in order, on one data dir.
 */
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { Redis } from "ioredis";
import { afterAll, describe, expect, it } from "vitest";
import { TEST_REDIS_URL } from "../support/env.ts";

const ROOT = resolve(import.meta.dirname, "../..");
const TSX = join(ROOT, "node_modules/.bin/tsx");
const SPAWN_TIMEOUT = 50_000;
const TEST_TIMEOUT = 60_000;

const tmp = mkdtempSync(join(tmpdir(), "clout-script-"));
const dataDir = join(tmp, "data");
const queuePrefix = `test-script-${randomBytes(4).toString("hex")}`;

afterAll(async () => {
  rmSync(tmp, { recursive: true, force: true });
  // The children's BullMQ keys live under their own prefix; leave Redis as we found it.
  const redis = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: 1 });
  try {
    let cursor = "0";
    do {
      const [next, keys] = await redis.scan(cursor, "MATCH", `${queuePrefix}:*`, "COUNT", 500);
      if (keys.length) await redis.del(...keys);
      cursor = next;
    } while (cursor !== "0");
  } finally {
    redis.disconnect();
  }
});

interface Run {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  ms: number;
}

/** Only what the app needs: no DATABASE_URL (so PGlite), nothing from the developer's shell. */
function childEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const pass = ["PATH", "HOME", "TMPDIR", "LANG", "TZ"] as const;
  const env: NodeJS.ProcessEnv = {};
  for (const k of pass) if (process.env[k] !== undefined) env[k] = process.env[k];
  return { ...env, DATA_DIR: dataDir, REDIS_URL: TEST_REDIS_URL, QUEUE_PREFIX: queuePrefix, LOG_LEVEL: "silent", NO_COLOR: "1", ...extra };
}

function clout(args: string[], env = childEnv()): Promise<Run> {
  const started = Date.now();
  return new Promise((done, fail) => {
    const child = spawn(TSX, ["app/main.ts", ...args], { cwd: ROOT, env, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (d: string) => (stdout += d));
    child.stderr.setEncoding("utf8").on("data", (d: string) => (stderr += d));
    const timer = setTimeout(() => child.kill("SIGKILL"), SPAWN_TIMEOUT);
    child.on("error", (err) => {
      clearTimeout(timer);
      fail(err);
    });
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      done({ code, signal, stdout, stderr, ms: Date.now() - started });
    });
  });
}

let scripts = 0;
function script(lines: string[]): string {
  const file = join(tmp, `script-${++scripts}.txt`);
  writeFileSync(file, `${lines.join("\n")}\n`);
  return file;
}

const runScript = (lines: string[], as?: string) => clout(["dev", "--script", script(lines), ...(as ? ["--as", as] : [])]);

/** Echoed command lines, in order. */
const echoes = (out: string) => out.split("\n").filter((l) => l.startsWith("> "));

/** What a user must never see: a JavaScript stack trace or a raw error name. */
function expectNoStackTrace(run: Run) {
  for (const stream of [run.stdout, run.stderr]) {
    expect(stream).not.toMatch(/^\s+at\s/m);
    expect(stream).not.toMatch(/\w*Error:/);
  }
}

/** Why a run did not do what was expected, in the assertion message. */
const why = (r: Run) => `exit ${r.code} (signal ${r.signal}) after ${r.ms} ms\n--- stdout\n${r.stdout}\n--- stderr\n${r.stderr}`;

const DAY = 86_400_000;
const isoDay = (offsetDays: number) => new Date(Date.now() + offsetDays * DAY).toISOString().slice(0, 10);
const START = isoDay(30);
const END = isoDay(60);
const CREATE = `campaign create "Summer Launch" --budget 15000 --currency USD --start ${START} --end ${END} --objective sales`;

describe("scripts/dev --script on embedded PGlite", () => {
  it(
    "runs each line as the demo owner, skipping blank lines and # comments, and exits 0",
    async () => {
      const run = await runScript(["# a launch for the summer", "", CREATE, "   ", "  # indented comment", "campaign list", ""]);
      expect(run.code, why(run)).toBe(0);
      expect(echoes(run.stdout)).toEqual([`> ${CREATE}`, "> campaign list"]);
      expect(run.stdout).not.toContain("comment");
      expect(run.stdout).toContain("✔ Campaign Summer Launch (#2) created");
      expect(run.stdout).toContain(`Dates: ${START} → ${END}`);
      // The list after the create: the new draft and the seeded campaign #1.
      const list = run.stdout.slice(run.stdout.indexOf("> campaign list"));
      expect(list).toContain("Campaigns in Demo Brand (2)");
      expect(list).toMatch(/^2\s+Summer Launch\s+draft\s+\$15,000\.00/m);
      expect(list).toMatch(/^1\s+Holiday Glow\s+active\s/m);
      expect(run.stderr).toBe("");
      expectNoStackTrace(run);
      // A clean exit closes the embedded database and gives the folder back.
      expect(existsSync(join(dataDir, "pglite"))).toBe(true);
      expect(existsSync(join(dataDir, "pglite.lock"))).toBe(false);
    },
    TEST_TIMEOUT,
  );

  it(
    "keeps the data across a restart on the same DATA_DIR, and prints approvers' notifications before the next line",
    async () => {
      const run = await runScript(["campaign list", "campaign submit 2", "campaign show 2"], "Carla Mendes");
      expect(run.code, why(run)).toBe(0);

      // Persistence: the second process sees the first one's campaign, once (the seed did not run again).
      const list = run.stdout.slice(0, run.stdout.indexOf("> campaign submit 2"));
      expect(list).toContain("Campaigns in Demo Brand (2)");
      expect(list).toMatch(/^2\s+Summer Launch\s+draft\s/m);

      // Notifications: the approvers (owner Ana, admin Ben) hear of the submission, and their
      // lines land between the submit and the next command's echo.
      const submit = run.stdout.indexOf("> campaign submit 2");
      const next = run.stdout.indexOf("> campaign show 2");
      expect(submit).toBeGreaterThanOrEqual(0);
      expect(next).toBeGreaterThan(submit);
      const between = run.stdout.slice(submit, next);
      expect(between).toContain("moved from draft to submitted");
      expect(between).toContain("🔔 Ana Souza: Carla Mendes submitted Summer Launch (#2) for approval.");
      expect(between).toContain("🔔 Ben Otieno: Carla Mendes submitted Summer Launch (#2) for approval.");
      // Not the actor herself, and not people who can't approve.
      expect(run.stdout).not.toContain("🔔 Carla Mendes");
      expect(run.stdout).not.toContain("🔔 Dev Patel");
      expect(run.stdout.match(/🔔/g)).toHaveLength(2);

      expect(run.stdout.slice(next)).toContain("Summer Launch (#2)");
      expect(run.stdout.slice(next)).toContain("Status: submitted");
      expect(run.stderr).toBe("");
    },
    TEST_TIMEOUT,
  );

  it(
    "runs every line even when some fail, prints each error as a message, and exits 1",
    async () => {
      const run = await runScript(["campaign approve 1", "frobnicate now", "campaign show 1"]);
      expect(run.code, why(run)).toBe(1);
      expect(echoes(run.stdout)).toEqual(["> campaign approve 1", "> frobnicate now", "> campaign show 1"]);
      const [approve, unknown, show] = run.stdout.split(/^> .*$/m).slice(1);
      // #1 is active: an illegal transition, told with the way forward.
      expect(approve).toContain("✖ Holiday Glow is active, so it can't be approved.");
      expect(unknown).toContain("✖ There is no command `frobnicate");
      // The line after the failures still ran.
      expect(show).toContain("Holiday Glow (#1)");
      expect(show).toContain("Status: active");
      expectNoStackTrace(run);
      expect(run.stderr).toBe("");
    },
    TEST_TIMEOUT,
  );

  it(
    "--as an analyst: campaign create is refused with the roles that may, nothing is created, exit 1",
    async () => {
      const run = await runScript([CREATE.replace("Summer Launch", "Analyst Attempt"), "campaign list"], "Dev Patel");
      expect(run.code, why(run)).toBe(1);
      const [create, list] = run.stdout.split(/^> .*$/m).slice(1);
      expect(create).toContain("✖ `campaign create` is for owner, admin, manager; you are analyst.");
      expect(list).toContain("Campaigns in Demo Brand (2)");
      expect(list).not.toContain("Analyst Attempt");
      expectNoStackTrace(run);
    },
    TEST_TIMEOUT,
  );

  let nobody: Run | undefined;
  it(
    "--as someone who is not a member: exit 2 with one line, and no command runs",
    async () => {
      nobody = await runScript(["campaign list"], "Nobody");
      expect(nobody.code, why(nobody)).toBe(2);
      expect(nobody.stderr).toBe('clout: no member called "Nobody" in workspace "demo"\n');
      expect(nobody.stdout).toBe("");
    },
    TEST_TIMEOUT,
  );

  it("--as someone who is not a member: the embedded database is closed and its lock released before exiting", () => {
    expect(nobody, "the previous test did not run").toBeDefined();
    // main() prints UnknownMemberError and calls process.exit(2) without app.stop(): PGlite is
    // never closed and the pid file stays behind, so the next start must take over a stale lock.
    expect(existsSync(join(dataDir, "pglite.lock"))).toBe(false);
  });

  it(
    "an invalid REDIS_URL is a configuration error: exit 2, one line naming the variable",
    async () => {
      const run = await clout(["dev", "--script", script(["campaign list"])], childEnv({ REDIS_URL: "not-a-url" }));
      expect(run.code, why(run)).toBe(2);
      expect(run.stdout).toBe("");
      const lines = run.stderr.split("\n").filter(Boolean);
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(/^clout: REDIS_URL is invalid: expected a redis: or rediss: or unix: URL such as redis:\/\/127\.0\.0\.1:6379$/);
      expectNoStackTrace(run);
    },
    TEST_TIMEOUT,
  );
});
