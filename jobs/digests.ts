import type { Job } from "bullmq";
import type { CoreDeps } from "../core/commands/types.ts";
import { periodBefore } from "../core/digests/cadence.ts";
import { digestReply } from "../core/digests/digest.ts";
import { claimDueDigests, type DueDigest } from "../core/digests/schedules.ts";
import { enqueueOutbound } from "./outbound.ts";
import type { Queues } from "./queues.ts";

/** The digests queue: the every-minute "tick" that claims due schedules, and one "post" per claimed run. */
export type DigestJob = Record<string, never> | DueDigest;

type Deps = Pick<CoreDeps, "db" | "clock" | "digestWriter"> & { queues: Pick<Queues, "digests" | "outbound"> };

/** The job id of one run of one schedule: a claim replayed after a lost commit adds nothing new. */
const runJobId = (d: DueDigest) => `digest-${d.scheduleId}-${Date.parse(d.runAt)}`;

export function runDigestJob(deps: Deps, job: Job<DigestJob>): Promise<unknown> {
  if (job.name === "post") return postDigest(deps, job.data as DueDigest);
  return claimDueDigests(deps, async (due) => {
    await deps.queues.digests.addBulk(due.map((d) => ({ name: "post", data: d, opts: { jobId: runJobId(d) } })));
  });
}

/** Builds the run's digest (the day or week up to when it was due) and hands it to the outbound queue, once per run. */
async function postDigest(deps: Deps, d: DueDigest): Promise<void> {
  const reply = await digestReply(deps, { workspaceId: d.workspaceId, ...periodBefore(d.cadence, new Date(d.runAt)) }, d.target.locale ?? "en");
  await enqueueOutbound(deps.queues, { target: d.target, reply, workspaceId: d.workspaceId }, runJobId(d));
}
