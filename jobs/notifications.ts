import { createHash } from "node:crypto";
import type { Db } from "../db/database.ts";
import type { DomainEvent } from "../core/notifications/events.ts";
import { runCommand, type RunnerDeps } from "../core/commands/run.ts";
import type { ChatTarget, Messenger } from "../core/notifications/messenger.ts";
import { noticesFor } from "../core/notifications/recipients.ts";
import type { DeferredCommand } from "../core/commands/deferred.ts";
import type { OutboundMessage, Queues } from "./queues.ts";

export interface NotificationDeps {
  db: Db;
  messengers: Messenger[];
  queues: Pick<Queues, "outbound">;
}

/**
 * Fans one domain event out into one outbound message per person and platform.
 * Each message is its own job, so a failing platform is retried alone and
 * nobody else is told twice; job ids derive from the event's job id, so a
 * retried fan-out adds nothing new.
 */
export async function fanOut(deps: NotificationDeps, eventJobId: string, event: DomainEvent): Promise<number> {
  const reachable = new Set(deps.messengers.map((m) => m.platform));
  const messages = (await noticesFor(deps.db, event)).flatMap((n) => n.targets.filter((t) => reachable.has(t.platform)).map((target) => ({ target, reply: n.reply })));
  await deps.queues.outbound.addBulk(messages.map((data) => ({ name: data.target.platform, data, opts: { jobId: outboundJobId(eventJobId, data.target) } })));
  return messages.length;
}

/** BullMQ job ids may not contain ":", which platform ids do (Slack's "T1:U1"), so the target is hashed. */
function outboundJobId(eventJobId: string, target: ChatTarget): string {
  return `${eventJobId}-${createHash("sha256").update(`${target.platform}\0${target.externalId}`).digest("hex").slice(0, 16)}`;
}

/** Sends one message; a throw fails the job and BullMQ retries it with backoff. */
export async function sendOutbound(messengers: Messenger[], message: OutboundMessage): Promise<void> {
  const platform = "target" in message ? message.target.platform : message.to.platform;
  const messenger = messengers.find((m) => m.platform === platform);
  if (!messenger) throw new Error(`no messenger for ${platform} in this process`);
  if ("target" in message) return messenger.send(message.target, message.reply);
  if (!messenger.respond) throw new Error(`${platform} cannot answer a request late`);
  await messenger.respond(message.to, message.reply);
}

/**
 * Runs a command that was acknowledged without its answer. The command runs
 * once (the job has one attempt: a retry could repeat a change); its answer is
 * an outbound job of its own, retried until delivered.
 */
export async function runDeferred(runner: RunnerDeps, queues: Pick<Queues, "outbound">, job: DeferredCommand): Promise<boolean> {
  const result = await runCommand(runner, { text: job.text, caller: job.caller });
  await queues.outbound.add(job.replyTo.platform, { to: job.replyTo, reply: result.reply });
  return result.ok;
}
