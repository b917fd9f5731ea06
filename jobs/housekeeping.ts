import type { Clock } from "../core/clock.ts";
import type { Db } from "../db/database.ts";

const DAY = 86_400_000;
/** Platforms retry for hours at most; a month of event ids covers any redelivery. */
export const PROCESSED_EVENT_RETENTION_DAYS = 30;

/** Drops idempotency records and link codes that can no longer matter. */
export async function housekeeping(db: Db, clock: Clock): Promise<{ events: number; linkCodes: number }> {
  const now = clock.now().getTime();
  const [events, linkCodes] = await Promise.all([
    db.processedEvent.deleteMany({ where: { processedAt: { lt: new Date(now - PROCESSED_EVENT_RETENTION_DAYS * DAY) } } }),
    db.linkCode.deleteMany({ where: { expiresAt: { lt: new Date(now - DAY) } } }),
  ]);
  return { events: events.count, linkCodes: linkCodes.count };
}
