import { Queue, type ConnectionOptions } from "bullmq";
import type { Redis } from "ioredis";
import type { Logger } from "../core/logger.ts";
import type { DomainEvent } from "../core/notifications/events.ts";
import type { DeferredCommand } from "../core/commands/deferred.ts";
import type { OutboundMessage } from "../core/notifications/messenger.ts";
import type { SyncTarget } from "../core/sync/account.ts";
import type { SyncRunJob } from "./sync/runs.ts";
import type { ScoreJob } from "./sync/scores.ts";
import type { DigestJob } from "./digests.ts";
import { JOB_TUNING } from "./tuning.ts";

export type { OutboundMessage };

/** Every queue Clout runs, with the payload each carries. */
export interface QueuePayloads {
  notifications: DomainEvent;
  commands: DeferredCommand;
  outbound: OutboundMessage;
  housekeeping: Record<string, never>;
  /** Things that end on a clock: open invitations past their answer-by time (jobs named "invitations"), boosts past their end ("boosts"). */
  expiry: Record<string, never>;
  /** Rebuilds of every leaderboard from the database ("rebuild"). */
  rankings: Record<string, never>;
  /** One account's metrics sync ("account"), one job per account at a time. */
  sync: SyncTarget;
  /** The sync's runs: queuing one's accounts ("run"), editing its message as it advances ("progress"), and the schedule ("schedule"). */
  syncRuns: SyncRunJob;
  /** A creator's analytics recomputed after their accounts synced ("score"), one job per creator at a time. */
  scores: ScoreJob;
  /** Scheduled digests: the every-minute claim of due schedules ("tick") and each claimed run ("post"). */
  digests: DigestJob;
}

export type QueueName = keyof QueuePayloads;

export type Queues = { [N in QueueName]: Queue<QueuePayloads[N], unknown, string> };

/**
 * Retries with exponential backoff; finished jobs are kept a while for the dashboard, then trimmed. Failed
 * outbound messages are the dead letters admins list with `outbox failed`: a week to see and retry them.
 */
export const DEFAULT_JOB_OPTIONS = {
  attempts: 5,
  backoff: { type: "exponential", delay: JOB_TUNING.backoffMs },
  removeOnComplete: { age: 24 * 3600, count: 1000 },
  removeOnFail: { age: 7 * 24 * 3600 },
} as const;

/** `backoffMs` is the first retry's delay (tests shorten it). */
export function createQueues(connection: ConnectionOptions, prefix: string, backoffMs = JOB_TUNING.backoffMs): Queues {
  const defaultJobOptions = { ...DEFAULT_JOB_OPTIONS, backoff: { ...DEFAULT_JOB_OPTIONS.backoff, delay: backoffMs } };
  const make = <N extends QueueName>(name: N) => new Queue<QueuePayloads[N], unknown, string>(name, { connection, prefix, defaultJobOptions });
  return { notifications: make("notifications"), commands: make("commands"), outbound: make("outbound"), housekeeping: make("housekeeping"), expiry: make("expiry"), rankings: make("rankings"), sync: make("sync"), syncRuns: make("syncRuns"), scores: make("scores"), digests: make("digests") };
}

/**
 * Without a listener BullMQ prints every reconnect failure to stderr as a stack
 * trace. Log an outage once, and its end, instead. The queues share `redis`.
 */
export function watchQueues(queues: Queues, redis: Redis, log: Logger): void {
  let down = false;
  for (const queue of Object.values(queues)) {
    queue.on("error", (err) => {
      if (!down) log.warn({ err: err.message }, "queues: Redis unavailable");
      down = true;
    });
  }
  redis.on("ready", () => {
    if (down) log.info({}, "queues: Redis is back");
    down = false;
  });
}

export async function closeQueues(queues: Queues): Promise<void> {
  await Promise.all(Object.values(queues).map((q) => q.close()));
}
