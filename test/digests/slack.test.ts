/**
 * Digests through the real app, workers and Slack adapter against the fake
 * Slack API: `digest now` acknowledged at once and answered with the digest
 * and its chart uploaded; `digest schedule` refusing bad input with an
 * example; a daily schedule firing exactly once at 09:00 in the workspace's
 * time zone (Nairobi, UTC+3) with two app instances ticking on one injected
 * clock, and not a minute before.
 */
import { randomBytes } from "node:crypto";
import { PNG } from "pngjs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { App } from "../../app/container.ts";
import { ManualClock } from "../../core/clock.ts";
import { runCommand } from "../../core/commands/run.ts";
import { startTestApp } from "../support/app.ts";
import { createTestDatabase } from "../support/database.ts";
import { BOT_TOKEN, SIGNING_SECRET, type SlackHarness, startSlackHarness, TEAM } from "../support/slack.ts";
import { seedDigestFixture } from "./fixture.ts";

let env: Awaited<ReturnType<typeof createTestDatabase>>;
let h: SlackHarness;
let second: App;
// Midnight UTC after the fixture's week: `digest now` covers exactly that week.
const clock = new ManualClock(new Date("2026-07-15T00:00:00Z"));
const CHANNEL = "C0CAMPAIGN";

beforeAll(async () => {
  env = await createTestDatabase();
  const prefix = `test-${randomBytes(4).toString("hex")}`;
  const shared = { QUEUE_PREFIX: prefix, CLOUT_SECRET: "test-secret-".padEnd(40, "x") };
  h = await startSlackHarness(env.url, { workers: true, clock, env: shared });
  // Another instance on the same database, queues and clock: its workers take the same jobs.
  second = await startTestApp(env.url, { workers: true, clock, env: { ...shared, SLACK_SIGNING_SECRET: SIGNING_SECRET, SLACK_BOT_TOKEN: BOT_TOKEN, SLACK_API_URL: h.api.url } });
  await h.app.database.db.workspace.update({ where: { id: h.team.workspaceId }, data: { timezone: "Africa/Nairobi" } });
  await seedDigestFixture(h.app.database.db, "", h.team);
});
afterAll(async () => {
  await second?.stop();
  await h?.stop();
  await env?.drop();
});

const digestsPosted = () => h.api.messages.filter((m) => m.channel === CHANNEL && JSON.stringify(m.blocks ?? m.text).includes("Digest · Slack Brand"));

describe("digest now", () => {
  it("says it is working, then posts the digest with its chart uploaded", async () => {
    const ack = await h.command("analyst", 'digest now --campaign "Glow Up"', "now1");
    expect(ack.status).toBe(200);
    expect(JSON.stringify(ack.json)).toContain("Working on it");
    const answer = await h.api.waitForResponse((r) => r.id === "now1" && JSON.stringify(r.body).includes("Digest · Glow Up"), 15_000);
    const body = JSON.stringify(answer.body);
    expect(body).toContain("Murugi and Njugush drove 80% of engagement");
    expect(body).toContain("Consider moving budget to Murugi and Njugush");
    expect(body).toContain("Fees vs budget");
    await expect.poll(() => h.api.uploads.find((u) => u.completed && u.filename.startsWith("digest-")), { timeout: 15_000 }).toBeTruthy();
    const upload = h.api.uploads.find((u) => u.filename.startsWith("digest-"))!;
    expect(upload.channelId).toBe(CHANNEL);
    const png = PNG.sync.read(upload.bytes!);
    expect([png.width, png.height]).toEqual([1200, 640]);
    expect(upload.altText).toContain("Glow Up");
  }, 30_000);
});

describe("digest schedule", () => {
  it("refuses bad input with what was wrong and a right example, storing nothing", async () => {
    const wrong = await h.command("manager", "digest schedule hourly", "bad1");
    expect(JSON.stringify(wrong.json)).toMatch(/daily.*weekly.*off/);
    expect(JSON.stringify(wrong.json)).toContain("digest schedule weekly --channel here");
    const hour = await runCommand(h.app.runner, { text: "digest schedule daily --hour 25", caller: { ...h.team.members.manager.caller, conversation: { externalId: "x", name: "x" } } });
    expect(hour.ok).toBe(false);
    expect(hour.reply.text).toContain("--hour");
    const analyst = await h.command("analyst", "digest schedule daily", "bad2");
    expect(JSON.stringify(analyst.json)).toMatch(/owner, admin, manager/i);
    expect(await h.app.database.db.digestSchedule.count()).toBe(0);
  });

  it("fires once at 09:00 in the workspace's time zone across two instances, and not before", async () => {
    // 09:30 in Nairobi: today's 09:00 has passed, the first is tomorrow's.
    clock.set(new Date("2026-07-15T06:30:00Z"));
    const set = await h.command("admin", "digest schedule daily --channel here", "set1");
    expect(JSON.stringify(set.json)).toContain("every day at 09:00 (Africa/Nairobi). The first one: 2026-07-16 09:00");
    const row = await h.app.database.db.digestSchedule.findFirstOrThrow();
    expect([row.platform, row.channel, row.isChannel, row.nextRunAt.toISOString()]).toEqual(["slack", `${TEAM}:${CHANNEL}`, true, "2026-07-16T06:00:00.000Z"]);

    const tick = (tag: string) => h.app.queues.digests.addBulk([1, 2, 3, 4, 5, 6].map((n) => ({ name: "tick", data: {}, opts: { jobId: `${tag}-${n}` } })));
    const ticked = async (n: number) => expect.poll(async () => (await h.app.queues.digests.getJobCounts("completed")).completed, { timeout: 15_000 }).toBeGreaterThanOrEqual(n);
    clock.set(new Date("2026-07-16T05:59:00Z"));
    await tick("early");
    await ticked(6);
    expect(digestsPosted()).toHaveLength(0);

    clock.set(new Date("2026-07-16T06:00:20Z"));
    await tick("due");
    await expect.poll(() => digestsPosted().length, { timeout: 15_000 }).toBe(1);
    // 12 ticks and the one post, then some time for a duplicate to show up if there were one.
    await ticked(13);
    await new Promise((r) => setTimeout(r, 1_500));
    expect(digestsPosted()).toHaveLength(1);
    expect(JSON.stringify(digestsPosted()[0]!.blocks)).toContain("Digest · Slack Brand · 2026-07-15 to 2026-07-16");
    const after = await h.app.database.db.digestSchedule.findFirstOrThrow();
    expect(after.nextRunAt.toISOString()).toBe("2026-07-17T06:00:00.000Z");
    expect(after.lastRunAt?.toISOString()).toBe("2026-07-16T06:00:20.000Z");
  }, 45_000);

  it("stops with off", async () => {
    const off = await h.command("admin", "digest schedule off", "off1");
    expect(JSON.stringify(off.json)).toContain("Scheduled digests for this channel are off");
    expect(await h.app.database.db.digestSchedule.count()).toBe(0);
  });
});
