import type { SyncTarget } from "../../core/sync/account.ts";
import type { Queues } from "../queues.ts";

/** Long enough for a creator's other platforms, synced in the same run, to be stored first. */
const SCORE_DELAY_MS = 2_000;

/** Whose analytics to recompute. */
export type ScoreJob = Pick<SyncTarget, "workspaceId" | "creatorId">;

/**
 * A creator's analytics are recomputed once after their accounts were
 * synced, not once per account: the job id names the creator, so the
 * accounts stored while one is waiting join it. Off the sync's own path, at
 * a concurrency of its own, so scoring never holds up collecting.
 */
export async function queueScore(queues: Pick<Queues, "scores">, target: ScoreJob): Promise<void> {
  await queues.scores.add("score", { workspaceId: target.workspaceId, creatorId: target.creatorId }, { jobId: `score-${target.creatorId}`, delay: SCORE_DELAY_MS, removeOnComplete: true, removeOnFail: { age: 86_400 } });
}
