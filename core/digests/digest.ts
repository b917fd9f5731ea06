import type { CoreDeps } from "../commands/types.ts";
import type { Locale } from "../i18n/locale.ts";
import { translator } from "../i18n/t.ts";
import type { Reply, ReplyField } from "../reply.ts";
import { renderDigestChart } from "./chart.ts";
import { computeFacts, type DigestFacts, type DigestQuery } from "./facts.ts";
import { scopeName, shown } from "./format.ts";

const DAY = 86_400_000;

/** What `digest now` reports on: the seven days up to now. */
export const lastWeek = (now: Date) => ({ from: new Date(now.getTime() - 7 * DAY), to: now });

function fields(f: DigestFacts, locale: Locale): ReplyField[] {
  const t = translator(locale);
  const s = shown(locale, f.currency);
  const field = (key: Parameters<typeof t>[0], value: string) => ({ label: t(key), value, inline: true });
  return [
    field("digest.field.clicks", t("digest.field.versus", { now: s.count(f.current.clicks), before: s.count(f.previous.clicks) })),
    field("digest.field.conversions", t("digest.field.versus", { now: s.count(f.current.conversions), before: s.count(f.previous.conversions) })),
    field("digest.field.revenue", s.money(f.current.revenueMinor)),
    field("digest.field.engagement", t("digest.field.versus", { now: s.count(f.current.engagement), before: s.count(f.previous.engagement) })),
    field("digest.field.engagement_rate", s.rate(f.engagementRate)),
    field("digest.field.spend", t("digest.field.spend_value", { agreed: s.money(f.spend.agreedMinor), budget: s.money(f.spend.budgetMinor), share: s.percent(f.spend.shareOfBudget) })),
    field("digest.field.roi", s.percent(f.roi)),
    field("digest.field.sentiment", t("digest.field.versus", { now: s.score(f.sentiment.current), before: s.score(f.sentiment.previous) })),
  ];
}

/** The digest as a reply: headline and summary, the key figures, what to do next, and the chart. */
export async function digestReply(deps: Pick<CoreDeps, "db" | "digestWriter">, q: DigestQuery, locale: Locale): Promise<Reply> {
  const t = translator(locale);
  const facts = await computeFacts(deps.db, q);
  const [text, png] = await Promise.all([deps.digestWriter.write(facts, locale), renderDigestChart(facts, locale)]);
  const from = facts.period.from.slice(0, 10);
  const to = new Date(q.to.getTime() - 1).toISOString().slice(0, 10);
  return {
    title: t("digest.title", { scope: scopeName(facts), from, to }),
    text: [`**${text.headline}**`, text.summary, "", `**${t("digest.next")}**`, ...text.recommendations.map((r) => `- ${r}`), "", `_${t("digest.denominators")}_`].join("\n"),
    fields: fields(facts, locale),
    images: [{ png, alt: t("digest.chart.alt", { scope: scopeName(facts) }), filename: `digest-${from}-${to}.png` }],
  };
}
