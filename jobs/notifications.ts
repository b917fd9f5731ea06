import { createHash } from "node:crypto";
import { DelayedError, type Job } from "bullmq";
import type { Db } from "../db/database.ts";
import type { DomainEvent } from "../core/notifications/events.ts";
import { runCommand, type RunnerDeps } from "../core/commands/run.ts";
import type { ChatPlatform } from "../core/commands/types.ts";
import { RetryAfterError, type ChatTarget, type Messenger } from "../core/notifications/messenger.ts";
import { noticesFor } from "../core/notifications/recipients.ts";
import type { DeferredCommand } from "../core/commands/deferred.ts";
import { OUTBOUND_INTERVAL_MS, PLATFORM_INTERVAL_MS } from "./outbound-limits.ts";
import type { Pacer } from "./pacer.ts";
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
async function sendOutbound(messengers: Messenger[], message: OutboundMessage, platform: ChatPlatform): Promise<void> {
  const messenger = messengers.find((m) => m.platform === platform);
  if (!messenger) throw new Error(`no messenger for ${platform} in this process`);
  if ("target" in message) return messenger.send(message.target, message.reply);
  if (!messenger.respond) throw new Error(`${platform} cannot answer a request late`);
  await messenger.respond(message.to, message.reply);
}

/**
 * The outbound worker's step: wait for the platform's slot and the
 * conversation's (PLATFORM_INTERVAL_MS, OUTBOUND_INTERVAL_MS), then send. A job that must wait, or
 * that the platform asked to come back later, is moved back to delayed, which
 * costs it no attempt.
 */
export async function paceAndSend(pacer: Pacer, messengers: Messenger[], job: Job<OutboundMessage>, token: string | undefined): Promise<void> {
  const message = job.data;
  const platform = "target" in message ? message.target.platform : message.to.platform;
  const slots: [string, number | undefined][] = [
    [platform, PLATFORM_INTERVAL_MS[platform]],
    ...("target" in message ? [[`${platform}:${message.target.externalId}`, OUTBOUND_INTERVAL_MS[platform]] as [string, number | undefined]] : []),
  ];
  for (const [key, interval] of slots) {
    const wait = interval ? await pacer.reserve(key, interval) : 0;
    if (wait > 0) {
      await job.moveToDelayed(Date.now() + wait, token);
      throw new DelayedError();
    }
  }
  try {
    await sendOutbound(messengers, message, platform);
  } catch (err) {
    if (!(err instanceof RetryAfterError)) throw err;
    await job.moveToDelayed(Date.now() + err.ms, token);
    throw new DelayedError();
  }
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
