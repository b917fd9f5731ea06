import type { App } from "../../app/container.ts";
import type { Db } from "../../db/database.ts";
import { until } from "../fakes/scripted-platform.ts";

/** Every stored metric of a workspace, row by row, in a stable order: equal readings mean nothing changed. */
export async function storedMetrics(db: Db, workspaceId: string) {
  const [snapshots, posts, comments] = await Promise.all([
    db.metricSnapshot.findMany({ where: { workspaceId }, orderBy: [{ creatorId: "asc" }, { platform: "asc" }, { capturedAt: "asc" }] }),
    db.socialPost.findMany({ where: { workspaceId }, orderBy: [{ creatorId: "asc" }, { platform: "asc" }, { externalId: "asc" }] }),
    db.postComment.findMany({ where: { workspaceId }, orderBy: [{ postId: "asc" }, { externalId: "asc" }] }),
  ]);
  return { snapshots, posts, comments };
}

/** Until no account of the queue is waiting, running or delayed, and every run's accounts have been queued. */
export async function drained(app: App, timeoutMs = 30_000): Promise<void> {
  await until(
    "the sync queue to drain",
    async () => {
      const sync = await app.queues.sync.getJobCounts("wait", "active", "delayed", "prioritized");
      const runs = await app.queues.syncRuns.getJobs(["wait", "active", "delayed", "prioritized"]);
      return Object.values(sync).every((n) => n === 0) && runs.every((j) => j?.name !== "run");
    },
    timeoutMs,
  );
}

/** How many account jobs a process's sync worker completed, from now on. */
export function completions(app: App): { count: number; ids: string[] } {
  const seen = { count: 0, ids: [] as string[] };
  app.workers!.workers.find((w) => w.name === "sync")!.on("completed", (job) => {
    seen.count++;
    seen.ids.push(job.id!);
  });
  return seen;
}

/** The most of `times` (ms, any order) within any span of `windowMs`: what a platform counting arrivals saw at its busiest. */
export function busiestWindow(times: number[], windowMs: number): number {
  const sorted = [...times].sort((a, b) => a - b);
  let most = 0;
  for (let lo = 0, hi = 0; hi < sorted.length; hi++) {
    while (sorted[hi]! - sorted[lo]! >= windowMs) lo++;
    most = Math.max(most, hi - lo + 1);
  }
  return most;
}
