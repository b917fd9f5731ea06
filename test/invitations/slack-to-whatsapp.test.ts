/**
 * The headline flow, end to end through the real server, Bolt, the workers
 * and the outbound queue: a brand owner invites in Slack; the creator gets
 * WhatsApp reply buttons from the fake Graph API, counters by typing; the
 * brand's channel message is edited in place and the counter shows in its
 * thread; the owner accepts with the card's button; the creator gets the
 * contract on WhatsApp, and the roster, budget and audit log follow.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCommand } from "../../core/commands/run.ts";
import { FakeWhatsAppApi } from "../fakes/whatsapp-api.ts";
import { WhatsAppWebhooks } from "../fakes/whatsapp-webhooks.ts";
import { runAll } from "../support/commands.ts";
import { createTestDatabase } from "../support/database.ts";
import { startSlackHarness, SLACK_USER, TEAM, textOf, type SlackHarness } from "../support/slack.ts";
import { WA } from "../support/whatsapp.ts";

/** The machine may be busy (CI runs on two cores): waits are generous, assertions exact. */
const SLOW = { timeout: 10_000, interval: 50 };

let env: Awaited<ReturnType<typeof createTestDatabase>>;
let h: SlackHarness;
const wa = new FakeWhatsAppApi({ accessToken: WA.accessToken, phoneNumberId: WA.phoneNumberId });
const hooks = new WhatsAppWebhooks({ appSecret: WA.appSecret, phoneNumberId: WA.phoneNumberId, api: wa });
const MURUGI = { waId: "254712345678", name: "Murugi" };
const CHANNEL = "C0CAMPAIGN";

beforeAll(async () => {
  env = await createTestDatabase();
  await wa.start();
  h = await startSlackHarness(env.url, {
    workers: true,
    env: { WHATSAPP_ACCESS_TOKEN: WA.accessToken, WHATSAPP_PHONE_NUMBER_ID: WA.phoneNumberId, WHATSAPP_APP_SECRET: WA.appSecret, WHATSAPP_VERIFY_TOKEN: WA.verifyToken, WHATSAPP_API_URL: wa.url },
  });
  const owner = h.team.members.owner.caller;
  await runAll(h.app.runner, owner, [
    'campaign create "Summer Launch" --budget 2000 --currency USD --start 2099-07-01 --end 2099-07-31 --objective sales',
    'campaign submit "Summer Launch"',
    'campaign approve "Summer Launch"',
    'creator add "Murugi Wanjiku" --instagram murugi --phone +254712345678 --location KE',
  ]);
});
afterAll(async () => {
  await h?.stop();
  await wa.stop();
  await env?.drop();
});

const fromWhatsApp = (payload: object) => {
  const req = hooks.request(payload);
  return fetch(`${h.base}/whatsapp/webhook`, { method: "POST", body: req.body, headers: req.headers });
};

function buttonsOf(blocks: any[]): { text: string; value: string; action_id: string }[] {
  return blocks.filter((b) => b.type === "actions").flatMap((b) => b.elements.map((e: any) => ({ text: e.text.text, value: e.value, action_id: e.action_id })));
}

describe("Slack → WhatsApp → Slack", () => {
  it("invite, counter on WhatsApp, accept in Slack: the channel card follows every step", async () => {
    const db = h.app.database.db;
    // Murugi has written to the brand's number before (inside WhatsApp's 24-hour window, so free-form buttons may go to her).
    expect((await fromWhatsApp(hooks.text(MURUGI, "invites"))).status).toBe(200);
    await wa.waitForMessage(MURUGI.waId, (m) => JSON.stringify(m.body).includes("no invitations"), SLOW.timeout);
    const ack = await h.command("owner", 'invite @murugi --campaign "Summer Launch" --fee 500 --message "Two reels in July"');
    expect(ack.status).toBe(200);
    expect(ack.ms).toBeLessThan(3000);

    // The invitation is posted to the channel as a message Clout can edit.
    const card = await h.api.waitForCall("chat.postMessage", (c) => c.body.channel === CHANNEL, SLOW.timeout);
    const posted = h.api.messagesIn(CHANNEL).find((m) => textOf(m.blocks).includes("Invitation #1"))!;
    expect(posted, JSON.stringify(card.body)).toBeDefined();
    await expect.poll(() => db.trackedMessage.count(), SLOW).toBe(1);

    // Murugi gets reply buttons on WhatsApp.
    const offer = await wa.waitForMessage(MURUGI.waId, (m) => m.type === "interactive", SLOW.timeout);
    const interactive = offer.body.interactive as { body: { text: string }; action: { buttons: { reply: { id: string; title: string } }[] } };
    expect(interactive.body.text).toContain("Summer Launch");
    expect(interactive.action.buttons.map((b) => b.reply.title)).toEqual(["Accept", "Counter", "Decline"]);

    // The Counter button asks for a fee; she types one.
    expect((await fromWhatsApp(hooks.buttonReply(MURUGI, interactive.action.buttons[1]!.reply))).status).toBe(200);
    await wa.waitForMessage(MURUGI.waId, (m) => JSON.stringify(m.body).includes("counter 1 --fee"), SLOW.timeout);
    expect((await fromWhatsApp(hooks.text(MURUGI, "counter 1 --fee 650"))).status).toBe(200);

    // The brand's channel: the counter in the card's thread, and the card itself redrawn with the brand's answers.
    const threaded = await h.api.waitForCall("chat.postMessage", (c) => c.body.thread_ts === posted.ts, SLOW.timeout);
    expect(textOf(threaded.body.blocks ?? threaded.body.text)).toContain("proposes $650.00");
    await h.api.waitForCall("chat.update", (c) => c.body.ts === posted.ts && textOf(c.body.blocks).includes("countered"), SLOW.timeout);
    const redrawn = h.api.messagesIn(CHANNEL).find((m) => m.ts === posted.ts)!;
    const accept = buttonsOf(redrawn.blocks as any[]).find((b) => b.text === "Accept")!;
    expect(accept).toBeDefined();

    // The owner accepts with the card's button.
    const click = await h.post(h.slack.blockAction({ teamId: TEAM, userId: SLACK_USER.owner, actionId: accept.action_id, value: accept.value, responseUrl: h.api.responseUrl("accept"), channelId: CHANNEL }));
    expect(click.status).toBe(200);
    expect(textOf((await h.api.waitForResponse((r) => r.id === "accept", SLOW.timeout)).body)).toContain("Agreed");

    // Murugi gets the contract; the card says accepted.
    const contract = await wa.waitForMessage(MURUGI.waId, (m) => JSON.stringify(m.body).includes("Advance"), SLOW.timeout);
    expect(JSON.stringify(contract.body)).toContain("$650.00");
    await h.api.waitForCall("chat.update", (c) => c.body.ts === posted.ts && textOf(c.body.blocks).includes("accepted"), SLOW.timeout);

    const inv = await db.invitation.findFirstOrThrow({ where: { workspaceId: h.team.workspaceId, number: 1 }, include: { rounds: { orderBy: { round: "asc" } }, contract: { include: { milestones: true } } } });
    expect(inv.status).toBe("accepted");
    expect(inv.rounds.map((r) => [r.side, r.action])).toEqual([["brand", "offer"], ["creator", "counter"], ["brand", "accept"]]);
    expect(inv.contract!.milestones.reduce((s, m) => s + Number(m.amountMinor), 0)).toBe(65000);
    const audit = await db.auditEntry.findMany({ where: { entityId: inv.id }, orderBy: { id: "asc" } });
    expect(audit.map((a) => a.action)).toEqual(["invitation.offer", "invitation.counter", "invitation.accept"]);
    // The budget now carries the fee: a second invite for more than what is left is refused.
    const over = await runCommand(h.app.runner, { text: 'invite @murugi --campaign "Summer Launch" --fee 1500', caller: h.team.members.owner.caller });
    expect(over.ok).toBe(false);
  }, 30_000);
});
