/**
 * On Telegram too, an invitation asked for in the brand's group is posted as
 * a card Clout edits as the negotiation moves, and the creator's answers come
 * as replies to it; through the real server, workers and the fake Bot API.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCommand } from "../../core/commands/run.ts";
import { runAll } from "../support/commands.ts";
import { createTestDatabase } from "../support/database.ts";
import { startTelegramHarness, TELEGRAM_USER, type TelegramHarness } from "../support/telegram.ts";

/** The machine may be busy (CI runs on two cores): waits are generous, assertions exact. */
const SLOW = { timeout: 10_000, interval: 50 };

let env: Awaited<ReturnType<typeof createTestDatabase>>;
let h: TelegramHarness;
const GROUP = { id: -1009876543210, type: "supergroup" as const, title: "Brand deals" };

beforeAll(async () => {
  env = await createTestDatabase();
  h = await startTelegramHarness(env.url, { workers: true });
  await runAll(h.app.runner, h.team.members.owner.caller, [
    'campaign create "Winter Drop" --budget 900 --currency USD --start 2099-12-01 --end 2099-12-31 --objective awareness',
    "campaign submit 1",
    "campaign approve 1",
    'creator add "Cris Creator" --member "Cris Creator" --tiktok cris',
  ]);
});
afterAll(async () => {
  await h?.stop();
  await env?.drop();
});

describe("tracked invitation cards on Telegram", () => {
  it("posts the card in the group, answers under it, and edits it as the invitation moves", async () => {
    expect((await h.say("owner", '/invite "Cris Creator" --campaign 1 --fee 300', GROUP)).status).toBe(200);
    const card = await h.api.waitForMessage(GROUP.id, (m) => (m.text ?? "").includes("Invitation #1"), SLOW.timeout);
    await expect.poll(() => h.app.database.db.trackedMessage.count({ where: { platform: "telegram" } }), SLOW).toBe(1);

    // The creator counters from their own chat with Clout.
    const counter = await runCommand(h.app.runner, { text: "counter 1 --fee 400", caller: h.team.members.creator.caller });
    expect(counter.ok, counter.reply.text).toBe(true);
    const under = await h.api.waitForMessage(GROUP.id, (m) => m.reply_to_message?.message_id === card.message_id, SLOW.timeout);
    expect(under.text).toContain("proposes $400.00");
    await expect.poll(() => h.api.messagesIn(GROUP.id).find((m) => m.message_id === card.message_id)?.text ?? "", SLOW).toContain("countered");
    const edited = h.api.messagesIn(GROUP.id).find((m) => m.message_id === card.message_id)!;
    expect(edited.edit_date).toBeDefined();
    expect(edited.reply_markup?.inline_keyboard.flat().map((b) => b.text)).toEqual(["Accept", "Counter", "Decline"]);

    // The owner accepts; the card says so and offers nothing more to press.
    expect((await runCommand(h.app.runner, { text: "accept 1", caller: h.team.members.owner.caller })).ok).toBe(true);
    await expect.poll(() => h.api.messagesIn(GROUP.id).find((m) => m.message_id === card.message_id)?.text ?? "", SLOW).toContain("accepted");
    expect(h.api.messagesIn(GROUP.id).find((m) => m.message_id === card.message_id)!.reply_markup?.inline_keyboard ?? []).toEqual([]);
    // The negotiators saw the news in the group, so no private message repeats it to the owner there.
    expect(h.api.messagesIn(TELEGRAM_USER.owner.id).some((m) => (m.text ?? "").includes("proposes"))).toBe(false);
  }, 30_000);
});
