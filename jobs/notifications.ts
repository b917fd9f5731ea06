import { createHash } from "node:crypto";
import type { Db } from "../db/database.ts";
import type { DomainEvent } from "../core/notifications/events.ts";
import type { Messenger } from "../core/notifications/messenger.ts";
import { noticesFor } from "../core/notifications/recipients.ts";
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
  const messages: OutboundMessage[] = (await noticesFor(deps.db, event)).flatMap((n) => n.targets.filter((t) => reachable.has(t.platform)).map((target) => ({ target, reply: n.reply })));
  await deps.queues.outbound.addBulk(
    messages.map((data) => ({ name: data.target.platform, data, opts: { jobId: outboundJobId(eventJobId, data) } })),
  );
  return messages.length;
}

/** BullMQ job ids may not contain ":", which platform ids do (Slack's "T1:U1"), so the target is hashed. */
function outboundJobId(eventJobId: string, m: OutboundMessage): string {
  return `${eventJobId}-${createHash("sha256").update(`${m.target.platform}\0${m.target.externalId}`).digest("hex").slice(0, 16)}`;
}

/** Sends one message; a throw fails the job and BullMQ retries it with backoff. */
export async function sendOutbound(messengers: Messenger[], message: OutboundMessage): Promise<void> {
  const messenger = messengers.find((m) => m.platform === message.target.platform);
  if (!messenger) throw new Error(`no messenger for ${message.target.platform} in this process`);
  await messenger.send(message.target, message.reply);
}
