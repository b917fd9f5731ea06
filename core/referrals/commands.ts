import { findCampaign } from "../campaigns/find.ts";
import { arg } from "../commands/args.ts";
import { defineCommand } from "../commands/types.ts";
import { findCreator } from "../creators/find.ts";
import { ForbiddenError, NotFoundError } from "../errors.ts";
import { STAFF, type Role } from "../roles.ts";
import { FINISHED } from "./destination.ts";
import { issueReferralLink, scanUrl, viewOf } from "./links.ts";
import { qrImage } from "./qr.ts";
import { referralFields } from "./render.ts";

/** The brand's team, and the creator for their own links. */
const VIEWERS: readonly Role[] = [...STAFF, "creator"];

export const referralShow = defineCommand({
  name: "referral show",
  summary: "referral.show.summary",
  roles: VIEWERS,
  examples: ['referral show @murugi --campaign "Summer Launch"', "referral show 4 --campaign 2"],
  args: {
    creator: arg.ref({ of: "creator", positional: true, help: "referral.arg.creator", example: "@murugi" }),
    campaign: arg.ref({ of: "campaign", help: "referral.arg.campaign", example: '"Summer Launch"' }),
  },
  async handler(ctx, a) {
    const { actor, t } = ctx;
    const creator = await findCreator(ctx.db, actor.workspace.id, a.creator);
    if (actor.role === "creator" && creator.memberId !== actor.memberId) throw new ForbiddenError("referral.not_yours", { creator: creator.name });
    const campaign = await findCampaign(ctx.db, actor.workspace.id, a.campaign);
    let link = await ctx.db.referralLink.findUnique({ where: { campaignId_creatorId: { campaignId: campaign.id, creatorId: creator.id } } });
    if (!link) {
      // A deal agreed before referral links existed still gets one: the contract is what entitles a creator to it.
      const contract = await ctx.db.contract.findFirst({ where: { campaignId: campaign.id, creatorId: creator.id }, select: { invitationId: true } });
      if (!contract) throw new NotFoundError("referral.none", { creator: creator.name, campaign: campaign.name }, `invites --campaign ${campaign.number}`);
      link = await ctx.db.$transaction((tx) =>
        issueReferralLink(tx, ctx, { workspaceId: actor.workspace.id, campaignId: campaign.id, creatorId: creator.id, creatorName: creator.name, invitationId: contract.invitationId }),
      );
    }
    const view = viewOf(ctx.publicUrl, link, campaign.destinationUrl);
    const notes = [
      FINISHED.includes(campaign.status) ? t("referral.finished", { campaign: campaign.name, status: t(`campaign.status.${campaign.status}`) }) : undefined,
      !campaign.destinationUrl ? t("referral.no_destination", { example: `campaign update ${campaign.number} --url https://shop.example.com/summer` }) : undefined,
      t("referral.qr_note"),
    ].filter(Boolean);
    return {
      title: t("referral.title", { creator: creator.name, campaign: campaign.name }),
      text: notes.join("\n"),
      fields: referralFields(view, t),
      images: [await qrImage(scanUrl(ctx.publicUrl, link.slug), t("referral.qr_alt", { url: view.url }), `referral-${link.code}.png`)],
    };
  },
});
