import { randomBytes } from "node:crypto";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { App } from "../../app/container.ts";
import { runCommand } from "../../core/commands/run.ts";
import type { JobTuning } from "../../jobs/tuning.ts";
import { startTestApp } from "../support/app.ts";
import { runAll } from "../support/commands.ts";
import { createTestDatabase } from "../support/database.ts";
import { createTeam, type Team } from "../support/team.ts";
import { until } from "../fakes/scripted-platform.ts";
import { startFakeSocialApis, type FakeSocialApis } from "../fakes/social-apis.ts";
import { busiestWindow, completions, drained } from "./support.ts";

/**
 * The real X provider against the fake X API (its wire format, pagination
 * and errors), through the sync's queue and its quota gate in Redis.
 */
const FAST: Partial<JobTuning> = { backoffMs: 5, lockDurationMs: 5_000, stalledIntervalMs: 1_000 };

let env: Awaited<ReturnType<typeof createTestDatabase>>;
let apis: FakeSocialApis;
const running: App[] = [];

beforeAll(async () => {
  env = await createTestDatabase();
  apis = await startFakeSocialApis();
});
afterEach(async () => {
  for (const app of running.splice(0)) await app.stop();
  apis.x.calls.length = 0;
  apis.x.arrivals.length = 0;
});
afterAll(async () => {
  await apis?.close();
  await env?.drop();
});

async function workers(n: number, limits: string): Promise<App[]> {
  const prefix = `test-${randomBytes(4).toString("hex")}`;
  const apps: App[] = [];
  for (let i = 0; i < n; i++) {
    const app = await startTestApp(env.url, { workers: true, jobs: FAST, env: { QUEUE_PREFIX: prefix, SYNC_LIMITS: limits, SYNC_CONCURRENCY: "4", ...apis.env } });
    running.push(app);
    apps.push(app);
  }
  return apps;
}

async function teamOf(app: App, handles: string[]): Promise<Team> {
  const team = await createTeam(app.database.db, "Quota Brand");
  await runAll(app.runner, team.members.manager.caller, handles.map((h) => `creator add "Creator ${h}" --x ${h}`));
  return team;
}

describe("platform quotas", () => {
  it("three workers together never send X more than its quota in any window", async () => {
    const [first] = await workers(3, "off,x=20/2s");
    const handles = Array.from({ length: 8 }, (_, i) => `quota_${randomBytes(3).toString("hex")}_${i}`);
    const team = await teamOf(first!, handles);
    const r = await runCommand(first!.runner, { text: "sync all", caller: team.members.manager.caller });
    expect(r.ok, r.reply.text).toBe(true);
    await drained(first!, 60_000);
    const synced = await first!.database.db.creatorHandle.findMany({ where: { workspaceId: team.workspaceId } });
    expect(synced.map((h) => h.syncStatus)).toEqual(handles.map(() => "ok"));
    const calls = apis.x.arrivals;
    // Enough calls that the quota, not the work, set the pace.
    expect(calls.length).toBeGreaterThan(60);
    // Counted where the platform counts: requests arriving at the fake.
    expect(busiestWindow(calls, 2_000)).toBeLessThanOrEqual(20);
    expect(busiestWindow(calls, 2_000)).toBeGreaterThanOrEqual(15);
    expect(Math.max(...calls) - Math.min(...calls)).toBeGreaterThanOrEqual(((calls.length - 20) / 20) * 2_000 - 500);
  }, 90_000);

  it("a 429 waits until X's reset before the next call, without spending an attempt", async () => {
    const [app] = await workers(1, "off");
    const team = await teamOf(app!, [`limited_${randomBytes(3).toString("hex")}`]);
    const done: { attempts: number }[] = [];
    app!.workers!.workers.find((w) => w.name === "sync")!.on("completed", (job) => done.push({ attempts: job.attemptsMade }));
    apis.x.rateLimitNext(1, 2);
    await runCommand(app!.runner, { text: "sync all", caller: team.members.manager.caller });
    await until("the account to sync after the wait", () => done.length === 1, 20_000);
    const calls = apis.x.calls;
    const refused = calls.findIndex((c) => c.status === 429);
    expect(refused).toBe(0);
    const times = apis.x.arrivals;
    // x-rate-limit-reset is in whole seconds, two from the refusal: the next call comes at least a second later.
    expect(times[1]! - times[0]!).toBeGreaterThanOrEqual(1_000);
    expect(calls.slice(1).every((c) => c.status === 200)).toBe(true);
    // Its one attempt is the one that succeeded (BullMQ counts a completion as an attempt): the wait spent none.
    expect(done[0]!.attempts).toBe(1);
    const handle = await app!.database.db.creatorHandle.findFirstOrThrow({ where: { workspaceId: team.workspaceId } });
    expect(handle.syncStatus).toBe("ok");
    expect(await app!.database.db.syncFailure.count({ where: { workspaceId: team.workspaceId } })).toBe(0);
  }, 60_000);

  it("an account X no longer has is recorded at once, with what to do, and not retried", async () => {
    const [app] = await workers(1, "off");
    const gone = `gone_${randomBytes(3).toString("hex")}`;
    const team = await teamOf(app!, [gone]);
    apis.x.accounts.remove(gone);
    const seen = completions(app!);
    await runCommand(app!.runner, { text: "sync all", caller: team.members.manager.caller });
    await until("the failure to be recorded", async () => (await app!.database.db.syncFailure.count({ where: { workspaceId: team.workspaceId } })) === 1, 20_000);
    await drained(app!);
    expect(seen.count).toBe(0);
    expect(apis.x.calls).toHaveLength(1);
    const failures = await runCommand(app!.runner, { text: "sync failures", caller: team.members.admin.caller });
    expect(failures.reply.table!.rows[0]).toEqual(["Creator " + gone + " (#1)", `X @${gone}`, expect.stringMatching(/^no such account: /), expect.any(String), `Check the handle @${gone}: X has no such account.`]);
  }, 60_000);
});
