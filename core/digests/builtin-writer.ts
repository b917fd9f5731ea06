import type { Locale } from "../i18n/locale.ts";
import { translator } from "../i18n/t.ts";
import type { DigestFacts } from "./facts.ts";
import { before, scopeName, shown } from "./format.ts";
import type { DigestText, DigestWriter } from "./writer.ts";

/** A sentiment move smaller than this is noise, not news. */
const STEADY = 0.05;
/** A fall this large is worth acting on. */
const SLIPPING = -0.1;
/** Below this part of the budget agreed, there is room to invite. */
const UNDERSPENT = 0.5;

/**
 * The digest without a model: what happened (clicks, conversions, posts),
 * who drove it, how the audience felt and what the money did, then what to
 * do next, every number one of the facts' as the reply shows it.
 */
export const builtInWriter: DigestWriter = {
  name: "built-in",
  async write(facts: DigestFacts, locale: Locale): Promise<DigestText> {
    return writeBuiltIn(facts, locale);
  },
};

export function writeBuiltIn(f: DigestFacts, locale: Locale): DigestText {
  const t = translator(locale);
  const s = shown(locale, f.currency);
  const was = before(t, f);
  const { current: now, previous: prev } = f;
  const clicks = f.trends.find((x) => x.metric === "clicks")!;
  const sentences: string[] = [];

  if (now.clicks === 0 && prev.clicks === 0) sentences.push(t("digest.clicks.none"));
  else if (prev.clicks === 0) sentences.push(t("digest.clicks.new", { clicks: s.count(now.clicks), before: was }));
  else {
    const vars = { clicks: s.count(now.clicks), previous: s.count(prev.clicks), change: s.percent(Math.abs(clicks.change!)), before: was };
    sentences.push(t(now.clicks > prev.clicks ? "digest.clicks.up" : now.clicks < prev.clicks ? "digest.clicks.down" : "digest.clicks.flat", vars));
  }
  if (now.conversions > 0) sentences.push(t("digest.conversions", { conversions: s.count(now.conversions), revenue: s.money(now.revenueMinor), rate: s.rate(f.conversionRate) }));
  if (now.posts === 0) sentences.push(t("digest.engagement.none"));
  else {
    const vars = { posts: s.count(now.posts), engagement: s.count(now.engagement), rate: s.rate(f.engagementRate) };
    sentences.push(t(f.engagementRate === null ? "digest.engagement" : "digest.engagement.rate", vars));
  }
  const leaders = s.names(f.top.map((c) => c.name));
  if (f.top.length) sentences.push(t("digest.leaders", { names: leaders, share: s.percent(f.topShare) }));
  if (f.bottom.length) sentences.push(t("digest.trailing", { list: s.names(f.bottom.map((c) => `${c.name} (${s.percent(c.engagementShare ?? 0)})`)) }));

  const mood = f.sentiment;
  if (mood.shift !== null) {
    const vars = { current: s.score(mood.current), previous: s.score(mood.previous) };
    sentences.push(t(Math.abs(mood.shift) < STEADY ? "digest.sentiment.steady" : mood.shift > 0 ? "digest.sentiment.up" : "digest.sentiment.down", vars));
  } else if (mood.current !== null) sentences.push(t("digest.sentiment.only", { current: s.score(mood.current), comments: s.count(mood.comments) }));

  if (f.spend.budgetMinor > 0) {
    sentences.push(t("digest.spend", { agreed: s.money(f.spend.agreedMinor), budget: s.money(f.spend.budgetMinor), share: s.percent(f.spend.shareOfBudget), paid: s.money(f.spend.paidMinor) }));
  }
  if (f.roi !== null) sentences.push(t("digest.roi", { roi: s.percent(f.roi) }));

  const advice: string[] = [];
  const quiet = now.clicks === 0 && now.posts === 0;
  if (quiet) advice.push(t("digest.advice.quiet"));
  if (f.top.length) advice.push(t("digest.advice.leaders", { names: leaders, share: s.percent(f.topShare) }));
  if (f.bottom.length) advice.push(t("digest.advice.trailing", { names: s.names(f.bottom.map((c) => c.name)) }));
  if (now.clicks > 0 && now.conversions === 0) advice.push(t("digest.advice.converting"));
  if (mood.shift !== null && mood.shift <= SLIPPING) advice.push(t("digest.advice.sentiment"));
  if (f.campaign && f.spend.shareOfBudget !== null && f.spend.shareOfBudget < UNDERSPENT) {
    const remaining = s.money(f.spend.remainingMinor);
    advice.push(f.top[0] ? t("digest.advice.budget_like", { remaining, name: f.top[0].name }) : t("digest.advice.budget", { remaining }));
  }
  if (advice.length === 0) advice.push(t("digest.advice.keep"));

  return {
    headline: t("digest.headline", { scope: scopeName(f), clicks: s.count(now.clicks), conversions: s.count(now.conversions), revenue: s.money(now.revenueMinor) }),
    summary: sentences.join(" "),
    recommendations: advice,
  };
}
