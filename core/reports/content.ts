import type { DigestFacts } from "../digests/facts.ts";
import type { Locale } from "../i18n/locale.ts";
import type { MessageKey, Translate } from "../i18n/t.ts";
import { formatMoney } from "../money.ts";
import type { ConversionRow, CreatorDetail, DayRow, PostRow, ReportPeriod, Rows } from "./data.ts";

/**
 * What a report says, in the reader's language, as typed values: the PDF
 * prints them (formatValue), the workbook stores them as numbers and dates
 * with a cell format, so both show the same figures from one source.
 */
export type ValueKind = "text" | "count" | "money" | "percent" | "date" | "moment";
/** money: minor units of the report's currency; percent: a fraction; date: YYYY-MM-DD; moment: a Date; null: nothing to say (a ratio without divisor). */
export type Value = string | number | Date | null;

export interface Column {
  header: string;
  kind: ValueKind;
  /** Printed in the PDF's per-creator table too, which has room for few. */
  brief?: boolean;
  /** Long text (a caption): a wide column. */
  wide?: boolean;
}

export interface Fact {
  label: string;
  kind: ValueKind;
  value: Value;
}

export type SectionKey = "creators" | "posts" | "days" | "conversions";

export interface Section {
  key: SectionKey;
  title: string;
  columns: Column[];
  rows: Value[][];
  /** Said above the rows: nothing yet, or how many were left out. */
  note?: string;
}

export interface ReportContent {
  workspace: string;
  campaign: { number: number; name: string };
  currency: string;
  period: { from: string; to: string; running: boolean };
  generatedAt: Date;
  /** Nothing clicked, bought or posted yet. */
  empty: boolean;
  facts: Fact[];
  formulas: string;
  sections: Section[];
}

export interface ReportInput {
  campaign: { number: number; name: string; status: string; objective: string; currency: string };
  period: ReportPeriod;
  now: Date;
  facts: DigestFacts;
  creators: CreatorDetail[];
  posts: Rows<PostRow>;
  days: DayRow[];
  conversions: Rows<ConversionRow>;
}

const per = (n: number, d: number) => (d === 0 ? null : n / d);
const utcDay = (d: Date) => d.toISOString().slice(0, 10);

function note(t: Translate, list: Rows<unknown>): string | undefined {
  if (list.total === 0) return t("report.sheet.empty");
  return list.total > list.rows.length ? t("report.sheet.truncated", { shown: list.rows.length, total: list.total }) : undefined;
}

export function reportContent(r: ReportInput, t: Translate): ReportContent {
  const f = r.facts;
  const col = (key: MessageKey, kind: ValueKind, o: { brief?: true; wide?: true } = {}): Column => ({ header: t(key), kind, ...o });
  const fact = (key: MessageKey, kind: ValueKind, value: Value): Fact => ({ label: t(key), kind, value });
  const from = utcDay(r.period.from);
  const to = utcDay(new Date(r.period.to.getTime() - 1));
  const empty = f.current.clicks === 0 && f.current.conversions === 0 && f.current.posts === 0 && r.conversions.total === 0;

  const details = new Map(r.creators.map((c) => [c.id, c]));
  const creators: Section = {
    key: "creators",
    title: t("report.sheet.creators"),
    columns: [
      col("report.col.creator", "text", { brief: true }),
      col("report.col.handles", "text"),
      col("report.col.code", "text"),
      col("report.col.fee", "money", { brief: true }),
      col("report.col.deliverables", "text"),
      col("report.col.clicks", "count", { brief: true }),
      col("report.col.unique", "count"),
      col("report.col.qr", "count"),
      col("report.col.conversions", "count", { brief: true }),
      col("report.col.revenue", "money", { brief: true }),
      col("report.col.roi", "percent", { brief: true }),
      col("report.col.posts", "count", { brief: true }),
      col("report.col.engagement", "count", { brief: true }),
      col("report.col.engagement_rate", "percent"),
    ],
    rows: f.creators.map((c) => {
      const d = details.get(c.id);
      return [c.name, d?.handles ?? "", d?.code ?? "", c.feeMinor, d?.deliverables ?? "", c.clicks, c.uniqueClicks, d?.qrScans ?? 0, c.conversions, c.revenueMinor, per(c.revenueMinor - c.feeMinor, c.feeMinor), c.posts, c.engagement, c.engagementRate];
    }),
    ...(f.creators.length ? {} : { note: t("report.pdf.no_creators") }),
  };
  const posts: Section = {
    key: "posts",
    title: t("report.sheet.posts"),
    columns: [
      col("report.col.posted_at", "moment"),
      col("report.col.creator", "text"),
      col("report.col.platform", "text"),
      col("report.col.kind", "text"),
      col("report.col.caption", "text", { wide: true }),
      col("report.col.likes", "count"),
      col("report.col.comments", "count"),
      col("report.col.shares", "count"),
      col("report.col.views", "count"),
      col("report.col.url", "text"),
    ],
    rows: r.posts.rows.map((p) => [p.postedAt, p.creator, p.platform, p.kind ?? "", p.caption, p.likes, p.comments, p.shares, p.views, p.url ?? ""]),
    ...optionalNote(note(t, r.posts)),
  };
  const days: Section = {
    key: "days",
    title: t("report.sheet.days"),
    columns: [col("report.col.day", "date"), col("report.col.clicks", "count"), col("report.col.unique", "count"), col("report.col.qr", "count"), col("report.col.conversions", "count"), col("report.col.revenue", "money")],
    rows: r.days.map((d) => [d.day, d.clicks, d.uniqueClicks, d.qrScans, d.conversions, d.revenueMinor]),
  };
  const conversions: Section = {
    key: "conversions",
    title: t("report.sheet.conversions"),
    columns: [col("report.col.at", "moment"), col("report.col.order", "text"), col("report.col.creator", "text"), col("report.col.code", "text"), col("report.col.attributed", "text"), col("report.col.amount", "money"), col("report.col.refunded", "moment")],
    // Orders are in the campaign's currency (the conversions API refuses others), so one money format fits the column.
    rows: r.conversions.rows.map((c) => [c.occurredAt, c.orderId, c.creator ?? "", c.code ?? "", c.attributedBy ?? "", c.amountMinor, c.refundedAt]),
    ...optionalNote(note(t, r.conversions)),
  };

  return {
    workspace: f.workspace.name,
    campaign: { number: r.campaign.number, name: r.campaign.name },
    currency: r.campaign.currency,
    period: { from, to, running: r.period.running },
    generatedAt: r.now,
    empty,
    facts: [
      fact("report.fact.campaign", "text", `${r.campaign.name} (#${r.campaign.number})`),
      fact("report.fact.status", "text", t(`campaign.status.${r.campaign.status}` as MessageKey)),
      fact("report.fact.objective", "text", t(`campaign.objective.${r.campaign.objective}` as MessageKey)),
      fact("report.fact.period", "text", `${from} – ${to}${r.period.running ? ` (${t("report.running")})` : ""}`),
      fact("report.fact.budget", "money", f.spend.budgetMinor),
      fact("report.fact.agreed", "money", f.spend.agreedMinor),
      fact("report.fact.paid", "money", f.spend.paidMinor),
      fact("report.fact.budget_share", "percent", f.spend.shareOfBudget),
      fact("report.fact.creators", "count", f.creators.length),
      fact("report.fact.clicks", "count", f.current.clicks),
      fact("report.fact.unique_clicks", "count", f.current.uniqueClicks),
      fact("report.fact.conversions", "count", f.current.conversions),
      fact("report.fact.conversion_rate", "percent", f.conversionRate),
      // The period is the campaign's whole life, so its revenue (the sheets' sum) is the ROI's too.
      fact("report.fact.revenue", "money", f.current.revenueMinor),
      fact("report.fact.roi", "percent", per(f.current.revenueMinor - f.spend.agreedMinor, f.spend.agreedMinor)),
      fact("report.fact.posts", "count", f.current.posts),
      fact("report.fact.engagement", "count", f.current.engagement),
      fact("report.fact.engagement_rate", "percent", f.engagementRate),
    ],
    formulas: t("report.fact.formulas"),
    sections: [creators, posts, days, conversions],
  };
}

const optionalNote = (text: string | undefined) => (text ? { note: text } : {});

// Building an Intl.NumberFormat costs tens of microseconds; a report formats thousands of numbers.
const formats = new Map<string, Intl.NumberFormat>();
function numberFormat(locale: Locale, kind: "count" | "percent"): Intl.NumberFormat {
  const key = `${locale}|${kind}`;
  let f = formats.get(key);
  if (!f) formats.set(key, (f = new Intl.NumberFormat(locale, kind === "percent" ? { style: "percent", maximumFractionDigits: 1 } : {})));
  return f;
}

/** A value as printed: "—" where there is nothing to say. */
export function formatValue(kind: ValueKind, value: Value, currency: string, locale: Locale): string {
  if (value === null || value === "") return kind === "text" ? "" : "—";
  if (value instanceof Date) return kind === "date" ? utcDay(value) : value.toISOString().slice(0, 16).replace("T", " ");
  if (typeof value === "string") return value;
  switch (kind) {
    case "money":
      return formatMoney({ minor: value, currency }, locale);
    case "percent":
      return numberFormat(locale, "percent").format(value);
    default:
      return numberFormat(locale, "count").format(value);
  }
}
