import { audit } from "../audit/audit.ts";
import { assertRoom } from "../billing/subscription.ts";
import { arg, optional } from "../commands/args.ts";
import { defineCommand, type CommandDef } from "../commands/types.ts";
import { ConflictError, IllegalTransitionError } from "../errors.ts";
import { findCampaign } from "./find.ts";
import { actionsFrom, CAMPAIGN_ACTIONS, TRANSITIONS, type CampaignAction } from "./lifecycle.ts";
import { isoDate, transitionButtons } from "./render.ts";

function transitionCommand(action: CampaignAction): CommandDef<any> {
  const rule = TRANSITIONS[action];
  const takesReason = action === "reject" || action === "cancel";
  return defineCommand({
    name: `campaign ${action}`,
    summary: `campaign.${action}.summary`,
    roles: rule.roles,
    examples: [takesReason ? `campaign ${action} "Summer Launch" --reason "Budget moved to Q4"` : `campaign ${action} "Summer Launch"`],
    args: {
      campaign: arg.ref({ of: "campaign", positional: true, help: "campaign.arg.ref", example: '"Summer Launch"' }),
      ...(takesReason ? { reason: optional(arg.text({ help: "campaign.arg.reason", example: '"Budget moved to Q4"', max: 500 })) } : {}),
    },
    async handler(ctx, a) {
      const { actor, t } = ctx;
      const reason = (a as { reason?: string }).reason;
      const now = ctx.clock.now();
      const { campaign, from } = await ctx.db.$transaction(async (tx) => {
        const c = await findCampaign(tx, actor.workspace.id, a.campaign);
        if (!rule.from.includes(c.status)) {
          const next = actionsFrom(c.status);
          throw new IllegalTransitionError(
            next.length ? "campaign.illegal" : "campaign.illegal_final",
            {
              name: c.name,
              status: t(`campaign.status.${c.status}`),
              action: t(`campaign.verb.${action}`),
              next: next.map((n) => `${t(`campaign.status.${TRANSITIONS[n].to}`)} (campaign ${n} ${c.number})`).join(", "),
            },
            next[0] ? `campaign ${next[0]} ${c.number}` : undefined,
          );
        }
        if (action === "activate" && isoDate(c.endsOn) < isoDate(now)) {
          throw new IllegalTransitionError("campaign.already_ended", { name: c.name, end: isoDate(c.endsOn) }, `campaign cancel ${c.number}`);
        }
        if (action === "activate") await assertRoom(tx, actor.workspace.id, "activeCampaigns", t);
        // Conditional on the status we read: of two people clicking at once, one wins and the other is told.
        const moved = await tx.campaign.updateMany({ where: { id: c.id, status: c.status }, data: { status: rule.to, updatedAt: now } });
        if (moved.count !== 1) throw new ConflictError("campaign.changed_meanwhile", { name: c.name }, `campaign show ${c.number}`);
        await audit(tx, ctx.clock, {
          workspaceId: actor.workspace.id,
          actorMemberId: actor.memberId,
          action: `campaign.${rule.to}`,
          entityType: "campaign",
          entityId: c.id,
          data: { from: c.status, to: rule.to, ...(reason ? { reason } : {}) },
        });
        return { campaign: { ...c, status: rule.to }, from: c.status };
      });
      ctx.emit({ type: "campaign.transitioned", workspaceId: actor.workspace.id, campaignId: campaign.id, from, to: campaign.status, actorMemberId: actor.memberId, at: now.toISOString() });
      return {
        tone: "success",
        text: t("campaign.moved", { name: campaign.name, number: campaign.number, from: t(`campaign.status.${from}`), to: t(`campaign.status.${campaign.status}`) }),
        buttons: transitionButtons(campaign, actor.role, t),
      };
    },
  });
}

export const campaignTransitions = CAMPAIGN_ACTIONS.map(transitionCommand);
