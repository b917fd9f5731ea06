/**
 * stats campaign / stats creator through the real command runner on fixed
 * roll-ups and contracts, checked against figures worked out by hand. The
 * clicks and conversions tables stay empty: stats must not need them.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { App } from "../../app/container.ts";
import { applicationCommands } from "../../bots/discord/commands.ts";
import { createRegistry } from "../../core/commands/catalog.ts";
import { runCommand } from "../../core/commands/run.ts";
import type { Caller } from "../../core/commands/types.ts";
import type { Reply } from "../../core/reply.ts";
import { startTestApp } from "../support/app.ts";
import { createTestDatabase } from "../support/database.ts";
import { createTeam, type Team } from "../support/team.ts";

let env: Awaited<ReturnType<typeof createTestDatabase>>;
let app: App;
let team: Team;
let other: Team;
let invitationNumber = 9000;

const run = (caller: Caller, text: string) => runCommand(app.runner, { text, caller });
const db = () => app.database.db;

async function ok(text: string, caller: Caller = team.members.analyst.caller): Promise<Reply> {
  const r = await run(caller, text);
  expect(r.ok, r.reply.text).toBe(true);
  return r.reply;
}

const ids: Record<string, string> = {};

async function link(campaign: string, creator: string, days: [string, number, number, number, number, number][]) {
  const id = crypto.randomUUID();
  await db().referralLink.create({ data: { id, workspaceId: team.workspaceId, campaignId: ids[campaign]!, creatorId: ids[creator]!, slug: `st${id.slice(0, 8)}`, code: `${creator}${campaign}`.toUpperCase().replace(/\W/g, ""), codeKey: `${creator}${campaign}`.toUpperCase().replace(/\W/g, ""), createdAt: new Date() } });
  for (const [day, clicks, uniqueClicks, qrClicks, conversions, revenueMinor] of days) {
    await db().linkDailyStat.create({ data: { linkId: id, day: new Date(`${day}T00:00:00Z`), clicks, uniqueClicks, qrClicks, conversions, revenueMinor } });
  }
}

async function contract(campaign: string, creator: string, feeMinor: number, currency: string) {
  const invitationId = crypto.randomUUID();
  const dates = { startsOn: new Date("2026-07-01"), endsOn: new Date("2026-07-31") };
  await db().invitation.create({ data: { id: invitationId, workspaceId: team.workspaceId, number: ++invitationNumber, campaignId: ids[campaign]!, creatorId: ids[creator]!, feeMinor, currency, status: "accepted", expiresAt: new Date("2026-08-01") } });
  await db().contract.create({ data: { invitationId, workspaceId: team.workspaceId, campaignId: ids[campaign]!, creatorId: ids[creator]!, feeMinor, currency, deliverables: "1 reel", ...dates, acceptedAt: new Date() } });
}

beforeAll(async () => {
  env = await createTestDatabase();
  app = await startTestApp(env.url);
  team = await createTeam(db(), "Stats Brand");
  other = await createTeam(db(), "Other Stats Brand");
  const owner = team.members.owner.caller;
  await ok('campaign create "Glow Up" --budget 10000 --currency USD --start 2026-07-01 --end 2026-07-31 --objective sales', owner);
  await ok('campaign create "Winter" --budget 1000 --currency EUR --start 2026-12-01 --end 2026-12-31 --objective sales', owner);
  await ok('campaign create "Empty" --budget 100 --currency USD --start 2026-09-01 --end 2026-09-30 --objective sales', owner);
  for (const name of ["Amara", "Bruno", "Chidi", "Dara"]) await ok(`creator add ${name} --instagram ${name.toLowerCase()}`, owner);
  for (const c of await db().campaign.findMany({ where: { workspaceId: team.workspaceId } })) ids[c.name] = c.id;
  for (const c of await db().creator.findMany({ where: { workspaceId: team.workspaceId } })) ids[c.name] = c.id;

  // Glow Up (USD): Amara 1,000 clicks over two days, 20 sales, $2,000 on a $500 fee; Bruno 500 clicks, 5 sales, $250 on $1,000;
  // Chidi has a link nobody clicked and no contract; Dara a $250 contract and no link.
  await link("Glow Up", "Amara", [
    ["2026-07-02", 600, 500, 60, 12, 120_000],
    ["2026-07-03", 400, 300, 40, 8, 80_000],
  ]);
  await link("Glow Up", "Bruno", [["2026-07-02", 500, 400, 0, 5, 25_000]]);
  await link("Glow Up", "Chidi", []);
  await contract("Glow Up", "Amara", 50_000, "USD");
  await contract("Glow Up", "Bruno", 100_000, "USD");
  await contract("Glow Up", "Dara", 25_000, "USD");
  // Winter (EUR): Amara 100 clicks, 2 sales, €50 on a €20 fee.
  await link("Winter", "Amara", [["2026-12-05", 100, 90, 10, 2, 5_000]]);
  await contract("Winter", "Amara", 2_000, "EUR");
});
afterAll(async () => {
  await app?.stop();
  await env?.drop();
});

const fields = (r: Reply) => Object.fromEntries((r.fields ?? []).map((f) => [f.label, f.value]));

describe("stats campaign", () => {
  it("totals the campaign and ranks its creators, with hand-computed ratios", async () => {
    const r = await ok('stats campaign "Glow Up"');
    expect(r.title).toBe("Stats · Glow Up (#1)");
    expect(fields(r)).toEqual({
      Clicks: "1,500",
      "Unique clicks": "1,200",
      "QR scans": "100",
      Conversions: "25",
      Revenue: "$2,250.00",
      // 25 ÷ 1,500 = 1.67 %; $2,250 ÷ 1,500 clicks = $1.50
      "Conversion rate": "1.7%",
      EPC: "$1.50",
      "Cost (fees)": "$1,750.00 · contracts: 3",
      // ($2,250 − $1,750) ÷ $1,750 = 28.57 %; $2,250 ÷ $1,750 = 1.2857
      ROI: "28.6%",
      ROAS: "1.29×",
    });
    expect(r.text).toContain("Conversion rate = conversions ÷ clicks");
    expect(r.text).toContain("ROI = (revenue − cost) ÷ cost");
    expect(r.table!.columns).toEqual(["Creator", "Clicks", "Unique", "Conv.", "Revenue", "Cost", "ROI", "ROAS"]);
    expect(r.table!.rows).toEqual([
      ["Amara", "1,000", "800", "20", "$2,000.00", "$500.00", "300%", "4.00×"],
      ["Bruno", "500", "400", "5", "$250.00", "$1,000.00", "-75%", "0.25×"],
      ["Chidi", "0", "0", "0", "$0.00", "$0.00", "—", "—"],
      ["Dara", "0", "0", "0", "$0.00", "$250.00", "-100%", "0.00×"],
    ]);
  });

  it("says — for every ratio of a campaign with nothing yet", async () => {
    const r = await ok("stats campaign Empty");
    const f = fields(r);
    expect([f.Clicks, f.Revenue, f["Cost (fees)"]]).toEqual(["0", "$0.00", "$0.00 · contracts: 0"]);
    expect([f["Conversion rate"], f.EPC, f.ROI, f.ROAS]).toEqual(["—", "—", "—", "—"]);
    expect(r.table).toBeUndefined();
    expect(r.text).toContain("No referral links or contracts in Empty yet");
  });

  it("formats money and numbers in the reader's language", async () => {
    const r = await run({ ...team.members.analyst.caller, locale: "pt-BR" }, 'stats campaign "Glow Up"');
    const f = fields(r.reply);
    expect(f["Cliques"]).toBe("1.500");
    expect(f["Receita"]).toMatch(/US\$\s2\.250,00/);
    expect(f["ROI"]).toMatch(/28,6\s?%/);
    expect(r.reply.text).toContain("Taxa de conversão = conversões ÷ cliques");
  });

  it("is for the brand's staff, and another workspace never sees the campaign", async () => {
    expect((await run(team.members.creator.caller, 'stats campaign "Glow Up"')).error).toBe("forbidden");
    const foreign = await run(other.members.owner.caller, 'stats campaign "Glow Up"');
    expect(foreign.error).toBe("not_found");
  });
});

describe("stats creator", () => {
  it("keeps each currency's totals apart across campaigns", async () => {
    const r = await ok("stats creator Amara");
    const f = fields(r);
    expect(f["Revenue (USD)"]).toBe("$2,000.00");
    expect(f["ROI (USD)"]).toBe("300%");
    expect(f["Revenue (EUR)"]).toBe("€50.00");
    // (€50 − €20) ÷ €20 = 150 %; €50 ÷ 100 clicks = €0.50
    expect(f["ROI (EUR)"]).toBe("150%");
    expect(f["EPC (EUR)"]).toBe("€0.50");
    expect(r.table!.rows.map((row) => row[0])).toEqual(["Glow Up (#1)", "Winter (#2)"]);
  });

  it("narrows to one campaign with --campaign", async () => {
    const r = await ok('stats creator Amara --campaign "Glow Up"');
    expect(r.title).toBe("Stats · Amara · Glow Up");
    expect(fields(r)).toMatchObject({ Clicks: "1,000", "QR scans": "100", Conversions: "20", "Conversion rate": "2%", EPC: "$2.00", "Cost (fees)": "$500.00 · contracts: 1", ROI: "300%", ROAS: "4.00×" });
    const dara = fields(await ok('stats creator Dara --campaign "Glow Up"'));
    expect([dara.Clicks, dara.EPC, dara.ROI]).toEqual(["0", "—", "-100%"]);
  });
});

describe("on Discord", () => {
  it("is a stats group with campaign and creator subcommands", () => {
    const root = applicationCommands(createRegistry())[0] as any;
    const group = root.options.find((o: any) => o.name === "stats");
    expect(group.options.map((o: any) => o.name).sort()).toEqual(["campaign", "creator"]);
  });
});
