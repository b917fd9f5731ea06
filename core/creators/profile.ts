import type { Db } from "../../db/database.ts";
import type { Flag } from "../analytics/flags.ts";
import { figures } from "../analytics/format.ts";
import type { Growth } from "../analytics/growth.ts";
import type { Keyword } from "../analytics/keywords.ts";
import { SCORE_PARTS, SCORE_WEIGHTS } from "../analytics/score.ts";
import type { SentimentByLanguage } from "../analytics/sentiment/summary.ts";
import type { Trend } from "../analytics/trends.ts";
import { utcMinute } from "../dates.ts";
import type { Translate } from "../i18n/t.ts";
import type { Locale } from "../i18n/locale.ts";
import type { ReplyField } from "../reply.ts";

/** What a stored Trend or Flag looks like read back: its moments are ISO strings. */
type Stored<T> = { [K in keyof T]: T[K] extends Date ? string : T[K] };

/** The weights as people read them: "engagement vs tier 35 %, reach 20 % …". */
export function weightsText(t: Translate): string {
  return SCORE_PARTS.map((p) => `${t(`analytics.part.${p}`)} ${Math.round(SCORE_WEIGHTS[p] * 100)} %`).join(", ");
}

/** The analytics part of `creator show`: score and breakdown, each platform's figures, flags, keywords, sentiment, trends, and when they were computed. */
export async function analyticsFields(db: Db, creator: { id: string; number: number }, t: Translate, locale: Locale): Promise<{ fields: ReplyField[]; computed?: string }> {
  const [score, platforms] = await Promise.all([
    db.creatorScore.findUnique({ where: { creatorId: creator.id } }),
    db.creatorPlatformMetric.findMany({ where: { creatorId: creator.id }, orderBy: { platform: "asc" } }),
  ]);
  const f = figures(locale);
  const none = t("analytics.none");
  if (!score) return { fields: [{ label: t("analytics.field.score"), value: t("analytics.score.none", { number: creator.number }) }] };
  const day = (iso: string) => iso.slice(0, 10);
  const platformName = (p: string) => t(`platform.${p}` as never);
  const growthText = (g: Stored<Growth>) => (g.enough ? t("analytics.growth.value", { change: f.signedCount(g.change), percent: g.percent === null ? "—" : f.signedOne(g.percent) }) : t("analytics.growth.not_enough", { days: g.history }));
  const breakdown = SCORE_PARTS.map((part) => {
    const value = score[part];
    const vars = { part: t(`analytics.part.${part}`), weight: Math.round(SCORE_WEIGHTS[part] * 100) };
    return `- ${value === null ? t("analytics.breakdown.missing", vars) : t("analytics.breakdown.part", { ...vars, value: f.one(value) })}`;
  });
  const flags = (score.flags as Array<Stored<Flag>>).map((flag) =>
    flag.kind === "follower_jump"
      ? t("analytics.flag.follower_jump", { platform: platformName(flag.platform), gain: f.count(flag.gain), day: day(flag.day), typical: f.count(flag.typical) })
      : t("analytics.flag.low_engagement", { platform: platformName(flag.platform), rate: f.two(flag.rate), tier: t(`analytics.tier.${flag.tier}`), median: f.one(flag.tierMedian) }),
  );
  const trends = (score.trends as Array<Stored<Trend>>).map((trend) =>
    trend.kind === "post_spike"
      ? t("analytics.trend.post_spike", { platform: platformName(trend.platform), at: day(trend.at), rate: f.two(trend.rate), baseline: f.two(trend.baseline) })
      : t("analytics.trend.follower_spike", { platform: platformName(trend.platform), at: day(trend.at), gain: f.count(trend.gain), baseline: f.count(trend.baseline) }),
  );
  const sentiment = Object.entries(score.sentimentByLanguage as unknown as SentimentByLanguage).map(([language, s]) =>
    t("analytics.sentiment.line", { language: t(`analytics.language.${language}` as never), mean: f.signedOne(s.mean * 100) + " %", comments: f.count(s.comments), positive: s.positive, negative: s.negative, neutral: s.neutral }),
  );
  const keywords = (score.keywords as unknown as Keyword[]).map((k) => k.term);
  const lines = (xs: string[]) => (xs.length ? xs.map((x) => `- ${x}`).join("\n") : none);
  const fields = [
    { label: t("analytics.field.score"), value: score.score === null ? t("analytics.score.none", { number: creator.number }) : t("analytics.score.value", { score: f.one(score.score) }), inline: true },
    { label: t("analytics.field.breakdown"), value: `${breakdown.join("\n")}\n_${t("analytics.weights", { weights: weightsText(t) })}_` },
    ...platforms.map((p) => {
      const g = p.growth as unknown as Record<"7" | "30", Stored<Growth>>;
      const rate =
        p.engagementRate === null
          ? t("analytics.platform.no_engagement")
          : t("analytics.platform.engagement", { rate: f.two(p.engagementRate), denominator: t(`analytics.denominator.${p.engagementDenominator}` as never), posts: p.engagementPosts });
      return {
        label: t("analytics.platform.title", { platform: platformName(p.platform) }),
        value: [t("analytics.platform.followers", { followers: f.count(Number(p.followers)), tier: t(`analytics.tier.${p.tier}` as never) }), rate, t("analytics.platform.growth", { g7: growthText(g["7"]), g30: growthText(g["30"]) })].join("\n"),
      };
    }),
    { label: t("analytics.field.flags"), value: flags.length ? lines(flags) : t("analytics.flags.none") },
    { label: t("analytics.field.keywords"), value: keywords.length ? keywords.join(", ") : none },
    { label: t("analytics.field.sentiment"), value: lines(sentiment) },
    { label: t("analytics.field.trends"), value: lines(trends) },
  ];
  return { fields, computed: t("analytics.computed", { at: utcMinute(score.computedAt) }) };
}
