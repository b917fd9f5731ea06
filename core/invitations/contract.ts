import type { Tx } from "../../db/database.ts";
import type { CoreDeps } from "../commands/types.ts";

export type MilestoneKind = "advance" | "milestone" | "final";

/**
 * How an agreed fee is paid, kept as data: half up front when the campaign
 * starts, the rest when it ends. Shares are of 100; the last part takes what
 * rounding left, so the parts always sum to the fee exactly.
 */
export const MILESTONE_PLAN: readonly { kind: MilestoneKind; share: number; due: "start" | "end" }[] = [
  { kind: "advance", share: 50, due: "start" },
  { kind: "final", share: 50, due: "end" },
];

export interface Milestone {
  kind: MilestoneKind;
  amountMinor: number;
  dueOn: Date;
}

/** The fee split by MILESTONE_PLAN; a start already past is due today. */
export function splitFee(feeMinor: number, dates: { startsOn: Date; endsOn: Date }, today: Date): Milestone[] {
  let left = feeMinor;
  return MILESTONE_PLAN.map((p, i) => {
    const amountMinor = i === MILESTONE_PLAN.length - 1 ? left : Math.floor((feeMinor * p.share) / 100);
    left -= amountMinor;
    const date = p.due === "start" ? dates.startsOn : dates.endsOn;
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
