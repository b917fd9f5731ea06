import type { Db } from "../db/database.ts";
import type { Clock } from "./clock.ts";

/**
 * Claims an inbound event id for processing. True the first time; false for a
 * redelivery (a platform retry, a duplicate webhook), even when both arrive at
 * once: the primary key decides.
 */
export async function claimEvent(db: Db, clock: Clock, source: string, eventId: string): Promise<boolean> {
  const inserted = await db.$executeRaw`
    INSERT INTO processed_events (source, event_id, processed_at) VALUES (${source}, ${eventId}, ${clock.now()})
    ON CONFLICT DO NOTHING`;
  return inserted === 1;
}
