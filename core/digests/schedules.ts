import type { CoreDeps } from "../commands/types.ts";
import type { Tx } from "../../db/database.ts";
import type { ChatTarget } from "../notifications/messenger.ts";
import { type Cadence, nextRunAt } from "./cadence.ts";

export interface ScheduleTarget {
  workspaceId: string;
  target: ChatTarget;
}

/** A schedule's run, claimed: which schedule, which due moment, where it goes. */
export interface DueDigest {
  scheduleId: string;
  workspaceId: string;
  cadence: Cadence;
  /** The moment this run was due (what its period ends at), ISO. */
  runAt: string;
  target: ChatTarget;
}

/** One schedule per channel: setting it again changes its cadence and hour. */
export async function setSchedule(deps: Pick<CoreDeps, "db" | "clock" | "ids">, s: ScheduleTarget & { cadence: Cadence; hour: number; timezone: string; memberId: string }): Promise<Date> {
  const now = deps.clock.now();
  const next = nextRunAt(s.cadence, s.hour, s.timezone, now);
  const where = { workspaceId_platform_channel: { workspaceId: s.workspaceId, platform: s.target.platform, channel: s.target.externalId } };
  const fields = { cadence: s.cadence, hour: s.hour, nextRunAt: next, channelName: s.target.name, thread: s.target.thread ?? null, locale: s.target.locale ?? "en", updatedAt: now };
  await deps.db.digestSchedule.upsert({
    where,
    update: fields,
    create: { id: deps.ids.uuid(), workspaceId: s.workspaceId, platform: s.target.platform, channel: s.target.externalId, isChannel: s.target.channel === true, createdById: s.memberId, createdAt: now, ...fields },
  });
  return next;
}

/** True when there was one to stop. */
export async function stopSchedule(deps: Pick<CoreDeps, "db">, s: ScheduleTarget): Promise<boolean> {
  const { count } = await deps.db.digestSchedule.deleteMany({ where: { workspaceId: s.workspaceId, platform: s.target.platform, channel: s.target.externalId } });
  return count > 0;
}

type Row = { id: string; workspace_id: string; platform: ChatTarget["platform"]; channel: string; is_channel: boolean; channel_name: string; thread: string | null; locale: string; cadence: Cadence; hour: number; next_run_at: Date; timezone: string };

/**
 * Claims the schedules due at `now` and moves each one's next_run_at to its
 * next firing in the same transaction (FOR UPDATE SKIP LOCKED: a tick running
 * beside this one takes other rows or none). `hand` receives the claimed runs
 * before the commit, so a failure to hand them on rolls the claim back and
 * the next tick claims them again. A run missed for days fires once, not once
 * per missed day.
 */
export async function claimDueDigests(deps: Pick<CoreDeps, "db" | "clock">, hand: (due: DueDigest[]) => Promise<void>, batch = 100): Promise<number> {
  let total = 0;
  for (;;) {
    const now = deps.clock.now();
    const claimed = await deps.db.$transaction(async (tx: Tx) => {
      const rows = await tx.$queryRaw<Row[]>`
        SELECT s.id::text, s.workspace_id::text, s.platform::text AS platform, s.channel, s.is_channel, s.channel_name, s.thread, s.locale, s.cadence, s.hour, s.next_run_at, w.timezone
        FROM digest_schedules s JOIN workspaces w ON w.id = s.workspace_id
        WHERE s.next_run_at <= ${now}
        ORDER BY s.next_run_at LIMIT ${batch} FOR UPDATE OF s SKIP LOCKED`;
      for (const r of rows) {
        await tx.digestSchedule.update({ where: { id: r.id }, data: { nextRunAt: nextRunAt(r.cadence, r.hour, r.timezone, now), lastRunAt: now, updatedAt: now } });
      }
      const due = rows.map((r): DueDigest => ({
        scheduleId: r.id,
        workspaceId: r.workspace_id,
        cadence: r.cadence,
        runAt: r.next_run_at.toISOString(),
        target: { platform: r.platform, externalId: r.channel, name: r.channel_name, channel: r.is_channel, locale: r.locale === "pt" ? "pt" : "en", ...(r.thread ? { thread: r.thread } : {}) },
      }));
      if (due.length) await hand(due);
      return due.length;
    });
    total += claimed;
    if (claimed < batch) return total;
  }
}
