import { findCampaign } from "../campaigns/find.ts";
import { arg } from "../commands/args.ts";
import { defineCommand } from "../commands/types.ts";
import type { Reply } from "../reply.ts";
import { STAFF } from "../roles.ts";
import { campaignReport, FORMATS } from "./report.ts";

export const report = defineCommand({
  name: "report",
  summary: "report.summary",
  roles: STAFF,
  examples: ['report "Summer Launch" --format pdf', "report 2 --format xlsx"],
  // A big campaign's report takes longer than a chat platform's acknowledgement allows.
  queued: true,
  args: {
    campaign: arg.ref({ of: "campaign", positional: true, help: "report.arg.campaign", example: '"Summer Launch"' }),
    format: arg.choice({ help: "report.arg.format", example: "pdf", choices: FORMATS }),
  },
  async handler(ctx, a): Promise<Reply> {
    const { t, locale } = ctx;
    const campaign = await findCampaign(ctx.db, ctx.actor.workspace.id, a.campaign);
    const { file, content } = await campaignReport(ctx.db, campaign, a.format, { now: ctx.clock.now(), t, locale });
    return {
      tone: "success",
      title: t("report.title", { campaign: campaign.name, number: campaign.number }),
      text: [t("report.text", { file: file.filename, from: content.period.from, to: content.period.to }), content.empty ? t("report.empty") : undefined].filter(Boolean).join("\n"),
      files: [file],
    };
  },
});
