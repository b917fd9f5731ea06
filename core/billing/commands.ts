import { isUniqueViolation } from "../../db/errors.ts";
import { audit } from "../audit/audit.ts";
import { arg } from "../commands/args.ts";
import { defineCommand, type MemberContext } from "../commands/types.ts";
import { ConflictError } from "../errors.ts";
import { buckets } from "../limits/buckets.ts";
import { formatMoney, toMinor } from "../money.ts";
import { LINK_MIN_LIFE_MS, paymentsOf, returnUrls } from "../payments/checkout.ts";
import type { SubscriptionPrice } from "../payments/port.ts";
import type { Reply } from "../reply.ts";
import { STAFF, type Role } from "../roles.ts";
import { planOf, type WorkspacePlan } from "./subscription.ts";
import { nextPlan, PAID_PLANS, PLAN_LIMITS, type PaidPlan, type PlanName } from "./plans.ts";
import { utcMinute } from "../dates.ts";

const OWNERS: readonly Role[] = ["owner"];
const RANK: Record<PlanName, number> = { free: 0, pro: 1, enterprise: 2 };

/** A plan's monthly price as the reader writes money, or "set in Stripe" for a dashboard price id. */
function priceText(ctx: MemberContext, plan: PaidPlan): string {
  const price = ctx.planPrices[plan];
  return "amount" in price ? ctx.t("plan.per_month", { price: formatMoney({ minor: toMinor(price.amount, ctx.actor.workspace.currency), currency: ctx.actor.workspace.currency }, ctx.locale) }) : ctx.t("plan.price_in_stripe");
}

const shown = (ctx: MemberContext, n: number | null) => (n === null ? ctx.t("plan.unlimited") : n.toLocaleString(ctx.locale === "pt" ? "pt-BR" : "en-US"));

export const planShow = defineCommand({
  name: "plan show",
  summary: "plan.show.summary",
  roles: STAFF,
  examples: ["plan show"],
  args: {},
  async handler(ctx): Promise<Reply> {
    const { t, actor } = ctx;
    const now = ctx.clock.now();
    const current = await planOf(ctx.db, actor.workspace.id);
    const [creators, active, apiHour, mine] = await Promise.all([
      ctx.db.creator.count({ where: { workspaceId: actor.workspace.id } }),
      ctx.db.campaign.count({ where: { workspaceId: actor.workspace.id, status: "active" } }),
      ctx.limiter.used(buckets.apiWorkspace(actor.workspace.id, current.limits), now),
      ctx.limiter.used(buckets.member(actor.memberId, current.limits), now),
    ]);
    const row = (label: string, used: number, limit: number | null) => [label, shown(ctx, used), shown(ctx, limit)];
    const next = nextPlan(current.plan);
    const until = current.currentPeriodEnd ? utcMinute(current.currentPeriodEnd) : "—";
    const ending = current.cancelAtPeriodEnd && current.plan !== "free";
    const lines = [ending ? t("plan.status.ending", { until, plan: t(`plan.name.${current.plan}`) }) : t(`plan.status.${current.status === "none" ? "free" : current.status}` as "plan.status.free", { until })];
    // The billing portal holds the card and invoices: a link for the owners alone, in a reply only they see.
    const portal = actor.role === "owner" && current.plan !== "free" && current.stripeCustomerId && ctx.payments ? await portalLine(ctx, current.stripeCustomerId) : null;
    if (portal) lines.push(portal);
    if (current.plan !== "free" && !ending) lines.push(t("plan.show.change", { lower: current.plan === "enterprise" ? "plan downgrade pro" : "plan downgrade free" }));
    if (next) lines.push(t("plan.show.next", { plan: t(`plan.name.${next}`), price: priceText(ctx, next), creators: shown(ctx, PLAN_LIMITS[next].creators), campaigns: shown(ctx, PLAN_LIMITS[next].activeCampaigns), command: `plan upgrade ${next}` }));
    return {
      ...(portal ? { ephemeral: true } : {}),
      title: t("plan.show.title", { workspace: actor.workspace.name, plan: t(`plan.name.${current.plan}`) }),
      text: lines.join("\n"),
      table: {
        columns: [t("plan.col.limit"), t("plan.col.used"), t("plan.col.allowed")],
        rows: [
          row(t("plan.limit_name.creators"), creators, current.limits.creators),
          row(t("plan.limit_name.active_campaigns"), active, current.limits.activeCampaigns),
          row(t("plan.limit_name.api_hour"), apiHour, current.limits.apiPerHour),
          row(t("plan.limit_name.commands_minute"), mine, current.limits.commandsPerMinute),
        ],
      },
      ...(next && actor.role === "owner" ? { buttons: [{ label: t("plan.button.upgrade", { plan: t(`plan.name.${next}`) }), command: `plan upgrade ${next}` }] } : {}),
    };
  },
});

/** A billing portal link; Stripe not answering costs the link, never the reply. */
async function portalLine(ctx: MemberContext, customerId: string): Promise<string> {
  try {
    const url = await ctx.payments!.billingPortalUrl({ customerId, returnUrl: `${ctx.publicUrl}/stripe/billing/done` });
    return ctx.t("plan.show.portal", { url });
  } catch {
    return ctx.t("plan.show.portal_off");
  }
}

function priceOf(ctx: MemberContext, plan: PaidPlan): SubscriptionPrice {
  const price = ctx.planPrices[plan];
  const currency = ctx.actor.workspace.currency;
  return "amount" in price ? { amount: { minor: toMinor(price.amount, currency), currency }, productName: ctx.t("plan.product", { plan: ctx.t(`plan.name.${plan}`) }) } : price;
}

/**
 * One key per change of one subscription from the state Clout last heard:
 * two owners asking at once (or one twice) before Stripe's webhook arrives
 * send the same key and change it once; after the webhook, the next change
 * is a new key.
 */
const changeKey = (ctx: MemberContext, current: WorkspacePlan, to: PlanName) => `clout-plan-${ctx.actor.workspace.id}-${current.stripeSubscriptionId}-to-${to}-${current.eventAt?.getTime() ?? 0}`;

/** A paid plan Clout can change has a Stripe subscription: one set by hand (a deal, a test) is changed where it was set. */
function billed(ctx: MemberContext, current: WorkspacePlan): string {
  if (!current.stripeSubscriptionId) throw new ConflictError("plan.change.unbilled", { plan: ctx.t(`plan.name.${current.plan}`) });
  return current.stripeSubscriptionId;
}

/** Moves the running subscription to another paid plan's price, prorated; the customer.subscription.updated webhook that follows moves the plan. */
async function changePrice(ctx: MemberContext, current: WorkspacePlan, to: PaidPlan): Promise<Reply> {
  const { t, actor } = ctx;
  const payments = paymentsOf(ctx);
  const subscriptionId = billed(ctx, current);
  const changed = await payments.changeSubscriptionPrice({
    idempotencyKey: changeKey(ctx, current, to),
    subscriptionId,
    price: priceOf(ctx, to),
    metadata: { clout_kind: "plan", clout_workspace_id: actor.workspace.id, clout_plan: to },
  });
  await audit(ctx.db, ctx.clock, { workspaceId: actor.workspace.id, actorMemberId: actor.memberId, action: "plan.change_requested", entityType: "workspace", entityId: actor.workspace.id, data: { subscription: subscriptionId, from: current.plan, to } });
  const limits = PLAN_LIMITS[to];
  return {
    tone: "info",
    title: t("plan.change.title", { plan: t(`plan.name.${to}`), price: priceText(ctx, to) }),
    text: t("plan.change.text", { plan: t(`plan.name.${to}`), previous: t(`plan.name.${current.plan}`), creators: shown(ctx, limits.creators), campaigns: shown(ctx, limits.activeCampaigns), api: shown(ctx, limits.apiPerHour), until: changed.currentPeriodEnd ? utcMinute(changed.currentPeriodEnd) : "—" }),
  };
}

/** Refuses a downgrade to a plan whose limits the workspace is already past, naming each thing to reduce. */
async function assertFits(ctx: MemberContext, to: PlanName): Promise<void> {
  const { t, actor } = ctx;
  const limits = PLAN_LIMITS[to];
  const [creators, active] = await Promise.all([ctx.db.creator.count({ where: { workspaceId: actor.workspace.id } }), ctx.db.campaign.count({ where: { workspaceId: actor.workspace.id, status: "active" } })]);
  const over: string[] = [];
  if (limits.activeCampaigns !== null && active > limits.activeCampaigns) over.push(t("plan.downgrade.over.campaigns", { count: active, limit: limits.activeCampaigns, excess: active - limits.activeCampaigns }));
  if (limits.creators !== null && creators > limits.creators) over.push(t("plan.downgrade.over.creators", { count: creators, limit: limits.creators, excess: creators - limits.creators }));
  if (over.length > 0) throw new ConflictError("plan.downgrade.over", { plan: t(`plan.name.${to}`), over: over.join("; ") }, "campaign complete <campaign>");
}

function upgradeReply(ctx: MemberContext, plan: PaidPlan, link: { url: string; expiresAt: Date }): Reply {
  const limits = PLAN_LIMITS[plan];
  return {
    tone: "info",
    ephemeral: true,
    title: ctx.t("plan.upgrade.title", { plan: ctx.t(`plan.name.${plan}`), price: priceText(ctx, plan) }),
    text: ctx.t("plan.upgrade.text", { url: link.url, plan: ctx.t(`plan.name.${plan}`), creators: shown(ctx, limits.creators), campaigns: shown(ctx, limits.activeCampaigns), api: shown(ctx, limits.apiPerHour), until: utcMinute(link.expiresAt) }),
  };
}

export const planUpgrade = defineCommand({
  name: "plan upgrade",
  summary: "plan.upgrade.summary",
  roles: OWNERS,
  examples: ["plan upgrade pro", "plan upgrade enterprise"],
  args: { plan: arg.choice({ positional: true, help: "plan.arg.plan", example: "pro", choices: PAID_PLANS }) },
  async handler(ctx, a) {
    const { t, actor } = ctx;
    const payments = paymentsOf(ctx);
    const current = await planOf(ctx.db, actor.workspace.id);
    if (RANK[current.plan] >= RANK[a.plan]) throw new ConflictError(current.plan === a.plan ? "plan.upgrade.already" : "plan.upgrade.lower", { plan: t(`plan.name.${current.plan}`), wanted: t(`plan.name.${a.plan}`) }, current.plan === a.plan ? "plan show" : `plan downgrade ${a.plan}`);
    // A second subscription beside a running one would bill the workspace twice: a paid plan moves up by changing its price.
    if (current.plan !== "free") return changePrice(ctx, current, a.plan);
    const now = ctx.clock.now();
    const mine = { workspaceId: actor.workspace.id, plan: a.plan };
    const usable = { expiresAt: { gt: new Date(now.getTime() + LINK_MIN_LIFE_MS) } };
    const open = await ctx.db.subscriptionCheckout.findFirst({ where: { ...mine, ...usable }, orderBy: { createdAt: "desc" } });
    if (open) return upgradeReply(ctx, a.plan, open);

    // As for boosts: counting only pages that can no longer be used, two owners asking at once send Stripe the same key.
    const attempt = await ctx.db.subscriptionCheckout.count({ where: { ...mine, NOT: usable } });
    const idempotencyKey = `clout-plan-${actor.workspace.id}-${a.plan}-${attempt}`;
    const price = ctx.planPrices[a.plan];
    const customer = await ctx.db.workspaceSubscription.findUnique({ where: { workspaceId: actor.workspace.id }, select: { stripeCustomerId: true } });
    const session = await payments.createSubscriptionCheckout({
      idempotencyKey,
      price: "amount" in price ? { amount: { minor: toMinor(price.amount, actor.workspace.currency), currency: actor.workspace.currency }, productName: t("plan.product", { plan: t(`plan.name.${a.plan}`) }) } : price,
      ...(customer?.stripeCustomerId ? { customerId: customer.stripeCustomerId } : {}),
      metadata: { clout_kind: "plan", clout_workspace_id: actor.workspace.id, clout_plan: a.plan },
      ...returnUrls(ctx.publicUrl),
    });
    try {
      await ctx.db.subscriptionCheckout.create({ data: { id: session.id, ...mine, idempotencyKey, url: session.url, requestedById: actor.memberId, expiresAt: session.expiresAt, createdAt: now } });
    } catch (err) {
      // The racing request stored this very session first.
      if (!isUniqueViolation(err)) throw err;
    }
    return upgradeReply(ctx, a.plan, session);
  },
});

const LOWER = ["free", "pro"] as const;

export const planDowngrade = defineCommand({
  name: "plan downgrade",
  summary: "plan.downgrade.summary",
  roles: OWNERS,
  examples: ["plan downgrade pro", "plan downgrade free"],
  args: { plan: arg.choice({ positional: true, help: "plan.arg.lower", example: "pro", choices: LOWER }) },
  async handler(ctx, a) {
    const { t, actor } = ctx;
    const current = await planOf(ctx.db, actor.workspace.id);
    const names = { plan: t(`plan.name.${current.plan}`), wanted: t(`plan.name.${a.plan}`) };
    if (current.plan === a.plan) throw new ConflictError("plan.downgrade.already", names, "plan show");
    if (RANK[current.plan] < RANK[a.plan]) throw new ConflictError("plan.downgrade.higher", names, `plan upgrade ${a.plan}`);
    const until = () => (current.currentPeriodEnd ? utcMinute(current.currentPeriodEnd) : "—");
    if (a.plan === "free" && current.cancelAtPeriodEnd) return { tone: "info", title: t("plan.cancel.title", names), text: t("plan.cancel.already", { ...names, until: until() }) };
    billed(ctx, current);
    await assertFits(ctx, a.plan);
    if (a.plan !== "free") return changePrice(ctx, current, a.plan);

    const payments = paymentsOf(ctx);
    const subscriptionId = billed(ctx, current);
    const changed = await payments.cancelSubscriptionAtPeriodEnd({ idempotencyKey: changeKey(ctx, current, "free"), subscriptionId });
    await audit(ctx.db, ctx.clock, { workspaceId: actor.workspace.id, actorMemberId: actor.memberId, action: "plan.change_requested", entityType: "workspace", entityId: actor.workspace.id, data: { subscription: subscriptionId, from: current.plan, to: "free" } });
    const end = changed.currentPeriodEnd ?? current.currentPeriodEnd;
    return { tone: "info", title: t("plan.cancel.title", names), text: t("plan.cancel.text", { ...names, until: end ? utcMinute(end) : "—" }) };
  },
});
