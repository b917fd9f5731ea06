/**
 * Invitations through the real command runner on a real database: offers,
 * counters and answers by turn, the budget under concurrent invites, the
 * contract on acceptance, expiry with an injected clock, and who is told.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { App } from "../../app/container.ts";
import { ManualClock } from "../../core/clock.ts";
import { runCommand } from "../../core/commands/run.ts";
import type { Caller } from "../../core/commands/types.ts";
import { claimPhone } from "../../core/identity/phone.ts";
import { expireInvitations } from "../../core/invitations/expiry.ts";
import type { DomainEvent } from "../../core/notifications/events.ts";
import { noticesFor } from "../../core/notifications/recipients.ts";
import { startTestApp } from "../support/app.ts";
import { createTestDatabase } from "../support/database.ts";
import { createTeam, type Team } from "../support/team.ts";

let env: Awaited<ReturnType<typeof createTestDatabase>>;
let app: App;
let team: Team;
let other: Team;
const START = new Date("2026-06-15T09:00:00Z");
const clock = new ManualClock(START);
const DAY = 86_400_000;

beforeAll(async () => {
  env = await createTestDatabase();
  app = await startTestApp(env.url, { clock });
  team = await createTeam(app.database.db, "Invite Brand");
  other = await createTeam(app.database.db, "Other Brand");
  // The team's creator member is the profile "Cris Creator", so `accept` from their chat answers as the creator.
  await run(team.members.owner.caller, 'creator add "Cris Creator" --instagram cris --phone +254700000001');
  await app.database.db.creator.updateMany({ where: { workspaceId: team.workspaceId, name: "Cris Creator" }, data: { memberId: team.members.creator.id } });
  await run(team.members.owner.caller, 'creator add "Murugi Wanjiku" --instagram murugi --phone +254712345678 --language pt');
});
afterAll(async () => {
  await app?.stop();
  await env?.drop();
});
beforeEach(() => clock.set(START));

const run = (caller: Caller, text: string) => runCommand(app.runner, { text, caller });
const owner = () => team.members.owner.caller;
const manager = () => team.members.manager.caller;
const creator = () => team.members.creator.caller;
const db = () => app.database.db;

let campaigns = 0;
/** An approved campaign with this budget, walked through the real lifecycle. */
async function approvedCampaign(budget = "1000") {
  const name = `Campaign ${++campaigns}`;
  for (const line of [`campaign create "${name}" --budget ${budget} --currency USD --start 2026-07-01 --end 2026-07-31 --objective sales`, `campaign submit "${name}"`, `campaign approve "${name}"`]) {
    const r = await run(owner(), line);
    expect(r.ok, r.reply.text).toBe(true);
  }
  return db().campaign.findFirstOrThrow({ where: { workspaceId: team.workspaceId, name } });
}

async function invite(campaign: { number: number }, fee: string, who = "@cris", extra = "") {
  const r = await run(manager(), `invite ${who} --campaign ${campaign.number} --fee ${fee} ${extra}`);
  const inv = r.ok ? await db().invitation.findFirstOrThrow({ where: { workspaceId: team.workspaceId }, orderBy: { number: "desc" } }) : undefined;
  return { r, inv };
}

const invitation = (id: string) => db().invitation.findUniqueOrThrow({ where: { id }, include: { rounds: { orderBy: { round: "asc" } }, contract: { include: { milestones: true } } } });

describe("invite", () => {
  it("only from approved or active campaigns, saying which state the campaign is in", async () => {
    const r = await run(owner(), 'campaign create "Still Draft" --budget 1000 --currency USD --start 2026-07-01 --end 2026-07-31 --objective sales');
    expect(r.ok).toBe(true);
    const refused = await run(manager(), 'invite @cris --campaign "Still Draft" --fee 100');
    expect(refused.ok).toBe(false);
    expect(refused.reply.text).toContain("draft");
    expect(await db().invitation.count({ where: { campaign: { name: "Still Draft" } } })).toBe(0);
  });

  it("sends an offer: stored in minor units with its first round and audit entry, and says how the creator is reached", async () => {
    const c = await approvedCampaign();
    const { r, inv } = await invite(c, "500.50", "@murugi", '--message "Two reels" --expires 48h');
    expect(r.ok, r.reply.text).toBe(true);
    expect(r.reply.title).toContain(`#${inv!.number}`);
    expect(r.reply.text).toContain("WhatsApp");
    const stored = await invitation(inv!.id);
    expect(stored).toMatchObject({ status: "pending", feeMinor: 50050n, currency: "USD", message: "Two reels", expiresAt: new Date(START.getTime() + 2 * DAY) });
    expect(stored.rounds).toMatchObject([{ round: 1, side: "brand", action: "offer", feeMinor: 50050n, memberId: team.members.manager.id }]);
    expect(await db().auditEntry.count({ where: { entityId: inv!.id, action: "invitation.offer" } })).toBe(1);
  });

  it("refuses a fee over what the budget has left, naming the remainder and an invite that fits; nothing is stored", async () => {
    const c = await approvedCampaign("1000");
    expect((await invite(c, "700")).r.ok).toBe(true);
    const over = await invite(c, "400", "@murugi");
    expect(over.r.ok).toBe(false);
    expect(over.r.reply.text).toContain("$300.00");
    expect(over.r.reply.text).toContain("--fee 300");
    expect(await db().invitation.count({ where: { campaignId: c.id } })).toBe(1);
  });

  it("refuses a second open invitation of the same creator to the same campaign, and a fee in another currency", async () => {
    const c = await approvedCampaign();
    expect((await invite(c, "100")).r.ok).toBe(true);
    const again = await invite(c, "100");
    expect(again.r.ok).toBe(false);
    expect(again.r.reply.text).toMatch(/already has invitation #\d+/);
    const eur = await invite(c, "EUR 100", "@murugi");
    expect(eur.r.ok).toBe(false);
    expect(eur.r.reply.text).toContain("USD");
  });

  it("under concurrent invites, the budget is never spent twice", async () => {
    const c = await approvedCampaign("1000");
    for (let i = 0; i < 6; i++) await run(owner(), `creator add "Racer ${c.number}-${i}"`);
    const results = await Promise.all(Array.from({ length: 6 }, (_, i) => run(manager(), `invite "Racer ${c.number}-${i}" --campaign ${c.number} --fee 300`)));
    expect(results.filter((r) => r.ok)).toHaveLength(3);
    const offered = await db().invitation.aggregate({ where: { campaignId: c.id }, _sum: { feeMinor: true } });
    expect(offered._sum.feeMinor).toBe(90000n);
  });
});

describe("answers, by turn", () => {
  it("the creator accepts: a contract whose milestones sum to the fee, budget committed", async () => {
    const c = await approvedCampaign("1000");
    const { inv } = await invite(c, "333.33", "@cris", '--deliverables "2 reels"');
    const r = await run(creator(), `accept ${inv!.number}`);
    expect(r.ok, r.reply.text).toBe(true);
    expect(r.reply.title).toContain("Cris Creator");
    expect(r.reply.text).toContain("2 reels");
    const stored = await invitation(inv!.id);
    expect(stored.status).toBe("accepted");
    expect(stored.contract).toMatchObject({ feeMinor: 33333n, deliverables: "2 reels" });
    const parts = stored.contract!.milestones.map((m) => [m.kind, Number(m.amountMinor), m.dueOn.toISOString().slice(0, 10)]).sort();
    // 30 % at the start, 40 % at the midpoint, the rest (30 % and the rounding) at the end: ⌊9999.9⌋ + ⌊13333.2⌋ + 10001 = 33333.
    expect(parts).toEqual([["advance", 9999, "2026-07-01"], ["final", 10001, "2026-07-31"], ["milestone", 13333, "2026-07-16"]]);
    // Accepted fees stay on the budget: the next offer may only take what is left.
    const next = await invite(c, "700", "@murugi");
    expect(next.r.ok).toBe(false);
    expect(next.r.reply.text).toContain("$666.67");
  });

  it("a counter goes to the brand, who accepts it at the new fee; nobody answers out of turn", async () => {
    const c = await approvedCampaign("1000");
    const { inv } = await invite(c, "500");
    expect((await run(manager(), `accept ${inv!.number}`)).reply.text).toContain("waiting for Cris Creator");
    const countered = await run(creator(), `counter ${inv!.number} --fee 650`);
    expect(countered.ok, countered.reply.text).toBe(true);
    expect((await invitation(inv!.id)).status).toBe("countered");
    expect((await run(creator(), `accept ${inv!.number}`)).reply.text).toContain("waiting for the brand");
    const analyst = await run(team.members.analyst.caller, `accept ${inv!.number}`);
    expect(analyst.ok).toBe(false);
    expect(analyst.error).toBe("forbidden");
    const accepted = await run(owner(), `accept ${inv!.number}`);
    expect(accepted.ok, accepted.reply.text).toBe(true);
    const stored = await invitation(inv!.id);
    expect(stored).toMatchObject({ status: "accepted", feeMinor: 65000n });
    expect(stored.rounds.map((r) => [r.side, r.action, r.feeMinor])).toEqual([["brand", "offer", 50000n], ["creator", "counter", 65000n], ["brand", "accept", null]]);
    expect(stored.contract!.feeMinor).toBe(65000n);
  });

  it("the brand counters back; the Counter button without a fee explains how to type one", async () => {
    const c = await approvedCampaign("2000");
    const { inv } = await invite(c, "500");
    const how = await run(creator(), `counter ${inv!.number}`);
    expect(how.ok).toBe(true);
    expect(how.reply.text).toContain(`counter ${inv!.number} --fee`);
    expect((await run(creator(), `counter ${inv!.number} --fee 900`)).ok).toBe(true);
    const back = await run(manager(), `counter ${inv!.number} --fee 700`);
    expect(back.ok, back.reply.text).toBe(true);
    expect(await invitation(inv!.id)).toMatchObject({ status: "pending", feeMinor: 70000n });
    const same = await run(creator(), `counter ${inv!.number} --fee 700`);
    expect(same.ok).toBe(false);
    expect(same.reply.text).toContain(`accept ${inv!.number}`);
    const detail = await run(team.members.analyst.caller, `invites ${inv!.number}`);
    expect(detail.reply.text).toMatch(/offered \$500\.00[\s\S]*countered with \$900\.00[\s\S]*countered with \$700\.00/);
    expect(detail.reply.buttons ?? []).toEqual([]);
  });

  it("the creator declines with a reason; the brand's decline of its own open offer withdraws it; closed stays closed", async () => {
    const c = await approvedCampaign("2000");
    const a = await invite(c, "100");
    const declined = await run(creator(), `decline ${a.inv!.number} --reason "Booked that month"`);
    expect(declined.ok, declined.reply.text).toBe(true);
    expect((await invitation(a.inv!.id)).rounds.at(-1)).toMatchObject({ side: "creator", action: "decline", note: "Booked that month" });
    const b = await invite(c, "100", "@murugi");
    expect((await run(manager(), `decline ${b.inv!.number}`)).ok).toBe(true);
    expect((await invitation(b.inv!.id)).status).toBe("withdrawn");
    const late = await run(creator(), `accept ${a.inv!.number}`);
    expect(late.ok).toBe(false);
    expect(late.reply.text).toContain("declined");
  });

  it("a creator sees only their own invitations; another workspace sees none of them", async () => {
    const c = await approvedCampaign("2000");
    const mine = await invite(c, "100");
    const theirs = await invite(c, "100", "@murugi");
    const list = await run(creator(), "invites");
    const numbers = list.reply.table!.rows.map((r) => r[0]);
    expect(numbers).toContain(String(mine.inv!.number));
    expect(numbers).not.toContain(String(theirs.inv!.number));
    expect((await run(creator(), `accept ${theirs.inv!.number}`)).error).toBe("not_found");
    expect((await run(other.members.owner.caller, `accept ${mine.inv!.number}`)).error).toBe("not_found");
    expect((await run(other.members.owner.caller, `invites ${mine.inv!.number}`)).error).toBe("not_found");
  });

  it("bad references say what an invitation reference looks like", async () => {
    const r = await run(creator(), "accept summer");
    expect(r.ok).toBe(false);
    expect(r.reply.text).toContain("accept 12");
  });
});

describe("expiry", () => {
  it("expires each open invitation once, however many runs overlap; an answer after that is refused", async () => {
    const c = await approvedCampaign("5000");
    const { inv } = await invite(c, "100", "@cris", "--expires 2d");
    const events: DomainEvent[] = [];
    const deps = { ...app.runner, events: { publish: async (e: DomainEvent[]) => void events.push(...e) } };
    clock.advance(DAY);
    expect(await expireInvitations(deps)).toBe(0);
    clock.advance(DAY + 1000);
    const counts = await Promise.all([expireInvitations(deps), expireInvitations(deps), expireInvitations(deps)]);
    expect(counts.reduce((a, b) => a + b, 0)).toBe(events.length);
    expect(events.filter((e) => e.type === "invitation.changed" && e.invitationId === inv!.id)).toHaveLength(1);
    const stored = await invitation(inv!.id);
    expect(stored.status).toBe("expired");
    expect(stored.rounds.filter((r) => r.action === "expire")).toHaveLength(1);
    expect((await run(creator(), `accept ${inv!.number}`)).reply.text).toContain("expired");
  });

  it("a counter gives the other side a fresh window to answer", async () => {
    const c = await approvedCampaign("5000");
    const { inv } = await invite(c, "100", "@cris", "--expires 1h");
    clock.advance(30 * 60_000);
    expect((await run(creator(), `counter ${inv!.number} --fee 200`)).ok).toBe(true);
    expect((await invitation(inv!.id)).expiresAt.getTime()).toBe(clock.now().getTime() + 3 * DAY);
  });
});

describe("who is told", () => {
  it("an offer goes to the creator on their chat accounts and to their WhatsApp number, with the answers as buttons", async () => {
    const c = await approvedCampaign("5000");
    const { inv } = await invite(c, "100");
    const notices = await noticesFor(db(), { type: "invitation.changed", workspaceId: team.workspaceId, invitationId: inv!.id, move: "offer", side: "brand", actorMemberId: team.members.manager.id, at: START.toISOString() }, "https://clout.example.com");
    expect(notices).toHaveLength(1);
    expect(notices[0]!.targets).toEqual(expect.arrayContaining([expect.objectContaining({ platform: "console" }), { platform: "whatsapp", externalId: "+254700000001", name: "Cris Creator", locale: "en" }]));
    expect(notices[0]!.reply.text).toContain("Maria Manager (Invite Brand)");
    expect(notices[0]!.reply.buttons!.map((b) => b.command)).toEqual([`accept ${inv!.number}`, `counter ${inv!.number}`, `decline ${inv!.number}`]);
    expect(notices[0]!.reply.buttons!.every((b) => b.scope === team.workspaceId)).toBe(true);
  });

  it("a counter goes to the brand's negotiator in their language; the acceptance carries the contract to the other side", async () => {
    const c = await approvedCampaign("5000");
    const { inv } = await invite(c, "100", "@murugi");
    // Murugi writes from her phone: the number becomes her identity, and her profile's language (pt) is hers.
    expect(await claimPhone(app.runner, "+254712345678")).toBe("linked");
    const murugi: Caller = { platform: "whatsapp", externalId: "+254712345678", displayName: "Murugi" };
    expect((await run(murugi, `counter ${inv!.number} --fee 150`)).ok).toBe(true);
    const event = { type: "invitation.changed" as const, workspaceId: team.workspaceId, invitationId: inv!.id, side: "creator" as const, actorMemberId: null, at: START.toISOString() };
    const toBrand = await noticesFor(db(), { ...event, move: "counter" }, "https://clout.example.com");
    expect(toBrand.map((n) => n.memberId)).toEqual([team.members.manager.id]);
    expect(toBrand[0]!.reply.text).toContain("Murugi Wanjiku proposes $150.00");
    expect(toBrand[0]!.reply.text).toContain("$100.00");
    expect((await run(owner(), `accept ${inv!.number}`)).ok).toBe(true);
    const toCreator = await noticesFor(db(), { ...event, side: "brand", actorMemberId: team.members.owner.id, move: "accept" }, "https://clout.example.com");
    expect(toCreator).toHaveLength(1);
    expect(toCreator[0]!.targets).toEqual([{ platform: "whatsapp", externalId: "+254712345678", name: "Murugi Wanjiku", locale: "pt" }]);
    // In Portuguese, with the milestones of the contract.
    expect(toCreator[0]!.reply.text).toContain("aceitou o convite");
    expect(toCreator[0]!.reply.fields!.map((f) => f.label)).toEqual(expect.arrayContaining(["Adiantamento", "Etapa", "Pagamento final"]));
  });
});
