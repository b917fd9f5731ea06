import { arg, optional } from "../commands/args.ts";
import { defineCommand, type MemberContext } from "../commands/types.ts";
import { findCampaign } from "../campaigns/find.ts";
import type { Reply } from "../reply.ts";
import { STAFF, type Role } from "../roles.ts";
import { findInvitation, WITH_PARTIES, type InvitationWithParties } from "./find.ts";
import { partyOf } from "./moves.ts";
import { INVITATION_STATUSES } from "./negotiation.ts";
import { invitationCard, money } from "./render.ts";
import { utcMinute } from "../dates.ts";

const PAGE = 50;
/** The brand's whole team, and creators for their own invitations. */
const VIEWERS: readonly Role[] = [...STAFF, "creator"];

export const invites = defineCommand({
  name: "invites",
  summary: "invites.summary",
  roles: VIEWERS,
  examples: ["invites", 'invites --campaign "Summer Launch" --status countered', "invites 12"],
  args: {
    invite: optional(arg.ref({ of: "invitation", positional: true, help: "invite.arg.ref", example: "12" })),
    campaign: optional(arg.ref({ of: "campaign", help: "invite.arg.campaign", example: '"Summer Launch"' })),
    status: optional(arg.choice({ help: "invites.arg.status", example: "pending", choices: INVITATION_STATUSES })),
  },
  async handler(ctx, a): Promise<Reply> {
    if (a.invite) return detail(ctx, await findInvitation(ctx.db, ctx.actor, a.invite));
    const { actor, t } = ctx;
    // A creator sees their own invitations, across every campaign; the brand's team sees them all.
    const campaign = a.campaign && actor.role !== "creator" ? await findCampaign(ctx.db, actor.workspace.id, a.campaign) : undefined;
    const where = {
      workspaceId: actor.workspace.id,
      ...(actor.role === "creator" ? { creator: { memberId: actor.memberId } } : {}),
      ...(campaign ? { campaignId: campaign.id } : {}),
      ...(a.status ? { status: a.status } : {}),
    };
    const [rows, total] = await Promise.all([ctx.db.invitation.findMany({ where, include: WITH_PARTIES, orderBy: { number: "desc" }, take: PAGE }), ctx.db.invitation.count({ where })]);
    if (total === 0) return { tone: "info", text: actor.role === "creator" ? t("invites.none_creator") : t("invites.none") };
    return {
      title: t("invites.title", { count: total }),
      table: {
        columns: ["#", t("invite.field.creator"), t("invite.field.campaign"), t("invite.field.fee"), t("invite.field.status"), t("invite.field.expires")],
        rows: rows.map((i) => [String(i.number), i.creator.name, i.campaign.name, money(i.feeMinor, i.currency, ctx.locale), t(`invite.status.${i.status}`), i.status === "pending" || i.status === "countered" ? utcMinute(i.expiresAt) : "—"]),
        total,
      },
      ...(total > PAGE ? { text: t("invites.more", { shown: PAGE, total }) } : {}),
    };
  },
});

/** One invitation with every round of its negotiation, and the viewer's answers when it is their turn. */
async function detail(ctx: MemberContext, inv: InvitationWithParties): Promise<Reply> {
  const { t } = ctx;
  const rounds = await ctx.db.invitationRound.findMany({ where: { invitationId: inv.id }, orderBy: { round: "asc" } });
  const lines = rounds.map((r) => {
    const who = r.side === "creator" ? inv.creator.name : r.side === "brand" ? ctx.actor.workspace.name : "Clout";
    const fee = r.feeMinor != null ? ` ${money(r.feeMinor, inv.currency, ctx.locale)}` : "";
    // The first offer's note is the invitation's message, which the card shows already.
    const note = r.note && r.round > 1 ? ` — ${r.note}` : "";
    return `- ${utcMinute(r.createdAt)} · ${who} · ${t(`invite.move.${r.action as "offer"}`)}${fee}${note}`;
  });
  return invitationCard(inv, partyOf(ctx, inv), t, ctx.locale, { text: `**${t("invite.history")}**\n${lines.join("\n")}` });
}
