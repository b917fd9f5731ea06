import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { App } from "../../app/container.ts";
import { CAMPAIGN_ACTIONS, CAMPAIGN_STATUSES, TRANSITIONS, type CampaignStatus } from "../../core/campaigns/lifecycle.ts";
import { ManualClock } from "../../core/clock.ts";
import { runCommand } from "../../core/commands/run.ts";
import type { Caller } from "../../core/commands/types.ts";
import { startTestApp } from "../support/app.ts";
import { createTestDatabase } from "../support/database.ts";
import { createTeam, type Team } from "../support/team.ts";

let env: Awaited<ReturnType<typeof createTestDatabase>>;
let app: App;
let team: Team;
const clock = new ManualClock(new Date("2026-06-15T09:00:00Z"));

beforeAll(async () => {
  env = await createTestDatabase();
  app = await startTestApp(env.url, { clock });
  team = await createTeam(app.database.db, "Lifecycle Brand");
});
afterAll(async () => {
  await app?.stop();
  await env?.drop();
});
beforeEach(() => clock.set(new Date("2026-06-15T09:00:00Z")));

const run = (caller: Caller, text: string) => runCommand(app.runner, { text, caller });
const owner = () => team.members.owner.caller;

async function createCampaign(name: string) {
  const r = await run(owner(), `campaign create "${name}" --budget 15,000.50 --currency USD --start 2026-07-01 --end 2026-07-31 --objective sales`);
  expect(r.ok, r.reply.text).toBe(true);
  return app.database.db.campaign.findFirstOrThrow({ where: { workspaceId: team.workspaceId, name } });
}

/** Puts a campaign straight into a status by walking the legal path to it. */
async function campaignIn(status: CampaignStatus, name: string) {
  const c = await createCampaign(name);
  const path: Record<CampaignStatus, string[]> = {
    draft: [],
    submitted: ["submit"],
    approved: ["submit", "approve"],
    rejected: ["submit", "reject"],
    active: ["submit", "approve", "activate"],
    completed: ["submit", "approve", "activate", "complete"],
    cancelled: ["cancel"],
  };
  for (const action of path[status]) {
    const r = await run(owner(), `campaign ${action} ${c.number}`);
    expect(r.ok, r.reply.text).toBe(true);
  }
  return c;
}

describe("campaign lifecycle", () => {
  it("creates a draft with the budget in minor units and audits who and when", async () => {
    const c = await createCampaign("Summer Launch");
    expect(c.status).toBe("draft");
    expect(c.budgetMinor).toBe(1_500_050n);
    expect(c.currency).toBe("USD");
    expect(c.startsOn.toISOString().slice(0, 10)).toBe("2026-07-01");
    const audit = await app.database.db.auditEntry.findMany({ where: { entityId: c.id } });
    expect(audit).toMatchObject([{ action: "campaign.created", actorMemberId: team.members.owner.id, createdAt: clock.now() }]);
  });

  it("walks draft → submitted → approved → active → completed, each move audited with actor and time", async () => {
    const c = await createCampaign("Full Walk");
    const steps: [string, keyof Team["members"], CampaignStatus][] = [
      ["submit", "manager", "submitted"],
      ["approve", "admin", "approved"],
      ["activate", "manager", "active"],
      ["complete", "owner", "completed"],
    ];
    for (const [i, [action, role, to]] of steps.entries()) {
      clock.set(new Date(Date.UTC(2026, 5, 16 + i, 10)));
      const r = await run(team.members[role].caller, `campaign ${action} "Full Walk"`);
      expect(r.ok, r.reply.text).toBe(true);
      expect((await app.database.db.campaign.findUniqueOrThrow({ where: { id: c.id } })).status).toBe(to);
    }
    const audit = await app.database.db.auditEntry.findMany({ where: { entityId: c.id }, orderBy: { id: "asc" } });
    expect(audit.map((a) => [a.action, a.actorMemberId, a.createdAt.toISOString()])).toEqual([
      ["campaign.created", team.members.owner.id, "2026-06-15T09:00:00.000Z"],
      ["campaign.submitted", team.members.manager.id, "2026-06-16T10:00:00.000Z"],
      ["campaign.approved", team.members.admin.id, "2026-06-17T10:00:00.000Z"],
      ["campaign.active", team.members.manager.id, "2026-06-18T10:00:00.000Z"],
      ["campaign.completed", team.members.owner.id, "2026-06-19T10:00:00.000Z"],
    ]);
    expect(audit[1]!.data).toEqual({ from: "draft", to: "submitted" });
  });

  it("records the reason given for a rejection", async () => {
    const c = await campaignIn("submitted", "Reason Kept");
    const r = await run(team.members.admin.caller, `campaign reject ${c.number} --reason "Budget moved to Q4"`);
    expect(r.ok).toBe(true);
    const last = await app.database.db.auditEntry.findFirstOrThrow({ where: { entityId: c.id }, orderBy: { id: "desc" } });
    expect(last.data).toEqual({ from: "submitted", to: "rejected", reason: "Budget moved to Q4" });
  });

  // Every (status, action) pair the table does not allow is refused, says the current state and
  // the allowed next ones, and changes nothing.
  const illegal = CAMPAIGN_STATUSES.flatMap((status) => CAMPAIGN_ACTIONS.filter((a) => !TRANSITIONS[a].from.includes(status)).map((action) => [status, action] as const));
  it.each(illegal)("refuses %s → %s with the current state and the way forward", async (status, action) => {
    const c = await campaignIn(status, `Illegal ${status} ${action}`);
    const before = await app.database.db.auditEntry.count({ where: { entityId: c.id } });
    const r = await run(owner(), `campaign ${action} ${c.number}`);
    expect(r.ok).toBe(false);
    expect(r.reply.tone).toBe("error");
    expect(r.reply.text).toContain(`is ${status}`);
    const allowed = CAMPAIGN_ACTIONS.filter((a) => TRANSITIONS[a].from.includes(status));
    if (allowed.length === 0) expect(r.reply.text).toContain("final");
    for (const a of allowed) expect(r.reply.text).toContain(`campaign ${a} ${c.number}`);
    const after = await app.database.db.campaign.findUniqueOrThrow({ where: { id: c.id } });
    expect(after.status).toBe(status);
    expect(await app.database.db.auditEntry.count({ where: { entityId: c.id } })).toBe(before);
  });

  it("of two approvals racing, exactly one wins and one audit entry is written", async () => {
    const c = await campaignIn("submitted", "Race");
    const [a, b] = await Promise.all([run(team.members.owner.caller, `campaign approve ${c.number}`), run(team.members.admin.caller, `campaign approve ${c.number}`)]);
    expect([a.ok, b.ok].sort()).toEqual([false, true]);
    expect(await app.database.db.auditEntry.count({ where: { entityId: c.id, action: "campaign.approved" } })).toBe(1);
  });

  it("reports a committed change as done even when its notifications can't be queued", async () => {
    const c = await campaignIn("draft", "Redis Away");
    const failing = { publish: async () => Promise.reject(new Error("Redis is away")) };
    const r = await runCommand({ ...app.runner, events: failing }, { text: `campaign submit ${c.number}`, caller: owner() });
    expect(r.ok, r.reply.text).toBe(true);
    expect((await app.database.db.campaign.findUniqueOrThrow({ where: { id: c.id } })).status).toBe("submitted");
  });

  it("won't activate a campaign whose end date has passed", async () => {
    const c = await campaignIn("approved", "Too Late");
    clock.set(new Date("2026-08-02T00:00:00Z"));
    const r = await run(owner(), `campaign activate ${c.number}`);
    expect(r.ok).toBe(false);
    expect(r.reply.text).toContain("ended on 2026-07-31");
  });

  it("lists campaigns filtered by status and shows one with its history and next moves", async () => {
    const c = await campaignIn("submitted", "Listed One");
    const list = await run(team.members.analyst.caller, "campaign list --status submitted");
    expect(list.reply.table?.rows.map((r) => r[1])).toContain("Listed One");
    expect(list.reply.table?.rows.every((r) => r[2] === "submitted")).toBe(true);
    const show = await run(team.members.admin.caller, `campaign show "listed one"`);
    expect(show.reply.title).toBe(`Listed One (#${c.number})`);
    expect(show.reply.text).toContain("submitted for approval");
    expect(show.reply.buttons?.map((b) => b.command)).toEqual([`campaign approve ${c.number}`, `campaign reject ${c.number}`, `campaign cancel ${c.number}`]);
  });

  it("refuses a duplicate name, an end before start and bad money, writing nothing", async () => {
    await createCampaign("Unique Name");
    const count = await app.database.db.campaign.count();
    const cases: [string, string, string?][] = [
      [`campaign create "unique  NAME" --budget 10 --start 2026-07-01 --end 2026-07-02 --objective sales`, "already a campaign", "campaign show"],
      [`campaign create "Backwards" --budget 10 --start 2026-08-01 --end 2026-07-01 --objective sales`, "before it starts"],
      [`campaign create "Yen" --budget 10.5 --currency JPY --start 2026-07-01 --end 2026-07-02 --objective sales`, "more decimals than JPY"],
      [`campaign create "Mixed" --budget "EUR 10" --currency USD --start 2026-07-01 --end 2026-07-02 --objective sales`, "written in EUR"],
    ];
    for (const [line, message, example = "campaign create"] of cases) {
      const r = await run(owner(), line);
      expect(r.ok, line).toBe(false);
      expect(r.reply.text, line).toContain(message);
      expect(r.reply.text, line).toContain(example);
    }
    expect(await app.database.db.campaign.count()).toBe(count);
  });

  it("records a campaign that already ended, as a draft that can't be activated", async () => {
    const r = await run(owner(), `campaign create "Spring Recap" --budget 100 --start 2026-03-01 --end 2026-03-31 --objective awareness`);
    expect(r.ok, r.reply.text).toBe(true);
    expect(r.reply.text).toContain("ended on 2026-03-31");
    const c = await app.database.db.campaign.findFirstOrThrow({ where: { name: "Spring Recap" } });
    expect(c.status).toBe("draft");
  });

  it("tells a user who misspells a campaign what they probably meant", async () => {
    await createCampaign("Winter Warmers");
    const r = await run(owner(), "campaign show Wintr Warmers");
    expect(r.ok).toBe(false);
    expect(r.reply.text).toContain("Did you mean Winter Warmers?");
  });

  it("gives concurrent creates distinct numbers", async () => {
    const results = await Promise.all(
      Array.from({ length: 8 }, (_, i) => run(owner(), `campaign create "Burst ${i}" --budget 100 --start 2026-07-01 --end 2026-07-02 --objective awareness`)),
    );
    expect(results.every((r) => r.ok)).toBe(true);
    const numbers = (await app.database.db.campaign.findMany({ where: { name: { startsWith: "Burst" } } })).map((c) => c.number);
    expect(new Set(numbers).size).toBe(8);
  });
});
