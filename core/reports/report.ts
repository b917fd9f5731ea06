import type { Db } from "../../db/database.ts";
import { computeFacts } from "../digests/facts.ts";
import { renderDigestChart } from "../digests/chart.ts";
import type { Locale } from "../i18n/locale.ts";
import type { Translate } from "../i18n/t.ts";
import { slugify } from "../referrals/destination.ts";
import type { ReplyFile } from "../reply.ts";
import { reportContent, type ReportContent } from "./content.ts";
import { campaignConversions, campaignPosts, clicksByDay, creatorDetails, reportPeriod } from "./data.ts";
import { reportPdf } from "./pdf.ts";
import { reportWorkbook, XLSX_MIME } from "./xlsx.ts";

export const FORMATS = ["pdf", "xlsx"] as const;
export type ReportFormat = (typeof FORMATS)[number];

export interface ReportCampaign {
  id: string;
  workspaceId: string;
  number: number;
  name: string;
  status: string;
  objective: string;
  currency: string;
  startsOn: Date;
  endsOn: Date;
}

/**
 * A campaign's report over its whole period: the totals and the chart from
 * the digests' facts, the detail rows from the report's own loaders, in the
 * asked format.
 */
export async function campaignReport(db: Db, campaign: ReportCampaign, format: ReportFormat, o: { now: Date; t: Translate; locale: Locale }): Promise<{ file: ReplyFile; content: ReportContent }> {
  const period = reportPeriod(campaign, o.now);
  const [facts, creators, posts, days, conversions] = await Promise.all([
    computeFacts(db, { workspaceId: campaign.workspaceId, campaignId: campaign.id, from: period.from, to: period.to }),
    creatorDetails(db, campaign.id, period),
    campaignPosts(db, campaign.id, period),
    clicksByDay(db, campaign.id, period),
    campaignConversions(db, campaign.id, period),
  ]);
  const content = reportContent({ campaign, period, now: o.now, facts, creators, posts, days, conversions }, o.t);
  const filename = `report-${campaign.number}-${slugify(campaign.name)}.${format}`;
  if (format === "xlsx") return { content, file: { bytes: await reportWorkbook(content, o.t), filename, mime: XLSX_MIME } };
  // Without data the chart would be two flat lines: the PDF says there is nothing yet instead.
  const chart = content.empty ? null : await renderDigestChart(facts, o.locale);
  return { content, file: { bytes: await reportPdf(content, chart, o.t, o.locale), filename, mime: "application/pdf" } };
}
