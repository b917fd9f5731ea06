/**
 * On Discord, an invitation asked for in a channel is posted there as the
 * bot's own message (an interaction's response can only be edited for 15
 * minutes; a negotiation takes days), edited as the invitation moves, with
 * the creator's answers as replies to it; through the real server, workers
 * and the fake Discord API.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCommand } from "../../core/commands/run.ts";
import { runAll } from "../support/commands.ts";
import { createTestDatabase } from "../support/database.ts";
import { CHANNEL, discordText, startDiscordHarness, type DiscordHarness } from "../support/discord.ts";

/** The machine may be busy (CI runs on two cores): waits are generous, assertions exact. */
const SLOW = { timeout: 10_000, interval: 50 };

let env: Awaited<ReturnType<typeof createTestDatabase>>;
let h: DiscordHarness;

beforeAll(async () => {
  env = await createTestDatabase();
  h = await startDiscordHarness(env.url, { workers: true });
  await runAll(h.app.runner, h.team.members.owner.caller, [
    'campaign create "Spring Drop" --budget 900 --currency USD --start 2099-03-01 --end 2099-03-31 --objective awareness',
    "campaign submit 1",
    "campaign approve 1",
    'creator add "Cris Creator" --member "Cris Creator" --x cris',
  ]);
});
afterAll(async () => {
  await h?.stop();
  await env?.drop();
});

const card = (id: string) => h.api.messagesIn(CHANNEL).find((m) => m.id === id)!;

describe("tracked invitation cards on Discord", () => {
  it("posts the card in the channel, says so privately, replies under it and edits it as the invitation moves", async () => {
    const r = await h.command("owner", ["invite"], { creator: "Cris Creator", campaign: "1", fee: "300" });
    expect(r.status).toBe(200);
    expect(r.json.data.flags & 64).toBe(64);
    const posted = h.api.messagesIn(CHANNEL).find((m) => m.kind === "channel" && discordText(m).includes("Invitation #1"))!;
    expect(posted).toBeDefined();
    expect(await h.app.database.db.trackedMessage.count({ where: { platform: "discord" } })).toBe(1);

    expect((await runCommand(h.app.runner, { text: "counter 1 --fee 450", caller: h.team.members.creator.caller })).ok).toBe(true);
    await expect.poll(() => h.api.messagesIn(CHANNEL).find((m) => m.replyTo === posted.id)?.id, SLOW).toBeDefined();
    expect(discordText(h.api.messagesIn(CHANNEL).find((m) => m.replyTo === posted.id))).toContain("proposes $450.00");
    await expect.poll(() => discordText(card(posted.id)), SLOW).toContain("countered");
    expect(card(posted.id).edits).toBe(1);

    expect((await runCommand(h.app.runner, { text: 'decline 1 --reason "Too much"', caller: h.team.members.owner.caller })).ok).toBe(true);
    await expect.poll(() => discordText(card(posted.id)), SLOW).toContain("declined");
    expect(card(posted.id).components.flatMap((row: any) => row.components ?? [])).toEqual([]);
  }, 30_000);
});
