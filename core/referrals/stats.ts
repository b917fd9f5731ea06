import type { Db } from "../../db/database.ts";

/**
 * Referral performance, read only from the daily roll-ups (link_daily_stats,
 * kept by the click writer and the conversions API in the same transactions
 * as the events) and the contracts' fees: a campaign with millions of clicks
 * is a few rows per link per day, never a scan of clicks or conversions.
 */
export interface Tally {
  clicks: number;
  uniqueClicks: number;
  qrScans: number;
  conversions: number;
  /** Net of refunds. */
  revenueMinor: number;
  /** The agreed fees of the contracts. */
  costMinor: number;
}

/** Each ratio is null when its denominator is zero. */
export interface Ratios {
  /** conversions ÷ clicks */
  conversionRate: number | null;
  /** revenue ÷ clicks, in minor units (a fraction of one, often) */
  epcMinor: number | null;
  /** (revenue − cost) ÷ cost */
  roi: number | null;
  /** revenue ÷ cost */
  roas: number | null;
}

export const EMPTY: Tally = { clicks: 0, uniqueClicks: 0, qrScans: 0, conversions: 0, revenueMinor: 0, costMinor: 0 };

const per = (n: number, d: number) => (d === 0 ? null : n / d);

export function ratios(t: Tally): Ratios {
  return {
    conversionRate: per(t.conversions, t.clicks),
    epcMinor: per(t.revenueMinor, t.clicks),
    roi: per(t.revenueMinor - t.costMinor, t.costMinor),
    roas: per(t.revenueMinor, t.costMinor),
  };
}

export function add(a: Tally, b: Tally): Tally {
  return {
    clicks: a.clicks + b.clicks,
    uniqueClicks: a.uniqueClicks + b.uniqueClicks,
    qrScans: a.qrScans + b.qrScans,
    conversions: a.conversions + b.conversions,
    revenueMinor: a.revenueMinor + b.revenueMinor,
    costMinor: a.costMinor + b.costMinor,
  };
}

/** One creator's (or campaign's) figures, with what names it and how many contracts its cost sums. */
export interface Line {
  id: string;
  name: string;
  contracts: number;
  tally: Tally;
}

type Row = { id: string; name: string; clicks: bigint; unique_clicks: bigint; qr_clicks: bigint; conversions: bigint; revenue: bigint; cost: bigint; contracts: bigint };

const line = (r: Row): Line => ({
  id: r.id,
  name: r.name,
  contracts: Number(r.contracts),
  tally: { clicks: Number(r.clicks), uniqueClicks: Number(r.unique_clicks), qrScans: Number(r.qr_clicks), conversions: Number(r.conversions), revenueMinor: Number(r.revenue), costMinor: Number(r.cost) },
});

/**
 * Per creator of the campaign: everyone with a referral link (clicked or not)
 * or a contract in it. One statement, so a stats reply is one round trip
 * whatever the campaign's size.
 */
export async function campaignLines(db: Db, campaignId: string): Promise<Line[]> {
  const rows = await db.$queryRaw<Row[]>`
    WITH sums AS (
      SELECT l.creator_id, sum(s.clicks) AS clicks, sum(s.unique_clicks) AS unique_clicks, sum(s.qr_clicks) AS qr_clicks, sum(s.conversions) AS conversions, sum(s.revenue_minor) AS revenue
      FROM referral_links l LEFT JOIN link_daily_stats s ON s.link_id = l.id
      WHERE l.campaign_id = ${campaignId}::uuid
      GROUP BY l.creator_id
    ), fees AS (
      SELECT creator_id, sum(fee_minor) AS cost, count(*) AS contracts FROM contracts WHERE campaign_id = ${campaignId}::uuid GROUP BY creator_id
    )
    SELECT c.id::text AS id, c.name, coalesce(clicks, 0)::bigint AS clicks, coalesce(unique_clicks, 0)::bigint AS unique_clicks, coalesce(qr_clicks, 0)::bigint AS qr_clicks,
           coalesce(conversions, 0)::bigint AS conversions, coalesce(revenue, 0)::bigint AS revenue, coalesce(cost, 0)::bigint AS cost, coalesce(contracts, 0)::bigint AS contracts
    FROM sums FULL JOIN fees USING (creator_id) JOIN creators c ON c.id = creator_id`;
  return rows.map(line);
}

/** Per campaign of the creator (or only the one campaign asked for), with each campaign's currency. */
export async function creatorLines(db: Db, creatorId: string, campaignId?: string): Promise<(Line & { number: number; currency: string })[]> {
  const only = campaignId ?? null;
  const rows = await db.$queryRaw<(Row & { number: number; currency: string })[]>`
    WITH sums AS (
      SELECT l.campaign_id, sum(s.clicks) AS clicks, sum(s.unique_clicks) AS unique_clicks, sum(s.qr_clicks) AS qr_clicks, sum(s.conversions) AS conversions, sum(s.revenue_minor) AS revenue
      FROM referral_links l LEFT JOIN link_daily_stats s ON s.link_id = l.id
      WHERE l.creator_id = ${creatorId}::uuid AND (${only}::uuid IS NULL OR l.campaign_id = ${only}::uuid)
      GROUP BY l.campaign_id
    ), fees AS (
      SELECT campaign_id, sum(fee_minor) AS cost, count(*) AS contracts FROM contracts
      WHERE creator_id = ${creatorId}::uuid AND (${only}::uuid IS NULL OR campaign_id = ${only}::uuid)
      GROUP BY campaign_id
    )
    SELECT c.id::text AS id, c.name, c.number, c.currency, coalesce(clicks, 0)::bigint AS clicks, coalesce(unique_clicks, 0)::bigint AS unique_clicks, coalesce(qr_clicks, 0)::bigint AS qr_clicks,
           coalesce(conversions, 0)::bigint AS conversions, coalesce(revenue, 0)::bigint AS revenue, coalesce(cost, 0)::bigint AS cost, coalesce(contracts, 0)::bigint AS contracts
    FROM sums FULL JOIN fees USING (campaign_id) JOIN campaigns c ON c.id = campaign_id`;
  return rows.map((r) => ({ ...line(r), number: r.number, currency: r.currency }));
}
