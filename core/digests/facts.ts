import type { Db } from "../../db/database.ts";
import { Prisma } from "../../db/generated/client.ts";
import { NotFoundError } from "../errors.ts";

/**
 * What a digest (and a report) may say, computed from stored data only:
 * referral roll-ups, contracts and milestones, synced posts and comments.
 * Plain data (ISO strings, numbers), so it can be handed to a model as JSON
 * and every number a writer states can be checked against it.
 *
 * A period is [from, to); the previous period is the one of equal length
 * just before it. Referral roll-ups are per UTC day, so they count the UTC
 * days the period touches.
 */
export interface DigestQuery {
  workspaceId: string;
  campaignId?: string;
  from: Date;
  to: Date;
}

export interface PeriodTotals {
  clicks: number;
  uniqueClicks: number;
  conversions: number;
  /** Net of refunds, in minor units of the facts' currency. */
  revenueMinor: number;
  /** Likes + comments on the posts published in the period. */
  engagement: number;
  likes: number;
  comments: number;
  posts: number;
}

export interface CreatorFacts {
  id: string;
  name: string;
  clicks: number;
  uniqueClicks: number;
  conversions: number;
  revenueMinor: number;
  /** Agreed fees of the creator's contracts in scope. */
  feeMinor: number;
  engagement: number;
  posts: number;
  /** (likes + comments) ÷ followers, per post; null without follower counts. */
  engagementRate: number | null;
  /** Influence score 0–100, null until analytics gave one. */
  score: number | null;
  /** This creator's part of the period's engagement; null when there was none. */
  engagementShare: number | null;
}

export type TrendMetric = "clicks" | "uniqueClicks" | "conversions" | "revenue" | "engagement";

export interface Trend {
  metric: TrendMetric;
  current: number;
  previous: number;
  /** (current − previous) ÷ previous; null when previous is 0. */
  change: number | null;
}

export interface DailyPoint {
  /** YYYY-MM-DD, UTC. */
  date: string;
  clicks: number;
  engagement: number;
}

export interface DigestFacts {
  workspace: { id: string; name: string; timezone: string; locale: string };
  /** The campaign asked for, or null for every running campaign of the workspace. */
  campaign: { id: string; number: number; name: string } | null;
  /** How many campaigns the figures cover. */
  campaigns: number;
  period: { from: string; to: string; days: number };
  previousPeriod: { from: string; to: string };
  /** Money figures are of campaigns in this currency only: amounts of different currencies never add up. */
  currency: string;
  current: PeriodTotals;
  previous: PeriodTotals;
  /** conversions ÷ clicks in the period. */
  conversionRate: number | null;
  /** (likes + comments) ÷ followers, per post, over the period's posts. */
  engagementRate: number | null;
  /** Revenue from the campaigns' start to the period's end. */
  revenueToDateMinor: number;
  spend: {
    /** Agreed fees of contracts accepted before the period's end. */
    agreedMinor: number;
    /** Milestones paid before the period's end. */
    paidMinor: number;
    budgetMinor: number;
    /** Budget not yet agreed in fees (negative when over). */
    remainingMinor: number;
    /** agreed ÷ budget. */
    shareOfBudget: number | null;
  };
  /** (revenue to date − agreed fees) ÷ agreed fees. */
  roi: number | null;
  /** Every creator in scope, most engagement first (then clicks, revenue, name). */
  creators: CreatorFacts[];
  /** The fewest leaders that drove at least 60 % of engagement (at most 3). */
  top: CreatorFacts[];
  /** Of the rest, the two with the least engagement. */
  bottom: CreatorFacts[];
  /** The top creators' part of engagement, null when there was none. */
  topShare: number | null;
  sentiment: {
    /** Mean sentiment (−1..1) of the analysed comments posted in the period. */
    current: number | null;
    previous: number | null;
    shift: number | null;
    comments: number;
    previousComments: number;
  };
  trends: Trend[];
  daily: DailyPoint[];
}

const DAY = 86_400_000;
const TOP_SHARE = 0.6;
const TOP_MAX = 3;
const BOTTOM_MAX = 2;

const utcDate = (d: Date) => d.toISOString().slice(0, 10);
const per = (n: number, d: number) => (d === 0 ? null : n / d);

interface Scope {
  ids: string[];
  moneyIds: string[];
  currency: string;
  budgetMinor: number;
  campaign: DigestFacts["campaign"];
}

async function scope(db: Db, q: DigestQuery, workspaceCurrency: string): Promise<Scope> {
  const rows = await db.$queryRaw<{ id: string; number: number; name: string; currency: string; budget: bigint }[]>`
    SELECT id::text, number, name, currency, budget_minor AS budget FROM campaigns
    WHERE workspace_id = ${q.workspaceId}::uuid
      AND (${q.campaignId ?? null}::uuid IS NULL
           OR id = ${q.campaignId ?? null}::uuid)
      AND (${q.campaignId ?? null}::uuid IS NOT NULL
           OR (status IN ('approved', 'active', 'completed') AND starts_on < ${q.to} AND ends_on >= ${q.from}::date))
    ORDER BY number`;
  if (q.campaignId && rows.length === 0) throw new NotFoundError("campaign.not_found", { ref: q.campaignId });
  const currency = q.campaignId ? rows[0]!.currency : workspaceCurrency;
  const money = rows.filter((r) => r.currency === currency);
  const only = q.campaignId ? rows[0]! : undefined;
  return {
    ids: rows.map((r) => r.id),
    moneyIds: money.map((r) => r.id),
    currency,
    budgetMinor: money.reduce((s, r) => s + Number(r.budget), 0),
    campaign: only ? { id: only.id, number: only.number, name: only.name } : null,
  };
}

/** The creators in scope: a referral link or a contract in one of its campaigns. */
const members = (s: Scope) => Prisma.sql`
  SELECT creator_id FROM referral_links WHERE campaign_id = ANY(${s.ids}::uuid[])
  UNION SELECT creator_id FROM contracts WHERE campaign_id = ANY(${s.ids}::uuid[])`;

type N = bigint | number | null;
const n = (v: N) => Number(v ?? 0);

interface CreatorRow {
  id: string;
  name: string;
  score: number | null;
  clicks: N; unique_clicks: N; conversions: N; revenue: N;
  p_clicks: N; p_unique_clicks: N; p_conversions: N; p_revenue: N;
  to_date_revenue: N;
  fee: N; paid: N;
  likes: N; comments: N; posts: N;
  /** Engagement of the posts with a follower count, and those followers summed per post: the rate's two sides. */
  rated: N; followers: N;
  p_likes: N; p_comments: N; p_posts: N;
}

/**
 * Everything per creator in one statement: the creators with a referral link
 * or a contract in the campaigns in scope, with their roll-ups for both
 * periods, fees, paid milestones and the posts they published.
 */
async function creatorRows(db: Db, s: Scope, q: DigestQuery, prevFrom: Date): Promise<CreatorRow[]> {
  const firstDay = utcDate(q.from);
  const lastDay = utcDate(new Date(q.to.getTime() - 1));
  const prevFirst = utcDate(prevFrom);
  const prevLast = utcDate(new Date(q.from.getTime() - 1));
  return db.$queryRaw<CreatorRow[]>`
    WITH members AS (${members(s)}), refs AS (
      SELECT l.creator_id,
        sum(d.clicks) FILTER (WHERE d.day BETWEEN ${firstDay}::date AND ${lastDay}::date) AS clicks,
        sum(d.unique_clicks) FILTER (WHERE d.day BETWEEN ${firstDay}::date AND ${lastDay}::date) AS unique_clicks,
        sum(d.conversions) FILTER (WHERE d.day BETWEEN ${firstDay}::date AND ${lastDay}::date) AS conversions,
        sum(d.revenue_minor) FILTER (WHERE d.day BETWEEN ${firstDay}::date AND ${lastDay}::date AND l.campaign_id = ANY(${s.moneyIds}::uuid[])) AS revenue,
        sum(d.clicks) FILTER (WHERE d.day BETWEEN ${prevFirst}::date AND ${prevLast}::date) AS p_clicks,
        sum(d.unique_clicks) FILTER (WHERE d.day BETWEEN ${prevFirst}::date AND ${prevLast}::date) AS p_unique_clicks,
        sum(d.conversions) FILTER (WHERE d.day BETWEEN ${prevFirst}::date AND ${prevLast}::date) AS p_conversions,
        sum(d.revenue_minor) FILTER (WHERE d.day BETWEEN ${prevFirst}::date AND ${prevLast}::date AND l.campaign_id = ANY(${s.moneyIds}::uuid[])) AS p_revenue,
        sum(d.revenue_minor) FILTER (WHERE d.day <= ${lastDay}::date AND l.campaign_id = ANY(${s.moneyIds}::uuid[])) AS to_date_revenue
      FROM referral_links l JOIN link_daily_stats d ON d.link_id = l.id
      WHERE l.campaign_id = ANY(${s.ids}::uuid[])
      GROUP BY l.creator_id
    ), fees AS (
      SELECT k.creator_id, sum(k.fee_minor) AS fee,
        (SELECT coalesce(sum(m.amount_minor), 0) FROM payment_milestones m JOIN contracts k2 ON k2.invitation_id = m.invitation_id
          WHERE k2.creator_id = k.creator_id AND k2.campaign_id = ANY(${s.moneyIds}::uuid[]) AND m.status = 'paid' AND m.paid_at < ${q.to}) AS paid
      FROM contracts k
      WHERE k.campaign_id = ANY(${s.moneyIds}::uuid[]) AND k.accepted_at < ${q.to}
      GROUP BY k.creator_id
    ), latest AS (
      SELECT DISTINCT ON (m.creator_id, m.platform) m.creator_id, m.platform, m.followers
      FROM metric_snapshots m WHERE m.creator_id IN (SELECT creator_id FROM members) AND m.captured_at < ${q.to}
      ORDER BY m.creator_id, m.platform, m.captured_at DESC
    ), posts AS (
      SELECT p.creator_id,
        sum(p.likes) FILTER (WHERE p.posted_at >= ${q.from}) AS likes,
        sum(p.comments) FILTER (WHERE p.posted_at >= ${q.from}) AS comments,
        count(*) FILTER (WHERE p.posted_at >= ${q.from}) AS posts,
        sum(p.likes + p.comments) FILTER (WHERE p.posted_at >= ${q.from} AND f.followers > 0) AS rated,
        sum(f.followers) FILTER (WHERE p.posted_at >= ${q.from} AND f.followers > 0) AS followers,
        sum(p.likes) FILTER (WHERE p.posted_at < ${q.from}) AS p_likes,
        sum(p.comments) FILTER (WHERE p.posted_at < ${q.from}) AS p_comments,
        count(*) FILTER (WHERE p.posted_at < ${q.from}) AS p_posts
      FROM social_posts p LEFT JOIN latest f ON f.creator_id = p.creator_id AND f.platform = p.platform
      WHERE p.creator_id IN (SELECT creator_id FROM members) AND p.posted_at >= ${prevFrom} AND p.posted_at < ${q.to}
      GROUP BY p.creator_id
    )
    SELECT c.id::text, c.name, c.influence_score AS score,
      refs.clicks, refs.unique_clicks, refs.conversions, refs.revenue,
      refs.p_clicks, refs.p_unique_clicks, refs.p_conversions, refs.p_revenue, refs.to_date_revenue,
      fees.fee, fees.paid,
      posts.likes, posts.comments, posts.posts, posts.rated, posts.followers, posts.p_likes, posts.p_comments, posts.p_posts
    FROM members JOIN creators c ON c.id = members.creator_id
      LEFT JOIN refs ON refs.creator_id = c.id
      LEFT JOIN fees ON fees.creator_id = c.id
      LEFT JOIN posts ON posts.creator_id = c.id`;
}

async function dailySeries(db: Db, s: Scope, q: DigestQuery): Promise<DailyPoint[]> {
  const rows = await db.$queryRaw<{ day: string; clicks: N; engagement: N }[]>`
    WITH members AS (${members(s)}), days AS (
      SELECT generate_series(${utcDate(q.from)}::date, ${utcDate(new Date(q.to.getTime() - 1))}::date, interval '1 day')::date AS day
    ), clicks AS (
      SELECT d.day, sum(d.clicks) AS clicks FROM link_daily_stats d JOIN referral_links l ON l.id = d.link_id
      WHERE l.campaign_id = ANY(${s.ids}::uuid[]) AND d.day IN (SELECT day FROM days) GROUP BY d.day
    ), engagement AS (
      SELECT (p.posted_at AT TIME ZONE 'UTC')::date AS day, sum(p.likes + p.comments) AS engagement FROM social_posts p
      WHERE p.creator_id IN (SELECT creator_id FROM members) AND p.posted_at >= ${q.from} AND p.posted_at < ${q.to} GROUP BY 1
    )
    SELECT to_char(days.day, 'YYYY-MM-DD') AS day, clicks.clicks, engagement.engagement
    FROM days LEFT JOIN clicks USING (day) LEFT JOIN engagement USING (day) ORDER BY days.day`;
  return rows.map((r) => ({ date: r.day, clicks: n(r.clicks), engagement: n(r.engagement) }));
}

async function sentiment(db: Db, s: Scope, q: DigestQuery, prevFrom: Date): Promise<DigestFacts["sentiment"]> {
  const [r] = await db.$queryRaw<{ current: number | null; previous: number | null; comments: N; previous_comments: N }[]>`
    WITH members AS (${members(s)})
    SELECT avg(sentiment) FILTER (WHERE posted_at >= ${q.from}) AS current,
           avg(sentiment) FILTER (WHERE posted_at < ${q.from}) AS previous,
           count(*) FILTER (WHERE posted_at >= ${q.from}) AS comments,
           count(*) FILTER (WHERE posted_at < ${q.from}) AS previous_comments
    FROM post_comments
    WHERE creator_id IN (SELECT creator_id FROM members) AND sentiment IS NOT NULL AND posted_at >= ${prevFrom} AND posted_at < ${q.to}`;
  const current = r?.current ?? null;
  const previous = r?.previous ?? null;
  return {
    current,
    previous,
    shift: current !== null && previous !== null ? current - previous : null,
    comments: n(r?.comments ?? 0),
    previousComments: n(r?.previous_comments ?? 0),
  };
}

const byEngagement = (a: CreatorFacts, b: CreatorFacts) =>
  b.engagement - a.engagement || b.clicks - a.clicks || b.revenueMinor - a.revenueMinor || a.name.localeCompare(b.name);

/** The fewest leaders reaching TOP_SHARE of engagement; nobody leads a team of one or a period without engagement. */
function leaders(ranked: CreatorFacts[]): CreatorFacts[] {
  if (ranked.length < 2 || ranked[0]!.engagement === 0) return [];
  const top: CreatorFacts[] = [];
  let share = 0;
  for (const c of ranked) {
    if (share >= TOP_SHARE || top.length === TOP_MAX || c.engagement === 0) break;
    top.push(c);
    share += c.engagementShare ?? 0;
  }
  return top.length === ranked.length ? top.slice(0, -1) : top;
}

const trend = (metric: TrendMetric, current: number, previous: number): Trend => ({ metric, current, previous, change: per(current - previous, previous) });

export async function computeFacts(db: Db, q: DigestQuery): Promise<DigestFacts> {
  const workspace = await db.workspace.findUniqueOrThrow({ where: { id: q.workspaceId }, select: { id: true, name: true, timezone: true, locale: true, currency: true } });
  const length = q.to.getTime() - q.from.getTime();
  const prevFrom = new Date(q.from.getTime() - length);
  const s = await scope(db, q, workspace.currency);
  const [rows, daily, mood] = await Promise.all([creatorRows(db, s, q, prevFrom), dailySeries(db, s, q), sentiment(db, s, q, prevFrom)]);

  const engagementTotal = rows.reduce((sum, r) => sum + n(r.likes) + n(r.comments), 0);
  const creators = rows
    .map((r): CreatorFacts => {
      const engagement = n(r.likes) + n(r.comments);
      return {
        id: r.id,
        name: r.name,
        clicks: n(r.clicks),
        uniqueClicks: n(r.unique_clicks),
        conversions: n(r.conversions),
        revenueMinor: n(r.revenue),
        feeMinor: n(r.fee),
        engagement,
        posts: n(r.posts),
        engagementRate: per(n(r.rated), n(r.followers)),
        score: r.score,
        engagementShare: per(engagement, engagementTotal),
      };
    })
    .sort(byEngagement);

  const sum = (pick: (r: CreatorRow) => N) => rows.reduce((t, r) => t + n(pick(r)), 0);
  const current: PeriodTotals = {
    clicks: sum((r) => r.clicks),
    uniqueClicks: sum((r) => r.unique_clicks),
    conversions: sum((r) => r.conversions),
    revenueMinor: sum((r) => r.revenue),
    engagement: engagementTotal,
    likes: sum((r) => r.likes),
    comments: sum((r) => r.comments),
    posts: sum((r) => r.posts),
  };
  const previous: PeriodTotals = {
    clicks: sum((r) => r.p_clicks),
    uniqueClicks: sum((r) => r.p_unique_clicks),
    conversions: sum((r) => r.p_conversions),
    revenueMinor: sum((r) => r.p_revenue),
    likes: sum((r) => r.p_likes),
    comments: sum((r) => r.p_comments),
    engagement: sum((r) => r.p_likes) + sum((r) => r.p_comments),
    posts: sum((r) => r.p_posts),
  };
  const agreedMinor = sum((r) => r.fee);
  const revenueToDateMinor = sum((r) => r.to_date_revenue);
  const top = leaders(creators);
  const rest = creators.filter((c) => !top.includes(c));
  const bottom = top.length ? rest.slice(-BOTTOM_MAX).reverse() : [];

  return {
    workspace: { id: workspace.id, name: workspace.name, timezone: workspace.timezone, locale: workspace.locale },
    campaign: s.campaign,
    campaigns: s.ids.length,
    period: { from: q.from.toISOString(), to: q.to.toISOString(), days: Math.round(length / DAY) },
    previousPeriod: { from: prevFrom.toISOString(), to: q.from.toISOString() },
    currency: s.currency,
    current,
    previous,
    conversionRate: per(current.conversions, current.clicks),
    engagementRate: per(sum((r) => r.rated), sum((r) => r.followers)),
    revenueToDateMinor,
    spend: { agreedMinor, paidMinor: sum((r) => r.paid), budgetMinor: s.budgetMinor, remainingMinor: s.budgetMinor - agreedMinor, shareOfBudget: per(agreedMinor, s.budgetMinor) },
    roi: per(revenueToDateMinor - agreedMinor, agreedMinor),
    creators,
    top,
    bottom,
    topShare: top.length && engagementTotal ? top.reduce((t, c) => t + c.engagement, 0) / engagementTotal : null,
    sentiment: mood,
    trends: [
      trend("clicks", current.clicks, previous.clicks),
      trend("uniqueClicks", current.uniqueClicks, previous.uniqueClicks),
      trend("conversions", current.conversions, previous.conversions),
      trend("revenue", current.revenueMinor, previous.revenueMinor),
      trend("engagement", current.engagement, previous.engagement),
    ],
    daily,
  };
}
