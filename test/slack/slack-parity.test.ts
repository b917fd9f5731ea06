import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { renderMessage } from "../../bots/slack/render.ts";
import { createRegistry } from "../../core/commands/catalog.ts";
import { runCommand } from "../../core/commands/run.ts";
import { tokenize } from "../../core/commands/tokenize.ts";
import type { Role } from "../../core/roles.ts";
import { createTestDatabase } from "../support/database.ts";
import { startSlackHarness, textOf, type SlackHarness } from "../support/slack.ts";
import { createTeam, type Team } from "../support/team.ts";

/**
 * Every command through the console on one workspace and through Slack on its
 * twin (same names, same history): the same outcome, and the same reply once
 * rendered. A command added to the registry without a line here fails.
 */
const TWIN_TEAM = "T0TWIN001";
const SCRIPT: [Role, string][] = [
  ["owner", "help"],
  ["owner", "help campaign create"],
  ["owner", "link"],
  ["owner", "workspace show"],
  ["owner", 'workspace create "Second Brand"'],
  ["owner", 'member add "Pat Person" --role analyst'],
  ["admin", 'member add "Will Be Owner" --role owner'],
  ["manager", 'creator add "Twin Creator" --instagram twincreator --location KE --category beauty'],
  ["analyst", 'creator show "Twin Creator"'],
  ["analyst", "creators search twin --location KE"],
  ["manager", 'campaign create "Twin One" --budget 1,000.50 --currency EUR --start 2099-01-01 --end 2099-01-31 --objective sales'],
  ["manager", 'campaign create "Twin Two" --budget 200 --start 2099-02-01 --end 2099-02-28 --objective awareness'],
  ["manager", 'campaign create "Twin Three" --budget 300 --start 2099-03-01 --end 2099-03-31 --objective engagement'],
  ["analyst", "campaign list"],
  ["manager", "campaign submit 1"],
  ["manager", "campaign approve 1"],
  ["admin", "campaign approve 1"],
  ["manager", "campaign activate 1"],
  ["manager", "campaign complete 1"],
  ["manager", "campaign submit 2"],
  ["owner", 'campaign reject 2 --reason "Not this quarter"'],
  ["manager", "campaign cancel 3"],
  ["manager", "campaign cancel 3"],
  ["analyst", "campaign show 1"],
  ["analyst", "campaign list --status cancelled"],
  ["owner", "campain list"],
];

let env: Awaited<ReturnType<typeof createTestDatabase>>;
let h: SlackHarness;
let consoleTwin: Team;
let slackTwin: Team;

beforeAll(async () => {
  env = await createTestDatabase();
  h = await startSlackHarness(env.url);
  consoleTwin = await createTeam(h.app.database.db, "Twin Brand");
  slackTwin = await createTeam(h.app.database.db, "Twin Brand");
  for (const [role, m] of Object.entries(slackTwin.members)) {
    await h.app.database.db.identity.create({ data: { id: crypto.randomUUID(), platform: "slack", externalId: `${TWIN_TEAM}:U${role.toUpperCase()}`, memberId: m.id } });
  }
  // The console twin's members are on Slack elsewhere too, so "linked on" reads the same for both.
  for (const [role, m] of Object.entries(consoleTwin.members)) {
    await h.app.database.db.identity.create({ data: { id: crypto.randomUUID(), platform: "slack", externalId: `T0ELSEWHERE:U${role.toUpperCase()}`, memberId: m.id } });
  }
});
afterAll(async () => {
  await h?.stop();
  await env?.drop();
});

/** Link codes are random; everything else must match exactly. */
const normalize = (s: string) => s.replace(/\b[2-9A-HJ-NP-Z]{6}\b/g, "CODE");

async function outcome(team: Team) {
  const db = h.app.database.db;
  const [campaigns, creators, members, audit] = await Promise.all([
    db.campaign.findMany({ where: { workspaceId: team.workspaceId }, orderBy: { number: "asc" }, select: { number: true, name: true, status: true, budgetMinor: true, currency: true } }),
    db.creator.findMany({ where: { workspaceId: team.workspaceId }, select: { number: true, name: true, location: true } }),
    db.member.findMany({ where: { workspaceId: team.workspaceId }, orderBy: { nameKey: "asc" }, select: { displayName: true, role: true } }),
    db.auditEntry.findMany({ where: { workspaceId: team.workspaceId }, orderBy: { id: "asc" }, select: { action: true, data: true } }),
  ]);
  return { campaigns, creators, members, audit };
}

describe("Slack ↔ console parity", () => {
  it("covers every registered command", () => {
    const registry = createRegistry();
    const covered = new Set(
      SCRIPT.flatMap(([, line]) => {
        try {
          return [registry.resolve(tokenize(line)).command.name];
        } catch {
          return [];
        }
      }),
    );
    expect([...covered].sort()).toEqual(registry.list().map((c) => c.name).sort());
  });

  it("each line has the same outcome and renders the same reply on both", async () => {
    for (const [role, line] of SCRIPT) {
      const viaConsole = await runCommand(h.app.runner, { text: line, caller: consoleTwin.members[role].caller });
      const viaSlack = await h.command({ userId: `U${role.toUpperCase()}`, teamId: TWIN_TEAM }, line).then((r) => r.json);
      expect(viaSlack, line).toBeDefined();
      const expected = renderMessage(viaConsole.reply, { sign: (c) => c });
      expect(normalize(textOf(viaSlack.blocks ?? viaSlack.text)), line).toBe(normalize(textOf(expected.blocks)));
    }
    expect(await outcome(slackTwin)).toEqual(await outcome(consoleTwin));
  });
});
