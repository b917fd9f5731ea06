import type { Logger } from "../logger.ts";
import type { DomainEvent, EventPublisher } from "../notifications/events.ts";
import { refreshCreators, type RankingDeps } from "./standings.ts";

/** Which creators an event moves on the boards, by workspace. */
async function moved(deps: RankingDeps, events: DomainEvent[]): Promise<Map<string, Set<string>>> {
  const boostIds: string[] = [];
  const acceptedIds: string[] = [];
  const out = new Map<string, Set<string>>();
  const add = (workspaceId: string, creatorId: string) => {
    let set = out.get(workspaceId);
    if (!set) out.set(workspaceId, (set = new Set()));
    set.add(creatorId);
  };
  for (const e of events) {
    if (e.type === "boost.changed") boostIds.push(e.boostId);
    // An acceptance is where a contract is made: the creator joins the campaign's board.
    else if (e.type === "invitation.changed" && e.move === "accept") acceptedIds.push(e.invitationId);
    else if (e.type === "creator.changed") add(e.workspaceId, e.creatorId);
  }
  const [boosts, invitations] = await Promise.all([
    boostIds.length ? deps.db.boost.findMany({ where: { id: { in: boostIds } }, select: { workspaceId: true, creatorId: true } }) : [],
    acceptedIds.length ? deps.db.invitation.findMany({ where: { id: { in: acceptedIds } }, select: { workspaceId: true, creatorId: true } }) : [],
  ]);
  for (const r of [...boosts, ...invitations]) add(r.workspaceId, r.creatorId);
  return out;
}

/**
 * The events publisher, moving creators on the boards first. Inline rather
 * than on a queue, so the board a person looks at after paying for a boost
 * already shows it. A failure here is logged and the events still go out:
 * the rebuild job puts the boards right within its interval.
 */
export function rankingEvents(inner: EventPublisher, deps: RankingDeps & { log: Logger }): EventPublisher {
  return {
    async publish(events) {
      try {
        for (const [workspaceId, creators] of await moved(deps, events)) await refreshCreators(deps, workspaceId, [...creators]);
      } catch (err) {
        deps.log.warn({ err: (err as Error).message, events: events.length }, "leaderboard not updated; the rebuild job will catch up");
      }
      await inner.publish(events);
    },
  };
}
