import { findCampaign } from "../campaigns/find.ts";
import { arg, optional } from "../commands/args.ts";
import { defineCommand } from "../commands/types.ts";
import { findCreator } from "../creators/find.ts";
import type { Locale } from "../i18n/locale.ts";
import type { Translate } from "../i18n/t.ts";
import { formatMoney } from "../money.ts";
import type { ReplyField } from "../reply.ts";
import { STAFF } from "../roles.ts";
import { add, campaignLines, creatorLines, EMPTY, ratios, type Tally } from "./stats.ts";

const ROWS = 50;
const NONE = "—";

// Building an Intl.NumberFormat costs tens of microseconds; a table builds hundreds of numbers.
const formats = new Map<string, Intl.NumberFormat>();
function format(locale: Locale, kind: "count" | "percent" | "ratio"): Intl.NumberFormat {
  const key = `${locale}|${kind}`;
  let f = formats.get(key);
  if (!f) {
    const options: Intl.NumberFormatOptions = kind === "percent" ? { style: "percent", maximumFractionDigits: 1 } : kind === "ratio" ? { maximumFractionDigits: 2, minimumFractionDigits: 2 } : {};
    formats.set(key, (f = new Intl.NumberFormat(locale, options)));
  }
  return f;
}

/** Every figure of a tally as shown, ratios "—" when their denominator is zero. */
function shown(tally: Tally, currency: string, locale: Locale) {
  const r = ratios(tally);
  const count = (n: number) => format(locale, "count").format(n);
  const money = (minor: number) => formatMoney({ minor, currency }, locale);
  const percent = (x: number | null) => (x === null ? NONE : format(locale, "percent").format(x));
  return {
    clicks: count(tally.clicks),
    uniqueClicks: count(tally.uniqueClicks),
    qrScans: count(tally.qrScans),
    conversions: count(tally.conversions),
    revenue: money(tally.revenueMinor),
    cost: money(tally.costMinor),
    conversionRate: percent(r.conversionRate),
    epc: r.epcMinor === null ? NONE : money(Math.round(r.epcMinor)),
    roi: percent(r.roi),
    roas: r.roas === null ? NONE : `${format(locale, "ratio").format(r.roas)}×`,
  };
}

function totalFields(t: Translate, tally: Tally, currency: string, locale: Locale, contracts: number): ReplyField[] {
  const s = shown(tally, currency, locale);
  const field = (label: string, value: string) => ({ label, value, inline: true });
  return [
    field(t("stats.field.clicks"), s.clicks),
    field(t("stats.field.unique_clicks"), s.uniqueClicks),
    field(t("stats.field.qr_scans"), s.qrScans),
    field(t("stats.field.conversions"), s.conversions),
    field(t("stats.field.revenue"), s.revenue),
    field(t("stats.field.conversion_rate"), s.conversionRate),
    field(t("stats.field.epc"), s.epc),
    field(t("stats.field.cost"), t("stats.cost_value", { cost: s.cost, contracts })),
    field(t("stats.field.roi"), s.roi),
    field(t("stats.field.roas"), s.roas),
  ];
}

const columns = (t: Translate, first: string) => [first, t("stats.col.clicks"), t("stats.col.unique"), t("stats.col.conversions"), t("stats.col.revenue"), t("stats.col.cost"), t("stats.col.roi"), t("stats.col.roas")];

function row(name: string, tally: Tally, currency: string, locale: Locale): string[] {
  const s = shown(tally, currency, locale);
  return [name, s.clicks, s.uniqueClicks, s.conversions, s.revenue, s.cost, s.roi, s.roas];
}

/** Largest revenue first, then most clicks, then by name: the creators (or campaigns) that pay off lead, in a stable order. */
const byResult = (a: { name: string; tally: Tally }, b: { name: string; tally: Tally }) =>
  b.tally.revenueMinor - a.tally.revenueMinor || b.tally.clicks - a.tally.clicks || a.name.localeCompare(b.name);

export const statsCampaign = defineCommand({
  name: "stats campaign",
  summary: "stats.campaign.summary",
  roles: STAFF,
  examples: ['stats campaign "Summer Launch"', "stats campaign 2"],
  args: { campaign: arg.ref({ of: "campaign", positional: true, help: "stats.arg.campaign", example: '"Summer Launch"' }) },
  async handler(ctx, a) {
    const { actor, t, locale } = ctx;
    const campaign = await findCampaign(ctx.db, actor.workspace.id, a.campaign);
    const ranked = (await campaignLines(ctx.db, campaign.id)).sort(byResult);
    const total = ranked.reduce((sum, r) => add(sum, r.tally), EMPTY);
    const contracts = ranked.reduce((n, r) => n + r.contracts, 0);
    const notes = [t("stats.denominators"), ranked.length === 0 ? t("stats.campaign.empty", { campaign: campaign.name }) : undefined, ranked.length > ROWS ? t("stats.more", { shown: ROWS, total: ranked.length }) : undefined];
    return {
      title: t("stats.campaign.title", { campaign: campaign.name, number: campaign.number }),
      text: notes.filter(Boolean).join("\n"),
      fields: totalFields(t, total, campaign.currency, locale, contracts),
      ...(ranked.length
        ? { table: { columns: columns(t, t("stats.col.creator")), rows: ranked.slice(0, ROWS).map((r) => row(r.name, r.tally, campaign.currency, locale)), total: ranked.length } }
        : {}),
    };
  },
});

export const statsCreator = defineCommand({
  name: "stats creator",
  summary: "stats.creator.summary",
  roles: STAFF,
  examples: ["stats creator @murugi", 'stats creator "Murugi Wanjiku" --campaign "Summer Launch"'],
  args: {
    creator: arg.ref({ of: "creator", positional: true, help: "stats.arg.creator", example: "@murugi" }),
    campaign: optional(arg.ref({ of: "campaign", help: "stats.arg.campaign", example: '"Summer Launch"' })),
  },
  async handler(ctx, a) {
    const { actor, t, locale } = ctx;
    const creator = await findCreator(ctx.db, actor.workspace.id, a.creator);
    const only = a.campaign ? await findCampaign(ctx.db, actor.workspace.id, a.campaign) : undefined;
    const lines = await creatorLines(ctx.db, creator.id, only?.id);
    // Asked about one campaign, the answer is that campaign's figures, zeros included.
    if (only && lines.length === 0) lines.push({ id: only.id, name: only.name, number: only.number, currency: only.currency, contracts: 0, tally: EMPTY });
    const ranked = lines.map((l) => ({ ...l, name: `${l.name} (#${l.number})` })).sort(byResult);
    // Money of different currencies never adds up: one set of totals per currency.
    const currencies = [...new Set(ranked.map((r) => r.currency))].sort();
    const fields = currencies.flatMap((currency) => {
      const group = ranked.filter((r) => r.currency === currency);
      const total = group.reduce((sum, r) => add(sum, r.tally), EMPTY);
      const fs = totalFields(t, total, currency, locale, group.reduce((n, r) => n + r.contracts, 0));
      return currencies.length > 1 ? fs.map((f) => ({ ...f, label: `${f.label} (${currency})` })) : fs;
    });
    const notes = [t("stats.denominators"), ranked.length === 0 ? t("stats.creator.empty", { creator: creator.name }) : undefined, ranked.length > ROWS ? t("stats.more", { shown: ROWS, total: ranked.length }) : undefined];
    return {
      title: only ? t("stats.creator.title_campaign", { creator: creator.name, campaign: only.name }) : t("stats.creator.title", { creator: creator.name }),
      text: notes.filter(Boolean).join("\n"),
      ...(fields.length ? { fields } : {}),
      ...(ranked.length
        ? { table: { columns: columns(t, t("stats.col.campaign")), rows: ranked.slice(0, ROWS).map((r) => row(r.name, r.tally, r.currency, locale)), total: ranked.length } }
        : {}),
    };
  },
});
