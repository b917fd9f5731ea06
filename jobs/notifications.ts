import type { Db } from "../db/database.ts";
import type { DomainEvent } from "../core/notifications/events.ts";
import { runCommand, type RunnerDeps } from "../core/commands/run.ts";
import type { Messenger } from "../core/notifications/messenger.ts";
import { noticesFor, updatesFor } from "../core/notifications/recipients.ts";
import type { DeferredCommand } from "../core/commands/deferred.ts";
import { enqueueOutbound, hashKey, platformOf, toWire } from "./outbound.ts";
import type { Queues } from "./queues.ts";

export interface NotificationDeps {
  db: Db;
  messengers: Messenger[];
  queues: Pick<Queues, "outbound">;
  /** PUBLIC_URL: the links notices carry (referral links) are made from it. */
  publicUrl: string;
}

/**
 * Fans one domain event out into one outbound message per person and platform,
 * and one edit per posted message showing what changed.
 * Each message is its own job, so a failing platform is retried alone and
 * nobody else is told twice; job ids (the messages' dedupe keys) derive from
 * the event's job id, so a retried fan-out adds nothing new.
 */
export async function fanOut(deps: NotificationDeps, eventJobId: string, event: DomainEvent): Promise<number> {
  const reachable = new Set(deps.messengers.map((m) => m.platform));
  const messages = (await noticesFor(deps.db, event, deps.publicUrl)).flatMap((n) =>
    n.targets.filter((t) => reachable.has(t.platform)).map((target) => ({ target, reply: n.reply, workspaceId: event.workspaceId })),
  );
  const updates = (await updatesFor(deps.db, event)).filter((u) => reachable.has(u.at.platform)).map((u) => ({ update: u.at, reply: u.reply, workspaceId: event.workspaceId }));
  await deps.queues.outbound.addBulk([
    ...messages.map((data) => ({ name: platformOf(data), data: toWire(data), opts: { jobId: `${eventJobId}-${hashKey(data.target.platform, data.target.externalId)}` } })),
    ...updates.map((data) => ({ name: platformOf(data), data: toWire(data), opts: { jobId: `${eventJobId}-u${hashKey(data.update.platform, data.update.ref)}` } })),
  ]);
  return messages.length + updates.length;
}

/**
 * Runs a command that was acknowledged without its answer. The command runs
 * once (the job has one attempt: a retry could repeat a change); its answer is
 * an outbound job of its own, retried until delivered, keyed by the request
 * it answers and belonging to the caller's workspace.
 */
export async function runDeferred(runner: RunnerDeps, queues: Pick<Queues, "outbound">, job: DeferredCommand): Promise<boolean> {
  const result = await runCommand(runner, { text: job.text, caller: job.caller });
  await enqueueOutbound(queues, { to: job.replyTo, reply: result.reply, ...(result.workspaceId ? { workspaceId: result.workspaceId } : {}) });
  return result.ok;
}
