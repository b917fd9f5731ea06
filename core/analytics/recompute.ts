import type { Db } from "../../db/database.ts";
import type { Clock } from "../clock.ts";

export interface RecomputeDeps {
  db: Db;
  clock: Clock;
}

export interface RecomputeResult {
  /** The creator's influence score (0–100) after this run; null while there is nothing to score. */
  score: number | null;
  /** Whether creators.influence_score moved, so the caller knows to publish the leaderboard event. */
  changed: boolean;
}

/**
 * Reads what the sync stored for one creator and turns it into their analytics.
 * The sync pipeline calls this after storing a creator's data; the signature is
 * the contract between the two.
 */
export async function recomputeCreator(deps: RecomputeDeps, creatorId: string): Promise<RecomputeResult> {
  const creator = await deps.db.creator.findUnique({ where: { id: creatorId }, select: { influenceScore: true } });
  return { score: creator?.influenceScore ?? null, changed: false };
}
