import type { Db } from "../../db/database.ts";
import type { Clock } from "../clock.ts";
import { rankScore } from "./formula.ts";
import type { BoardRef, Boards, Rankings, Standing } from "./port.ts";

export interface RankingDeps {
  db: Db;
  clock: Clock;
  rankings: Rankings;
}

interface Row {
  id: string;
  number: number;
  influence: number | null;
  multiplier: number | null;
  campaigns: string[];
}

/**
 * What the database says each creator's standing is now: their score, and the
 * campaigns they are contracted on. A boost counts from its start (a creator's
 * second boost starts when the first ends) to its end, whether or not the
 * expiry job has got to it yet.
 */
async function rows(db: Db, workspaceId: string, now: Date, creatorIds: string[] | null): Promise<Row[]> {
  return db.$queryRaw<Row[]>`
    SELECT c.id::text, c.number, c.influence_score AS influence, b.multiplier, coalesce(k.campaigns, '{}') AS campaigns
    FROM creators c
    LEFT JOIN (
      SELECT creator_id, max(multiplier) AS multiplier FROM boosts
      WHERE workspace_id = ${workspaceId}::uuid AND status = 'active' AND starts_at <= ${now} AND ends_at > ${now}
      GROUP BY creator_id
    ) b ON b.creator_id = c.id
    LEFT JOIN (
      SELECT creator_id, array_agg(DISTINCT campaign_id::text) AS campaigns FROM contracts
      WHERE workspace_id = ${workspaceId}::uuid GROUP BY creator_id
    ) k ON k.creator_id = c.id
    WHERE c.workspace_id = ${workspaceId}::uuid AND (${creatorIds}::uuid[] IS NULL OR c.id = ANY(${creatorIds}::uuid[]))`;
}

const standing = (r: Row): Standing => ({ number: r.number, score: rankScore(r.influence, r.multiplier) });

/** Rebuilds all of one workspace's boards from the database. */
export async function rebuildWorkspace(deps: RankingDeps, workspaceId: string): Promise<number> {
  const all = await rows(deps.db, workspaceId, deps.clock.now(), null);
  const boards: Boards = { workspace: all.map(standing), campaigns: new Map() };
  for (const r of all) {
    for (const c of r.campaigns) {
      let board = boards.campaigns.get(c);
      if (!board) boards.campaigns.set(c, (board = []));
      board.push(standing(r));
    }
  }
  await deps.rankings.replace(workspaceId, boards);
  return all.length;
}

/** The rebuild job: every workspace's boards, one workspace at a time so no query holds 100,000 rows more than once. */
export async function rebuildAllBoards(deps: RankingDeps): Promise<{ workspaces: number; creators: number }> {
  const workspaces = await deps.db.workspace.findMany({ select: { id: true }, orderBy: { createdAt: "asc" } });
  let creators = 0;
  for (const w of workspaces) creators += await rebuildWorkspace(deps, w.id);
  return { workspaces: workspaces.length, creators };
}

/** Puts the given creators' current standings on their boards (after a boost, a contract, a new score). */
export async function refreshCreators(deps: RankingDeps, workspaceId: string, creatorIds: string[]): Promise<void> {
  if (creatorIds.length === 0) return;
  const found = await rows(deps.db, workspaceId, deps.clock.now(), creatorIds);
  await deps.rankings.update(workspaceId, found.map((r) => ({ standing: standing(r), campaignIds: r.campaigns })));
}

// Readers that find the same workspace unbuilt at once (after a FLUSHDB) wait on one rebuild, not one each.
const rebuilding = new Map<string, Promise<unknown>>();

/**
 * A page of a board. A workspace whose boards are missing (Redis wiped, or
 * never built) is rebuilt first and the page read again, so a wipe costs one
 * slower answer instead of an empty board.
 */
export async function readBoard(deps: RankingDeps, board: BoardRef, offset: number, count: number): Promise<{ total: number; standings: Standing[] }> {
  const page = await deps.rankings.page(board, offset, count);
  if (page) return page;
  let running = rebuilding.get(board.workspaceId);
  if (!running) {
    running = rebuildWorkspace(deps, board.workspaceId).finally(() => rebuilding.delete(board.workspaceId));
    rebuilding.set(board.workspaceId, running);
  }
  await running;
  return (await deps.rankings.page(board, offset, count)) ?? { total: 0, standings: [] };
}
