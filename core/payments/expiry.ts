import { audit } from "../audit/audit.ts";
import type { CoreDeps } from "../commands/types.ts";
import type { DomainEvent, EventPublisher } from "../notifications/events.ts";

/**
 * Ends every boost whose time is up. Rows are claimed with FOR UPDATE SKIP
 * LOCKED and moved only from active, so any number of workers running this
 * at once expire each boost once (and a refund racing it wins or loses
 * cleanly); the creator is told once, by the one run that moved it.
 */
export async function expireBoosts(deps: Pick<CoreDeps, "db" | "clock"> & { events: EventPublisher }, batch = 200): Promise<number> {
  let total = 0;
  for (;;) {
    const now = deps.clock.now();
    const events = await deps.db.$transaction(async (tx) => {
      const due = await tx.$queryRaw<{ id: string; workspace_id: string; creator_id: string }[]>`
        SELECT id::text, workspace_id::text, creator_id::text FROM boosts
        WHERE status = 'active' AND ends_at <= ${now}
        ORDER BY ends_at LIMIT ${batch} FOR UPDATE SKIP LOCKED`;
      const out: DomainEvent[] = [];
      for (const row of due) {
        await tx.boost.update({ where: { id: row.id }, data: { status: "expired", updatedAt: now } });
        await audit(tx, deps.clock, { workspaceId: row.workspace_id, actorMemberId: null, action: "boost.expired", entityType: "creator", entityId: row.creator_id, data: { boostId: row.id } });
        out.push({ type: "boost.changed", workspaceId: row.workspace_id, boostId: row.id, change: "expired", at: now.toISOString() });
      }
      return out;
    });
    if (events.length > 0) await deps.events.publish(events);
    total += events.length;
    if (events.length < batch) return total;
  }
}
