import { DelayedError, type Job, type JobsOptions } from "bullmq";
import type { Clock } from "../../core/clock.ts";
import type { Db } from "../../db/database.ts";
import type { SocialPlatform } from "../../core/social/port.ts";
import type { SyncTarget } from "../../core/sync/account.ts";
import type { SyncQueue } from "../../core/sync/port.ts";
import { progressUpdates, runFinished, runProgress } from "../../core/sync/runs.ts";
import { dueAccounts, runAccounts, type DueAccount } from "../../core/sync/schedule.ts";
import { enqueueOutbound } from "../outbound.ts";
import type { Queues } from "../queues.ts";

/** Accounts per query and per addBulk: a whole workspace is queued in pages. */
const PAGE = 1_000;
/** How often a run's message is edited at most: well above a chat's one-a-second pace, so edits arrive in order. */
const PROGRESS_EVERY_MS = 3_000;
/** A run still going after this is left to finish in the background; its message says so. */
const FOLLOW_MS = 24 * 3_600_000;
/** A run that finished before its message was even posted waits this long for it, to edit it to the end. */
const POSTING_GRACE_MS = 30_000;

/** What a syncRuns job carries: a run to queue ("run") or follow ("progress"), or nothing (the "schedule"). */
export type SyncRunJob = { runId: string; shown?: string } | Record<string, never>;

/**
 * One job per account at a time: the id names the account, and finished
 * jobs are removed (their outcome is in the database), so an account queued
 * again while still waiting or running is not queued twice. On-demand runs
 * go ahead of the schedule's backlog.
 */
const accountJobId = (t: Pick<SyncTarget, "creatorId" | "platform">) => `acct-${t.creatorId}-${t.platform}`;
const ACCOUNT_OPTS: JobsOptions = { removeOnComplete: true, removeOnFail: true };
const PRIORITY = { requested: 1, scheduled: 10 } as const;

/** Queues accounts page by page (keyset on the handle's id) until `page` finds no more; how many. */
async function enqueueAccounts(queues: Pick<Queues, "sync">, page: (after: string | null) => Promise<DueAccount[]>, priority: number): Promise<number> {
  let after: string | null = null;
  let queued = 0;
  for (;;) {
    const accounts = await page(after);
    if (accounts.length === 0) return queued;
    await queues.sync.addBulk(accounts.map(({ workspaceId, creatorId, platform }) => ({ name: "account", data: { workspaceId, creatorId, platform }, opts: { ...ACCOUNT_OPTS, priority, jobId: accountJobId({ creatorId, platform }) } })));
    queued += accounts.length;
    after = accounts.at(-1)!.id;
  }
}

/** The SyncQueue port: a run is one job, which queues the run's accounts in pages and then follows it. */
export function queueSync(queues: Pick<Queues, "syncRuns">, platforms: readonly SocialPlatform[]): SyncQueue {
  return {
    platforms,
    async start(run) {
      await queues.syncRuns.add("run", { runId: run.id }, { jobId: `run-${run.id}`, removeOnComplete: true, removeOnFail: { age: 7 * 86_400 } });
    },
  };
}

export interface RunJobDeps {
  db: Db;
  clock: Clock;
  queues: Pick<Queues, "sync" | "syncRuns" | "outbound">;
  platforms: readonly SocialPlatform[];
}

async function queueRun(deps: RunJobDeps, runId: string): Promise<number> {
  const run = await deps.db.syncRun.findUnique({ where: { id: runId } });
  if (!run) return 0;
  await deps.queues.syncRuns.add("progress", { runId }, { jobId: `progress-${runId}`, delay: PROGRESS_EVERY_MS, removeOnComplete: true, removeOnFail: true });
  return enqueueAccounts(deps.queues, (after) => runAccounts(deps.db, run, after, PAGE), PRIORITY.requested);
}

/**
 * The run's message, edited when its count moved, at most every few
 * seconds, until every account finished (the last edit says how it ended
 * and who failed). The job comes back to itself by delaying, which costs no
 * attempt.
 */
async function followRun(deps: RunJobDeps, job: Job<SyncRunJob>, token: string | undefined): Promise<string> {
  const { runId, shown } = job.data as { runId: string; shown?: string };
  const run = await deps.db.syncRun.findUnique({ where: { id: runId } });
  if (!run || run.finishedAt) return "gone";
  const now = deps.clock.now();
  const progress = await runProgress(deps.db, run);
  const finished = runFinished(progress);
  const gaveUp = !finished && now.getTime() - run.startedAt.getTime() > FOLLOW_MS;
  const state = `${progress.done}-${progress.failed}-${progress.total}`;
  const updates = state !== shown || finished || gaveUp ? await progressUpdates(deps.db, run, progress, gaveUp) : [];
  for (const u of updates) await enqueueOutbound(deps.queues, { update: u.at, reply: u.reply, workspaceId: run.workspaceId }, `sync-run:${runId}:${state}:${u.at.platform}:${u.at.ref}`);
  const posted = updates.length > 0 || now.getTime() - run.startedAt.getTime() > POSTING_GRACE_MS;
  if ((finished && posted) || gaveUp) {
    await deps.db.syncRun.update({ where: { id: runId }, data: { finishedAt: now } });
    return state;
  }
  if (updates.length > 0) await job.updateData({ runId, shown: state });
  await job.moveToDelayed(Date.now() + PROGRESS_EVERY_MS, token);
  throw new DelayedError();
}

/** The schedule's pass: every account due (hourly for active campaigns' creators, daily for the rest), in pages. */
function queueDue(deps: RunJobDeps): Promise<number> {
  const now = deps.clock.now();
  return enqueueAccounts(deps.queues, (after) => dueAccounts(deps.db, now, deps.platforms, after, PAGE), PRIORITY.scheduled);
}

export function runSyncRunJob(deps: RunJobDeps, job: Job<SyncRunJob>, token: string | undefined): Promise<unknown> {
  if (job.name === "schedule") return queueDue(deps);
  const { runId } = job.data as { runId: string };
  return job.name === "progress" ? followRun(deps, job, token) : queueRun(deps, runId);
}
