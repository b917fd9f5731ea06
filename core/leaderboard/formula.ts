/**
 * The one ranking formula, for the workspace board, every campaign board and
 * the feed:
 *
 *   score = (influence score, or NEUTRAL_INFLUENCE while it has none) × boost multiplier
 *
 * The influence score (0–100) is issue #8's, written to creators.influence_score
 * by the metrics sync. Until a creator has one they count as a neutral 50, so
 * boosts lift them visibly today and real scores slot in with no change here.
 * The multiplier is the running boost's (BOOST_PLANS: 24h ×1.5, 7d ×2, 30d ×3),
 * 1 without one. A campaign's board ranks its contracted creators by the same
 * score: campaign revenue changes with every conversion, and a board that
 * weighed it would be stale between rebuilds.
 */
export const RANKING = {
  /** What a creator with no influence score yet counts as: the middle of 0–100. */
  neutralInfluence: 50,
  /** A creator without a running boost. */
  unboosted: 1,
} as const;

export function rankScore(influence: number | null, multiplier: number | null): number {
  return (influence ?? RANKING.neutralInfluence) * (multiplier ?? RANKING.unboosted);
}
