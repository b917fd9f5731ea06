import type { Db } from "../../db/database.ts";
import { recomputeCreator } from "../analytics/recompute.ts";
import type { Clock } from "../clock.ts";
import type { EventPublisher } from "../notifications/events.ts";
import type { SyncTarget } from "./account.ts";

/** After an account's numbers are stored: the creator's analytics again, and the boards moved when the score did. */
export async function scoreAfterSync(deps: { db: Db; clock: Clock; events: EventPublisher }, target: Pick<SyncTarget, "workspaceId" | "creatorId">): Promise<void> {
  const { changed } = await recomputeCreator(deps, target.creatorId);
  if (changed) await deps.events.publish([{ type: "creator.changed", workspaceId: target.workspaceId, creatorId: target.creatorId, change: "scored", at: deps.clock.now().toISOString() }]);
}
