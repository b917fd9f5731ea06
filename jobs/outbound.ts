import { createHash, randomUUID } from "node:crypto";
import { DelayedError, UnrecoverableError, type Job } from "bullmq";
import type { ChatPlatform } from "../core/commands/types.ts";
import { PermanentSendError, RetryAfterError, type Messenger, type OutboundMessage } from "../core/notifications/messenger.ts";
import { OUTBOUND_INTERVAL_MS, PLATFORM_INTERVAL_MS } from "./outbound-limits.ts";
import type { Pacer, Slot } from "./pacer.ts";
import type { Queues } from "./queues.ts";
import { redactSecrets } from "./redact.ts";
import type { SendLedger } from "./send-ledger.ts";

export interface OutboundDeps {
  messengers: Messenger[];
  pacer: Pacer;
  ledger: SendLedger;
}

export const platformOf = (message: OutboundMessage): ChatPlatform => ("target" in message ? message.target.platform : "to" in message ? message.to.platform : message.update.platform);

/** BullMQ job ids may not contain ":", which platform ids and addresses do (Slack's "T1:U1"), so what names the message is hashed. */
export const hashKey = (...parts: string[]) => createHash("sha256").update(parts.join("\0")).digest("hex").slice(0, 16);

/**
 * The message's dedupe key, which is its job id: the caller's when it knows
 * what caused the message; else a request's address (one answer per
 * request); else none can be derived and the key is new, so only retries of
 * this one job are deduped.
 */
export function outboundJobId(message: OutboundMessage, key?: string): string {
  if (key) return `k-${hashKey(key)}`;
  if ("to" in message) return `reply-${hashKey(message.to.platform, message.to.address)}`;
  return `m-${randomUUID()}`;
}

/** Adds a message once: a second add with the same key is ignored by BullMQ while the job is kept, and by the sent record after. */
export async function enqueueOutbound(queues: Pick<Queues, "outbound">, message: OutboundMessage, key?: string): Promise<void> {
  await queues.outbound.add(platformOf(message), toWire(message), { jobId: outboundJobId(message, key) });
}

/**
 * BullMQ keeps job data as JSON, where a Uint8Array turns into an object of
 * numbered keys and comes back as nothing: a reply's PNGs and documents (a
 * chart, a report) ride the queue as base64 strings, and are bytes again
 * (fromWire) before a messenger sees them.
 */
export function toWire(message: OutboundMessage): OutboundMessage {
  const { images, files } = message.reply;
  if (!images?.length && !files?.length) return message;
  const text = (bytes: Uint8Array) => Buffer.from(bytes).toString("base64") as unknown as Uint8Array;
  return { ...message, reply: { ...message.reply, ...(images ? { images: images.map((i) => ({ ...i, png: text(i.png) })) } : {}), ...(files ? { files: files.map((f) => ({ ...f, bytes: text(f.bytes) })) } : {}) } };
}

function fromWire(message: OutboundMessage): OutboundMessage {
  const { images, files } = message.reply;
  if (!images?.length && !files?.length) return message;
  const bytes = (b: Uint8Array | string) => (typeof b === "string" ? new Uint8Array(Buffer.from(b, "base64")) : b);
  return { ...message, reply: { ...message.reply, ...(images ? { images: images.map((i) => ({ ...i, png: bytes(i.png) })) } : {}), ...(files ? { files: files.map((f) => ({ ...f, bytes: bytes(f.bytes) })) } : {}) } };
}

async function sendOutbound(messengers: Messenger[], message: OutboundMessage, platform: ChatPlatform): Promise<void> {
  const messenger = messengers.find((m) => m.platform === platform);
  // A platform without credentials stays off for every worker: retrying cannot bring it on.
  if (!messenger) throw new PermanentSendError(`${platform} is not connected (no credentials)`);
  if ("target" in message) return messenger.send(message.target, message.reply);
  if ("update" in message) {
    if (!messenger.update) throw new PermanentSendError(`${platform} cannot edit its messages`);
    return messenger.update(message.update.ref, message.reply);
  }
  if (!messenger.respond) throw new PermanentSendError(`${platform} cannot answer a request late`);
  await messenger.respond(message.to, message.reply);
}

/** Back to delayed until `ms` from now; this costs the job no attempt. */
async function later(job: Job<OutboundMessage>, ms: number, token: string | undefined): Promise<never> {
  await job.moveToDelayed(Date.now() + ms, token);
  throw new DelayedError();
}

/** The conversation a message goes to, paced per platform (OUTBOUND_INTERVAL_MS); none for late answers to requests. */
function conversationSlot(message: OutboundMessage, platform: ChatPlatform): Slot | undefined {
  const intervalMs = OUTBOUND_INTERVAL_MS[platform];
  const key = "target" in message ? message.target.externalId : "update" in message ? message.update.ref : undefined;
  return intervalMs && key !== undefined ? { key: `${platform}:${key}`, intervalMs } : undefined;
}

/** The platform's slot and the conversation's (PLATFORM_INTERVAL_MS, OUTBOUND_INTERVAL_MS), for one reservation. */
function slotsFor(message: OutboundMessage, platform: ChatPlatform): Slot[] {
  const platformMs = PLATFORM_INTERVAL_MS[platform];
  const conversation = conversationSlot(message, platform);
  return [...(platformMs ? [{ key: platform, intervalMs: platformMs }] : []), ...(conversation ? [conversation] : [])];
}

/**
 * The outbound worker's step. A message already sent under its key completes
 * without sending; one another worker is sending waits for that send to end;
 * one that must wait for its pace, or that the platform asked to come back
 * later, is delayed without spending an attempt. A failure is thrown with its
 * secrets removed (it is stored, logged and shown to admins); a permanent one
 * fails the job at once instead of retrying.
 */
export async function paceAndSend(deps: OutboundDeps, job: Job<OutboundMessage>, token: string | undefined): Promise<"sent" | "duplicate"> {
  const message = job.data;
  const platform = platformOf(message);
  const turn = await deps.ledger.begin(job.id!);
  if (turn.kind === "sent") return "duplicate";
  if (turn.kind === "busy") return later(job, turn.waitMs, token);
  const wait = await deps.pacer.reserve(slotsFor(message, platform));
  if (wait > 0) {
    await turn.release();
    return later(job, wait, token);
  }
  const failure = await sendOutbound(deps.messengers, fromWire(message), platform).then(
    () => undefined,
    (err: unknown) => err,
  );
  // The interval counts from when this send ended: a slow delivery must not let the next one arrive too soon after it.
  const conversation = conversationSlot(message, platform);
  if (conversation) await deps.pacer.hold(conversation);
  if (failure !== undefined) {
    await turn.release();
    if (failure instanceof RetryAfterError) return later(job, failure.ms, token);
    const reason = redactSecrets(failure instanceof Error ? failure.message : String(failure));
    throw failure instanceof PermanentSendError ? new UnrecoverableError(reason) : new Error(reason);
  }
  await turn.sent();
  return "sent";
}
