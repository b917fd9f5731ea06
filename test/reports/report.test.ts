/**
 * report <campaign> --format pdf|xlsx through the real command runner on
 * fixed rows (test/reports/fixture.ts, figures worked out by hand): the PDF's
 * text layer and the workbook read back with exceljs say the same numbers;
 * an empty campaign still gets a valid report saying so; bad input and other
 * workspaces' campaigns get clear answers.
 */
import ExcelJS from "exceljs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { App } from "../../app/container.ts";
import { ManualClock } from "../../core/clock.ts";
import { runCommand } from "../../core/commands/run.ts";
import type { Caller } from "../../core/commands/types.ts";
import type { ReplyFile } from "../../core/reply.ts";
import { startTestApp } from "../support/app.ts";
import { runAll } from "../support/commands.ts";
import { createTestDatabase } from "../support/database.ts";
import { pdfText } from "../support/pdf.ts";
import { createTeam, type Team } from "../support/team.ts";
import { reportPeriod } from "../../core/reports/data.ts";
import { GLOW, seedGlowUp } from "./fixture.ts";

let env: Awaited<ReturnType<typeof createTestDatabase>>;
let app: App;
let team: Team;
let other: Team;
const clock = new ManualClock(new Date("2026-07-20T12:00:00Z"));

const run = (caller: Caller, text: string) => runCommand(app.runner, { text, caller });

async function file(text: string, caller: Caller = team.members.analyst.caller): Promise<ReplyFile> {
  const r = await run(caller, text);
  expect(r.ok, r.reply.text).toBe(true);
  expect(r.reply.files).toHaveLength(1);
  return r.reply.files![0]!;
}

async function workbook(f: ReplyFile): Promise<ExcelJS.Workbook> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(Buffer.from(f.bytes) as never);
  return wb;
}

/** A sheet as objects keyed by its header row. */
function records(ws: ExcelJS.Worksheet): Record<string, unknown>[] {
  const headers = (ws.getRow(1).values as unknown[]).slice(1).map(String);
  const out: Record<string, unknown>[] = [];
  ws.eachRow((row, n) => {
    if (n === 1) return;
    const values = (row.values as unknown[]).slice(1);
    out.push(Object.fromEntries(headers.map((h, i) => [h, values[i] ?? null])));
  });
  return out;
}

function summary(wb: ExcelJS.Workbook, sheet = "Summary"): Map<string, unknown> {
  return new Map(records(wb.getWorksheet(sheet)!).map((r) => [String(Object.values(r)[0]), Object.values(r)[1]]));
}

beforeAll(async () => {
  env = await createTestDatabase();
  app = await startTestApp(env.url, { clock });
  team = await createTeam(app.database.db, "Glow Brand");
  other = await createTeam(app.database.db, "Other Brand");
  await seedGlowUp(app.runner, team);
  await runAll(app.runner, team.members.owner.caller, ['campaign activate "Glow Up"']);
  clock.set(new Date("2026-08-15T09:30:00Z"));
  await runAll(app.runner, team.members.owner.caller, ['campaign complete "Glow Up"']);
  await runAll(app.runner, other.members.owner.caller, ['campaign create "Theirs" --budget 50 --currency EUR --start 2026-07-01 --end 2026-07-31 --objective sales']);
});
afterAll(async () => {
  await app?.stop();
  await env?.drop();
});

describe("report as PDF", () => {
  it("states the campaign's facts and every creator's figures, as computed by hand", async () => {
    const pdf = await file('report "Glow Up" --format pdf');
    expect(pdf).toMatchObject({ filename: "report-1-glow-up.pdf", mime: "application/pdf" });
    expect(Buffer.from(pdf.bytes).subarray(0, 5).toString("latin1")).toBe("%PDF-");
    const text = pdfText(pdf.bytes);
    for (const words of [
      "Campaign report",
      "Glow Up (#1)",
      // The en dash is WinAnsi's byte 0x96.
      "Glow Brand · 2026-07-01 \u0096 2026-07-31 (UTC)",
      "2026-07-01 \u0096 2026-07-31",
      "Generated 2026-08-15 09:30 UTC",
      "completed",
      GLOW.budget,
      GLOW.agreed,
      GLOW.paid,
      GLOW.revenue,
      "-69.3%",
      "4%",
      "3.2%",
      "8%",
      "425",
      "page 1 of",
    ]) {
      expect(text, words).toContain(words);
    }
    // The per-creator table: name, fee, clicks, conversions, revenue, ROI, posts, engagement.
    const lines = text.split("\n");
    const after = (name: string) => lines.slice(lines.indexOf(name), lines.indexOf(name) + 8);
    expect(after("Amara")).toEqual(["Amara", "$500.00", "50", "3", "$165.50", "-66.9%", "1", "320"]);
    expect(after("Bruno")).toEqual(["Bruno", "$300.00", "50", "1", "$80.00", "-73.3%", "1", "105"]);
    // No fee, no ROI: "—", which the standard fonts' WinAnsi encoding keeps as byte 0x97.
    expect(after("Chidi")).toEqual(["Chidi", "$0.00", "0", "0", "$0.00", "\u0097", "0", "0"]);
    // The chart is in: one embedded PNG image.
    expect(Buffer.from(pdf.bytes).toString("latin1")).toMatch(/\/Subtype \/Image/);
  });

  it("carries a long creator table over pages, each with its header and a numbered footer", async () => {
    const db = app.database.db;
    const campaign = await db.campaign.findFirstOrThrow({ where: { workspaceId: team.workspaceId, name: "Quiet One" } });
    for (let i = 1; i <= 80; i++) {
      const creator = await db.creator.create({ data: { id: crypto.randomUUID(), workspaceId: team.workspaceId, number: 1000 + i, name: `Crowd ${i}`, nameKey: `crowd ${i}` } });
      await db.referralLink.create({ data: { id: crypto.randomUUID(), workspaceId: team.workspaceId, campaignId: campaign.id, creatorId: creator.id, slug: `crowd${i}x`.padEnd(10, "x"), code: `CROWD${i}`, codeKey: `CROWD${i}`, createdAt: new Date() } });
    }
    const text = pdfText((await file('report "Quiet One" --format pdf')).bytes);
    const pages = Number(/page 1 of (\d+)/.exec(text)?.[1]);
    expect(pages).toBeGreaterThanOrEqual(2);
    for (let p = 1; p <= pages; p++) expect(text).toContain(`page ${p} of ${pages}`);
    for (let i = 1; i <= 80; i++) expect(text.split("\n")).toContain(`Crowd ${i}`);
    // The header row is repeated on the table's next page.
    expect(text.split("\n").filter((l) => l === "Engagement").length).toBeGreaterThanOrEqual(pages);
  });
});

describe("report as XLSX", () => {
  it("has a sheet per section, read back with the same numbers", async () => {
    const xlsx = await file('report 1 --format xlsx');
    expect(xlsx).toMatchObject({ filename: "report-1-glow-up.xlsx", mime: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" });
    const wb = await workbook(xlsx);
    expect(wb.worksheets.map((w) => w.name)).toEqual(["Summary", "Creators", "Posts", "Clicks by day", "Conversions"]);

    const facts = summary(wb);
    expect(facts.get("Campaign")).toBe("Glow Up (#1)");
    expect(facts.get("Budget")).toBe(10_000);
    expect(facts.get("Agreed fees")).toBe(800);
    expect(facts.get("Paid")).toBe(150);
    expect(facts.get("Clicks")).toBe(GLOW.clicks);
    expect(facts.get("Unique clicks")).toBe(GLOW.unique);
    expect(facts.get("Conversions")).toBe(GLOW.conversions);
    expect(facts.get("Conversion rate")).toBeCloseTo(0.04, 10);
    expect(facts.get("Revenue")).toBe(GLOW.revenueMajor);
    expect(facts.get("ROI")).toBeCloseTo(GLOW.roi, 10);
    expect(facts.get("Posts")).toBe(GLOW.posts);
    expect(facts.get("Engagement (likes + comments)")).toBe(GLOW.engagement);
    expect(facts.get("Engagement rate")).toBeCloseTo(GLOW.engagementRate, 10);
    expect(wb.getWorksheet("Summary")!.getCell("B6").numFmt).toBe('#,##0.00 "USD"');

    const creators = records(wb.getWorksheet("Creators")!);
    expect(creators.map((c) => c.Creator)).toEqual(["Amara", "Bruno", "Chidi"]);
    expect(creators[0]).toMatchObject({ Handles: "instagram @amara.glow, tiktok @amarag", Code: "AMARA25", Fee: 500, Deliverables: "2 posts by Amara", Clicks: 50, Unique: 38, "QR scans": 5, Conversions: 3, Revenue: 165.5, Posts: 1, Engagement: 320 });
    expect(creators[0]!.ROI).toBeCloseTo((165.5 - 500) / 500, 10);
    expect(creators[1]).toMatchObject({ Fee: 300, Clicks: 50, Unique: 40, Conversions: 1, Revenue: 80, Engagement: 105, "Eng. rate": null });
    // Chidi's 99 clicks came after the campaign ended.
    expect(creators[2]).toMatchObject({ Fee: 0, Clicks: 0, ROI: null });

    const posts = records(wb.getWorksheet("Posts")!);
    expect(posts.map((p) => [p.Creator, p.Platform, p.Likes, p.Comments, p.Views])).toEqual([
      ["Amara", "instagram", 300, 20, null],
      ["Bruno", "tiktok", 100, 5, 2000],
    ]);
    expect(posts[0]!["Posted (UTC)"]).toEqual(new Date("2026-07-05T15:00:00Z"));
    expect(posts[0]!.Caption).toBe("Amara glows ✨ #ad");

    const days = records(wb.getWorksheet("Clicks by day")!);
    expect(days).toHaveLength(31);
    expect(days[0]!["Day (UTC)"]).toEqual(new Date("2026-07-01T00:00:00Z"));
    expect(days[1]).toMatchObject({ Clicks: 60, Unique: 45, "QR scans": 7, Conversions: 2, Revenue: 120 });
    expect(days.reduce((n, d) => n + Number(d.Clicks), 0)).toBe(GLOW.clicks);
    expect(days.reduce((n, d) => n + Number(d.Revenue), 0)).toBeCloseTo(GLOW.revenueMajor, 10);

    const orders = records(wb.getWorksheet("Conversions")!);
    expect(orders.map((o) => [o.Order, o.Creator, o.Code, o.Amount])).toEqual([
      ["A-1", "Amara", "AMARA25", 70],
      ["A-2", "Amara", "AMARA25", 50],
      ["A-3", "Amara", "AMARA25", 45.5],
      ["B-1", "Bruno", "BRUNO77", 80],
    ]);
  });

  it("in Portuguese for a Portuguese reader, with the same figures", async () => {
    const caller = { ...team.members.manager.caller, locale: "pt-BR" };
    const wb = await workbook(await file('report "Glow Up" --format xlsx', caller));
    expect(wb.worksheets.map((w) => w.name)).toEqual(["Resumo", "Criadores", "Publicações", "Cliques por dia", "Conversões"]);
    const facts = summary(wb, "Resumo");
    expect(facts.get("Cliques")).toBe(GLOW.clicks);
    expect(facts.get("Receita")).toBe(GLOW.revenueMajor);
  });
});

describe("the report's period", () => {
  const july = { startsOn: new Date("2026-07-01T00:00:00Z"), endsOn: new Date("2026-07-31T00:00:00Z") };
  it("is start to end once the campaign is over, start to now while it runs, and the planned days before it starts", () => {
    expect(reportPeriod(july, new Date("2026-08-15T09:30:00Z"))).toEqual({ from: july.startsOn, to: new Date("2026-08-01T00:00:00Z"), running: false });
    expect(reportPeriod(july, new Date("2026-07-20T12:00:00Z"))).toEqual({ from: july.startsOn, to: new Date("2026-07-20T12:00:00Z"), running: true });
    expect(reportPeriod(july, new Date("2026-06-01T00:00:00Z"))).toEqual({ from: july.startsOn, to: new Date("2026-08-01T00:00:00Z"), running: false });
  });

  it("of a running campaign counts only what happened until now, and says it runs", async () => {
    clock.set(new Date("2026-07-03T00:00:00Z"));
    try {
      const wb = await workbook(await file('report "Glow Up" --format xlsx'));
      // July 2 only: Amara 40 + Bruno 20 clicks; 2 orders; the days sheet ends with July 2.
      expect(summary(wb).get("Clicks")).toBe(60);
      expect(summary(wb).get("Conversions")).toBe(2);
      expect(summary(wb).get("Period (UTC)")).toBe("2026-07-01 – 2026-07-02 (running)");
      expect(records(wb.getWorksheet("Clicks by day")!)).toHaveLength(2);
      expect(records(wb.getWorksheet("Conversions")!).map((o) => o.Order)).toEqual(["A-1", "A-2"]);
    } finally {
      clock.set(new Date("2026-08-15T09:30:00Z"));
    }
  });
});

describe("a big campaign", () => {
  it("reports 300 creators, 18,000 daily roll-ups, 10,000 posts and 10,000 orders in full, and prints how long each format took", async () => {
    const db = app.database.db;
    await runAll(app.runner, team.members.owner.caller, ['campaign create "Big Push" --budget 900000 --currency USD --start 2026-05-01 --end 2026-06-29 --objective sales']);
    const campaign = await db.campaign.findFirstOrThrow({ where: { workspaceId: team.workspaceId, name: "Big Push" } });
    const ws = team.workspaceId;
    await db.$executeRaw`INSERT INTO creators (id, workspace_id, number, name, name_key) SELECT gen_random_uuid(), ${ws}::uuid, 5000 + i, 'Big ' || i, 'big ' || i FROM generate_series(1, 300) i`;
    await db.$executeRaw`INSERT INTO referral_links (id, workspace_id, campaign_id, creator_id, slug, code, code_key, created_at)
      SELECT gen_random_uuid(), ${ws}::uuid, ${campaign.id}::uuid, c.id, 'bg' || c.number, 'BIG' || c.number, 'BIG' || c.number, now() FROM creators c WHERE c.workspace_id = ${ws}::uuid AND c.name LIKE 'Big %'`;
    await db.$executeRaw`INSERT INTO link_daily_stats (link_id, day, clicks, unique_clicks, qr_clicks, conversions, revenue_minor)
      SELECT l.id, date '2026-05-01' + d, 10, 7, 1, 1, 2500 FROM referral_links l, generate_series(0, 59) d WHERE l.campaign_id = ${campaign.id}::uuid`;
    await db.$executeRaw`INSERT INTO social_posts (id, workspace_id, creator_id, platform, external_id, posted_at, caption, likes, comments, first_seen_at, updated_at)
      SELECT gen_random_uuid(), ${ws}::uuid, l.creator_id, 'instagram', 'bp' || l.code || '-' || n, timestamptz '2026-05-01' + (n || ' hours')::interval, 'A caption for the big push #' || n, 100, 10, now(), now()
      FROM referral_links l, generate_series(1, 34) n WHERE l.campaign_id = ${campaign.id}::uuid LIMIT 10000`;
    await db.$executeRaw`INSERT INTO conversions (id, workspace_id, order_id, amount_minor, currency, code, link_id, attributed_by, occurred_at, created_at)
      SELECT gen_random_uuid(), ${ws}::uuid, 'BP-' || l.code || '-' || n, 2500, 'USD', l.code, l.id, 'code', timestamptz '2026-05-01' + (n || ' days')::interval, now()
      FROM referral_links l, generate_series(0, 33) n WHERE l.campaign_id = ${campaign.id}::uuid LIMIT 10000`;

    const timed = async (format: string) => {
      const started = performance.now();
      const f = await file(`report "Big Push" --format ${format}`);
      return { f, ms: Math.round(performance.now() - started) };
    };
    const pdf = await timed("pdf");
    const xlsx = await timed("xlsx");
    console.log(`report of a big campaign: pdf ${pdf.ms} ms (${Math.round(pdf.f.bytes.length / 1024)} KiB), xlsx ${xlsx.ms} ms (${Math.round(xlsx.f.bytes.length / 1024)} KiB)`);
    const text = pdfText(pdf.f.bytes).split("\n");
    expect(text).toContain("Big 1");
    expect(text).toContain("Big 300");
    // 300 creators × 60 days × 10 clicks.
    expect(text).toContain("180,000");
    const wb = await workbook(xlsx.f);
    expect(records(wb.getWorksheet("Creators")!)).toHaveLength(300);
    expect(records(wb.getWorksheet("Posts")!)).toHaveLength(10_000);
    expect(records(wb.getWorksheet("Clicks by day")!)).toHaveLength(60);
    expect(records(wb.getWorksheet("Conversions")!)).toHaveLength(10_000);
    expect(summary(wb).get("Clicks")).toBe(180_000);
  }, 120_000);
});

describe("a campaign with no data yet", () => {
  it("still gets a valid PDF and workbook that say so", async () => {
    await runAll(app.runner, team.members.owner.caller, ['campaign create "Fresh" --budget 2000 --currency USD --start 2026-10-01 --end 2026-10-31 --objective engagement']);
    const r = await run(team.members.analyst.caller, 'report Fresh --format pdf');
    expect(r.ok).toBe(true);
    expect(r.reply.text).toContain("No data yet");
    const text = pdfText(r.reply.files![0]!.bytes);
    expect(text).toContain("No data yet");
    expect(text).toContain("No creators have joined this campaign yet.");
    expect(text).toContain("$2,000.00");

    const wb = await workbook(await file("report Fresh --format xlsx"));
    expect(wb.worksheets).toHaveLength(5);
    expect(summary(wb).get("Clicks")).toBe(0);
    expect([...summary(wb).keys()].some((k) => k.startsWith("No data yet"))).toBe(true);
    expect(records(wb.getWorksheet("Posts")!)).toEqual([{ "Posted (UTC)": "Nothing in this period yet." , Creator: null, Platform: null, Kind: null, Caption: null, Likes: null, Comments: null, Shares: null, Views: null, Link: null }]);
    expect(records(wb.getWorksheet("Clicks by day")!)).toHaveLength(31);
  });
});

describe("report's answers to bad input", () => {
  it("names the formats and shows an example for --format doc", async () => {
    const r = await run(team.members.analyst.caller, 'report "Glow Up" --format doc');
    expect(r.ok).toBe(false);
    expect(r.reply.text).toContain("pdf, xlsx");
    expect(r.reply.text).toContain("doc");
    expect(r.reply.text).toMatch(/report "Summer Launch" --format pdf/);
    expect(r.reply.files).toBeUndefined();
  });

  it("asks for the format when it is missing", async () => {
    const r = await run(team.members.analyst.caller, 'report "Glow Up"');
    expect(r.ok).toBe(false);
    expect(r.reply.text).toMatch(/--format/);
    expect(r.reply.text).toMatch(/report "Summer Launch" --format pdf/);
  });

  it("doesn't find an unknown campaign, nor another workspace's", async () => {
    const unknown = await run(team.members.analyst.caller, 'report "Glow Upp" --format pdf');
    expect(unknown.ok).toBe(false);
    expect(unknown.reply.text).toMatch(/Glow Upp/);
    expect(unknown.reply.text).toMatch(/campaign show "Glow Up"/);
    const theirs = await run(team.members.analyst.caller, "report Theirs --format pdf");
    expect(theirs.ok).toBe(false);
    expect(theirs.error).toBe("not_found");
    const ours = await run(other.members.owner.caller, 'report "Glow Up" --format xlsx');
    expect(ours.ok).toBe(false);
    expect(ours.error).toBe("not_found");
    expect(ours.reply.text).not.toMatch(/245|Amara/);
  });

  it("is refused to a creator", async () => {
    const r = await run(team.members.creator.caller, 'report "Glow Up" --format pdf');
    expect(r.ok).toBe(false);
    expect(r.error).toBe("forbidden");
  });
});
