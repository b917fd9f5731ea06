import { z } from "zod";

export const PLANS = ["free", "pro", "enterprise"] as const;
export type PlanName = (typeof PLANS)[number];
export const PAID_PLANS = ["pro", "enterprise"] as const;
export type PaidPlan = (typeof PAID_PLANS)[number];

export interface PlanLimits {
  /** Creators a workspace keeps; null is no limit. */
  creators: number | null;
  /** Campaigns in the active state at once; null is no limit. */
  activeCampaigns: number | null;
  /** Public API requests per workspace, over any sliding hour. */
  apiPerHour: number;
  /** Public API requests per credential over any sliding minute: one runaway shop script can't spend the hour at once. */
  apiPerCredentialPerMinute: number;
  /** Commands each member may run over any sliding minute, on every chat platform together. */
  commandsPerMinute: number;
}

/**
 * What each plan allows. Free is enough to try Clout on one campaign; Pro a
 * brand's team running several; Enterprise an agency, whose only ceilings
 * are the abuse limits.
 */
export const PLAN_LIMITS: Record<PlanName, PlanLimits> = {
  free: { creators: 25, activeCampaigns: 1, apiPerHour: 1_000, apiPerCredentialPerMinute: 60, commandsPerMinute: 30 },
  pro: { creators: 1_000, activeCampaigns: 20, apiPerHour: 20_000, apiPerCredentialPerMinute: 600, commandsPerMinute: 60 },
  enterprise: { creators: null, activeCampaigns: null, apiPerHour: 200_000, apiPerCredentialPerMinute: 6_000, commandsPerMinute: 120 },
};

/** The plan after this one, for an upgrade hint; none after Enterprise. */
export function nextPlan(plan: PlanName): PaidPlan | null {
  return plan === "free" ? "pro" : plan === "pro" ? "enterprise" : null;
}

/**
 * A paid plan's monthly price: an amount in the workspace currency's major
 * units, priced inline on the Checkout page, or a Stripe Price id
 * (price_…) made in the Stripe dashboard, which carries its own currency
 * and interval.
 */
export type PlanPrice = { amount: string } | { priceId: string };
export type PlanPrices = Record<PaidPlan, PlanPrice>;

export const DEFAULT_PLAN_PRICES: PlanPrices = { pro: { amount: "49" }, enterprise: { amount: "499" } };

const PLAN_PRICES_EXAMPLE = "pro=49,enterprise=price_1PxYzAbC";

/** PLAN_PRICES ("pro=49,enterprise=price_1PxYzAbC"): plans left out keep their default price. */
export const planPricesSchema = z.string().transform((raw, ctx): PlanPrices => {
  const prices = { ...DEFAULT_PLAN_PRICES };
  for (const part of raw.split(",").map((p) => p.trim()).filter(Boolean)) {
    const m = /^(pro|enterprise)\s*=\s*(?:(price_\w+)|(\d+(?:\.\d{1,3})?))$/.exec(part);
    if (!m || (m[3] !== undefined && Number(m[3]) <= 0)) {
      ctx.addIssue({ code: "custom", message: `expected plan=price pairs such as ${PLAN_PRICES_EXAMPLE} (plans pro, enterprise; a monthly amount above 0 or a Stripe price id), not "${part}"` });
      return z.NEVER;
    }
    prices[m[1] as PaidPlan] = m[2] ? { priceId: m[2] } : { amount: m[3]! };
  }
  return prices;
});
