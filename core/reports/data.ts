import type { Db } from "../../db/database.ts";

/**
 * The report's detail rows, beside the digest facts (core/digests/facts.ts)
 * that give its totals: who the creators are and what they agreed to, each
 * post, each day's clicks and each order. A campaign's creators are those with
 * a referral link or a contract in it, as for the facts; every list is of the
 * report's period [from, to).
 */
export interface ReportPeriod {
  from: Date;
  to: Date;
  /** The campaign runs now: the period ends at this moment rather than on its last day. */
  running: boolean;
}

const DAY_MS = 86_400_000;

/** The campaign's whole period: start to end, or start to now while it runs. */
export function reportPeriod(c: { startsOn: Date; endsOn: Date }, now: Date): ReportPeriod {
  const from = c.startsOn;
  const end = new Date(c.endsOn.getTime() + DAY_MS);
  const running = now > from && now < end;
  return { from, to: running ? now : end, running };
}

/** A sheet's rows are cut here (the latest kept), so one enormous campaign can't exhaust a worker's memory. */
export const MAX_ROWS = 50_000;

export interface CreatorDetail {
  id: string;
  number: number;
  name: string;
  /** "instagram @murugi, tiktok @murugi.k" */
  handles: string;
  deliverables: string;
  code: string | null;
  qrScans: number;
}

export interface PostRow {
  creator: string;
  platform: string;
  postedAt: Date;
  kind: string | null;
  caption: string;
  likes: number;
  comments: number;
  shares: number | null;
  views: number | null;
  url: string | null;
}

export interface DayRow {
  /** YYYY-MM-DD, UTC. */
  day: string;
  clicks: number;
  uniqueClicks: number;
  qrScans: number;
  conversions: number;
  revenueMinor: number;
}

export interface ConversionRow {
  orderId: string;
  occurredAt: Date;
  creator: string | null;
  code: string | null;
  attributedBy: string | null;
  amountMinor: number;
  currency: string;
  refundedAt: Date | null;
}

/** A list and how many rows there were before MAX_ROWS cut it. */
export interface Rows<T> {
  rows: T[];
  total: number;
}

type N = bigint | number | null;
const n = (v: N) => Number(v ?? 0);
const maybe = (v: N) => (v === null ? null : Number(v));
const utcDay = (d: Date) => d.toISOString().slice(0, 10);
const lastDay = (p: ReportPeriod) => utcDay(new Date(p.to.getTime() - 1));

export async function creatorDetails(db: Db, campaignId: string, p: ReportPeriod): Promise<CreatorDetail[]> {
  const rows = await db.$queryRaw<{ id: string; number: number; name: string; handles: string | null; deliverables: string | null; code: string | null; qr: N }[]>`
    WITH members AS (
      SELECT creator_id FROM referral_links WHERE campaign_id = ${campaignId}::uuid
      UNION SELECT creator_id FROM contracts WHERE campaign_id = ${campaignId}::uuid
    )
    SELECT c.id::text, c.number, c.name,
      (SELECT string_agg(h.platform || ' @' || h.handle, ', ' ORDER BY h.platform) FROM creator_handles h WHERE h.creator_id = c.id) AS handles,
      (SELECT string_agg(k.deliverables, '; ' ORDER BY k.accepted_at) FROM contracts k WHERE k.creator_id = c.id AND k.campaign_id = ${campaignId}::uuid) AS deliverables,
      l.code,
      (SELECT sum(d.qr_clicks) FROM link_daily_stats d WHERE d.link_id = l.id AND d.day BETWEEN ${utcDay(p.from)}::date AND ${lastDay(p)}::date) AS qr
    FROM members JOIN creators c ON c.id = members.creator_id
      LEFT JOIN referral_links l ON l.creator_id = c.id AND l.campaign_id = ${campaignId}::uuid`;
  return rows.map((r) => ({ id: r.id, number: r.number, name: r.name, handles: r.handles ?? "", deliverables: r.deliverables ?? "", code: r.code, qrScans: n(r.qr) }));
}

export async function campaignPosts(db: Db, campaignId: string, p: ReportPeriod): Promise<Rows<PostRow>> {
  const rows = await db.$queryRaw<{ creator: string; platform: string; posted_at: Date; kind: string | null; caption: string; likes: N; comments: N; shares: N; views: N; url: string | null; total: N }[]>`
    WITH members AS (
      SELECT creator_id FROM referral_links WHERE campaign_id = ${campaignId}::uuid
      UNION SELECT creator_id FROM contracts WHERE campaign_id = ${campaignId}::uuid
    ), latest AS (
      SELECT c.name AS creator, s.platform::text AS platform, s.posted_at, s.kind, s.caption, s.likes, s.comments, s.shares, s.views, s.url, count(*) OVER () AS total
      FROM social_posts s JOIN creators c ON c.id = s.creator_id
      WHERE s.creator_id IN (SELECT creator_id FROM members) AND s.posted_at >= ${p.from} AND s.posted_at < ${p.to}
      ORDER BY s.posted_at DESC, s.id LIMIT ${MAX_ROWS}
    )
    SELECT * FROM latest ORDER BY posted_at, creator`;
  return {
    total: n(rows[0]?.total ?? 0),
    rows: rows.map((r) => ({ creator: r.creator, platform: r.platform, postedAt: r.posted_at, kind: r.kind, caption: r.caption, likes: n(r.likes), comments: n(r.comments), shares: maybe(r.shares), views: maybe(r.views), url: r.url })),
  };
}

/** Every UTC day of the period, zeros included, from the daily roll-ups. */
export async function clicksByDay(db: Db, campaignId: string, p: ReportPeriod): Promise<DayRow[]> {
  const rows = await db.$queryRaw<{ day: string; clicks: N; unique_clicks: N; qr: N; conversions: N; revenue: N }[]>`
    WITH days AS (
      SELECT generate_series(${utcDay(p.from)}::date, ${lastDay(p)}::date, interval '1 day')::date AS day
    ), sums AS (
      SELECT d.day, sum(d.clicks) AS clicks, sum(d.unique_clicks) AS unique_clicks, sum(d.qr_clicks) AS qr, sum(d.conversions) AS conversions, sum(d.revenue_minor) AS revenue
      FROM link_daily_stats d JOIN referral_links l ON l.id = d.link_id
      WHERE l.campaign_id = ${campaignId}::uuid AND d.day BETWEEN ${utcDay(p.from)}::date AND ${lastDay(p)}::date
      GROUP BY d.day
    )
    SELECT to_char(days.day, 'YYYY-MM-DD') AS day, clicks, unique_clicks, qr, conversions, revenue FROM days LEFT JOIN sums USING (day) ORDER BY days.day`;
  return rows.map((r) => ({ day: r.day, clicks: n(r.clicks), uniqueClicks: n(r.unique_clicks), qrScans: n(r.qr), conversions: n(r.conversions), revenueMinor: n(r.revenue) }));
}

export async function campaignConversions(db: Db, campaignId: string, p: ReportPeriod): Promise<Rows<ConversionRow>> {
  const rows = await db.$queryRaw<{ order_id: string; occurred_at: Date; creator: string | null; code: string | null; attributed_by: string | null; amount: N; currency: string; refunded_at: Date | null; total: N }[]>`
    WITH latest AS (
      SELECT v.order_id, v.occurred_at, c.name AS creator, v.code, v.attributed_by, v.amount_minor AS amount, v.currency, v.refunded_at, count(*) OVER () AS total
      FROM conversions v JOIN referral_links l ON l.id = v.link_id JOIN creators c ON c.id = l.creator_id
      WHERE l.campaign_id = ${campaignId}::uuid AND v.occurred_at >= ${p.from} AND v.occurred_at < ${p.to}
      ORDER BY v.occurred_at DESC, v.id LIMIT ${MAX_ROWS}
    )
    SELECT * FROM latest ORDER BY occurred_at, order_id`;
  return {
    total: n(rows[0]?.total ?? 0),
    rows: rows.map((r) => ({ orderId: r.order_id, occurredAt: r.occurred_at, creator: r.creator, code: r.code, attributedBy: r.attributed_by, amountMinor: n(r.amount), currency: r.currency, refundedAt: r.refunded_at })),
  };
}
