import type { Queue } from "bullmq";

/** Resolves once the queues have nothing waiting or running, or after timeoutMs, whichever is first. */
export async function waitForIdle(queues: Queue[], timeoutMs: number, pollMs = 50): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    // Checked in order: a fan-out finishing before its messages are counted still shows them queued.
    const counts = [];
    for (const q of queues) counts.push(await q.getJobCounts("waiting", "active", "delayed", "prioritized"));
    if (counts.every((c) => Object.values(c).every((n) => n === 0))) return true;
    if (Date.now() > deadline) return false;
    await new Promise((r) => setTimeout(r, pollMs));
  }
}
