import type { Tx } from "../../db/database.ts";
import { audit } from "../audit/audit.ts";
import type { MemberContext } from "../commands/types.ts";
import { ConflictError, ForbiddenError, IllegalTransitionError } from "../errors.ts";
import { formatMoney, toDecimal } from "../money.ts";
import { MANAGERS } from "../roles.ts";
import { lockBudget, remainingForAcceptance, remainingForOffer } from "./budget.ts";
import { recordContract, type Milestone } from "./contract.ts";
import { issueReferralLink, type ReferralLink } from "../referrals/links.ts";
import { WITH_PARTIES, type InvitationWithParties } from "./find.ts";
import { awaiting, MAX_ROUNDS, step, type Answer, type Move, type Side } from "./negotiation.ts";

/** After a counter, the other side gets at least this long to answer, whatever was left of the original window. */
export const ANSWER_WINDOW_MS = 3 * 86_400_000;

/** Which side of the negotiation the person asking is on; an analyst, or another creator, is on neither. */
export function partyOf(ctx: MemberContext, inv: InvitationWithParties): "brand" | "creator" | null {
  if (inv.creator.memberId === ctx.actor.memberId) return "creator";
  return MANAGERS.includes(ctx.actor.role) ? "brand" : null;
}

export function sideOf(ctx: MemberContext, inv: InvitationWithParties): "brand" | "creator" {
  const side = partyOf(ctx, inv);
  if (!side) throw new ForbiddenError("invite.not_party", { number: inv.number });
  return side;
}

/** Appends the next round of a negotiation; the unique (invitation, round) makes two writers of one round impossible. */
export async function addRound(tx: Tx, ctx: Pick<MemberContext, "clock" | "ids">, r: { invitationId: string; side: Side; action: Move; feeMinor?: number | null; note?: string | null; memberId: string | null }): Promise<number> {
  const round = (await tx.invitationRound.count({ where: { invitationId: r.invitationId } })) + 1;
  await tx.invitationRound.create({
    data: { id: ctx.ids.uuid(), invitationId: r.invitationId, round, side: r.side, action: r.action, feeMinor: r.feeMinor == null ? null : BigInt(r.feeMinor), note: r.note ?? null, memberId: r.memberId, createdAt: ctx.clock.now() },
  });
  return round;
}

export interface Moved {
  invitation: InvitationWithParties;
  move: Move;
  side: "brand" | "creator";
  /** Set when the move was an acceptance. */
  milestones?: Milestone[];
  /** The creator's link and code for the campaign, issued (or found) on acceptance. */
  referral?: ReferralLink;
}

/**
 * One answer to an invitation, all in one transaction: the campaign's budget
 * locked, the status moved only from the one it was read in (so an answer
 * racing the expiry job, or a second click, finds it already moved), the
 * round and audit entry written, and on acceptance the contract stored.
 */
export async function answerInvitation(ctx: MemberContext, inv: InvitationWithParties, answer: Answer, o: { feeMinor?: number; note?: string } = {}): Promise<Moved> {
  const side = sideOf(ctx, inv);
  const moved = await ctx.db.$transaction(async (tx) => {
    const budget = await lockBudget(tx, inv.campaignId, inv.id);
    const current = await tx.invitation.findUniqueOrThrow({ where: { id: inv.id }, include: WITH_PARTIES });
    const s = step(current.status, side, answer);
    if (!s.ok) {
      if (s.why === "closed") throw new IllegalTransitionError("invite.closed", { number: current.number, status: ctx.t(`invite.status.${current.status}`) }, "invites");
      const waitingFor = awaiting(current.status) === "creator" ? current.creator.name : ctx.t("invite.the_brand");
      throw new IllegalTransitionError("invite.not_your_turn", { number: current.number, who: waitingFor });
    }
    const fee = o.feeMinor ?? Number(current.feeMinor);
    const money = (minor: number) => formatMoney({ minor, currency: current.currency }, ctx.locale);
    if (s.move === "accept" || (s.move === "counter" && side === "brand")) {
      const left = s.move === "accept" ? remainingForAcceptance(budget) : remainingForOffer(budget);
      if (fee > left) throw new ConflictError("invite.over_budget", { fee: money(fee), remaining: money(Math.max(0, left)), campaign: current.campaign.name }, `counter ${current.number} --fee ${toDecimal(Math.max(0, left), current.currency)}`);
    }
    if (s.move === "counter" && (await tx.invitationRound.count({ where: { invitationId: current.id } })) >= MAX_ROUNDS) {
      throw new ConflictError("invite.too_many_rounds", { number: current.number, rounds: MAX_ROUNDS }, `accept ${current.number}`);
    }
    const now = ctx.clock.now();
    const expiresAt = s.move === "counter" ? new Date(Math.max(current.expiresAt.getTime(), now.getTime() + ANSWER_WINDOW_MS)) : current.expiresAt;
    const updated = await tx.invitation.updateMany({ where: { id: current.id, status: current.status }, data: { status: s.to, feeMinor: BigInt(fee), expiresAt, updatedAt: now } });
    if (updated.count !== 1) throw new ConflictError("invite.changed_meanwhile", { number: current.number }, `invites ${current.number}`);
    await addRound(tx, ctx, { invitationId: current.id, side, action: s.move, feeMinor: s.move === "counter" ? fee : null, note: o.note, memberId: ctx.actor.memberId });
    await audit(tx, ctx.clock, {
      workspaceId: current.workspaceId,
      actorMemberId: ctx.actor.memberId,
      action: `invitation.${s.move}`,
      entityType: "invitation",
      entityId: current.id,
      data: { side, from: current.status, to: s.to, feeMinor: fee, ...(o.note ? { note: o.note } : {}) },
    });
    const milestones =
      s.move === "accept"
        ? await recordContract(tx, ctx, {
            invitationId: current.id,
            workspaceId: current.workspaceId,
            campaignId: current.campaignId,
            creatorId: current.creatorId,
            feeMinor: fee,
            currency: current.currency,
            deliverables: current.deliverables ?? ctx.t("contract.deliverables_default"),
            startsOn: current.campaign.startsOn,
            endsOn: current.campaign.endsOn,
          })
        : undefined;
    // With the contract, not after it: an accepted deal never lacks the link the creator promotes it with.
    const referral =
      s.move === "accept"
        ? await issueReferralLink(tx, ctx, { workspaceId: current.workspaceId, campaignId: current.campaignId, creatorId: current.creatorId, creatorName: current.creator.name, invitationId: current.id })
        : undefined;
    const invitation = { ...current, status: s.to, feeMinor: BigInt(fee), expiresAt, updatedAt: now };
    return { invitation, move: s.move, side, ...(milestones ? { milestones } : {}), ...(referral ? { referral } : {}) };
  });
  ctx.emit({ type: "invitation.changed", workspaceId: inv.workspaceId, invitationId: inv.id, move: moved.move, side, actorMemberId: ctx.actor.memberId, at: ctx.clock.now().toISOString() });
  return moved;
}
