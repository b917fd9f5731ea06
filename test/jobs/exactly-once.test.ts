import { randomBytes } from "node:crypto";
import type { Worker } from "bullmq";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { App } from "../../app/container.ts";
import type { OutboundMessage } from "../../core/notifications/messenger.ts";
import { enqueueOutbound, outboundJobId } from "../../jobs/outbound.ts";
import type { JobTuning } from "../../jobs/tuning.ts";
import { startTestApp } from "../support/app.ts";
import { createTestDatabase } from "../support/database.ts";
import { ScriptedPlatform, until } from "../fakes/scripted-platform.ts";

/**
 * A worker process dying at the worst moments, for real: its outbound worker
 * is closed by force (no lock renewals, no completion), and another process
 * on the same queue takes the stalled job over. Timings are shortened so a
 * lock lapses in a second rather than thirty.
 */
const FAST: Partial<JobTuning> = { backoffMs: 5, lockDurationMs: 1_000, stalledIntervalMs: 250, sendClaimMs: 4_000 };

let env: Awaited<ReturnType<typeof createTestDatabase>>;
const running: App[] = [];

beforeAll(async () => {
  env = await createTestDatabase();
});
afterEach(async () => {
  for (const app of running.splice(0)) await app.stop();
});
afterAll(async () => {
  await env?.drop();
});

/** One Clout worker process on the queue `prefix`, reaching the outside world through `platform`. */
async function workerProcess(prefix: string, platform: ScriptedPlatform): Promise<App> {
  const app = await startTestApp(env.url, { workers: true, messengers: [platform], jobs: FAST, env: { QUEUE_PREFIX: prefix } });
  running.push(app);
  return app;
}

const outboundWorker = (app: App): Worker => app.workers!.workers.find((w) => w.name === "outbound")!;

/** Kills the process's outbound worker mid-job: no graceful hand-back, its lock simply stops being renewed. */
const kill = (app: App) => outboundWorker(app).close(true);

const message = (text: string): OutboundMessage => ({ target: { platform: "slack", externalId: "T1:U1", name: "Olivia Owner" }, reply: { text }, workspaceId: "ws-1" });

async function settled(app: App, jobId: string) {
  await until(`job ${jobId} to complete`, async () => (await app.queues.outbound.getJobState(jobId)) === "completed", 15_000);
  // Whatever could still send a second copy has had its chance by now.
  await new Promise((r) => setTimeout(r, 300));
  return (await app.queues.outbound.getJob(jobId))!;
}

describe("outbound messages are sent once", () => {
  it("the same dedupe key added twice sends once, also after the first job was trimmed away", async () => {
    const platform = new ScriptedPlatform("slack");
    const app = await workerProcess(`test-${randomBytes(4).toString("hex")}`, platform);
    const id = outboundJobId(message("hello"), "event-42");
    await Promise.all([enqueueOutbound(app.queues, message("hello"), "event-42"), enqueueOutbound(app.queues, message("hello"), "event-42")]);
    expect((await settled(app, id)).returnvalue).toBe("sent");
    // Finished jobs are trimmed after a day; the sent record outlives them.
    await (await app.queues.outbound.getJob(id))!.remove();
    await enqueueOutbound(app.queues, message("hello"), "event-42");
    expect((await settled(app, id)).returnvalue).toBe("duplicate");
    expect(platform.delivered).toHaveLength(1);
    expect(platform.calls).toBe(1);
  });

  it("a job retried after its send succeeded (its worker died before completing it) is not sent again", async () => {
    const prefix = `test-${randomBytes(4).toString("hex")}`;
    let finish!: () => void;
    const platform = new ScriptedPlatform("slack").next({ hold: new Promise<void>((r) => (finish = r)) });
    const first = await workerProcess(prefix, platform);
    await enqueueOutbound(first.queues, message("after the send"), "event-43");
    const id = outboundJobId(message("after the send"), "event-43");
    await until("the send to start", () => platform.calls === 1);
    await kill(first);
    // The lock lapses while the platform is still answering; the send then succeeds, but the job can no longer be completed.
    await new Promise((r) => setTimeout(r, FAST.lockDurationMs! + 200));
    finish();
    await until("the platform to accept it", () => platform.delivered.length === 1);
    const second = await workerProcess(prefix, platform);
    const job = await settled(second, id);
    expect(job.returnvalue).toBe("duplicate");
    expect(platform.delivered).toHaveLength(1);
    expect(platform.calls).toBe(1);
  });

  it("a worker killed mid-send: the new worker waits for the send in flight instead of racing it, and the message arrives once", async () => {
    const prefix = `test-${randomBytes(4).toString("hex")}`;
    let finish!: () => void;
    const platform = new ScriptedPlatform("slack").next({ hold: new Promise<void>((r) => (finish = r)) });
    const first = await workerProcess(prefix, platform);
    await enqueueOutbound(first.queues, message("mid-send"), "event-44");
    const id = outboundJobId(message("mid-send"), "event-44");
    await until("the send to start", () => platform.calls === 1);
    await kill(first);
    const second = await workerProcess(prefix, platform);
    await until("the new worker to find the send in flight", async () => (await second.queues.outbound.getJobState(id)) === "delayed");
    expect(platform.calls).toBe(1);
    finish();
    const job = await settled(second, id);
    expect(job.returnvalue).toBe("duplicate");
    expect(platform.delivered).toHaveLength(1);
    expect(platform.calls).toBe(1);
  });

  it("a worker killed mid-send whose call never returns: once its claim lapses the new worker sends, and the message arrives once", async () => {
    const prefix = `test-${randomBytes(4).toString("hex")}`;
    const platform = new ScriptedPlatform("slack").next("hang");
    const first = await workerProcess(prefix, platform);
    await enqueueOutbound(first.queues, message("never returned"), "event-45");
    const id = outboundJobId(message("never returned"), "event-45");
    await until("the send to start", () => platform.calls === 1);
    await kill(first);
    const second = await workerProcess(prefix, platform);
    const job = await settled(second, id);
    expect(job.returnvalue).toBe("sent");
    expect(platform.delivered).toHaveLength(1);
    expect(platform.calls).toBe(2);
  });
});
