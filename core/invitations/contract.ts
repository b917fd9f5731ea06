import type { Tx } from "../../db/database.ts";
import type { CoreDeps } from "../commands/types.ts";

export type MilestoneKind = "advance" | "milestone" | "final";

/**
 * How an agreed fee is paid, kept as data: 30 % up front when the campaign
 * starts, 40 % at its midpoint, the last 30 % when it ends. Shares are of 100
 * and each part but the last is rounded down in minor units; the last takes
 * what rounding left, so the parts always sum to the fee exactly.
 */
export const MILESTONE_PLAN: readonly { kind: MilestoneKind; share: number; due: "start" | "midpoint" | "end" }[] = [
  { kind: "advance", share: 30, due: "start" },
  { kind: "milestone", share: 40, due: "midpoint" },
  { kind: "final", share: 30, due: "end" },
];

const DAY_MS = 86_400_000;

/** The campaign's middle day (UTC dates; an odd span rounds down): 1 to 31 July → 16 July. */
export function midpoint(startsOn: Date, endsOn: Date): Date {
  const days = Math.floor((endsOn.getTime() - startsOn.getTime()) / DAY_MS);
  return new Date(startsOn.getTime() + Math.floor(days / 2) * DAY_MS);
}

export interface Milestone {
  kind: MilestoneKind;
  amountMinor: number;
  dueOn: Date;
}

/** The fee split by MILESTONE_PLAN; a start already past is due today. */
export function splitFee(feeMinor: number, dates: { startsOn: Date; endsOn: Date }, today: Date): Milestone[] {
  let left = feeMinor;
  return MILESTONE_PLAN.map((p, i) => {
    // fee = 100q + r, so ⌊fee·share/100⌋ = q·share + ⌊r·share/100⌋: exact however large the fee.
    const amountMinor = i === MILESTONE_PLAN.length - 1 ? left : Math.floor(feeMinor / 100) * p.share + Math.floor(((feeMinor % 100) * p.share) / 100);
    left -= amountMinor;
    const date = p.due === "start" ? dates.startsOn : p.due === "end" ? dates.endsOn : midpoint(dates.startsOn, dates.endsOn);
    return { kind: p.kind, amountMinor, dueOn: date < today ? today : date };
  });
}

export interface ContractTerms {
  invitationId: string;
  workspaceId: string;
  campaignId: string;
  creatorId: string;
  feeMinor: number;
  currency: string;
  deliverables: string;
  startsOn: Date;
  endsOn: Date;
}

/** Stores what was agreed, with its milestones, in the acceptance's transaction. */
export async function recordContract(tx: Tx, deps: Pick<CoreDeps, "clock" | "ids">, terms: ContractTerms): Promise<Milestone[]> {
  const now = deps.clock.now();
  const today = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));
  const milestones = splitFee(terms.feeMinor, terms, today);
  await tx.contract.create({ data: { ...terms, feeMinor: BigInt(terms.feeMinor), acceptedAt: now } });
  await tx.paymentMilestone.createMany({
    data: milestones.map((m) => ({ id: deps.ids.uuid(), workspaceId: terms.workspaceId, invitationId: terms.invitationId, kind: m.kind, amountMinor: BigInt(m.amountMinor), currency: terms.currency, dueOn: m.dueOn })),
  });
  return milestones;
}
