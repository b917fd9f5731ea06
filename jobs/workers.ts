import { Worker, type Job } from "bullmq";
import { connectRedis } from "./connection.ts";
import type { Clock } from "../core/clock.ts";
import type { RunnerDeps } from "../core/commands/run.ts";
import type { Logger } from "../core/logger.ts";
import { expireInvitations } from "../core/invitations/expiry.ts";
import { expireBoosts } from "../core/payments/expiry.ts";
import { rebuildAllBoards } from "../core/leaderboard/standings.ts";
import { housekeeping } from "./housekeeping.ts";
import { fanOut, runDeferred, type NotificationDeps } from "./notifications.ts";
import { paceAndSend, type OutboundDeps } from "./outbound.ts";
import type { QueueName, QueuePayloads, Queues } from "./queues.ts";
import { JOB_TUNING, type JobTuning } from "./tuning.ts";
import { runAccountJob, type AccountJobDeps } from "./sync/account-job.ts";
import { runSyncRunJob } from "./sync/runs.ts";
import { queueScore } from "./sync/scores.ts";
import { scoreAfterSync } from "../core/sync/scored.ts";
import { runDigestJob } from "./digests.ts";
import type { SocialPlatform } from "../core/social/port.ts";

export interface WorkerDeps extends NotificationDeps, OutboundDeps {
  runner: RunnerDeps;
  timing?: Pick<JobTuning, "lockDurationMs" | "stalledIntervalMs">;
  clock: Clock;
  redisUrl: string;
  prefix: string;
  log: Logger;
  queues: Pick<Queues, "outbound" | "sync" | "syncRuns" | "scores" | "digests">;
  sync: SyncWorkerDeps;
}

/** What the metrics sync's workers need beyond the rest: the providers and the shared quota gates. */
export type SyncWorkerDeps = Pick<AccountJobDeps, "providers" | "gates" | "caps"> & {
  platforms: readonly SocialPlatform[];
  /** Accounts synced at once per process (their calls mostly wait on the platforms). */
  concurrency?: number;
};

/** How long Redis gets to answer a ping before shutdown treats it as gone. */
const PING_MS = 500;

/** Below close-with-grace's 10 s, so shutdown ends on our terms; unfinished jobs stall and are retried elsewhere. */
const CLOSE_DEADLINE_MS = 8_000;

/** Commands are CPU on this process's one thread: few at a time keeps acknowledgements quick. */
const CONCURRENCY: Record<QueueName, number> = { notifications: 8, commands: 4, outbound: 8, housekeeping: 1, expiry: 1, rankings: 1, sync: 16, syncRuns: 2, scores: 2, digests: 2 };

type Processors = { [N in QueueName]: (job: Job<QueuePayloads[N]>, token?: string) => Promise<unknown> };

function processors(deps: WorkerDeps): Processors {
  return {
    notifications: (job) => fanOut(deps, job.id!, job.data),
    commands: (job) => runDeferred(deps.runner, deps.queues, job.data),
    outbound: (job, token) => paceAndSend(deps, job, token),
    housekeeping: () => housekeeping(deps.db, deps.clock),
    expiry: (job) => (job.name === "boosts" ? expireBoosts(deps.runner) : expireInvitations(deps.runner)),
    rankings: () => rebuildAllBoards(deps.runner),
    sync: (job, token) => runAccountJob({ ...deps.sync, db: deps.db, clock: deps.clock, ids: deps.runner.ids, vault: deps.runner.vault, synced: (t) => queueScore(deps.queues, t) }, job, token),
    scores: (job) => scoreAfterSync({ db: deps.db, clock: deps.clock, events: deps.runner.events }, job.data),
    digests: (job) => runDigestJob({ db: deps.db, clock: deps.clock, digestWriter: deps.runner.digestWriter, queues: deps.queues }, job),
    syncRuns: (job, token) => runSyncRunJob({ db: deps.db, clock: deps.clock, queues: deps.queues, platforms: deps.sync.platforms }, job, token),
  };
}

export interface RunningWorkers {
  workers: Worker[];
  /** Waits for jobs in progress to finish, then stops taking new ones. */
  close(): Promise<void>;
}

export function startWorkers(deps: WorkerDeps, names: QueueName[] = Object.keys(processors(deps)) as QueueName[]): RunningWorkers {
  const all = processors(deps);
  // One connection shared by this process's workers; each duplicates it for its blocking reads.
  const connection = connectRedis(deps.redisUrl, "worker");
  const timing = deps.timing ?? JOB_TUNING;
  const workers = names.map((name) => {
    const worker = new Worker(name, all[name] as (job: Job, token?: string) => Promise<unknown>, {
      connection,
      prefix: deps.prefix,
      concurrency: name === "sync" ? (deps.sync.concurrency ?? CONCURRENCY.sync) : CONCURRENCY[name],
      lockDuration: timing.lockDurationMs,
      stalledInterval: timing.stalledIntervalMs,
      // A command whose worker died mid-way may have made its change: it is not run a second time.
      ...(name === "commands" ? { maxStalledCount: 0 } : {}),
    });
    worker.on("failed", (job, err) => deps.log.warn({ queue: name, jobId: job?.id, attempt: job?.attemptsMade, err: err.message }, "job failed"));
    worker.on("error", (err) => deps.log.error({ queue: name, err: err.message }, "worker error"));
    return worker;
  });
  return {
    workers,
    async close() {
      // "ready" lags a Redis that just died: a ping that doesn't come back in time says so.
      const alive = connection.status === "ready" && (await Promise.race([connection.ping().then(() => true, () => false), new Promise<false>((r) => setTimeout(r, PING_MS, false).unref())]));
      if (!alive) {
        // A graceful close talks to Redis and would wait for it forever; with Redis gone there is nothing to hand back.
        await Promise.all(workers.map((w) => w.close(true)));
      } else {
        const graceful = Promise.all(workers.map((w) => w.close())).then(() => "done" as const);
        const timer = new Promise<"late">((r) => setTimeout(r, CLOSE_DEADLINE_MS, "late").unref());
        // Redis going away while jobs finish (it may have just died: the connection still said ready) leaves nothing to wait for.
        const lost = new Promise<"lost">((r) => connection.once("close", () => r("lost")));
        const outcome = await Promise.race([graceful, timer, lost]);
        if (outcome === "lost") await Promise.all(workers.map((w) => w.close(true)));
        if (outcome === "late") deps.log.warn({ deadlineMs: CLOSE_DEADLINE_MS }, "workers did not finish in time; their jobs will be retried");
      }
      connection.disconnect();
    },
  };
}

/** Repeating jobs. Job schedulers are keyed by id, so any number of processes upserting them yields one schedule. */
export async function ensureSchedules(queues: Queues): Promise<void> {
  await queues.housekeeping.upsertJobScheduler("housekeeping-hourly", { every: 3_600_000 }, { name: "housekeeping", data: {} });
  // Each run claims due rows with SKIP LOCKED, so a run overlapping another (or one per process) expires nothing twice.
  await queues.expiry.upsertJobScheduler("invitations-every-minute", { every: 60_000 }, { name: "invitations", data: {} });
  await queues.expiry.upsertJobScheduler("boosts-every-minute", { every: 60_000 }, { name: "boosts", data: {} });
  // Redis is a copy the database can always remake: rebuilt on a schedule, so a lost update lasts at most this long, and at start-up.
  await queues.rankings.upsertJobScheduler("rankings-every-10-minutes", { every: 600_000 }, { name: "rebuild", data: {} });
  await queues.rankings.add("rebuild", {});
  // Accounts due a sync (hourly for active campaigns' creators, daily for the rest); one job per account at a time, however often this runs.
  await queues.syncRuns.upsertJobScheduler("sync-hourly", { every: 3_600_000 }, { name: "schedule", data: {} });
  // Each tick claims due schedules with SKIP LOCKED and moves them on in the same transaction: one post per run however many workers tick.
  await queues.digests.upsertJobScheduler("digests-every-minute", { every: 60_000 }, { name: "tick", data: {} });
}
