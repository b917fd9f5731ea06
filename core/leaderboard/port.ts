/** One creator's place on a board: the creator's number in their workspace, and their score. */
export interface Standing {
  number: number;
  score: number;
}

/** Every board of one workspace, as the database says they should be. */
export interface Boards {
  workspace: Standing[];
  /** Keyed by campaign id: the campaign's contracted creators. */
  campaigns: Map<string, Standing[]>;
}

/** Which board: the whole workspace's, or one campaign's. */
export type BoardRef = { workspaceId: string; campaignId?: string };

/**
 * Port: where the rankings live for fast reads (Redis sorted sets in
 * production, jobs/rankings.ts). The database stays the truth: everything
 * here can be rebuilt from it, and is when it goes missing.
 */
export interface Rankings {
  /** Replaces all of a workspace's boards at once; readers see the old boards or the new, never a half-built one. */
  replace(workspaceId: string, boards: Boards): Promise<void>;
  /**
   * Sets creators' scores on the workspace board and on the given campaign
   * boards. A workspace whose boards were never built (or were wiped) is
   * left alone: its next read rebuilds everything from the database anyway.
   */
  update(workspaceId: string, changes: { standing: Standing; campaignIds: string[] }[]): Promise<void>;
  /** A page of a board, best first, with how many are on it; null when the workspace's boards are not built. */
  page(board: BoardRef, offset: number, count: number): Promise<{ total: number; standings: Standing[] } | null>;
  /** A creator's 0-based place on a board, null when they are not on it or the board is not built. */
  rankOf(board: BoardRef, number: number): Promise<number | null>;
}
