import type { Db } from "../../db/database.ts";
import type { Locale } from "../i18n/locale.ts";
import { translator } from "../i18n/t.ts";
import { messagesShowing } from "../notifications/tracked.ts";
import type { MessageUpdate } from "../notifications/recipients.ts";
import { scoped, type Reply } from "../reply.ts";
import type { SocialPlatform } from "../social/port.ts";

export interface SyncRunRef {
  id: string;
  workspaceId: string;
  creatorId: string | null;
  platforms: SocialPlatform[];
  startedAt: Date;
  finishedAt: Date | null;
}

export interface RunProgress {
  /** Creators the run covers, those whose every account has finished since it started, and those among them with a failed account. */
  total: number;
  done: number;
  failed: number;
  /** Up to a few of the failed ones, for the final message. */
  failedNames: string[];
}

const NAMED_FAILURES = 3;

/**
 * Counted from the accounts themselves: an account is finished once it
 * synced, or failed for good, after the run started, whichever job did it
 * (a scheduled one already queued counts too). One statement, run a few
 * seconds apart by the progress loop, never once per job.
 */
export async function runProgress(db: Db, run: SyncRunRef): Promise<RunProgress> {
  const rows = await db.$queryRaw<{ total: number; done: number; failed: number; failed_names: string[] | null }[]>`
    WITH accounts AS (
      SELECT h.creator_id,
        (h.sync_status = 'ok' AND h.synced_at >= ${run.startedAt}) AS ok,
        (h.sync_status = 'failed' AND EXISTS (SELECT 1 FROM sync_failures f WHERE f.creator_id = h.creator_id AND f.platform = h.platform AND f.resolved_at IS NULL AND f.failed_at >= ${run.startedAt})) AS failed
      FROM creator_handles h
      WHERE h.workspace_id = ${run.workspaceId}::uuid AND h.platform::text = ANY(${run.platforms}::text[])
        AND (${run.creatorId}::uuid IS NULL OR h.creator_id = ${run.creatorId}::uuid)
    ), per_creator AS (
      SELECT creator_id, bool_and(ok OR failed) AS done, bool_or(failed) AS failed FROM accounts GROUP BY creator_id
    )
    SELECT count(*)::int AS total, count(*) FILTER (WHERE c.done)::int AS done, count(*) FILTER (WHERE c.done AND c.failed)::int AS failed,
      (array_agg(cr.name ORDER BY cr.number) FILTER (WHERE c.done AND c.failed))[1:${NAMED_FAILURES}] AS failed_names
    FROM per_creator c JOIN creators cr ON cr.id = c.creator_id`;
  const r = rows[0]!;
  return { total: r.total, done: r.done, failed: r.failed, failedNames: r.failed_names ?? [] };
}

export const runFinished = (p: RunProgress) => p.done >= p.total;

const counts = new Map<Locale, Intl.NumberFormat>();
const count = (n: number, locale: Locale) => {
  let f = counts.get(locale);
  if (!f) counts.set(locale, (f = new Intl.NumberFormat(locale)));
  return f.format(n);
};

/** What the run's message says: how far it is, then how it ended and who failed. */
export function progressReply(run: SyncRunRef, p: RunProgress, locale: Locale, gaveUp = false): Reply {
  const t = translator(locale);
  const vars = { done: count(p.done, locale), total: count(p.total, locale), failed: count(p.failed, locale), names: p.failedNames.join(", ") + (p.failed > p.failedNames.length ? ", …" : "") };
  const track = { kind: "sync_run" as const, id: run.id, workspaceId: run.workspaceId };
  if (!runFinished(p) && !gaveUp) return { tone: "info", text: t("sync.progress", vars), track };
  if (p.failed === 0 && !gaveUp) return { tone: "success", text: t(p.total === 1 ? "sync.done_one" : "sync.done", vars), track };
  const lines = [t(gaveUp ? "sync.stopped" : p.failed > 0 ? "sync.done_failed" : "sync.done", vars)];
  if (p.failed > 0) lines.push(t("sync.failures_hint"));
  return { tone: "warning", text: lines.join("\n"), track };
}

/** The run's posted messages, each redrawn in the language it was posted in. */
export async function progressUpdates(db: Db, run: SyncRunRef, p: RunProgress, gaveUp = false): Promise<MessageUpdate[]> {
  const posted = await messagesShowing(db, "sync_run", run.id);
  return posted.map((m) => ({ at: { platform: m.platform, ref: m.ref }, reply: scoped(progressReply(run, p, m.locale, gaveUp), run.workspaceId) }));
}
