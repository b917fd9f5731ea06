import type { Job, Queue } from "bullmq";
import type { OutboundMessage } from "../core/notifications/messenger.ts";
import type { FailedMessage, Outbox } from "../core/outbox/port.ts";
import { platformOf } from "./outbound.ts";

/** The failed set is shared by every workspace; this many of its newest are looked through for one workspace's. */
const SCAN_LIMIT = 2_000;
const PAGE = 200;

type OutboundQueue = Queue<OutboundMessage, unknown, string>;

function failedMessage(job: Job<OutboundMessage>): FailedMessage {
  return {
    id: job.id!,
    platform: platformOf(job.data),
    recipient: "target" in job.data ? job.data.target.name : null,
    kind: "target" in job.data ? "message" : "update" in job.data ? "edit" : "answer",
    // Stored already redacted (paceAndSend throws it so); BullMQ's own reasons (a stalled job) carry nothing secret.
    reason: job.failedReason ?? "",
    attempts: job.attemptsMade,
    failedAt: new Date(job.finishedOn ?? job.timestamp),
  };
}

/** Back to waiting with a fresh set of attempts; false when it is no longer failed (someone retried it first). */
async function resend(job: Job<OutboundMessage>): Promise<boolean> {
  try {
    await job.retry("failed", { resetAttemptsMade: true, resetAttemptsStarted: true });
    return true;
  } catch (err) {
    if (await job.isFailed()) throw err;
    return false;
  }
}

/** The Outbox port over the outbound queue's failed set, one workspace's messages at a time. */
export function queueOutbox(queue: OutboundQueue): Outbox {
  async function deadLetters(workspaceId: string): Promise<Job<OutboundMessage>[]> {
    const mine: Job<OutboundMessage>[] = [];
    for (let start = 0; start < SCAN_LIMIT; start += PAGE) {
      const page = await queue.getFailed(start, start + PAGE - 1);
      mine.push(...page.filter((job) => job?.data.workspaceId === workspaceId));
      if (page.length < PAGE) break;
    }
    return mine;
  }

  return {
    async failed(workspaceId, limit) {
      const mine = await deadLetters(workspaceId);
      return { messages: mine.slice(0, limit).map(failedMessage), total: mine.length };
    },
    async retry(workspaceId, id) {
      const job = await queue.getJob(id);
      if (!job || job.data.workspaceId !== workspaceId || !(await job.isFailed())) return false;
      return resend(job);
    },
    async retryAll(workspaceId) {
      let n = 0;
      for (const job of await deadLetters(workspaceId)) if (await resend(job)) n++;
      return n;
    },
  };
}
