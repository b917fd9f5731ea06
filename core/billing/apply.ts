import type { Tx } from "../../db/database.ts";
import { audit } from "../audit/audit.ts";
import type { RunnerDeps } from "../commands/run.ts";
import type { Clock } from "../clock.ts";
import type { DomainEvent } from "../notifications/events.ts";
import type { Outcome } from "../payments/apply.ts";
import type { SubscriptionEvent, SubscriptionStatus } from "../payments/port.ts";
import { PAID_PLANS, type PaidPlan, type PlanName } from "./plans.ts";

const SOURCE = "stripe";
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The grace rule: a subscription whose payment failed (past_due) keeps its
 * plan's limits while Stripe retries; the workspace drops to free only when
 * Stripe gives up and deletes the subscription (or marks it unpaid or paused).
 */
const PAYING: readonly SubscriptionStatus[] = ["trialing", "active", "past_due"];

interface Row {
  plan: string;
  status: string;
  stripe_subscription_id: string | null;
  event_at: Date | null;
}

/**
 * Applies one subscription webhook exactly once: its event id is claimed in
 * processed_events in the same transaction as the change, and the
 * workspace's row is locked, so concurrent deliveries (of one event, or of
 * a created and an updated racing) serialise. Stripe may deliver late or out
 * of order, so the subscription row moves only forward in Stripe's time, and
 * a deleted subscription stays deleted.
 */
export async function applySubscriptionEvent(deps: Pick<RunnerDeps, "db" | "clock" | "events" | "log">, e: SubscriptionEvent): Promise<Outcome> {
  const now = deps.clock.now();
  const { outcome, events } = await deps.db.$transaction(async (tx): Promise<{ outcome: Outcome; events: DomainEvent[] }> => {
    const fresh = await tx.$executeRaw`INSERT INTO processed_events (source, event_id, processed_at) VALUES (${SOURCE}, ${e.id}, ${now}) ON CONFLICT DO NOTHING`;
    if (fresh === 0) return { outcome: "duplicate", events: [] };
    const workspaceId = await workspaceOf(tx, e);
    if (!workspaceId) return { outcome: "ignored", events: [] };
    const [ws] = await tx.$queryRaw<{ id: string }[]>`SELECT id::text FROM workspaces WHERE id = ${workspaceId}::uuid FOR NO KEY UPDATE`;
    if (!ws) return { outcome: "ignored", events: [] };
    const [row] = await tx.$queryRaw<Row[]>`SELECT plan, status, stripe_subscription_id, event_at FROM workspace_subscriptions WHERE workspace_id = ${workspaceId}::uuid`;
    const events = e.kind === "subscription.changed" ? await changed(tx, deps.clock, workspaceId, row, e, now) : await failed(tx, deps.clock, workspaceId, row, e, now);
    return { outcome: events === null ? "ignored" : "applied", events: events ?? [] };
  });
  if (events.length > 0) await deps.events.publish(events).catch((err: unknown) => deps.log.error({ err, event: e.id }, "plan events not published"));
  return outcome;
}

/** The subscription's own metadata names the workspace; an invoice only names the subscription and customer we stored. */
async function workspaceOf(tx: Tx, e: SubscriptionEvent): Promise<string | null> {
  if (e.kind === "subscription.changed" && e.workspaceId) return UUID.test(e.workspaceId) ? e.workspaceId : null;
  const row = await tx.workspaceSubscription.findFirst({
    where: { OR: [...(e.subscriptionId ? [{ stripeSubscriptionId: e.subscriptionId }] : []), { stripeCustomerId: e.customerId }] },
    select: { workspaceId: true },
  });
  return row?.workspaceId ?? null;
}

async function changed(tx: Tx, clock: Clock, workspaceId: string, row: Row | undefined, e: Extract<SubscriptionEvent, { kind: "subscription.changed" }>, now: Date): Promise<DomainEvent[] | null> {
  const same = row?.stripe_subscription_id === e.subscriptionId;
  // Deleted is final for a subscription; a later subscription of the workspace is another id.
  if (same && row!.status === "canceled") return null;
  if (row?.event_at) {
    if (e.at < row.event_at) return null;
    // created is a subscription's first event: on a tie in Stripe's whole seconds, what came after it wins.
    if (same && e.at.getTime() === row.event_at.getTime() && !e.ended && e.status === "incomplete") return null;
  }
  // The end of a subscription the workspace has since replaced changes nothing.
  if (e.ended && row?.stripe_subscription_id && !same) return null;
  const paid = PAID_PLANS.includes(e.plan as PaidPlan) ? (e.plan as PaidPlan) : null;
  if (!paid && !e.ended) return null;
  const from = (row?.plan ?? "free") as PlanName;
  const plan: PlanName = !e.ended && PAYING.includes(e.status) ? paid! : "free";
  const data = { plan, status: e.status, stripeCustomerId: e.customerId, stripeSubscriptionId: e.subscriptionId, currentPeriodEnd: e.currentPeriodEnd, cancelAtPeriodEnd: e.cancelAtPeriodEnd && !e.ended, eventAt: e.at, updatedAt: now };
  await tx.workspaceSubscription.upsert({ where: { workspaceId }, create: { workspaceId, ...data }, update: data });
  await audit(tx, clock, { workspaceId, actorMemberId: null, action: "plan.subscription", entityType: "workspace", entityId: workspaceId, data: { subscription: e.subscriptionId, status: e.status, from, to: plan } });
  if (plan === from) return [];
  return [{ type: "plan.changed", workspaceId, change: plan === "free" ? "ended" : "started", plan, previous: from, at: now.toISOString() }];
}

async function failed(tx: Tx, clock: Clock, workspaceId: string, row: Row | undefined, e: Extract<SubscriptionEvent, { kind: "invoice.failed" }>, now: Date): Promise<DomainEvent[] | null> {
  if (!row || row.status === "canceled" || (e.subscriptionId && row.stripe_subscription_id !== e.subscriptionId)) return null;
  // The plan and its limits stay: that is the grace period while Stripe retries.
  await tx.workspaceSubscription.update({ where: { workspaceId }, data: { status: "past_due", updatedAt: now } });
  await audit(tx, clock, { workspaceId, actorMemberId: null, action: "plan.payment_failed", entityType: "workspace", entityId: workspaceId, data: { invoice: e.invoiceId, ...(e.amount ? { amountMinor: e.amount.minor, currency: e.amount.currency } : {}) } });
  return [
    {
      type: "plan.changed",
      workspaceId,
      change: "payment_failed",
      plan: row.plan as PlanName,
      previous: row.plan as PlanName,
      at: now.toISOString(),
      ...(e.amount ? { amount: e.amount } : {}),
      ...(e.nextAttempt ? { nextAttempt: e.nextAttempt.toISOString() } : {}),
    },
  ];
}
