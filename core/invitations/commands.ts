import { audit } from "../audit/audit.ts";
import { findCampaign } from "../campaigns/find.ts";
import { arg, optional } from "../commands/args.ts";
import { defineCommand } from "../commands/types.ts";
import { findCreator } from "../creators/find.ts";
import { ConflictError, IllegalTransitionError, UsageError } from "../errors.ts";
import { formatMoney, toDecimal, toMinor } from "../money.ts";
import { MANAGERS } from "../roles.ts";
import { nextNumber } from "../workspaces/counters.ts";
import { lockBudget, remainingForOffer } from "./budget.ts";
import { WITH_PARTIES } from "./find.ts";
import { addRound } from "./moves.ts";
import { invitationCard } from "./render.ts";

const INVITE_EXAMPLE = 'invite @murugi --campaign "Summer Launch" --fee 500';
const HOUR = 3_600_000;
/** How long a creator has to answer unless the brand says otherwise. */
export const DEFAULT_INVITE_TTL_MS = 7 * 24 * HOUR;
/** Only campaigns a brand has signed off can commit its money to creators. */
const INVITING_STATUSES = ["approved", "active"] as const;

export const invite = defineCommand({
  name: "invite",
  summary: "invite.summary",
  roles: MANAGERS,
  examples: [INVITE_EXAMPLE, 'invite "Murugi Wanjiku" --campaign 2 --fee "KES 50,000" --message "Two reels and a story" --expires 48h'],
  args: {
    creator: arg.ref({ of: "creator", positional: true, help: "invite.arg.creator", example: "@murugi" }),
    campaign: arg.ref({ of: "campaign", help: "invite.arg.campaign", example: '"Summer Launch"' }),
    fee: arg.amount({ help: "invite.arg.fee", example: "500" }),
    message: optional(arg.text({ help: "invite.arg.message", example: '"Two reels and a story in July"', max: 1000 })),
    deliverables: optional(arg.text({ help: "invite.arg.deliverables", example: '"2 Instagram reels, 1 TikTok"', max: 500 })),
    expires: optional(arg.duration({ help: "invite.arg.expires", example: "48h", min: HOUR, max: 30 * 24 * HOUR })),
  },
  async handler(ctx, a) {
    const { actor, t } = ctx;
    const campaign = await findCampaign(ctx.db, actor.workspace.id, a.campaign);
    if (!(INVITING_STATUSES as readonly string[]).includes(campaign.status)) {
      throw new IllegalTransitionError("invite.campaign_not_open", { campaign: campaign.name, status: t(`campaign.status.${campaign.status}`) }, `campaign show ${campaign.number}`);
    }
    const creator = await findCreator(ctx.db, actor.workspace.id, a.creator);
    if (a.fee.currency && a.fee.currency !== campaign.currency) {
      throw new UsageError("invite.currency_mismatch", { written: a.fee.currency, currency: campaign.currency, campaign: campaign.name }, INVITE_EXAMPLE);
    }
    const feeMinor = toMinor(a.fee.decimal, campaign.currency);
    const now = ctx.clock.now();
    const money = (minor: number) => formatMoney({ minor, currency: campaign.currency }, ctx.locale);

    const invitation = await ctx.db.$transaction(async (tx) => {
      const budget = await lockBudget(tx, campaign.id);
      const existing = await tx.invitation.findFirst({ where: { campaignId: campaign.id, creatorId: creator.id, status: { in: ["pending", "countered", "accepted"] } } });
      if (existing) {
        throw new ConflictError("invite.exists", { creator: creator.name, campaign: campaign.name, number: existing.number, status: t(`invite.status.${existing.status}`) }, `invites ${existing.number}`);
      }
      const left = remainingForOffer(budget);
      if (feeMinor > left) {
        throw new ConflictError(
          "invite.over_budget",
          { fee: money(feeMinor), remaining: money(Math.max(0, left)), campaign: campaign.name },
          `invite ${creator.number} --campaign ${campaign.number} --fee ${toDecimal(Math.max(0, left), campaign.currency)}`,
        );
      }
      const number = await nextNumber(tx, actor.workspace.id, "invitation");
      const created = await tx.invitation.create({
        data: {
          id: ctx.ids.uuid(),
          workspaceId: actor.workspace.id,
          number,
          campaignId: campaign.id,
          creatorId: creator.id,
          feeMinor: BigInt(feeMinor),
          currency: campaign.currency,
          message: a.message ?? null,
          deliverables: a.deliverables ?? null,
          expiresAt: new Date(now.getTime() + (a.expires ?? DEFAULT_INVITE_TTL_MS)),
          createdById: actor.memberId,
          createdAt: now,
          updatedAt: now,
        },
        include: WITH_PARTIES,
      });
      await addRound(tx, ctx, { invitationId: created.id, side: "brand", action: "offer", feeMinor, note: a.message ?? null, memberId: actor.memberId });
      await audit(tx, ctx.clock, { workspaceId: actor.workspace.id, actorMemberId: actor.memberId, action: "invitation.offer", entityType: "invitation", entityId: created.id, data: { creator: creator.number, campaign: campaign.number, feeMinor } });
      return created;
    });
    ctx.emit({ type: "invitation.changed", workspaceId: actor.workspace.id, invitationId: invitation.id, move: "offer", side: "brand", actorMemberId: actor.memberId, at: now.toISOString() });

    const reach = await ctx.db.identity.count({ where: { member: { creator: { id: creator.id } } } });
    const how = creator.phone ? t("invite.reach_whatsapp", { creator: creator.name }) : reach > 0 ? t("invite.reach_chat", { creator: creator.name }) : t("invite.reach_none", { creator: creator.name, number: creator.number });
    return {
      ...invitationCard(invitation, null, t, ctx.locale, { text: how }),
      tone: "success",
      title: t("invite.sent.title", { number: invitation.number, creator: creator.name }),
      track: { kind: "invitation", id: invitation.id, workspaceId: actor.workspace.id },
    };
  },
});
