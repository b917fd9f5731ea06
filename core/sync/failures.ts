import type { Db } from "../../db/database.ts";
import type { Clock } from "../clock.ts";
import type { Ids } from "../ids.ts";
import type { ProviderErrorKind, SocialPlatform } from "../social/port.ts";

/** Why an account stopped syncing: a provider's permanent error, or retries used up on a passing one. */
export type FailureReason = Extract<ProviderErrorKind, "token_expired" | "private" | "not_found" | "bad_response"> | "retries_exhausted";

export interface FailedAccount {
  workspaceId: string;
  creatorId: string;
  platform: SocialPlatform;
}

/** The longest detail kept: a platform's error body can be long, and admins read a line. */
const DETAIL_CHARS = 500;

/**
 * Records that an account's sync cannot succeed by retrying: one open
 * failure per account (failing again updates it), and the handle marked
 * failed so its profile shows it. A later success resolves it (storeSync).
 */
export async function recordFailure(deps: { db: Db; clock: Clock; ids: Ids }, a: FailedAccount, reason: FailureReason, detail: string, attempts: number): Promise<void> {
  const now = deps.clock.now();
  const text = detail.slice(0, DETAIL_CHARS);
  await deps.db.$transaction([
    deps.db.$executeRaw`
      INSERT INTO sync_failures (id, workspace_id, creator_id, platform, reason, detail, attempts, failed_at)
      VALUES (${deps.ids.uuid()}::uuid, ${a.workspaceId}::uuid, ${a.creatorId}::uuid, ${a.platform}::"SocialPlatform", ${reason}, ${text}, ${attempts}, ${now})
      ON CONFLICT (creator_id, platform) WHERE resolved_at IS NULL
      DO UPDATE SET reason = EXCLUDED.reason, detail = EXCLUDED.detail, attempts = EXCLUDED.attempts, failed_at = EXCLUDED.failed_at`,
    deps.db.$executeRaw`
      UPDATE creator_handles SET sync_status = 'failed', sync_error = ${text}
      WHERE creator_id = ${a.creatorId}::uuid AND platform = ${a.platform}::"SocialPlatform"`,
  ]);
}

export interface OpenFailure {
  creatorNumber: number;
  creatorName: string;
  handle: string;
  platform: SocialPlatform;
  reason: FailureReason;
  detail: string;
  attempts: number;
  failedAt: Date;
}

/** The workspace's open failures, newest first, and how many there are. */
export async function openFailures(db: Db, workspaceId: string, limit: number): Promise<{ failures: OpenFailure[]; total: number }> {
  const where = { workspaceId, resolvedAt: null };
  const [rows, total] = await Promise.all([
    db.syncFailure.findMany({ where, orderBy: { failedAt: "desc" }, take: limit, include: { creator: { select: { number: true, name: true, handles: { select: { platform: true, handle: true } } } } } }),
    db.syncFailure.count({ where }),
  ]);
  return {
    total,
    failures: rows.map((r) => ({
      creatorNumber: r.creator.number,
      creatorName: r.creator.name,
      handle: r.creator.handles.find((h) => h.platform === r.platform)?.handle ?? "",
      platform: r.platform,
      reason: r.reason as FailureReason,
      detail: r.detail,
      attempts: r.attempts,
      failedAt: r.failedAt,
    })),
  };
}
