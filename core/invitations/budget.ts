import type { Tx } from "../../db/database.ts";

export interface BudgetUse {
  budgetMinor: number;
  /** Fees of accepted invitations (their contracts). */
  committedMinor: number;
  /** Fees on the table in open invitations, other than the one being decided. */
  offeredMinor: number;
}

/**
 * Locks the campaign row and sums what its budget already carries. Every
 * invite, counter and acceptance of a campaign takes the lock first, so two at
 * once cannot both spend the same remainder.
 */
export async function lockBudget(tx: Tx, campaignId: string, exceptInvitationId?: string): Promise<BudgetUse> {
  // Two statements, not one: a statement that waited for the lock still sees the snapshot it started with, so the sums must be read after it is held.
  const [locked] = await tx.$queryRaw<{ budget: bigint }[]>`SELECT budget_minor AS budget FROM campaigns WHERE id = ${campaignId}::uuid FOR UPDATE`;
  const [sums] = await tx.$queryRaw<{ committed: bigint | null; offered: bigint | null }[]>`
    SELECT (SELECT sum(fee_minor) FROM contracts WHERE campaign_id = ${campaignId}::uuid) AS committed,
      (SELECT sum(fee_minor) FROM invitations WHERE campaign_id = ${campaignId}::uuid AND status IN ('pending', 'countered') AND id IS DISTINCT FROM ${exceptInvitationId ?? null}::uuid) AS offered`;
  return { budgetMinor: Number(locked!.budget), committedMinor: Number(sums!.committed ?? 0), offeredMinor: Number(sums!.offered ?? 0) };
}

/** What a new offer may still take: the budget less what is agreed and what is on offer elsewhere. */
export const remainingForOffer = (b: BudgetUse): number => b.budgetMinor - b.committedMinor - b.offeredMinor;

/** What an acceptance may take: offers not yet accepted hold no money. */
export const remainingForAcceptance = (b: BudgetUse): number => b.budgetMinor - b.committedMinor;
