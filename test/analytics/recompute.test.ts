/**
 * The analytics on a real PostgreSQL: fixed snapshots, posts and comments
 * inserted as the metrics sync stores them, recomputeCreator run, and what a
 * user sees through the command runner (`creator show`, `creators search`)
 * checked against figures computed by hand in the comments.
 */
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { App } from "../../app/container.ts";
import { recomputeCreator } from "../../core/analytics/recompute.ts";
import { ManualClock } from "../../core/clock.ts";
import { runCommand } from "../../core/commands/run.ts";
import type { SocialPlatform } from "../../core/creators/handles.ts";
import { nameKey } from "../../core/names.ts";
import { startTestApp } from "../support/app.ts";
import { runAll } from "../support/commands.ts";
import { createTestDatabase } from "../support/database.ts";
import { createTeam, type Team } from "../support/team.ts";

const NOW = new Date("2026-06-30T12:00:00Z");
const DAY = 86_400_000;
const ago = (days: number) => new Date(NOW.getTime() - days * DAY);
const clock = new ManualClock(NOW);
let env: Awaited<ReturnType<typeof createTestDatabase>>;
let app: App;
let team: Team;
const ids: Record<string, string> = {};

const db = () => app.database.db;
const as = (text: string) => runCommand(app.runner, { text, caller: team.members.analyst.caller });

async function snapshots(creator: string, platform: SocialPlatform, readings: Array<[daysAgo: number, followers: number]>) {
  await db().metricSnapshot.createMany({ data: readings.map(([d, followers]) => ({ workspaceId: team.workspaceId, creatorId: ids[creator]!, platform, capturedAt: ago(d), followers: BigInt(followers) })) });
}

async function addPost(creator: string, platform: SocialPlatform, daysAgo: number, c: { likes: number; comments: number; views?: number; caption?: string }, replies: string[] = []) {
  const id = randomUUID();
  await db().socialPost.create({
    data: { id, workspaceId: team.workspaceId, creatorId: ids[creator]!, platform, externalId: id, postedAt: ago(daysAgo), caption: c.caption ?? "", likes: BigInt(c.likes), comments: BigInt(c.comments), views: c.views === undefined ? null : BigInt(c.views), firstSeenAt: NOW, updatedAt: NOW },
  });
  await db().postComment.createMany({ data: replies.map((body, i) => ({ id: randomUUID(), workspaceId: team.workspaceId, creatorId: ids[creator]!, postId: id, externalId: `${id}-${i}`, body, postedAt: ago(daysAgo - 0.1) })) });
}

beforeAll(async () => {
  env = await createTestDatabase();
  app = await startTestApp(env.url, { clock });
  team = await createTeam(db(), "Glow Labs");
  await runAll(app.runner, team.members.owner.caller, [
    'creator add "Lia Glow" --instagram liaglow --youtube liaglowtv --category beauty --location BR --language pt',
    'creator add "Sam Chef" --instagram samchef --category food --location KE --language en',
    'creator add "Quiet Quinn" --instagram quinn --category beauty',
  ]);
  for (const name of ["Lia Glow", "Sam Chef", "Quiet Quinn"]) ids[name] = (await db().creator.findUniqueOrThrow({ where: { workspaceId_nameKey: { workspaceId: team.workspaceId, nameKey: nameKey(name) } } })).id;
  await db().creator.update({ where: { id: ids["Lia Glow"] }, data: { bio: "Pele, rotina e autocuidado em São Paulo" } });

  // Lia, Instagram: 20,000 followers 30 days ago, +100 a day, 23,000 now.
  await snapshots("Lia Glow", "instagram", Array.from({ length: 31 }, (_, i) => [30 - i, 20_000 + 100 * i]));
  // Lia, YouTube: two days of history only.
  await snapshots("Lia Glow", "youtube", [[2, 4_900], [0, 5_000]]);
  // Instagram on 23,000 followers: (800+40)/23,000 = 3.65 %, (900+20)/23,000 = 4 %, (1,000+150)/23,000 = 5 % → median 4 %.
  await addPost("Lia Glow", "instagram", 2, { likes: 800, comments: 40, caption: "Rotina de skincare com vitamina C #skincare" }, ["Amei demais essa rotina 😍", "Que pele linda!", "Não gostei do cheiro", "Onde compra?"]);
  await addPost("Lia Glow", "instagram", 9, { likes: 900, comments: 20, caption: "Skincare noturno: sérum e hidratante #skincare" }, ["Perfeita como sempre", "Muito bom, obrigada pela dica"]);
  await addPost("Lia Glow", "instagram", 16, { likes: 1_000, comments: 150, caption: "Protetor solar favorito #skincare #verao" });
  // YouTube on views: (300+60)/10,000 = 3.6 %, (150+30)/5,000 = 3.6 % → 3.6 %.
  await addPost("Lia Glow", "youtube", 5, { likes: 300, comments: 60, views: 10_000, caption: "Minha rotina de skincare completa" });
  await addPost("Lia Glow", "youtube", 12, { likes: 150, comments: 30, views: 5_000, caption: "Resenha: protetor solar" });

  // Sam: 50,000 followers, +10 a day for 10 days but +5,000 on one: a jump to 55,100 now; (50+10)/55,100 = 0.11 % per post, far under micro's 2 %.
  await snapshots("Sam Chef", "instagram", Array.from({ length: 11 }, (_, i) => [10 - i, 50_000 + 10 * i + (i >= 6 ? 5_000 : 0)]));
  for (const d of [1, 4, 7]) await addPost("Sam Chef", "instagram", d, { likes: 50, comments: 10, caption: "Easy pasta recipe #food" }, ["This looks delicious", "Boring, skip"]);
});

afterAll(async () => {
  await app?.stop();
  await env?.drop();
});

describe("recomputeCreator", () => {
  it("reads every comment (language, sentiment), then stores the score with its breakdown and writes creators.influence_score", async () => {
    const r = await recomputeCreator({ db: db(), clock }, ids["Lia Glow"]!);
    const comments = await db().postComment.findMany({ where: { creatorId: ids["Lia Glow"] } });
    expect(comments.every((c) => c.sentiment !== null && c.language === "pt")).toBe(true);
    const byBody = Object.fromEntries(comments.map((c) => [c.body, c.sentiment!]));
    expect(byBody["Amei demais essa rotina 😍"]).toBeGreaterThan(0.1);
    expect(byBody["Não gostei do cheiro"]).toBeLessThan(-0.1);
    expect(Math.abs(byBody["Onde compra?"]!)).toBeLessThan(0.1);

    // Engagement: Instagram micro 50 × 4 / 2 = 100 (capped), YouTube nano 50 × 3.6 / 4.5 = 40; by followers (100 × 23,000 + 40 × 5,000) / 28,000 = 89.29.
    // Reach: 100 × log10(28,000) / 7 = 63.53. Growth: Instagram +3,000 on 20,000 = 15 % a month → 50 + 150, capped at 100 (YouTube has too little history).
    // Sentiment: 50 + 50 × mean of the six comments' scores. Consistency: posts 16, 12, 9, 5, 2 days ago → gaps 4, 3, 4, 3 and 2 since;
    // mean 3.2, σ = √0.56 = 0.7483 → 100 × (1 − 0.2339) = 76.61.
    const mean = comments.reduce((s, c) => s + c.sentiment!, 0) / comments.length;
    const parts = { engagement: 2_500_000 / 28_000, reach: (100 * Math.log10(28_000)) / 7, growth: 100, sentiment: 50 + 50 * mean, consistency: 100 * (1 - Math.sqrt(0.56) / 3.2) };
    const expected = 0.35 * parts.engagement + 0.2 * parts.reach + 0.15 * parts.growth + 0.15 * parts.sentiment + 0.15 * parts.consistency;
    expect(r.score).toBeCloseTo(expected, 0);
    expect(Math.abs(r.score! - Math.round(expected * 10) / 10)).toBeLessThanOrEqual(0.1);
    expect(r.changed).toBe(true);
    const stored = await db().creatorScore.findUniqueOrThrow({ where: { creatorId: ids["Lia Glow"] } });
    expect(stored).toMatchObject({ score: r.score, engagement: 89.3, reach: 63.5, growth: 100, consistency: 76.6 });
    expect(stored.sentiment).toBeCloseTo(parts.sentiment, 0);
    expect((await db().creator.findUniqueOrThrow({ where: { id: ids["Lia Glow"] } })).influenceScore).toBe(r.score);
    const metrics = await db().creatorPlatformMetric.findMany({ where: { creatorId: ids["Lia Glow"] }, orderBy: { platform: "asc" } });
    expect(metrics.map((m) => [m.platform, Number(m.followers), m.tier, m.engagementRate, m.engagementDenominator, m.engagementPosts])).toEqual([
      ["instagram", 23_000, "micro", 4, "followers", 3],
      ["youtube", 5_000, "nano", 3.6, "views", 2],
    ]);
  });

  it("a second run with nothing new changes nothing: same score, changed false, the keyword corpus counted once", async () => {
    const before = await db().creatorScore.findUniqueOrThrow({ where: { creatorId: ids["Lia Glow"] } });
    const r = await recomputeCreator({ db: db(), clock }, ids["Lia Glow"]!);
    expect(r).toEqual({ score: before.score, changed: false });
    const df = await db().keywordFrequency.findMany({ where: { workspaceId: team.workspaceId, term: { in: ["", "skincare", "#skincare"] } }, orderBy: { term: "asc" } });
    expect(df.map((d) => [d.term, d.creators])).toEqual([["", 1], ["#skincare", 1], ["skincare", 1]]);
  });

  it("flags a follower jump and engagement far below the tier; a creator with no data has no score", async () => {
    const sam = await recomputeCreator({ db: db(), clock }, ids["Sam Chef"]!);
    expect(sam.score).not.toBeNull();
    const flags = (await db().creatorScore.findUniqueOrThrow({ where: { creatorId: ids["Sam Chef"] } })).flags as Array<{ kind: string; gain?: number }>;
    expect(flags.map((f) => f.kind).sort()).toEqual(["follower_jump", "low_engagement"]);
    expect(flags.find((f) => f.kind === "follower_jump")!.gain).toBe(5_010);
    expect(await recomputeCreator({ db: db(), clock }, ids["Quiet Quinn"]!)).toEqual({ score: null, changed: false });
    // Lia's flags: none.
    expect((await db().creatorScore.findUniqueOrThrow({ where: { creatorId: ids["Lia Glow"] } })).flags).toEqual([]);
    // Two creators now have caption terms.
    expect((await db().keywordFrequency.findUniqueOrThrow({ where: { workspaceId_term: { workspaceId: team.workspaceId, term: "" } } })).creators).toBe(2);
  });

  it("keeps the keyword corpus true as captions change, also with recomputes running side by side", async () => {
    const df = async (term: string) => (await db().keywordFrequency.findUnique({ where: { workspaceId_term: { workspaceId: team.workspaceId, term } } }))?.creators ?? 0;
    expect(await df("pasta")).toBe(1);
    await db().socialPost.updateMany({ where: { creatorId: ids["Sam Chef"] }, data: { caption: "Easy recipe #food" } });
    // Both creators three times at once: each creator's change counted once, no deadlock between them.
    const runs = await Promise.all([1, 2, 3].flatMap(() => [recomputeCreator({ db: db(), clock }, ids["Sam Chef"]!), recomputeCreator({ db: db(), clock }, ids["Lia Glow"]!)]));
    expect(runs).toHaveLength(6);
    expect(await df("pasta")).toBe(0);
    expect(await df("recipe")).toBe(1);
    expect(await df("skincare")).toBe(1);
    expect(await df("")).toBe(2);
  });
});

describe("creator show", () => {
  it("shows the score, its breakdown with the weights, per-platform figures with their denominator, growth, keywords, sentiment", async () => {
    const r = await as('creator show "Lia Glow"');
    expect(r.ok, r.reply.text).toBe(true);
    const field = (label: string) => r.reply.fields?.find((f) => f.label === label)?.value ?? "";
    const score = (await db().creator.findUniqueOrThrow({ where: { id: ids["Lia Glow"] } })).influenceScore!;
    expect(field("Influence score")).toBe(`**${score.toFixed(1)}**/100`);
    expect(field("Score breakdown")).toContain("Engagement vs tier 89.3 (weight 35 %)");
    expect(field("Score breakdown")).toContain("Consistency 76.6 (weight 15 %)");
    expect(field("Score breakdown")).toContain("Engagement vs tier 35 %, Reach 20 %, Growth 15 %, Sentiment 15 %, Consistency 15 %");
    expect(field("Instagram numbers")).toContain("23,000 followers · micro tier");
    expect(field("Instagram numbers")).toContain("engagement 4.00 % of followers (median of 3 posts)");
    expect(field("Instagram numbers")).toContain("30 d +3,000 (+15.0 %)");
    expect(field("YouTube numbers")).toContain("engagement 3.60 % of views (median of 2 posts)");
    expect(field("YouTube numbers")).toContain("7 d not enough history (2 d)");
    expect(field("Top keywords").split(", ").slice(0, 2).sort()).toEqual(["#skincare", "skincare"]);
    expect(field("Comment sentiment")).toMatch(/^- Portuguese: .* over 6 comments \(\d positive, 1 negative, \d neutral\)$/);
    expect(field("Audience flags")).toBe("none");
    expect(r.reply.text).toContain("Pele, rotina e autocuidado");
    expect(r.reply.text).toContain("Analytics of 2026-06-30 12:00 UTC");
  });

  it("shows the flags, and says a creator without numbers is not scored yet", async () => {
    const sam = await as('creator show "Sam Chef"');
    const flags = sam.reply.fields?.find((f) => f.label === "Audience flags")?.value ?? "";
    expect(flags).toContain("Instagram: +5,010 followers on 2026-06-26");
    expect(flags).toContain("Instagram: engagement 0.11 % is under a quarter of the micro tier median (2.0 %)");
    const quinn = await as('creator show "Quiet Quinn"');
    expect(quinn.reply.fields?.find((f) => f.label === "Influence score")?.value).toBe("not scored yet: `sync 3` pulls their numbers");
  });
});

describe("creators search", () => {
  const rows = async (line: string) => {
    const r = await as(line);
    expect(r.ok, r.reply.text).toBe(true);
    return r.reply.table?.rows.map((row) => row[1]) ?? [];
  };

  it("matches keywords and says why: the word and where, engagement with its platform, the score", async () => {
    const r = await as("creators search skincare");
    expect(r.reply.table?.rows.map((row) => row[1])).toEqual(["Lia Glow"]);
    const score = (await db().creator.findUniqueOrThrow({ where: { id: ids["Lia Glow"] } })).influenceScore!;
    expect(r.reply.table?.columns.at(-1)).toBe("Why");
    expect(r.reply.table?.rows[0]!.at(-1)).toBe(`matches 'skincare' in keywords; 4.0 % engagement on Instagram; score ${score.toFixed(1)}`);
  });

  it("matches names and handles by prefix, bios, categories and keywords by word; every word must match somewhere", async () => {
    expect(await rows("creators search lia")).toEqual(["Lia Glow"]);
    expect(await rows("creators search samch")).toEqual(["Sam Chef"]);
    expect(await rows("creators search autocuidado")).toEqual(["Lia Glow"]);
    // A name or handle matches from its first letters; a topic (bio, category, keywords) by the whole word.
    expect(await rows("creators search gl")).toEqual(["Lia Glow"]);
    expect((await as("creators search skin")).reply.text).toContain("No creators match");
    expect(await rows("creators search beauty")).toEqual(["Lia Glow", "Quiet Quinn"]);
    expect(await rows("creators search beauty quiet")).toEqual(["Quiet Quinn"]);
    expect((await as("creators search skincare sam")).reply.text).toContain("No creators match");
    const why = (await as("creators search paulo")).reply.table?.rows[0]!.at(-1);
    expect(why).toContain("matches 'paulo' in bio");
  });

  it("a match by name or handle comes before a better-scored match elsewhere", async () => {
    await db().creator.update({ where: { id: ids["Quiet Quinn"] }, data: { bio: "Home chef", influenceScore: 99 } });
    try {
      expect(await rows("creators search chef")).toEqual(["Sam Chef", "Quiet Quinn"]);
      expect(await rows("creators search home")).toEqual(["Quiet Quinn"]);
    } finally {
      await db().creator.update({ where: { id: ids["Quiet Quinn"] }, data: { bio: null, influenceScore: null } });
    }
  });

  it("without words ranks by influence score, unscored last; the filters narrow it", async () => {
    const [lia, sam] = await Promise.all(["Lia Glow", "Sam Chef"].map(async (n) => (await db().creator.findUniqueOrThrow({ where: { id: ids[n] } })).influenceScore!));
    expect(lia).toBeGreaterThan(sam!);
    expect(await rows("creators search")).toEqual(["Lia Glow", "Sam Chef", "Quiet Quinn"]);
    expect(await rows("creators search --min-engagement 1")).toEqual(["Lia Glow"]);
    expect(await rows("creators search --min-engagement 0,1")).toEqual(["Lia Glow", "Sam Chef"]);
    expect(await rows("creators search --min-followers 30k")).toEqual(["Sam Chef"]);
    expect(await rows("creators search --min-followers 20,000 --platform youtube")).toEqual([]);
    expect(await rows("creators search --platform youtube")).toEqual(["Lia Glow"]);
    expect(await rows("creators search --language pt")).toEqual(["Lia Glow"]);
    expect(await rows("creators search --location KE")).toEqual(["Sam Chef"]);
    expect(await rows("creators search --category Beauty")).toEqual(["Lia Glow", "Quiet Quinn"]);
    const followers = (await as("creators search --min-followers 30k")).reply.table?.rows[0]!.at(-1);
    expect(followers).toContain("55,100 followers on Instagram");
  });

  it("bad numbers get a clear message with a right example, and nothing runs", async () => {
    const pct = await as("creators search --min-engagement abc");
    expect(pct.ok).toBe(false);
    expect(pct.reply.text).toContain("--min-engagement must be a percentage from 0 to 100, like `2.5` (got `abc`)");
    expect(pct.reply.text).toContain("creators search");
    expect((await as("creators search --min-engagement 150")).reply.text).toContain("from 0 to 100");
    const count = await as("creators search --min-followers lots");
    expect(count.ok).toBe(false);
    expect(count.reply.text).toContain("--min-followers must be a number of followers, like `10000` or `10k` (got `lots`)");
  });
});
