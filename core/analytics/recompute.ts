import type { Db, Tx } from "../../db/database.ts";
import type { Prisma } from "../../db/generated/client.ts";
import type { Clock } from "../clock.ts";
import { consistency } from "./consistency.ts";
import type { Post, Snapshot } from "./data.ts";
import { engagement, ENGAGEMENT_WINDOW } from "./engagement.ts";
import { followerJumps, lowEngagement, type Flag } from "./flags.ts";
import { dailyGains, growth } from "./growth.ts";
import { termCounts, topKeywords } from "./keywords.ts";
import { engagementPart, growthPart, influenceScore, reachPart, SCORE_SCALES, sentimentPart, type Breakdown, type PlatformFigures } from "./score.ts";
import { analyzeSentiment } from "./sentiment/analyze.ts";
import { overall, SENTIMENT_BANDS, type SentimentByLanguage } from "./sentiment/summary.ts";
import { DAY_MS } from "./stats.ts";
import { tierOf } from "./tiers.ts";
import { followerSpikes, latestTrends, postSpikes, type Trend } from "./trends.ts";

export interface RecomputeDeps {
  db: Db;
  clock: Clock;
}

export interface RecomputeResult {
  /** The creator's influence score (0–100) after this run; null while there is nothing to score. */
  score: number | null;
  /** Whether creators.influence_score moved, so the caller knows to publish the leaderboard event. */
  changed: boolean;
}

/** Snapshots further back than the 30-day growth's window and its tolerance change nothing here. */
const SNAPSHOT_DAYS = 35;
/** Comments are read in batches, so one creator with a million never holds a million in memory. */
const COMMENT_BATCH = 1_000;
/** The keyword_frequencies row counting the workspace's documents (creators with caption terms): no real term is empty. */
export const DOCUMENTS_TERM = "";

/** Stored as JSON, with moments as ISO strings (what reading the row back gives). */
const json = (value: unknown) => JSON.parse(JSON.stringify(value)) as Prisma.InputJsonValue;
const round1 = (x: number | null) => (x === null ? null : Math.round(x * 10) / 10);

/**
 * Reads what the sync stored for one creator and turns it into their
 * analytics: reads the comments not read yet (language, sentiment), then
 * computes engagement, growth, flags, trends, keywords and the influence
 * score, and stores them with creators.influence_score in one transaction.
 * The sync pipeline calls this after storing a creator's data.
 */
export async function recomputeCreator(deps: RecomputeDeps, creatorId: string): Promise<RecomputeResult> {
  const { db, clock } = deps;
  const creator = await db.creator.findUnique({ where: { id: creatorId }, select: { workspaceId: true, influenceScore: true } });
  if (!creator) return { score: null, changed: false };
  await readComments(db, creatorId);
  const now = clock.now();
  const [snapshots, latest, posts, sentiment] = await Promise.all([
    db.metricSnapshot.findMany({ where: { creatorId, capturedAt: { gte: new Date(now.getTime() - SNAPSHOT_DAYS * DAY_MS), lte: now } }, select: { platform: true, capturedAt: true, followers: true } }),
    db.metricSnapshot.findMany({ where: { creatorId, capturedAt: { lte: now } }, distinct: ["platform"], orderBy: [{ platform: "asc" }, { capturedAt: "desc" }], select: { platform: true, capturedAt: true, followers: true } }),
    db.socialPost.findMany({ where: { creatorId, postedAt: { gte: new Date(now.getTime() - ENGAGEMENT_WINDOW.days * DAY_MS), lte: now } }, select: { platform: true, postedAt: true, caption: true, likes: true, comments: true, shares: true, views: true, url: true } }),
    sentimentByLanguage(db, creatorId, new Date(now.getTime() - SCORE_SCALES.sentimentDays * DAY_MS)),
  ]);
  const snaps: Snapshot[] = snapshots.map((s) => ({ ...s, followers: Number(s.followers) }));
  const plain: Post[] = posts.map((p) => ({ ...p, likes: Number(p.likes), comments: Number(p.comments), shares: p.shares === null ? null : Number(p.shares), views: p.views === null ? null : Number(p.views) }));

  const platforms: Array<PlatformFigures & { measuredAt: Date }> = latest.map((l) => ({
    platform: l.platform,
    followers: Number(l.followers),
    measuredAt: l.capturedAt,
    engagement: engagement(l.platform, plain, Number(l.followers), now),
    growth7: growth(l.platform, snaps, 7),
    growth30: growth(l.platform, snaps, 30),
  }));
  const flags: Flag[] = [];
  const trends: Trend[] = [];
  for (const p of platforms) {
    const gains = dailyGains(p.platform, snaps);
    flags.push(...followerJumps(gains, now), ...lowEngagement(p.engagement, p.followers));
    trends.push(...postSpikes(p.platform, plain, p.followers, now), ...followerSpikes(gains));
  }
  const breakdown: Breakdown = {
    engagement: engagementPart(platforms),
    reach: reachPart(platforms),
    growth: growthPart(platforms),
    sentiment: sentimentPart(overall(sentiment)),
    consistency: consistency(plain, now),
  };
  const score = round1(influenceScore(breakdown));
  const counts = termCounts(plain.map((p) => p.caption));

  await db.$transaction(async (tx) => {
    const corpus = await updateFrequencies(tx, creator.workspaceId, creatorId, [...counts.keys()]);
    const keywords = topKeywords(counts, corpus).map((k) => ({ term: k.term, weight: Math.round(k.weight * 10_000) / 10_000 }));
    const row = {
      workspaceId: creator.workspaceId,
      score,
      engagement: round1(breakdown.engagement),
      reach: round1(breakdown.reach),
      growth: round1(breakdown.growth),
      sentiment: round1(breakdown.sentiment),
      consistency: round1(breakdown.consistency),
      sentimentByLanguage: json(sentiment),
      flags: json(flags),
      trends: json(latestTrends(trends)),
      keywords,
      keywordText: keywords.map((k) => k.term).join(" "),
      terms: [...counts.keys()].sort(),
      computedAt: now,
    };
    await tx.creatorScore.upsert({ where: { creatorId }, create: { creatorId, ...row }, update: row });
    await tx.creatorPlatformMetric.deleteMany({ where: { creatorId, platform: { notIn: platforms.map((p) => p.platform) } } });
    for (const p of platforms) {
      const metric = {
        workspaceId: creator.workspaceId,
        followers: BigInt(p.followers),
        tier: tierOf(p.followers),
        engagementRate: p.engagement.rate,
        engagementDenominator: p.engagement.denominator,
        engagementPosts: p.engagement.posts,
        growth: json({ 7: p.growth7, 30: p.growth30 }),
        measuredAt: p.measuredAt,
      };
      await tx.creatorPlatformMetric.upsert({ where: { creatorId_platform: { creatorId, platform: p.platform } }, create: { creatorId, platform: p.platform, ...metric }, update: metric });
    }
    await tx.creator.update({ where: { id: creatorId }, data: { influenceScore: score } });
  });
  return { score, changed: score !== creator.influenceScore };
}

/** Language and sentiment for every comment not read yet, a batch at a time. */
async function readComments(db: Db, creatorId: string): Promise<void> {
  for (;;) {
    const unread = await db.postComment.findMany({ where: { creatorId, sentiment: null }, select: { id: true, body: true }, take: COMMENT_BATCH });
    if (!unread.length) return;
    const read = unread.map((c) => ({ id: c.id, ...pick(analyzeSentiment(c.body)) }));
    await db.$executeRaw`
      UPDATE post_comments AS c SET language = r.language, sentiment = r.sentiment
        FROM jsonb_to_recordset(${JSON.stringify(read)}::jsonb) AS r(id uuid, language text, sentiment double precision)
       WHERE c.id = r.id`;
    if (unread.length < COMMENT_BATCH) return;
  }
}

const pick = (s: { language: string; score: number }) => ({ language: s.language, sentiment: Math.round(s.score * 1000) / 1000 });

async function sentimentByLanguage(db: Db, creatorId: string, since: Date): Promise<SentimentByLanguage> {
  const rows = await db.$queryRaw<Array<{ language: string; comments: number; mean: number; positive: number; negative: number }>>`
    SELECT language, count(*)::int AS comments, avg(sentiment)::float8 AS mean,
           count(*) FILTER (WHERE sentiment >= ${SENTIMENT_BANDS.positiveFrom})::int AS positive,
           count(*) FILTER (WHERE sentiment <= ${SENTIMENT_BANDS.negativeTo})::int AS negative
      FROM post_comments
     WHERE creator_id = ${creatorId}::uuid AND sentiment IS NOT NULL AND posted_at >= ${since}
     GROUP BY language ORDER BY language`;
  return Object.fromEntries(rows.map((r) => [r.language, { comments: r.comments, mean: Math.round(r.mean * 1000) / 1000, positive: r.positive, negative: r.negative, neutral: r.comments - r.positive - r.negative }]));
}

/**
 * Moves the workspace's document frequencies from the creator's previous
 * terms to these, under a lock on the creator so two recomputes of one
 * creator never count the same change twice, and returns the corpus the
 * keywords are weighed against.
 */
async function updateFrequencies(tx: Tx, workspaceId: string, creatorId: string, terms: string[]) {
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${creatorId}))`;
  const before = await tx.creatorScore.findUnique({ where: { creatorId }, select: { terms: true } });
  const old = new Set((before?.terms as string[] | undefined) ?? []);
  const now = new Set(terms);
  const added = terms.filter((t) => !old.has(t));
  const removed = [...old].filter((t) => !now.has(t));
  const documents = (old.size > 0 ? -1 : 0) + (now.size > 0 ? 1 : 0);
  const changes = [...added.map((term) => ({ term, up: 1 })), ...removed.map((term) => ({ term, up: 0 })), ...(documents ? [{ term: DOCUMENTS_TERM, up: documents > 0 ? 1 : 0 }] : [])];
  if (changes.length) {
    // One statement in term order, so recomputes of creators sharing terms lock their rows in the same order and never deadlock.
    // A term taken back always has its row already: its proposed 0 only says "minus one".
    await tx.$executeRaw`
      INSERT INTO keyword_frequencies AS k (workspace_id, term, creators)
      SELECT ${workspaceId}::uuid, c.term, c.up FROM jsonb_to_recordset(${JSON.stringify(changes)}::jsonb) AS c(term text, up int) ORDER BY c.term
      ON CONFLICT (workspace_id, term) DO UPDATE SET creators = greatest(k.creators + CASE WHEN excluded.creators = 1 THEN 1 ELSE -1 END, 0)`;
  }
  const rows = await tx.keywordFrequency.findMany({ where: { workspaceId, term: { in: [DOCUMENTS_TERM, ...terms] } }, select: { term: true, creators: true } });
  const df = new Map(rows.map((r) => [r.term, r.creators]));
  return { documents: df.get(DOCUMENTS_TERM) ?? 0, frequency: (term: string) => df.get(term) ?? 0 };
}
