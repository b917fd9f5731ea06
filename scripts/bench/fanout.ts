/**
 * scripts/bench/fanout: how fast Clout's outbound queue delivers a large
 * fan-out of invitation offers to WhatsApp, and whether it keeps to the
 * limits while doing it (issue #5's benchmark; run it through
 * scripts/bench/fanout, which prepares PostgreSQL, Redis and node_modules).
 *
 * Set-up: a fresh database bench_<random> on TEST_DATABASE_URL's server, a
 * FakeWhatsAppApi (test/fakes) and the real composition root in this process
 * with its workers on and WhatsApp pointed at the fake; queue keys under a
 * bench-<random> prefix of the test Redis.
 *
 * Load: COUNT offers (an invitation card each) added to the outbound queue
 * the way the notifications worker's fan-out adds them (one addBulk, one job
 * per recipient, keyed by event and recipient), to COUNT / PER_NUMBER
 * distinct numbers; then the time until the fake has them all. Beside it, in
 * the same run, a bare BullMQ queue and worker with the outbound worker's
 * concurrency and a no-op processor take the same number of jobs: the ratio
 * says how much of the queue's speed the pacing, the ledger and the send
 * cost. Compliance is measured where the messages land: each offer once, the
 * gap between messages to one number, the busiest second platform-wide,
 * against jobs/outbound-limits.ts.
 *
 * Clean-up, also on Ctrl-C: the app and the fake stopped, the queue keys
 * deleted from Redis, the database dropped.
 */
import { randomBytes } from "node:crypto";
import { Queue, Worker } from "bullmq";
import pino from "pino";
import { loadConfig } from "../../app/config.ts";
import { createApp, type App } from "../../app/container.ts";
import type { OutboundMessage } from "../../core/notifications/messenger.ts";
import { connectRedis } from "../../jobs/connection.ts";
import { OUTBOUND_INTERVAL_MS, PLATFORM_INTERVAL_MS } from "../../jobs/outbound-limits.ts";
import { hashKey } from "../../jobs/outbound.ts";
import { FakeWhatsAppApi } from "../../test/fakes/whatsapp-api.ts";
import { benchDatabase, TEST_REDIS_URL } from "./lib/bench-db.ts";
import { benchCli } from "./lib/cli.ts";
import { cleanupOnExit } from "./lib/cleanup.ts";
import { deleteKeys } from "./lib/redis-keys.ts";

const USAGE = `usage: scripts/bench/fanout [options]

  --count N        offers to send (default 10000)
  --per-number K   offers per number (default 1: every offer to a number of its own)
  --help           this text

Environment: TEST_DATABASE_URL, TEST_REDIS_URL (set by the shell wrapper).`;

const { flags, positive, fail, log } = benchCli("fanout", USAGE, { count: { type: "string" }, "per-number": { type: "string" } });
const COUNT = positive(flags.count, 10_000, "count");
const PER_NUMBER = positive(flags["per-number"], 1, "per-number");
if (COUNT % PER_NUMBER) fail(`--count (${COUNT}) must be a multiple of --per-number (${PER_NUMBER})`);

/** Arrivals are stamped by the fake, slots taken just before the request: the send's own latency sits between them. */
const TOLERANCE_MS = 50;
/** The outbound worker's concurrency (jobs/workers.ts), given to the no-op baseline too. */
const CONCURRENCY = 8;
const WA = { accessToken: "EAAG-bench-access-token", phoneNumberId: "106540352242922" };

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const { add: onCleanup, cleanup } = cleanupOnExit(log);

/** Jobs per second of a bare BullMQ queue whose worker does nothing: the ceiling the queue itself sets on this machine. */
async function noopBaseline(prefix: string): Promise<{ ms: number; perSecond: number }> {
  // The app's own connection policy, one connection shared as the app's workers share theirs.
  const connection = connectRedis(TEST_REDIS_URL, "worker");
  const queue = new Queue("noop", { connection, prefix });
  let done = 0;
  const worker = new Worker("noop", async () => {}, { connection, prefix, concurrency: CONCURRENCY });
  worker.on("completed", () => void done++);
  await worker.waitUntilReady();
  const started = performance.now();
  await queue.addBulk(Array.from({ length: COUNT }, (_, i) => ({ name: "noop", data: { i }, opts: { jobId: `noop-${i}`, removeOnComplete: { count: 1000 } } })));
  while (done < COUNT) await sleep(5);
  const ms = performance.now() - started;
  await worker.close();
  await queue.close();
  connection.disconnect();
  return { ms, perSecond: COUNT / (ms / 1_000) };
}

function offer(i: number, phone: string): OutboundMessage {
  const number = i + 1;
  return {
    target: { platform: "whatsapp", externalId: phone, name: `Creator ${i}` },
    reply: {
      title: `Invitation #${number} · Bench Launch`,
      text: "Bench Brand invites you to **Bench Launch** for $100.00.",
      fields: [
        { label: "Fee", value: "$100.00", inline: true },
        { label: "Expires", value: "2099-01-08 00:00 UTC", inline: true },
      ],
    },
    workspaceId: "bench",
  };
}

async function main(): Promise<void> {
  // The Redis keys go after the app, registered later, has stopped: its workers would recreate them.
  const { prefix, url } = await benchDatabase(log, onCleanup);

  const api = new FakeWhatsAppApi(WA);
  await api.start();
  onCleanup("stop the fake Graph API", () => api.stop());

  log(`bare BullMQ: ${COUNT} no-op jobs, concurrency ${CONCURRENCY}`);
  const baseline = await noopBaseline(`${prefix}-noop`);
  onCleanup(`delete Redis keys ${prefix}-noop:*`, () => deleteKeys(TEST_REDIS_URL, `${prefix}-noop`));

  const config = loadConfig({
    DATABASE_URL: url,
    REDIS_URL: TEST_REDIS_URL,
    QUEUE_PREFIX: prefix,
    PORT: "0",
    LOG_LEVEL: "silent",
    CLOUT_SECRET: randomBytes(36).toString("base64url"),
    WHATSAPP_ACCESS_TOKEN: WA.accessToken,
    WHATSAPP_PHONE_NUMBER_ID: WA.phoneNumberId,
    WHATSAPP_APP_SECRET: "bench-app-secret",
    WHATSAPP_VERIFY_TOKEN: "bench-verify-token",
    WHATSAPP_API_URL: api.url,
  });
  const app: App = await createApp(config, { log: pino({ level: "warn" }), workers: true });
  onCleanup("stop Clout", () => app.stop());

  const numbers = COUNT / PER_NUMBER;
  const phoneOf = (i: number) => `+5511${String(100_000_000 + (i % numbers))}`;
  const phones = Array.from({ length: COUNT }, (_, i) => phoneOf(i));
  const minimumMs = Math.max((COUNT - 1) * PLATFORM_INTERVAL_MS.whatsapp!, (PER_NUMBER - 1) * OUTBOUND_INTERVAL_MS.whatsapp!);
  log(`Clout: ${COUNT} offers to ${numbers} numbers; the limits allow it in ${(minimumMs / 1_000).toFixed(1)} s at the fastest`);
  const started = performance.now();
  const startedAt = Date.now();
  for (let i = 0; i < COUNT; i += 1_000) {
    const batch = phones.slice(i, i + 1_000).map((phone, k) => ({ name: "whatsapp", data: offer(i + k, phone), opts: { jobId: `bench-${hashKey("whatsapp", phone, String(i + k))}` } }));
    await app.queues.outbound.addBulk(batch);
  }
  let lastReport = performance.now();
  while (api.sent.length < COUNT) {
    await sleep(50);
    if (performance.now() - lastReport > 10_000) {
      lastReport = performance.now();
      log(`${api.sent.length}/${COUNT} delivered after ${((lastReport - started) / 1_000).toFixed(0)} s`);
    }
    const failed = await app.queues.outbound.getFailedCount();
    if (failed > 0) throw new Error(`${failed} outbound jobs failed; first: ${(await app.queues.outbound.getFailed(0, 0))[0]?.failedReason}`);
  }
  const ms = performance.now() - started;
  // Anything that would arrive twice has had its chance by now.
  await sleep(1_500);

  const byNumber = new Map<string, number[]>();
  for (const m of api.sent) byNumber.set(m.to, [...(byNumber.get(m.to) ?? []), m.at]);
  let minGap = Infinity;
  for (const times of byNumber.values()) {
    times.sort((a, b) => a - b);
    for (let i = 1; i < times.length; i++) minGap = Math.min(minGap, times[i]! - times[i - 1]!);
  }
  const arrivals = api.sent.map((m) => m.at).sort((a, b) => a - b);
  let busiest = 0;
  for (let i = 0, j = 0; i < arrivals.length; i++) {
    while (j < arrivals.length && arrivals[j]! < arrivals[i]! + 1_000) j++;
    busiest = Math.max(busiest, j - i);
  }
  const titles = new Set(api.sent.map((m) => FakeWhatsAppApi.textOf(m).split(" · ")[0]));
  const cap = Math.floor((1_000 + TOLERANCE_MS) / PLATFORM_INTERVAL_MS.whatsapp!) + 1;
  const perSecond = COUNT / (ms / 1_000);
  const ok = {
    exactlyOnce: api.sent.length === COUNT && titles.size === COUNT && [...byNumber.values()].every((t) => t.length === PER_NUMBER),
    perNumber: PER_NUMBER === 1 || minGap >= OUTBOUND_INTERVAL_MS.whatsapp! - TOLERANCE_MS,
    platform: busiest <= cap,
  };

  const row = (label: string, value: string) => process.stdout.write(`${label.padEnd(34)}${value}\n`);
  process.stdout.write(`\nfan-out to WhatsApp: ${COUNT} offers, ${numbers} numbers, ${PER_NUMBER} each (started ${new Date(startedAt).toISOString()})\n`);
  row("bare BullMQ no-op jobs", `${baseline.perSecond.toFixed(0)} jobs/s (${(baseline.ms / 1_000).toFixed(1)} s)`);
  row("Clout offers delivered", `${perSecond.toFixed(1)} sends/s (${(ms / 1_000).toFixed(1)} s)`);
  row("ratio to bare BullMQ", `${((perSecond / baseline.perSecond) * 100).toFixed(1)} %`);
  row("platform limit", `${(1_000 / PLATFORM_INTERVAL_MS.whatsapp!).toFixed(1)} sends/s (one per ${PLATFORM_INTERVAL_MS.whatsapp} ms); reached ${((perSecond / (1_000 / PLATFORM_INTERVAL_MS.whatsapp!)) * 100).toFixed(0)} % of it`);
  row("busiest 1 s window", `${busiest} (cap ${cap} with ${TOLERANCE_MS} ms tolerance) ${ok.platform ? "ok" : "EXCEEDED"}`);
  row("min gap to one number", PER_NUMBER === 1 ? "n/a (one offer per number)" : `${minGap} ms (limit ${OUTBOUND_INTERVAL_MS.whatsapp} ms) ${ok.perNumber ? "ok" : "EXCEEDED"}`);
  row("exactly once", `${api.sent.length} received, ${titles.size} distinct offers ${ok.exactlyOnce ? "ok" : "WRONG"}`);
  if (!ok.exactlyOnce || !ok.perNumber || !ok.platform) process.exitCode = 1;
}

main()
  .catch((err: unknown) => {
    log(`failed: ${(err as Error).stack ?? String(err)}`);
    process.exitCode = 1;
  })
  .finally(() => cleanup());
