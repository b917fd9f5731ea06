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

type Sums = { key: string; clicks: bigint; unique_clicks: bigint; qr_clicks: bigint; conversions: bigint; revenue: bigint };

function merge(sums: Sums[], fees: { key: string; fee: bigint | null }[]): Map<string, Tally> {
  const out = new Map<string, Tally>();
  for (const s of sums) {
    out.set(s.key, { clicks: Number(s.clicks), uniqueClicks: Number(s.unique_clicks), qrScans: Number(s.qr_clicks), conversions: Number(s.conversions), revenueMinor: Number(s.revenue), costMinor: 0 });
  }
  for (const f of fees) out.set(f.key, { ...(out.get(f.key) ?? EMPTY), costMinor: Number(f.fee ?? 0n) });
  return out;
}

/** Per creator of the campaign: everyone with a referral link (clicked or not) or a contract in it. */
export async function campaignTallies(db: Db, campaignId: string): Promise<Map<string, Tally>> {
  const [sums, fees] = await Promise.all([
    db.$queryRaw<Sums[]>`
      SELECT l.creator_id::text AS key, coalesce(sum(s.clicks), 0)::bigint AS clicks, coalesce(sum(s.unique_clicks), 0)::bigint AS unique_clicks, coalesce(sum(s.qr_clicks), 0)::bigint AS qr_clicks,
             coalesce(sum(s.conversions), 0)::bigint AS conversions, coalesce(sum(s.revenue_minor), 0)::bigint AS revenue
      FROM referral_links l LEFT JOIN link_daily_stats s ON s.link_id = l.id
      WHERE l.campaign_id = ${campaignId}::uuid
      GROUP BY l.creator_id`,
    db.contract.groupBy({ by: ["creatorId"], where: { campaignId }, _sum: { feeMinor: true } }),
  ]);
  return merge(sums, fees.map((f) => ({ key: f.creatorId, fee: f._sum.feeMinor })));
}

/** Per campaign of the creator (or the one campaign asked for). */
export async function creatorTallies(db: Db, creatorId: string, campaignId?: string): Promise<Map<string, Tally>> {
  const [sums, fees] = await Promise.all([
    db.$queryRaw<Sums[]>`
      SELECT l.campaign_id::text AS key, coalesce(sum(s.clicks), 0)::bigint AS clicks, coalesce(sum(s.unique_clicks), 0)::bigint AS unique_clicks, coalesce(sum(s.qr_clicks), 0)::bigint AS qr_clicks,
             coalesce(sum(s.conversions), 0)::bigint AS conversions, coalesce(sum(s.revenue_minor), 0)::bigint AS revenue
      FROM referral_links l LEFT JOIN link_daily_stats s ON s.link_id = l.id
      WHERE l.creator_id = ${creatorId}::uuid AND (${campaignId ?? null}::uuid IS NULL OR l.campaign_id = ${campaignId ?? null}::uuid)
      GROUP BY l.campaign_id`,
    db.contract.groupBy({ by: ["campaignId"], where: { creatorId, ...(campaignId ? { campaignId } : {}) }, _sum: { feeMinor: true } }),
  ]);
  return merge(sums, fees.map((f) => ({ key: f.campaignId, fee: f._sum.feeMinor })));
}
