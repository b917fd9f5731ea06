import type { Locale } from "../i18n/locale.ts";
import type { Translate } from "../i18n/t.ts";
import { formatMoney } from "../money.ts";
import type { DigestFacts } from "./facts.ts";

/**
 * How a digest shows its numbers, in one place: the built-in writer, the
 * reply's fields and the prompt's "as shown" values all use it, so what the
 * number check accepts is what people read.
 */
export interface Shown {
  count(n: number): string;
  /** A ratio as a whole percentage: 0.8 → "80%". */
  percent(x: number | null): string;
  /** A rate, to one decimal: 0.0286 → "2.9%". */
  rate(x: number | null): string;
  money(minor: number): string;
  /** Sentiment −1..1 to two decimals. */
  score(x: number | null): string;
  names(list: string[]): string;
}

const NONE = "—";

export function shown(locale: Locale, currency: string): Shown {
  const count = new Intl.NumberFormat(locale);
  const percent = new Intl.NumberFormat(locale, { style: "percent", maximumFractionDigits: 0 });
  const rate = new Intl.NumberFormat(locale, { style: "percent", maximumFractionDigits: 1 });
  const score = new Intl.NumberFormat(locale, { minimumFractionDigits: 2, maximumFractionDigits: 2 });
  const list = new Intl.ListFormat(locale, { type: "conjunction" });
  return {
    count: (n) => count.format(n),
    percent: (x) => (x === null ? NONE : percent.format(x)),
    rate: (x) => (x === null ? NONE : rate.format(x)),
    money: (minor) => formatMoney({ minor, currency }, locale),
    score: (x) => (x === null ? NONE : score.format(x)),
    names: (l) => list.format(l),
  };
}

/** "the week before", "the 30 days before": the previous period, named by its length. */
export function before(t: Translate, facts: DigestFacts): string {
  const days = facts.period.days;
  return days === 1 ? t("digest.before.day") : days === 7 ? t("digest.before.week") : t("digest.before.days", { days });
}

/** What the digest is about: the campaign, or the workspace's running campaigns. */
export const scopeName = (facts: DigestFacts) => (facts.campaign ? facts.campaign.name : facts.workspace.name);
