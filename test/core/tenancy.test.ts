import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { App } from "../../app/container.ts";
import { runCommand } from "../../core/commands/run.ts";
import type { Caller } from "../../core/commands/types.ts";
import { startTestApp } from "../support/app.ts";
import { createTestDatabase } from "../support/database.ts";
import { createTeam, type Team } from "../support/team.ts";

let env: Awaited<ReturnType<typeof createTestDatabase>>;
let app: App;
let a: Team;
let b: Team;
let bCampaign: { id: string; number: number };

beforeAll(async () => {
  env = await createTestDatabase();
  app = await startTestApp(env.url);
  a = await createTeam(app.database.db, "Brand A");
  b = await createTeam(app.database.db, "Brand B");
  const run = (caller: Caller, text: string) => runCommand(app.runner, { text, caller });
  expect((await run(b.members.owner.caller, 'campaign create "B Secret Launch" --budget 9000 --start 2099-01-01 --end 2099-02-01 --objective sales')).ok).toBe(true);
  expect((await run(b.members.owner.caller, 'creator add "B Only Creator" --instagram bonly')).ok).toBe(true);
  // A has a campaign with the same number, so "#1" means A's own campaign to A.
  expect((await run(a.members.owner.caller, 'campaign create "A Launch" --budget 100 --start 2099-01-01 --end 2099-02-01 --objective sales')).ok).toBe(true);
  bCampaign = await app.database.db.campaign.findFirstOrThrow({ where: { workspaceId: b.workspaceId } });
});
afterAll(async () => {
  await app?.stop();
  await env?.drop();
});

const asA = (text: string) => runCommand(app.runner, { text, caller: a.members.owner.caller });

describe("tenant isolation", () => {
  it("a member of A cannot see B's campaign by name or by id", async () => {
    for (const ref of ['"B Secret Launch"', bCampaign.id]) {
      const r = await asA(`campaign show ${ref}`);
      expect(r.error).toBe("not_found");
      expect(JSON.stringify(r.reply)).not.toContain("9,000");
    }
  });

  it("#1 in A is A's own campaign, never B's", async () => {
    const r = await asA(`campaign show ${bCampaign.number}`);
    expect(r.reply.title).toBe("A Launch (#1)");
  });

  it("a member of A cannot move B's campaign, and B's campaign is untouched", async () => {
    for (const action of ["submit", "cancel"]) {
      const r = await asA(`campaign ${action} "B Secret Launch"`);
      expect(r.error).toBe("not_found");
    }
    const after = await app.database.db.campaign.findUniqueOrThrow({ where: { id: bCampaign.id } });
    expect(after.status).toBe("draft");
    expect(await app.database.db.auditEntry.count({ where: { entityId: bCampaign.id, action: { not: "campaign.created" } } })).toBe(0);
  });

  it("lists, searches and workspace details never include the other tenant", async () => {
    const list = await asA("campaign list");
    expect(list.reply.table?.rows.map((r) => r[1])).toEqual(["A Launch"]);
    const search = await asA("creators search");
    expect(JSON.stringify(search.reply)).not.toContain("B Only Creator");
    const missing = await asA("creator show bonly");
    expect(missing.error).toBe("not_found");
    const ws = await asA("workspace show");
    // Both teams use the same five display names; A sees exactly its own five members.
    expect(ws.reply.table?.rows).toHaveLength(5);
    const aMembers = await app.database.db.member.count({ where: { workspaceId: a.workspaceId } });
    expect(aMembers).toBe(5);
  });

  it("the same names may exist in two workspaces", async () => {
    const r = await asA('campaign create "B Secret Launch" --budget 1 --start 2099-01-01 --end 2099-01-02 --objective sales');
    expect(r.ok, r.reply.text).toBe(true);
    const r2 = await asA('creator add "B Only Creator" --instagram bonly');
    expect(r2.ok, r2.reply.text).toBe(true);
  });
});
