/**
 * The scheduled expiry through the real workers: an invitation left
 * unanswered past its time is expired once, however many expiry runs
 * overlap, and both sides are told once, on their own chats.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ManualClock } from "../../core/clock.ts";
import { runAll } from "../support/commands.ts";
import { createTestDatabase } from "../support/database.ts";
import { startTelegramHarness, TELEGRAM_USER, type TelegramHarness } from "../support/telegram.ts";

let env: Awaited<ReturnType<typeof createTestDatabase>>;
let h: TelegramHarness;
const clock = new ManualClock(new Date("2026-05-01T08:00:00Z"));
const HOUR = 3_600_000;

beforeAll(async () => {
  env = await createTestDatabase();
  h = await startTelegramHarness(env.url, { workers: true, schedules: true, clock });
  await runAll(h.app.runner, h.team.members.owner.caller, [
    'campaign create "Autumn" --budget 900 --currency USD --start 2099-09-01 --end 2099-09-30 --objective awareness',
    "campaign submit 1",
    "campaign approve 1",
    'creator add "Cris Creator" --member "Cris Creator" --instagram cris',
    'invite "Cris Creator" --campaign 1 --fee 100 --expires 2h',
  ]);
});
afterAll(async () => {
  await h?.stop();
  await env?.drop();
});

const said = (chat: number, text: string) => h.api.messagesIn(chat).filter((m) => (m.text ?? "").includes(text));

describe("invitation expiry job", () => {
  it("is scheduled, expires once across overlapping runs, and tells both sides once", async () => {
    expect((await h.app.queues.expiry.getJobSchedulers()).map((s) => s.key)).toContain("invitations-every-minute");
    // The offer reaches the creator first.
    await h.api.waitForMessage(TELEGRAM_USER.creator.id, (m) => (m.text ?? "").includes("invites you"), 10_000);

    await h.app.queues.expiry.addBulk([1, 2, 3].map((n) => ({ name: "invitations", data: {}, opts: { jobId: `early-${n}` } })));
    clock.advance(2 * HOUR + 1);
    await h.app.queues.expiry.addBulk([1, 2, 3].map((n) => ({ name: "invitations", data: {}, opts: { jobId: `due-${n}` } })));

    await h.api.waitForMessage(TELEGRAM_USER.creator.id, (m) => (m.text ?? "").includes("expired without an answer"), 10_000);
    await h.api.waitForMessage(TELEGRAM_USER.owner.id, (m) => (m.text ?? "").includes("expired without an answer"), 10_000);
    await expect.poll(async () => (await h.app.queues.expiry.getJobCounts("completed")).completed, { timeout: 10_000 }).toBeGreaterThanOrEqual(6);

    const inv = await h.app.database.db.invitation.findFirstOrThrow({ where: { workspaceId: h.team.workspaceId }, include: { rounds: true } });
    expect(inv.status).toBe("expired");
    expect(inv.rounds.filter((r) => r.action === "expire")).toHaveLength(1);
    expect(said(TELEGRAM_USER.creator.id, "expired without an answer")).toHaveLength(1);
    expect(said(TELEGRAM_USER.owner.id, "expired without an answer")).toHaveLength(1);
  }, 30_000);
});
