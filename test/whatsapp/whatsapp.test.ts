import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCommand } from "../../core/commands/run.ts";
import { FakeWhatsAppApi, type FakeWhatsAppMessage } from "../fakes/whatsapp-api.ts";
import { createTestDatabase } from "../support/database.ts";
import { PHONES, startWhatsAppHarness, WA, type WhatsAppHarness } from "../support/whatsapp.ts";

let env: Awaited<ReturnType<typeof createTestDatabase>>;
let h: WhatsAppHarness;

beforeAll(async () => {
  env = await createTestDatabase();
  h = await startWhatsAppHarness(env.url, { workers: true });
});
afterAll(async () => {
  await h?.stop();
  await env?.drop();
});

const text = FakeWhatsAppApi.textOf;
const says = (pattern: string | RegExp) => (m: FakeWhatsAppMessage) => (typeof pattern === "string" ? text(m).includes(pattern) : pattern.test(text(m)));
const settle = (ms = 300) => new Promise((r) => setTimeout(r, ms));
const campaign = (name: string) => h.app.database.db.campaign.findFirst({ where: { workspaceId: h.team.workspaceId, name } });
const asConsole = (role: keyof WhatsAppHarness["team"]["members"], line: string) => runCommand(h.app.runner, { text: line, caller: h.team.members[role].caller });
/** A campaign created and submitted from the console, so the approvers are told. */
async function submitted(name: string) {
  await asConsole("manager", `campaign create "${name}" --budget 1000 --currency USD --start 2099-01-01 --end 2099-01-31 --objective awareness`);
  const c = (await campaign(name))!;
  const moved = await asConsole("manager", `campaign submit ${c.number}`);
  expect(moved.ok).toBe(true);
  return c;
}
/** A message to a number through the real outbound queue and worker; resolves once the worker is done with it. */
async function notify(waId: string, line: string) {
  const job = await h.app.queues.outbound.add("whatsapp", { target: { platform: "whatsapp", externalId: `+${waId}`, name: "someone" }, reply: { text: line } });
  await expect.poll(() => job.getState(), { timeout: 15_000, interval: 100 }).toBe("completed");
}
const interactive = (m: FakeWhatsAppMessage) => m.body.interactive as { type: string; action: { buttons?: { reply: { id: string; title: string } }[]; sections?: { rows: { id: string; title: string }[] }[] } };

describe("WhatsApp webhook", () => {
  it("answers Meta's verification handshake with the challenge, and refuses a wrong token", async () => {
    const ok = await fetch(`${h.base}/whatsapp/webhook?hub.mode=subscribe&hub.verify_token=${WA.verifyToken}&hub.challenge=1158201444`);
    expect(ok.status).toBe(200);
    expect(ok.headers.get("content-type")).toMatch(/^text\/plain/);
    expect(await ok.text()).toBe("1158201444");
    expect((await fetch(`${h.base}/whatsapp/webhook?hub.mode=subscribe&hub.verify_token=wrong&hub.challenge=1`)).status).toBe(403);
    expect((await fetch(`${h.base}/whatsapp/webhook?hub.mode=unsubscribe&hub.verify_token=${WA.verifyToken}&hub.challenge=1`)).status).toBe(403);
  });

  it("refuses a forged or missing signature with 401, running nothing", async () => {
    const before = h.api.sent.length;
    const payload = h.hooks.text(PHONES.owner, "workspace show");
    expect((await h.deliver(payload, "not-the-app-secret")).status).toBe(401);
    expect((await h.deliver(payload, null)).status).toBe(401);
    await settle();
    expect(h.api.sent.length).toBe(before);
  });

  it("runs a redelivered message once", async () => {
    const payload = h.hooks.text(PHONES.owner, 'campaign create "Only Once" --budget 500 --currency USD --start 2099-02-01 --end 2099-02-28 --objective sales');
    const [a, b] = await Promise.all([h.deliver(payload), h.deliver(payload)]);
    expect([a.status, b.status]).toEqual([200, 200]);
    await h.api.waitForMessage(PHONES.owner.waId, says("Only Once"));
    await settle();
    expect(await h.app.database.db.campaign.count({ where: { workspaceId: h.team.workspaceId, name: "Only Once" } })).toBe(1);
  });
});

describe("WhatsApp identity", () => {
  it("a creator's first message from the number on their profile links it, and the command runs", async () => {
    await h.say(PHONES.creator, "workspace show");
    const m = await h.api.waitForMessage(PHONES.creator.waId, says("WhatsApp Brand"));
    expect(m.type).toBe("text");
    const identity = await h.app.database.db.identity.findUnique({ where: { platform_externalId: { platform: "whatsapp", externalId: `+${PHONES.creator.waId}` } }, include: { member: true } });
    expect(identity?.member).toMatchObject({ role: "creator", displayName: "Wanjiru Kamau" });
  });

  it("a number on no creator profile gets a polite explanation", async () => {
    const stranger = { waId: "447700900123", name: "Someone" };
    await h.say(stranger, "invites");
    const m = await h.api.waitForMessage(stranger.waId, says("isn't on any Clout creator profile"));
    expect(text(m)).not.toMatch(/error|ref/i);
  });
});

describe("WhatsApp buttons", () => {
  it("runs a signed reply button as the sender, and refuses a tampered id", async () => {
    const c = await submitted("Button Flow");
    await h.say(PHONES.owner, `campaign show ${c.number}`);
    const shown = await h.api.waitForMessage(PHONES.owner.waId, (m) => m.type === "interactive" && interactive(m).type === "button" && says("*Button Flow (#")(m));
    const { type, action } = interactive(shown);
    expect(type).toBe("button");
    const approve = action.buttons!.map((b) => b.reply).find((b) => b.title === "Approve")!;

    const [mac, expiry] = approve.id.split(".");
    await h.deliver(h.hooks.buttonReply(PHONES.owner, { id: `${mac}.${expiry}.campaign cancel ${c.number}`, title: "Approve" }));
    await h.api.waitForMessage(PHONES.owner.waId, says("could not be verified"));
    expect((await campaign("Button Flow"))?.status).toBe("submitted");

    await h.deliver(h.hooks.buttonReply(PHONES.owner, approve));
    await h.api.waitForMessage(PHONES.owner.waId, says(/moved from submitted to \*approved\*/));
    expect((await campaign("Button Flow"))?.status).toBe("approved");
  });

  it("a notification with more than three buttons comes as a list, and a row runs its command", async () => {
    await h.say(PHONES.admin, "help");
    await h.api.waitForMessage(PHONES.admin.waId, says("help"));
    await submitted("List Flow");
    const notice = await h.api.waitForMessage(PHONES.admin.waId, (m) => m.type === "interactive" && says("List Flow")(m), 15_000);
    const { type, action } = interactive(notice);
    expect(type).toBe("list");
    const row = action.sections![0]!.rows.find((r) => r.title === "Reject")!;
    await h.deliver(h.hooks.listReply(PHONES.admin, row));
    await h.api.waitForMessage(PHONES.admin.waId, says(/moved from submitted to \*rejected\*/));
    expect((await campaign("List Flow"))?.status).toBe("rejected");
  });
});

describe("WhatsApp opt-out and the 24-hour window", () => {
  it("outside the window a notification goes as the approved template", async () => {
    const fresh = { waId: "5511900000003" };
    await h.app.database.db.identity.create({ data: { id: crypto.randomUUID(), platform: "whatsapp", externalId: `+${fresh.waId}`, memberId: h.team.members.manager.id } });
    await asConsole("owner", `campaign create "Template Flow" --budget 1000 --currency USD --start 2099-01-01 --end 2099-01-31 --objective awareness`);
    const c = (await campaign("Template Flow"))!;
    await asConsole("owner", `campaign submit ${c.number}`);
    await asConsole("owner", `campaign approve ${c.number}`);
    const m = await h.api.waitForMessage(fresh.waId, says("Template Flow"), 15_000);
    expect(m.body.template).toMatchObject({ name: "clout_notification", language: { code: "en" } });
    expect(h.api.calls.some((call) => (call.response as { error?: { code: number } }).error?.code === 131047)).toBe(false);
  });

  it("STOP silences every message to the number until START", async () => {
    await h.say(PHONES.creator, "STOP");
    await h.api.waitForMessage(PHONES.creator.waId, says("won't get any more"));
    const before = h.api.messagesTo(PHONES.creator.waId).length;
    await notify(PHONES.creator.waId, "While stopped");
    expect(h.api.messagesTo(PHONES.creator.waId).length).toBe(before);

    await h.say(PHONES.creator, "start");
    await h.api.waitForMessage(PHONES.creator.waId, says("Welcome back"));
    await notify(PHONES.creator.waId, "After start");
    await h.api.waitForMessage(PHONES.creator.waId, says("After start"));
  });
});

describe("WhatsApp statuses", () => {
  it("records sent, delivered, read and failed per message, never moving back", async () => {
    await h.say(PHONES.owner, "workspace show");
    const m = await h.api.waitForMessage(PHONES.owner.waId, (x) => says("WhatsApp Brand")(x) && x.at >= Date.now() - 5_000);
    const row = () => h.app.database.db.whatsappMessage.findUnique({ where: { wamid: m.id } });
    await expect.poll(row).toMatchObject({ status: "accepted", phone: `+${PHONES.owner.waId}` });
    for (const status of ["delivered", "read", "sent"] as const) await h.deliver(h.hooks.status({ id: m.id, status, recipient: PHONES.owner.waId }));
    await expect.poll(async () => (await row())?.status).toBe("read");

    await h.deliver(h.hooks.status({ id: "wamid.failed-one", status: "failed", recipient: PHONES.owner.waId, errors: [{ code: 131026, title: "Message undeliverable" }] }));
    await expect.poll(() => h.app.database.db.whatsappMessage.findUnique({ where: { wamid: "wamid.failed-one" } })).toMatchObject({ status: "failed", errorCode: 131026 });
  });
});

describe("WhatsApp rate limits", () => {
  it("an answer refused with 429 is rescheduled and delivered once, not lost", async () => {
    h.api.rateLimitNext(1, { http429: true, retryAfter: 1 });
    await h.say(PHONES.creator, "help");
    const m = await h.api.waitForMessage(PHONES.creator.waId, says("Clout commands"), 15_000);
    expect(h.api.calls.filter((c) => c.status === 429)).toHaveLength(1);
    await settle(500);
    expect(h.api.messagesTo(PHONES.creator.waId).filter((x) => x.at >= m.at - 5_000 && says("Clout commands")(x))).toHaveLength(1);
  });

  it("130429 (throughput) from the Graph API is rescheduled too", async () => {
    h.api.rateLimitNext(1);
    const before = h.api.messagesTo(PHONES.creator.waId).length;
    await h.say(PHONES.creator, "workspace show");
    await h.api.waitForMessage(PHONES.creator.waId, (m) => says("WhatsApp Brand")(m) && h.api.messagesTo(PHONES.creator.waId).indexOf(m) >= before, 15_000).catch((err: unknown) => {
      console.log(JSON.stringify(h.api.calls.slice(-4), null, 1));
      throw err;
    });
    expect(h.api.calls.filter((c) => (c.response as { error?: { code: number } }).error?.code === 130429)).toHaveLength(1);
  });
});
