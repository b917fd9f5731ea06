import { SENTIMENT_RULES } from "./analyze.ts";

/** What a creator's comments in one language say, for `creator show` and the sentiment part of the score. */
export interface LanguageSentiment {
  comments: number;
  /** -1..1. */
  mean: number;
  positive: number;
  negative: number;
  neutral: number;
}

export type SentimentByLanguage = Record<string, LanguageSentiment>;

/** The same SQL aggregate feeds both: counts split on the neutral band of analyze.ts. */
export const SENTIMENT_BANDS = { positiveFrom: SENTIMENT_RULES.neutralBand, negativeTo: -SENTIMENT_RULES.neutralBand } as const;

export function overall(byLanguage: SentimentByLanguage): { comments: number; mean: number | null } {
  const parts = Object.values(byLanguage);
  const comments = parts.reduce((s, p) => s + p.comments, 0);
  return { comments, mean: comments ? parts.reduce((s, p) => s + p.mean * p.comments, 0) / comments : null };
}
