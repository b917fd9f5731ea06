/**
 * computeFacts on fixed rows (test/digests/fixture.ts), against figures worked
 * out by hand, and the chart drawn from them: a real PNG of the right size,
 * with both series and the bars in it.
 */
import { PNG } from "pngjs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { renderDigestChart } from "../../core/digests/chart.ts";
import { computeFacts, type DigestFacts } from "../../core/digests/facts.ts";
import type { Database } from "../../db/database.ts";
import { createTestDatabase } from "../support/database.ts";
import { createTeam } from "../support/team.ts";
import { FROM, type Fixture, seedDigestFixture, TO } from "./fixture.ts";

let env: Awaited<ReturnType<typeof createTestDatabase>>;
let database: Database;
let fx: Fixture;

beforeAll(async () => {
  env = await createTestDatabase();
  database = env.database;
  fx = await seedDigestFixture(database.db);
  // Another brand's rows must never show up.
  await seedDigestFixture(database.db, "Other Brand");
});
afterAll(async () => {
  await env?.drop();
});

const campaignFacts = () => computeFacts(database.db, { workspaceId: fx.team.workspaceId, campaignId: fx.ids["Glow Up"], from: FROM, to: TO });
const byName = (f: DigestFacts) => Object.fromEntries(f.creators.map((c) => [c.name, c]));

describe("computeFacts", () => {
  it("totals one campaign's week and compares it with the week before", async () => {
    const f = await campaignFacts();
    expect(f.campaign).toMatchObject({ name: "Glow Up", number: 1 });
    expect(f.currency).toBe("USD");
    expect(f.period).toEqual({ from: "2026-07-08T00:00:00.000Z", to: "2026-07-15T00:00:00.000Z", days: 7 });
    expect(f.previousPeriod).toEqual({ from: "2026-07-01T00:00:00.000Z", to: "2026-07-08T00:00:00.000Z" });
    // 100 + 60 + 40 clicks; 4 + 2 sales for $400 + $200; 500 + 300 + 200 likes and comments.
    expect(f.current).toEqual({ clicks: 200, uniqueClicks: 160, conversions: 6, revenueMinor: 60_000, engagement: 1_000, likes: 800, comments: 200, posts: 3 });
    expect(f.previous).toEqual({ clicks: 60, uniqueClicks: 50, conversions: 1, revenueMinor: 10_000, engagement: 250, likes: 200, comments: 50, posts: 1 });
    expect(f.conversionRate).toBeCloseTo(6 / 200, 10);
    // (500 + 300 + 200) ÷ (10,000 + 5,000 + 20,000 followers, one post each)
    expect(f.engagementRate).toBeCloseTo(1_000 / 35_000, 10);
    // $100 to 07-14 against $1,000 of fees ($500 + $300 + $200): ROI −30 %, 10 % of the $10,000 budget agreed, the $150 advance paid.
    expect(f.revenueToDateMinor).toBe(70_000);
    expect(f.spend).toEqual({ agreedMinor: 100_000, paidMinor: 15_000, budgetMinor: 1_000_000, remainingMinor: 900_000, shareOfBudget: 0.1 });
    expect(f.roi).toBeCloseTo(-0.3, 10);
  });

  it("ranks the creators by engagement, with the leaders who drove most of it and the ones behind", async () => {
    const f = await campaignFacts();
    expect(f.creators.map((c) => c.name)).toEqual(["Murugi", "Njugush", "Otieno"]);
    const c = byName(f);
    expect(c.Murugi).toMatchObject({ clicks: 100, uniqueClicks: 80, conversions: 4, revenueMinor: 40_000, feeMinor: 50_000, engagement: 500, posts: 1, score: 72.5, engagementShare: 0.5 });
    expect(c.Murugi!.engagementRate).toBeCloseTo(0.05, 10);
    expect(c.Njugush).toMatchObject({ clicks: 60, conversions: 2, revenueMinor: 20_000, engagement: 300, score: null, engagementShare: 0.3 });
    expect(c.Njugush!.engagementRate).toBeCloseTo(0.06, 10);
    // Otieno's Winter clicks are another campaign's.
    expect(c.Otieno).toMatchObject({ clicks: 40, conversions: 0, revenueMinor: 0, feeMinor: 20_000, engagement: 200, score: 40, engagementShare: 0.2 });
    // Murugi alone has 50 %: the leaders are the fewest reaching 60 %.
    expect(f.top.map((x) => x.name)).toEqual(["Murugi", "Njugush"]);
    expect(f.topShare).toBeCloseTo(0.8, 10);
    expect(f.bottom.map((x) => x.name)).toEqual(["Otieno"]);
  });

  it("reads the sentiment shift, the trends and the daily series", async () => {
    const f = await campaignFacts();
    // (0.8 + 0.4 − 0.2) ÷ 3 analysed comments (one not analysed yet) against 0.1 the week before.
    expect(f.sentiment.current).toBeCloseTo(1 / 3, 10);
    expect(f.sentiment.previous).toBeCloseTo(0.1, 10);
    expect(f.sentiment.shift).toBeCloseTo(1 / 3 - 0.1, 10);
    expect([f.sentiment.comments, f.sentiment.previousComments]).toEqual([3, 1]);
    const trends = Object.fromEntries(f.trends.map((t) => [t.metric, t]));
    expect(trends.clicks).toMatchObject({ current: 200, previous: 60 });
    expect(trends.clicks!.change).toBeCloseTo(140 / 60, 10);
    expect(trends.engagement).toMatchObject({ current: 1_000, previous: 250, change: 3 });
    expect(trends.revenue).toMatchObject({ current: 60_000, previous: 10_000, change: 5 });
    expect(f.daily).toEqual([
      { date: "2026-07-08", clicks: 0, engagement: 0 },
      { date: "2026-07-09", clicks: 100, engagement: 500 },
      { date: "2026-07-10", clicks: 60, engagement: 300 },
      { date: "2026-07-11", clicks: 0, engagement: 0 },
      { date: "2026-07-12", clicks: 40, engagement: 200 },
      { date: "2026-07-13", clicks: 0, engagement: 0 },
      { date: "2026-07-14", clicks: 0, engagement: 0 },
    ]);
  });

  it("over the whole workspace counts every running campaign's clicks but only money in the workspace's currency", async () => {
    const f = await computeFacts(database.db, { workspaceId: fx.team.workspaceId, from: FROM, to: TO });
    expect(f.campaign).toBeNull();
    expect(f.campaigns).toBe(2);
    expect(f.currency).toBe("USD");
    // Winter's 10 clicks and 1 sale are in; its €50 and €20 fee are not.
    expect([f.current.clicks, f.current.conversions, f.current.revenueMinor]).toEqual([210, 7, 60_000]);
    expect(f.spend).toMatchObject({ agreedMinor: 100_000, budgetMinor: 1_000_000 });
    expect(f.current.engagement).toBe(1_000);
  });

  it("has zeros and no leaders for a workspace with nothing yet", async () => {
    const empty = await createTeam(database.db, "Quiet Brand");
    const f = await computeFacts(database.db, { workspaceId: empty.workspaceId, from: FROM, to: TO });
    expect(f.creators).toEqual([]);
    expect([f.top, f.bottom, f.topShare, f.roi, f.engagementRate, f.sentiment.shift]).toEqual([[], [], null, null, null, null]);
    expect(f.daily).toHaveLength(7);
  });
});

describe("renderDigestChart", () => {
  const colours = (png: PNG) => {
    const seen = new Map<string, number>();
    for (let i = 0; i < png.data.length; i += 4) {
      const key = `${png.data[i]},${png.data[i + 1]},${png.data[i + 2]}`;
      seen.set(key, (seen.get(key) ?? 0) + 1);
    }
    return seen;
  };

  it("draws a PNG with the clicks line, the engagement bars and the leaders' bars", async () => {
    const png = PNG.sync.read(await renderDigestChart(await campaignFacts()));
    expect([png.width, png.height]).toEqual([1200, 640]);
    const seen = colours(png);
    // #2563eb clicks, #f59e0b engagement, #10b981 leaders: each a visible area, not a stray pixel.
    expect(seen.get("37,99,235") ?? 0).toBeGreaterThan(500);
    expect(seen.get("245,158,11") ?? 0).toBeGreaterThan(5_000);
    expect(seen.get("16,185,129") ?? 0).toBeGreaterThan(3_000);
    // Text in dark ink (titles, names, percentages).
    expect(seen.get("31,41,51") ?? 0).toBeGreaterThan(1_000);
  });

  it("still draws (axes, titles, an empty-state line) for a period without data", async () => {
    const quiet = await createTeam(database.db, "Blank Brand");
    const png = PNG.sync.read(await renderDigestChart(await computeFacts(database.db, { workspaceId: quiet.workspaceId, from: FROM, to: TO }), "pt"));
    const seen = colours(png);
    expect(seen.get("16,185,129") ?? 0).toBe(0);
    expect(seen.get("31,41,51") ?? 0).toBeGreaterThan(1_000);
  });
});
