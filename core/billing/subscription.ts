import type { Db, Tx } from "../../db/database.ts";
import { ConflictError } from "../errors.ts";
import type { Translate } from "../i18n/t.ts";
import { nextPlan, PLAN_LIMITS, type PlanLimits, type PlanName } from "./plans.ts";

export interface WorkspacePlan {
  plan: PlanName;
  /** Stripe's status as last heard ("none" on the free plan that never paid). */
  status: string;
  limits: PlanLimits;
  currentPeriodEnd: Date | null;
  /** Stripe ends the subscription at currentPeriodEnd (a downgrade to free); the plan stays until then. */
  cancelAtPeriodEnd: boolean;
  /** What Stripe calls the workspace's subscription and customer; null on a plan not billed through Stripe. */
  stripeSubscriptionId: string | null;
  stripeCustomerId: string | null;
  /** The Stripe time of the last subscription event applied. */
  eventAt: Date | null;
}

/** The plan a workspace is on now: no subscription row is the free plan. */
export async function planOf(db: Db | Tx, workspaceId: string): Promise<WorkspacePlan> {
  const row = await db.workspaceSubscription.findUnique({ where: { workspaceId } });
  const plan = (row?.plan ?? "free") as PlanName;
  return {
    plan,
    status: row?.status ?? "none",
    limits: PLAN_LIMITS[plan],
    currentPeriodEnd: row?.currentPeriodEnd ?? null,
    cancelAtPeriodEnd: row?.cancelAtPeriodEnd ?? false,
    stripeSubscriptionId: row?.stripeSubscriptionId ?? null,
    stripeCustomerId: row?.stripeCustomerId ?? null,
    eventAt: row?.eventAt ?? null,
  };
}

type Counted = "creators" | "activeCampaigns";

/**
 * Refuses one more creator or active campaign past the plan's limit, with the
 * plan that would allow it. Called inside the transaction that adds one,
 * after the workspace's row is locked (NO KEY: rows that merely reference the workspace are not held up), so two adds racing for the last place
 * serialise and the second is refused with nothing stored.
 */
export async function assertRoom(tx: Tx, workspaceId: string, what: Counted, t: Translate): Promise<void> {
  await tx.$queryRaw`SELECT id FROM workspaces WHERE id = ${workspaceId}::uuid FOR NO KEY UPDATE`;
  const { plan, limits } = await planOf(tx, workspaceId);
  const limit = limits[what];
  if (limit === null) return;
  const used = what === "creators" ? await tx.creator.count({ where: { workspaceId } }) : await tx.campaign.count({ where: { workspaceId, status: "active" } });
  if (used < limit) return;
  const next = nextPlan(plan);
  const nextLimit = next ? PLAN_LIMITS[next][what] : null;
  throw new ConflictError(
    `plan.limit.${what}`,
    {
      plan: t(`plan.name.${plan}`),
      limit,
      hint: next ? t("plan.limit.hint", { plan: t(`plan.name.${next}`), next: nextLimit === null ? t("plan.unlimited") : nextLimit, command: `plan upgrade ${next}` }) : t("plan.limit.top"),
    },
    next ? `plan upgrade ${next}` : undefined,
  );
}
