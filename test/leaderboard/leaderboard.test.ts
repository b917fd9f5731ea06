/**
 * The leaderboard and feed (issue #7 item 2) on a real PostgreSQL and a
 * private Redis of this file's own, so FLUSHDB wipes nothing another file
 * uses. Boosts start and end through the core functions Stripe's webhook
 * and the expiry job call; every figure below is computed by hand from
 * score = (influence, or 50 without one) × boost multiplier.
 */
import { randomBytes, randomUUID } from "node:crypto";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { App } from "../../app/container.ts";
import { ManualClock } from "../../core/clock.ts";
import { runCommand } from "../../core/commands/run.ts";
import { translator } from "../../core/i18n/t.ts";
import { applyPaymentEvent } from "../../core/payments/apply.ts";
import { BOOST_PLANS, type BoostDuration } from "../../core/payments/boosts.ts";
import { expireBoosts } from "../../core/payments/expiry.ts";
import { rebuildAllBoards } from "../../core/leaderboard/standings.ts";
import { nameKey } from "../../core/names.ts";
import type { Role } from "../../core/roles.ts";
import { workspaceOverview } from "../../core/workspaces/overview.ts";
import { startTestApp } from "../support/app.ts";
import { runAll } from "../support/commands.ts";
import { createTestDatabase } from "../support/database.ts";
import { freePort, PrivateRedis } from "../support/private-redis.ts";
import { createTeam, type Team } from "../support/team.ts";

const HOUR = 3_600_000;
const clock = new ManualClock(new Date("2026-06-01T09:00:00Z"));
let env: Awaited<ReturnType<typeof createTestDatabase>>;
let server: PrivateRedis;
let redis: Redis;
let app: App;
let team: Team;
let rival: Team;
const edu = { platform: "console" as const, externalId: "", displayName: "Edu Elias" };

beforeAll(async () => {
  env = await createTestDatabase();
  server = new PrivateRedis(await freePort());
  await server.start();
  const url = `redis://127.0.0.1:${server.port}`;
  redis = new Redis(url);
  // Workers on (the rebuild job runs on them), schedules off: no rebuild lands mid-test unasked.
  app = await startTestApp(env.url, { clock, workers: true, env: { REDIS_URL: url } });
  const db = app.database.db;
  team = await createTeam(db, "Glow");
  rival = await createTeam(db, "Rival");
  // A second creator who is a member, so two creators can accept invitations themselves.
  edu.externalId = `${team.slug}:edu`;
  await db.member.create({ data: { id: randomUUID(), workspaceId: team.workspaceId, displayName: "Edu Elias", nameKey: nameKey("Edu Elias"), role: "creator", identities: { create: { id: randomUUID(), platform: "console", externalId: edu.externalId } } } });
  await runAll(app.runner, team.members.owner.caller, [
    'creator add "Ana Alves" --instagram ana',
    'creator add "Bia Borges" --instagram bia',
    'creator add "Cris Creator" --member "Cris Creator" --instagram cris',
    'creator add "Duda Dias" --instagram duda',
    'creator add "Edu Elias" --member "Edu Elias" --instagram edu',
  ]);
  await runAll(app.runner, rival.members.owner.caller, ['creator add "Rita Rival" --instagram rita', 'creator add "Rui Rival" --instagram rui']);
  // Issue #8's metrics sync will do this: write the score, then say so.
  await score(team, { "Ana Alves": 80, "Cris Creator": 40, "Duda Dias": 30 });
  await score(rival, { "Rita Rival": 100, "Rui Rival": 95 });
});
afterAll(async () => {
  await app?.stop();
  redis?.disconnect();
  await server?.kill();
  await env?.drop();
});

async function score(t: Team, scores: Record<string, number>) {
  for (const [name, influence] of Object.entries(scores)) {
    const c = await app.database.db.creator.update({ where: { workspaceId_nameKey: { workspaceId: t.workspaceId, nameKey: nameKey(name) } }, data: { influenceScore: influence } });
    await app.runner.events.publish([{ type: "creator.changed", workspaceId: t.workspaceId, creatorId: c.id, change: "scored", at: clock.now().toISOString() }]);
  }
}

const as = (role: Role, text: string, t: Team = team) => runCommand(app.runner, { text, caller: t.members[role].caller });

/** The board as [creator, score, boost] rows, best first. */
async function board(text = "leaderboard", t: Team = team, role: Role = "analyst") {
  const r = await as(role, text, t);
  expect(r.ok, r.reply.text).toBe(true);
  return (r.reply.table?.rows ?? []).map(([rank, creator, score, boost]) => `${rank} ${creator} ${score} ${boost}`);
}

/** A paid boost, the way Stripe's webhook delivers it: a pending boost and its Checkout session, then the paid event applied. */
async function boostPaid(name: string, duration: BoostDuration): Promise<string> {
  const db = app.database.db;
  const creator = await db.creator.findFirstOrThrow({ where: { workspaceId: team.workspaceId, nameKey: nameKey(name) } });
  const now = clock.now();
  const [boostId, sessionId, paymentId] = [randomUUID(), `cs_test_${randomBytes(8).toString("hex")}`, `pi_${randomBytes(8).toString("hex")}`];
  await db.boost.create({ data: { id: boostId, workspaceId: team.workspaceId, creatorId: creator.id, duration, multiplier: BOOST_PLANS[duration].multiplier, amountMinor: 500n, currency: "USD", createdAt: now, updatedAt: now } });
  await db.checkoutSession.create({ data: { id: sessionId, workspaceId: team.workspaceId, boostId, idempotencyKey: sessionId, url: `https://checkout.stripe.com/c/pay/${sessionId}`, amountMinor: 500n, currency: "USD", expiresAt: new Date(now.getTime() + HOUR), createdAt: now } });
  expect(await applyPaymentEvent(app.runner, { id: `evt_${randomBytes(8).toString("hex")}`, kind: "checkout.paid", sessionId, paymentId })).toBe("applied");
  return paymentId;
}

const UNBOOSTED = ["1 Ana Alves (#1) 80 —", "2 Bia Borges (#2) 50 —", "3 Edu Elias (#5) 50 —", "4 Cris Creator (#3) 40 —", "5 Duda Dias (#4) 30 —"];

describe("leaderboard", () => {
  it("ranks by influence score × boost multiplier, 50 for a creator with no score yet, ties in the order creators were added", async () => {
    expect(await board()).toEqual(UNBOOSTED);
    const r = await as("analyst", "leaderboard");
    expect(r.reply.title).toBe("Leaderboard · Glow");
    expect(r.reply.table?.total).toBe(5);
    expect(r.reply.text).toContain("50 until metrics give one");
  });

  it("moves a creator up when a boost is paid for, and back when it expires or is refunded", async () => {
    const duda = await boostPaid("Duda Dias", "30d"); // 30 × 3 = 90
    await boostPaid("Edu Elias", "24h"); // 50 × 1.5 = 75
    expect(await board()).toEqual([
      "1 Duda Dias (#4) 90 ⚡ ×3 until 2026-07-01 09:00 UTC",
      "2 Ana Alves (#1) 80 —",
      "3 Edu Elias (#5) 75 ⚡ ×1.5 until 2026-06-02 09:00 UTC",
      "4 Bia Borges (#2) 50 —",
      "5 Cris Creator (#3) 40 —",
    ]);
    const feed = (await as("creator", "feed")).reply.text!;
    expect(feed).toContain("**1. Duda Dias** (#4) · score 90 · ⚡ boosted ×3 until 2026-07-01 09:00 UTC");
    expect(feed).toContain("**4. Bia Borges** (#2) · score 50\n");
    expect(feed).toContain("5 of 5 creators");

    clock.advance(25 * HOUR);
    expect(await expireBoosts(app.runner)).toBe(1);
    // Back level with Bia, who was added first.
    expect(await board()).toEqual(["1 Duda Dias (#4) 90 ⚡ ×3 until 2026-07-01 09:00 UTC", "2 Ana Alves (#1) 80 —", "3 Bia Borges (#2) 50 —", "4 Edu Elias (#5) 50 —", "5 Cris Creator (#3) 40 —"]);

    expect(await applyPaymentEvent(app.runner, { id: `evt_${randomBytes(8).toString("hex")}`, kind: "payment.refunded", paymentId: duda })).toBe("applied");
    expect(await board()).toEqual(UNBOOSTED);
  });

  it("gives the same board after FLUSHDB, rebuilt by the job, or by the first read that finds it gone", async () => {
    await boostPaid("Cris Creator", "7d"); // 40 × 2 = 80, level with Ana: Ana was added first
    const before = await board();
    expect(before.slice(0, 2)).toEqual(["1 Ana Alves (#1) 80 —", "2 Cris Creator (#3) 80 ⚡ ×2 until 2026-06-09 10:00 UTC"]);
    const raw = async () => redis.zrevrange((await redis.keys("*:rank:*")).find((k) => k.endsWith(team.workspaceId))!, 0, -1, "WITHSCORES");
    const rawBefore = await raw();

    await redis.flushdb();
    await app.queues.rankings.add("rebuild", {});
    await expect.poll(async () => (await redis.keys("*:rank:*:built")).length, { timeout: 10_000 }).toBe(2);
    expect(await raw()).toEqual(rawBefore);
    expect(await board()).toEqual(before);

    await redis.flushdb();
    // Readers arriving together share one rebuild, and none of them sees an empty board.
    const boards = await Promise.all([board(), board("feed"), board()]);
    expect(boards[0]).toEqual(before);
    expect(boards[2]).toEqual(before);
    expect(await rebuildAllBoards(app.runner)).toEqual({ workspaces: 2, creators: 7 });
    expect(await board()).toEqual(before);
  });

  it("keeps tenants apart: another workspace's creators never appear, whatever their scores", async () => {
    const ours = await as("analyst", "leaderboard");
    const theirs = await as("analyst", "leaderboard", rival);
    expect(ours.reply.table?.rows.map((r) => r[1]).join()).not.toMatch(/Rival/);
    expect((await as("analyst", "feed")).reply.text).not.toMatch(/Rival/);
    expect(theirs.reply.table?.rows).toEqual([
      ["1", "Rita Rival (#1)", "100", "—"],
      ["2", "Rui Rival (#2)", "95", "—"],
    ]);
    expect(theirs.reply.table?.total).toBe(2);
  });

  it("ranks a campaign's contracted creators only, joined when they accept", async () => {
    await runAll(app.runner, team.members.owner.caller, [
      'campaign create "Summer Launch" --budget 1000 --start 2026-06-01 --end 2026-06-30 --objective sales',
      "campaign submit 1",
      "campaign approve 1",
      'invite "Cris Creator" --campaign 1 --fee 100',
      'invite "Edu Elias" --campaign 1 --fee 100',
      'invite "Ana Alves" --campaign 1 --fee 100',
    ]);
    const empty = await as("analyst", "leaderboard --campaign 1");
    expect(empty.reply.text).toContain("No creator has a contract on Summer Launch yet");
    await runAll(app.runner, team.members.creator.caller, ["accept 1"]);
    await runAll(app.runner, edu, ["accept 2"]);
    const r = await as("analyst", 'leaderboard --campaign "Summer Launch"');
    expect(r.reply.title).toBe("Leaderboard · Summer Launch");
    // Ana was invited but has not accepted: not on the board. Bia and Duda were never invited.
    expect(await board('leaderboard --campaign "Summer Launch"')).toEqual(["1 Cris Creator (#3) 80 ⚡ ×2 until 2026-06-09 10:00 UTC", "2 Edu Elias (#5) 50 —"]);
    // A creator asking sees where they stand.
    const mine = await runCommand(app.runner, { text: "leaderboard --campaign 1", caller: edu });
    expect(mine.reply.text).toContain("You are #2 of 2.");
    expect((await as("creator", "leaderboard")).reply.text).toContain("You are #2 of 5.");
    // Survives a wipe too.
    await redis.flushdb();
    expect(await board("leaderboard --campaign 1")).toEqual(["1 Cris Creator (#3) 80 ⚡ ×2 until 2026-06-09 10:00 UTC", "2 Edu Elias (#5) 50 —"]);
  });

  it("answers in Portuguese, with the score in its number format", async () => {
    await boostPaid("Bia Borges", "24h");
    await score(team, { "Bia Borges": 33.2 }); // 33.2 × 1.5 = 49.8
    const r = await runCommand(app.runner, { text: "leaderboard", caller: { ...team.members.analyst.caller, locale: "pt-BR" } });
    expect(r.reply.title).toBe("Classificação · Glow");
    expect(r.reply.table?.columns).toEqual(["#", "Criador", "Pontuação", "Impulso"]);
    expect(r.reply.table?.rows.find((row) => row[1] === "Bia Borges (#2)")?.slice(2)).toEqual(["49,8", "⚡ ×1.5 até 2026-06-03 10:00 UTC"]);
  });

  it("puts the top 5 on the workspace overview (Slack's App Home), boosts marked", async () => {
    await runAll(app.runner, team.members.owner.caller, ['creator add "Fabi Fontes" --instagram fabi']);
    const actor = { memberId: team.members.owner.id, displayName: "Olivia Owner", role: "owner" as const, workspace: { id: team.workspaceId, name: "Glow", currency: "USD", timezone: "UTC", locale: "en" as const } };
    const sections = await workspaceOverview(app.runner, actor, translator("en"), "en");
    const top = sections.find((s) => s.text?.startsWith("**Top creators**"))!;
    expect(top.table?.rows).toHaveLength(5);
    expect(top.table?.total).toBe(6);
    expect(top.table?.rows[0]).toEqual(["1", "Ana Alves (#1)", "80", "—"]);
    expect(top.table?.rows[1]).toEqual(["2", "Cris Creator (#3)", "80", "⚡ ×2 until 2026-06-09 10:00 UTC"]);
    expect(top.buttons?.[0]).toMatchObject({ command: "leaderboard", scope: team.workspaceId });
  });
});
