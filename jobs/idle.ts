import type { Queue } from "bullmq";

/** Resolves once the queue has nothing waiting or running, or after timeoutMs, whichever is first. */
export async function waitForIdle(queue: Queue, timeoutMs: number, pollMs = 50): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const c = await queue.getJobCounts("waiting", "active", "delayed", "prioritized");
    if (Object.values(c).every((n) => n === 0)) return true;
    if (Date.now() > deadline) return false;
    await new Promise((r) => setTimeout(r, pollMs));
  }
}
