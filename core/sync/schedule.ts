import type { Db } from "../../db/database.ts";
import type { SocialPlatform } from "../social/port.ts";
import type { SyncTarget } from "./account.ts";

const HOUR_MS = 3_600_000;

/**
 * How stale an account may get: creators working on an active campaign are
 * synced every hour, the rest once a day. The margin lets an hourly schedule
 * pick up an account synced a little under an hour ago, which would
 * otherwise wait a second hour.
 */
export const SYNC_EVERY = { activeMs: HOUR_MS, restMs: 24 * HOUR_MS, marginMs: 10 * 60_000 } as const;

export interface DueAccount extends SyncTarget {
  id: string;
}

/**
 * One page (by handle id) of the accounts due a sync, across workspaces. An
 * account with an open failure that retrying cannot fix (an expired token)
 * waits for someone to fix it and ask again (`sync <creator>`), rather than
 * spending quota every hour.
 */
export function dueAccounts(db: Db, now: Date, platforms: readonly SocialPlatform[], after: string | null, limit: number): Promise<DueAccount[]> {
  const active = new Date(now.getTime() - SYNC_EVERY.activeMs + SYNC_EVERY.marginMs);
  const rest = new Date(now.getTime() - SYNC_EVERY.restMs + SYNC_EVERY.marginMs);
  return db.$queryRaw<DueAccount[]>`
    SELECT h.id, h.workspace_id AS "workspaceId", h.creator_id AS "creatorId", h.platform::text AS platform
    FROM creator_handles h
    WHERE h.id > ${after ?? "00000000-0000-0000-0000-000000000000"}::uuid AND h.platform::text = ANY(${[...platforms]}::text[])
      AND NOT EXISTS (SELECT 1 FROM sync_failures f WHERE f.creator_id = h.creator_id AND f.platform = h.platform AND f.resolved_at IS NULL AND f.reason <> 'retries_exhausted')
      AND (h.synced_at IS NULL OR h.synced_at < ${rest}
        OR (h.synced_at < ${active} AND EXISTS (SELECT 1 FROM contracts k JOIN campaigns c ON c.id = k.campaign_id WHERE k.creator_id = h.creator_id AND c.status = 'active')))
    ORDER BY h.id
    LIMIT ${limit}`;
}

/** One page (by handle id) of a run's accounts: one creator's, or all of a workspace's. */
export function runAccounts(db: Db, run: { workspaceId: string; creatorId: string | null; platforms: readonly SocialPlatform[] }, after: string | null, limit: number): Promise<DueAccount[]> {
  return db.$queryRaw<DueAccount[]>`
    SELECT h.id, h.workspace_id AS "workspaceId", h.creator_id AS "creatorId", h.platform::text AS platform
    FROM creator_handles h
    WHERE h.workspace_id = ${run.workspaceId}::uuid AND h.id > ${after ?? "00000000-0000-0000-0000-000000000000"}::uuid
      AND h.platform::text = ANY(${[...run.platforms]}::text[]) AND (${run.creatorId}::uuid IS NULL OR h.creator_id = ${run.creatorId}::uuid)
    ORDER BY h.id
    LIMIT ${limit}`;
}
