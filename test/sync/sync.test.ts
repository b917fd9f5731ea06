import { randomBytes } from "node:crypto";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { App } from "../../app/container.ts";
import { ManualClock } from "../../core/clock.ts";
import { runCommand } from "../../core/commands/run.ts";
import type { JobTuning } from "../../jobs/tuning.ts";
import { startTestApp } from "../support/app.ts";
import { runAll } from "../support/commands.ts";
import { createTestDatabase } from "../support/database.ts";
import { createTeam, type Team } from "../support/team.ts";
import { until } from "../fakes/scripted-platform.ts";
import { completions, drained, storedMetrics } from "./support.ts";

/**
 * The sync pipeline end to end on the simulated provider (deterministic for
 * a given moment, so a frozen clock makes every reading of an account the
 * same): commands, queue, workers, storage.
 */
const FAST: Partial<JobTuning> = { backoffMs: 5, lockDurationMs: 1_000, stalledIntervalMs: 250 };
const clock = new ManualClock(new Date("2026-11-20T10:30:00Z"));

let env: Awaited<ReturnType<typeof createTestDatabase>>;
const running: App[] = [];

beforeAll(async () => {
  env = await createTestDatabase();
});
afterEach(async () => {
  for (const app of running.splice(0)) await app.stop();
});
afterAll(async () => {
  await env?.drop();
});

async function worker(extra: Record<string, string> = {}, prefix = `test-${randomBytes(4).toString("hex")}`): Promise<App> {
  const app = await startTestApp(env.url, { workers: true, clock, jobs: FAST, env: { QUEUE_PREFIX: prefix, SYNC_LIMITS: "off", CLOUT_SECRET: "sync-test-secret-".padEnd(40, "x"), ...extra } });
  running.push(app);
  return app;
}

async function teamWithCreators(app: App, lines: string[]): Promise<Team> {
  const team = await createTeam(app.database.db, "Sync Brand");
  await runAll(app.runner, team.members.manager.caller, lines);
  return team;
}

const sync = (app: App, team: Team, text: string, role: keyof Team["members"] = "manager") => runCommand(app.runner, { text, caller: team.members[role].caller });

describe("sync", () => {
  it("stores profiles, posts and comments once: syncing the same readings again changes no row", async () => {
    const app = await worker();
    const team = await teamWithCreators(app, ['creator add "Bia Lima" --instagram bia.lima --youtube bialima', 'creator add "Murugi Wanjiku" --tiktok murugi --x murugi_w']);
    const done = completions(app);
    const first = await sync(app, team, "sync all");
    expect(first.ok, first.reply.text).toBe(true);
    expect(first.reply.text).toBe("Syncing 0/2 creators …");
    await drained(app);
    await until("every account's job to complete", () => done.count === 4);

    const db = app.database.db;
    const handles = await db.creatorHandle.findMany({ where: { workspaceId: team.workspaceId } });
    expect(handles.map((h) => h.syncStatus)).toEqual(["ok", "ok", "ok", "ok"]);
    expect(handles.every((h) => h.externalId && h.syncedAt?.getTime() === clock.now().getTime())).toBe(true);
    const before = await storedMetrics(db, team.workspaceId);
    expect(before.snapshots).toHaveLength(4);
    expect(before.snapshots.every((s) => s.capturedAt.toISOString() === "2026-11-20T10:00:00.000Z")).toBe(true);
    expect(before.posts.length).toBeGreaterThan(4);
    expect(before.comments.length).toBeGreaterThan(0);

    await sync(app, team, "sync all");
    await drained(app);
    await until("every account's job to complete again", () => done.count === 8);
    expect(await storedMetrics(db, team.workspaceId)).toEqual(before);
  });

  it("a worker killed mid-job: another takes the job over and no row is stored twice", async () => {
    const prefix = `test-${randomBytes(4).toString("hex")}`;
    // A quota that lets the job start and then holds it in the gate: there it is killed.
    const first = await worker({ SYNC_LIMITS: "instagram=2/6s" }, prefix);
    const team = await teamWithCreators(first, ['creator add "Kill Test" --instagram bia.lima']);
    const reference = await createTeam(first.database.db, "Reference Brand");
    await sync(first, team, "sync all");
    await until("the job to be mid-way", async () => (await first.redis.zcard(`${prefix}:rl:sync:instagram`)) >= 2, 10_000);
    await first.workers!.workers.find((w) => w.name === "sync")!.close(true);
    const second = await worker({}, prefix);
    const took = completions(second);
    await until("the other worker to finish the job", () => took.count === 1, 15_000);
    // The killed worker's job also runs to its end (its process lives on): both stored the same reading.
    await new Promise((r) => setTimeout(r, 7_000));

    await runAll(second.runner, reference.members.manager.caller, ['creator add "Reference" --instagram bia.lima']);
    await sync(second, reference, "sync all");
    await drained(second);
    const killed = await storedMetrics(second.database.db, team.workspaceId);
    const clean = await storedMetrics(second.database.db, reference.workspaceId);
    expect(killed.posts.length).toBeGreaterThan(0);
    expect({ snapshots: killed.snapshots.length, posts: killed.posts.length, comments: killed.comments.length }).toEqual({ snapshots: clean.snapshots.length, posts: clean.posts.length, comments: clean.comments.length });
    expect(killed.posts.map((p) => [p.externalId, p.likes])).toEqual(clean.posts.map((p) => [p.externalId, p.likes]));
  }, 60_000);

  it("an expired token is recorded, shown by `sync failures` with what to do, and resolved by a later success", async () => {
    const app = await worker();
    const team = await teamWithCreators(app, ['creator add "Bia Lima" --instagram bia.lima', 'creator add "Murugi Wanjiku" --tiktok murugi']);
    const db = app.database.db;
    const bia = await db.creator.findFirstOrThrow({ where: { workspaceId: team.workspaceId, name: "Bia Lima" } });
    await db.creatorHandle.updateMany({ where: { creatorId: bia.id }, data: { tokenSealed: app.runner.vault.seal("IGQVJ-old-token"), tokenExpiresAt: new Date("2026-11-01T00:00:00Z") } });

    await sync(app, team, "sync all");
    await drained(app);
    const handle = await db.creatorHandle.findFirstOrThrow({ where: { creatorId: bia.id } });
    expect(handle.syncStatus).toBe("failed");
    const failures = await db.syncFailure.findMany({ where: { workspaceId: team.workspaceId } });
    expect(failures).toMatchObject([{ creatorId: bia.id, platform: "instagram", reason: "token_expired", attempts: 1, resolvedAt: null }]);

    const shown = await sync(app, team, "sync failures", "admin");
    expect(shown.ok).toBe(true);
    expect(shown.reply.title).toBe("Accounts that could not be synced (1)");
    expect(shown.reply.table!.rows).toEqual([[`Bia Lima (#${bia.number})`, "Instagram @bia.lima", expect.stringContaining("token expired"), "2026-11-20 10:30 UTC", `Ask Bia Lima to reconnect Instagram, then \`sync ${bia.number}\`.`]]);
    // Failing again keeps one open failure.
    await sync(app, team, `sync ${bia.number}`);
    await drained(app);
    expect(await db.syncFailure.count({ where: { workspaceId: team.workspaceId } })).toBe(1);
    expect((await sync(app, team, "sync failures", "manager")).error).toBe("forbidden");

    await db.creatorHandle.updateMany({ where: { creatorId: bia.id }, data: { tokenSealed: app.runner.vault.seal("IGQVJ-new-token"), tokenExpiresAt: new Date("2027-01-01T00:00:00Z") } });
    await sync(app, team, 'sync "Bia Lima"');
    await drained(app);
    expect((await db.creatorHandle.findFirstOrThrow({ where: { creatorId: bia.id } })).syncStatus).toBe("ok");
    expect(await db.syncFailure.count({ where: { workspaceId: team.workspaceId, resolvedAt: null } })).toBe(0);
    expect((await sync(app, team, "sync failures", "admin")).reply.text).toBe("Every account synced: nothing needs attention.");
  });

  it("bad input says what was wrong with a line that works, and queues nothing", async () => {
    const app = await worker();
    const team = await teamWithCreators(app, ['creator add "Bia Lima" --instagram bia.lima', 'creator add "No Handles"']);
    const unknown = await sync(app, team, "sync Nobody");
    expect(unknown.ok).toBe(false);
    expect(unknown.reply.text).toBe("No creator matches `Nobody` in this workspace.\nTry: `sync all`");
    const near = await sync(app, team, 'sync "Bia Lma"');
    expect(near.reply.text).toContain('sync "Bia Lima"');
    const empty = await sync(app, team, 'sync "No Handles"');
    expect(empty.reply.text).toContain("`No Handles` has no Instagram, YouTube, TikTok or X handle to sync.");
    const missing = await sync(app, team, "sync");
    expect(missing.ok).toBe(false);
    expect(missing.reply.text).toContain("sync all");
    expect((await sync(app, team, "sync all", "analyst")).error).toBe("forbidden");
    expect(await app.database.db.syncRun.count({ where: { workspaceId: team.workspaceId } })).toBe(0);
    expect(await app.queues.sync.count()).toBe(0);
  });
});
