import type { Tx } from "../../db/database.ts";
import { audit } from "../audit/audit.ts";
import type { RunnerDeps } from "../commands/run.ts";
import type { CoreDeps } from "../commands/types.ts";
import type { DomainEvent } from "../notifications/events.ts";
import { BOOST_PLANS, type BoostDuration } from "./boosts.ts";
import type { PaymentEvent } from "./port.ts";

/** The processed_events source of the provider's webhooks. */
const SOURCE = "stripe";

export type Outcome = "applied" | "duplicate" | "ignored";

interface SessionRow {
  id: string;
  workspace_id: string;
  boost_id: string | null;
  milestone_id: string | null;
  status: "open" | "paid" | "refunded";
  requested_by_id: string | null;
}

/**
 * Applies one webhook event exactly once. The event id is claimed in
 * processed_events inside the same transaction as the change, so of ten
 * concurrent deliveries one commits and the rest wait on its key and find it
 * taken. The session's row is then locked and moved only from the state it
 * is in, so two different events for one session (a completion and its
 * async twin, or a refund racing the completion) serialise on it: a refund
 * that lands first marks the session refunded and the completion after it
 * finds nothing to start.
 */
export async function applyPaymentEvent(deps: Pick<RunnerDeps, "db" | "clock" | "payments" | "events" | "log">, e: PaymentEvent): Promise<Outcome> {
  // Outside the transaction: a refund that beat its completion here needs the provider to say which session it was.
  const sessionId = e.kind === "checkout.paid" ? e.sessionId : ((await deps.db.checkoutSession.findUnique({ where: { paymentIntentId: e.paymentId }, select: { id: true } }))?.id ?? (await deps.payments?.sessionOfPayment(e.paymentId)) ?? null);
  const now = deps.clock.now();
  const { outcome, events } = await deps.db.$transaction(async (tx): Promise<{ outcome: Outcome; events: DomainEvent[] }> => {
    const fresh = await tx.$executeRaw`INSERT INTO processed_events (source, event_id, processed_at) VALUES (${SOURCE}, ${e.id}, ${now}) ON CONFLICT DO NOTHING`;
    if (fresh === 0) return { outcome: "duplicate", events: [] };
    if (!sessionId) return { outcome: "ignored", events: [] };
    const [row] = await tx.$queryRaw<SessionRow[]>`
      SELECT id, workspace_id::text, boost_id::text, milestone_id::text, status, requested_by_id::text FROM checkout_sessions WHERE id = ${sessionId} FOR UPDATE`;
    // A session some other system opened on the same Stripe account.
    if (!row) return { outcome: "ignored", events: [] };
    const events = e.kind === "checkout.paid" ? await paid(tx, deps, row, e.paymentId, now) : await refunded(tx, deps, row, e.paymentId, now);
    return { outcome: events === null ? "ignored" : "applied", events: events ?? [] };
  });
  // The change is committed and its event id claimed: a redelivery would find nothing to do, so a failure to queue the news is logged, not retried through Stripe.
  if (events.length > 0) await deps.events.publish(events).catch((err: unknown) => deps.log.error({ err, event: e.id }, "payment events not published"));
  return outcome;
}

async function paid(tx: Tx, deps: Pick<CoreDeps, "clock">, row: SessionRow, paymentId: string | null, now: Date): Promise<DomainEvent[] | null> {
  // Already paid (the completion and the async success both say so), or refunded before we heard it was paid.
  if (row.status !== "open") return null;
  await tx.checkoutSession.update({ where: { id: row.id }, data: { status: "paid", paidAt: now, ...(paymentId ? { paymentIntentId: paymentId } : {}) } });
  const at = now.toISOString();
  if (row.boost_id) {
    const boost = await tx.boost.findUniqueOrThrow({ where: { id: row.boost_id } });
    // One creator's boosts run back to back, not side by side: a second one starts when the running one ends.
    await tx.$queryRaw`SELECT id FROM creators WHERE id = ${boost.creatorId}::uuid FOR UPDATE`;
    const [last] = await tx.$queryRaw<{ ends: Date | null }[]>`SELECT max(ends_at) AS ends FROM boosts WHERE creator_id = ${boost.creatorId}::uuid AND status = 'active'`;
    const startsAt = last?.ends && last.ends > now ? last.ends : now;
    const endsAt = new Date(startsAt.getTime() + BOOST_PLANS[boost.duration as BoostDuration].ms);
    await tx.boost.update({ where: { id: boost.id }, data: { status: "active", startsAt, endsAt, updatedAt: now } });
    await audit(tx, deps.clock, { workspaceId: row.workspace_id, actorMemberId: null, action: "boost.activated", entityType: "creator", entityId: boost.creatorId, data: { boostId: boost.id, duration: boost.duration, session: row.id, startsAt, endsAt } });
    return [{ type: "boost.changed", workspaceId: row.workspace_id, boostId: boost.id, change: "activated", at }];
  }
  const milestone = await tx.paymentMilestone.findUniqueOrThrow({ where: { id: row.milestone_id! } });
  const moved = await tx.paymentMilestone.updateMany({ where: { id: milestone.id, status: "due" }, data: { status: "paid", paidAt: now } });
  await audit(tx, deps.clock, {
    workspaceId: row.workspace_id,
    actorMemberId: row.requested_by_id,
    // A second page for a milestone paid meanwhile: the money is in, but the milestone was already settled.
    action: moved.count === 1 ? "payment.milestone_paid" : "payment.milestone_paid_twice",
    entityType: "invitation",
    entityId: milestone.invitationId,
    data: { milestone: milestone.kind, amountMinor: Number(milestone.amountMinor), session: row.id },
  });
  return moved.count === 1 ? [{ type: "milestone.changed", workspaceId: row.workspace_id, milestoneId: milestone.id, change: "paid", at }] : [];
}

async function refunded(tx: Tx, deps: Pick<CoreDeps, "clock">, row: SessionRow, paymentId: string, now: Date): Promise<DomainEvent[] | null> {
  if (row.status === "refunded") return null;
  await tx.checkoutSession.update({ where: { id: row.id }, data: { status: "refunded", refundedAt: now, paymentIntentId: paymentId } });
  const at = now.toISOString();
  const wasPaid = row.status === "paid";
  if (row.boost_id) {
    const boost = await tx.boost.findUniqueOrThrow({ where: { id: row.boost_id } });
    const running = boost.status === "active";
    const endsAt = running && boost.endsAt! > now ? now : boost.endsAt;
    await tx.boost.update({ where: { id: boost.id }, data: { status: "refunded", endsAt, ...(running && boost.startsAt! > now ? { startsAt: now } : {}), updatedAt: now } });
    await audit(tx, deps.clock, { workspaceId: row.workspace_id, actorMemberId: null, action: "boost.refunded", entityType: "creator", entityId: boost.creatorId, data: { boostId: boost.id, session: row.id, wasActive: running } });
    return running ? [{ type: "boost.changed", workspaceId: row.workspace_id, boostId: boost.id, change: "refunded", at }] : [];
  }
  if (!wasPaid) return [];
  const milestone = await tx.paymentMilestone.findUniqueOrThrow({ where: { id: row.milestone_id! } });
  await tx.paymentMilestone.update({ where: { id: milestone.id }, data: { status: "due", paidAt: null } });
  await audit(tx, deps.clock, { workspaceId: row.workspace_id, actorMemberId: null, action: "payment.milestone_refunded", entityType: "invitation", entityId: milestone.invitationId, data: { milestone: milestone.kind, session: row.id } });
  return [{ type: "milestone.changed", workspaceId: row.workspace_id, milestoneId: milestone.id, change: "refunded", at }];
}
