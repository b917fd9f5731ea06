import { audit } from "../audit/audit.ts";
import type { CoreDeps } from "../commands/types.ts";
import type { DomainEvent, EventPublisher } from "../notifications/events.ts";
import { addRound } from "./moves.ts";

/**
 * Expires every open invitation whose time ran out. Rows are claimed with
 * FOR UPDATE SKIP LOCKED and moved only from an open status, so any number of
 * workers running this at once expire each invitation once, and an answer
 * that got there first wins. Both sides are told.
 */
export async function expireInvitations(deps: CoreDeps & { events: EventPublisher }, batch = 200): Promise<number> {
  let total = 0;
  for (;;) {
    const now = deps.clock.now();
    const events = await deps.db.$transaction(async (tx) => {
      const due = await tx.$queryRaw<{ id: string; workspace_id: string; status: string }[]>`
        SELECT id, workspace_id, status::text FROM invitations
        WHERE status IN ('pending', 'countered') AND expires_at <= ${now}
        ORDER BY expires_at LIMIT ${batch} FOR UPDATE SKIP LOCKED`;
      const out: DomainEvent[] = [];
      for (const row of due) {
        await tx.invitation.update({ where: { id: row.id }, data: { status: "expired", updatedAt: now } });
        await addRound(tx, deps, { invitationId: row.id, side: "system", action: "expire", memberId: null });
        await audit(tx, deps.clock, { workspaceId: row.workspace_id, actorMemberId: null, action: "invitation.expire", entityType: "invitation", entityId: row.id, data: { from: row.status, to: "expired" } });
        out.push({ type: "invitation.changed", workspaceId: row.workspace_id, invitationId: row.id, move: "expire", side: "system", actorMemberId: null, at: now.toISOString() });
      }
      return out;
    });
    if (events.length > 0) await deps.events.publish(events);
    total += events.length;
    if (events.length < batch) return total;
  }
}
