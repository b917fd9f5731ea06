import { Worker, type Job } from "bullmq";
import { connectRedis } from "./connection.ts";
import type { Clock } from "../core/clock.ts";
import type { Logger } from "../core/logger.ts";
import { housekeeping } from "./housekeeping.ts";
import { fanOut, sendOutbound, type NotificationDeps } from "./notifications.ts";
import type { QueueName, QueuePayloads, Queues } from "./queues.ts";

export interface WorkerDeps extends NotificationDeps {
  clock: Clock;
  redisUrl: string;
  prefix: string;
  log: Logger;
}

type Processors = { [N in QueueName]: (job: Job<QueuePayloads[N]>) => Promise<unknown> };

function processors(deps: WorkerDeps): Processors {
  return {
    notifications: (job) => fanOut(deps, job.id!, job.data),
    outbound: (job) => sendOutbound(deps.messengers, job.data),
    housekeeping: () => housekeeping(deps.db, deps.clock),
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
  const workers = names.map((name) => {
    const worker = new Worker(name, all[name] as (job: Job) => Promise<unknown>, { connection, prefix: deps.prefix, concurrency: 8 });
    worker.on("failed", (job, err) => deps.log.warn({ queue: name, jobId: job?.id, attempt: job?.attemptsMade, err: err.message }, "job failed"));
    worker.on("error", (err) => deps.log.error({ queue: name, err: err.message }, "worker error"));
    return worker;
  });
  return {
    workers,
    async close() {
      await Promise.all(workers.map((w) => w.close()));
      connection.disconnect();
    },
  };
}

/** Repeating jobs. Job schedulers are keyed by id, so any number of processes upserting them yields one schedule. */
export async function ensureSchedules(queues: Queues): Promise<void> {
  await queues.housekeeping.upsertJobScheduler("housekeeping-hourly", { every: 3_600_000 }, { name: "housekeeping", data: {} });
}
