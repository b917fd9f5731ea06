import type { Db, Tx } from "../../db/database.ts";
import type { Conversion } from "../../db/generated/client.ts";
import type { Clock } from "../clock.ts";
import { ConflictError, NotFoundError, UsageError } from "../errors.ts";
import type { Ids } from "../ids.ts";

export type { Conversion };

const DAY_MS = 86_400_000;

export interface ConversionDeps {
  db: Db;
  clock: Clock;
  ids: Ids;
  /** How long after a click an order still counts as that click's (last click). */
  windowDays: number;
}

/** An order as a brand's shop reports it, already validated; money in minor units. */
export interface OrderReport {
  orderId: string;
  amountMinor: number;
  currency: string;
  clickId?: string;
  code?: string;
  customerId?: string;
  occurredAt?: Date;
}

export interface ConversionOutcome {
  conversion: Conversion;
  /** The referral code of the link it was attributed to. */
  code: string | null;
  /** False when the order was already stored (a retry, or a concurrent duplicate): the stored one is returned. */
  created: boolean;
}

interface Attribution {
  linkId: string;
  by: "click" | "code";
  code: string;
  currency: string;
}

/**
 * The link an order belongs to. A click id names one click: it wins when that
 * click is this workspace's and came no more than the window before the order
 * (last click). Otherwise the code typed at checkout, case-insensitively.
 * Another workspace's click or code matches nothing, as if it didn't exist.
 */
async function attribute(db: Db, workspaceId: string, order: OrderReport & { occurredAt: Date }, windowDays: number): Promise<Attribution | null> {
  if (order.clickId) {
    const click = await db.click.findFirst({
      where: { clickId: order.clickId, at: { gt: new Date(order.occurredAt.getTime() - windowDays * DAY_MS), lte: order.occurredAt }, link: { workspaceId } },
      select: { link: { select: { id: true, code: true, campaignId: true } } },
    });
    if (click) return { linkId: click.link.id, by: "click", code: click.link.code, currency: await campaignCurrency(db, click.link.campaignId) };
  }
  if (order.code) {
    const link = await db.referralLink.findUnique({ where: { workspaceId_codeKey: { workspaceId, codeKey: order.code.trim().toUpperCase() } }, select: { id: true, code: true, campaignId: true } });
    if (link) return { linkId: link.id, by: "code", code: link.code, currency: await campaignCurrency(db, link.campaignId) };
  }
  return null;
}

async function campaignCurrency(db: Db, campaignId: string): Promise<string> {
  return (await db.campaign.findUniqueOrThrow({ where: { id: campaignId }, select: { currency: true } })).currency;
}

const utcDay = (at: Date) => new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), at.getUTCDate()));

/** Adds (or, for a refund, takes back) one conversion in its link's roll-up for the order's UTC day. */
async function rollUp(tx: Tx, c: Pick<Conversion, "linkId" | "occurredAt" | "amountMinor">, sign: 1 | -1): Promise<void> {
  if (!c.linkId) return;
  const revenue = c.amountMinor * BigInt(sign);
  await tx.$executeRaw`
    INSERT INTO link_daily_stats AS s (link_id, day, conversions, revenue_minor)
    VALUES (${c.linkId}::uuid, ${utcDay(c.occurredAt)}::date, ${sign}, ${revenue})
    ON CONFLICT (link_id, day) DO UPDATE SET conversions = s.conversions + EXCLUDED.conversions, revenue_minor = s.revenue_minor + EXCLUDED.revenue_minor`;
}

async function codeOf(db: Db, linkId: string | null): Promise<string | null> {
  if (!linkId) return null;
  return (await db.referralLink.findUnique({ where: { id: linkId }, select: { code: true } }))?.code ?? null;
}

/**
 * Stores a reported order once per workspace and order id, with its roll-up
 * in the same transaction. Duplicates, concurrent ones included, wait on the
 * unique key, insert nothing and get the stored conversion back: the same
 * order always answers the same. The same order id with another amount or
 * currency is refused rather than silently ignored.
 */
export async function recordConversion(deps: ConversionDeps, workspaceId: string, order: OrderReport): Promise<ConversionOutcome> {
  const now = deps.clock.now();
  const occurredAt = order.occurredAt ?? now;
  const stored = await deps.db.conversion.findUnique({ where: { workspaceId_orderId: { workspaceId, orderId: order.orderId } } });
  if (stored) return replay(deps.db, stored, order);

  const attribution = await attribute(deps.db, workspaceId, { ...order, occurredAt }, deps.windowDays);
  if (attribution && attribution.currency !== order.currency) {
    throw new UsageError("conversion.currency_mismatch", { currency: order.currency, code: attribution.code, campaign_currency: attribution.currency });
  }
  const row: Conversion = {
    id: deps.ids.uuid(),
    workspaceId,
    orderId: order.orderId,
    amountMinor: BigInt(order.amountMinor),
    currency: order.currency,
    clickId: order.clickId ?? null,
    code: order.code ?? null,
    customerId: order.customerId ?? null,
    linkId: attribution?.linkId ?? null,
    attributedBy: attribution?.by ?? null,
    occurredAt,
    createdAt: now,
    refundedAt: null,
  };
  const created = await deps.db.$transaction(async (tx) => {
    // ON CONFLICT DO NOTHING: a concurrent insert of the same order makes this one wait for it, then insert nothing.
    const { count } = await tx.conversion.createMany({ data: [row], skipDuplicates: true });
    if (count === 1) await rollUp(tx, row, 1);
    return count === 1;
  });
  if (created) return { conversion: row, code: attribution?.code ?? null, created: true };
  return replay(deps.db, await deps.db.conversion.findUniqueOrThrow({ where: { workspaceId_orderId: { workspaceId, orderId: order.orderId } } }), order);
}

async function replay(db: Db, stored: Conversion, order: OrderReport): Promise<ConversionOutcome> {
  if (stored.amountMinor !== BigInt(order.amountMinor) || stored.currency !== order.currency) {
    throw new ConflictError("conversion.order_differs", { order: order.orderId });
  }
  return { conversion: stored, code: await codeOf(db, stored.linkId), created: false };
}

/**
 * Reverses a stored order: marks it refunded and takes it out of its roll-up,
 * in one transaction. Only the update that flips refunded_at touches the
 * roll-up, so a repeated or concurrent refund changes nothing and answers the
 * same.
 */
export async function refundConversion(deps: Pick<ConversionDeps, "db" | "clock">, workspaceId: string, orderId: string): Promise<ConversionOutcome> {
  const key = { workspaceId_orderId: { workspaceId, orderId } };
  const stored = await deps.db.conversion.findUnique({ where: key });
  if (!stored) throw new NotFoundError("conversion.refund_unknown", { order: orderId });
  if (!stored.refundedAt) {
    await deps.db.$transaction(async (tx) => {
      const { count } = await tx.conversion.updateMany({ where: { id: stored.id, refundedAt: null }, data: { refundedAt: deps.clock.now() } });
      if (count === 1) await rollUp(tx, stored, -1);
    });
  }
  const now = await deps.db.conversion.findUniqueOrThrow({ where: key });
  return { conversion: now, code: await codeOf(deps.db, now.linkId), created: false };
}
