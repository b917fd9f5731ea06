import type { Db } from "../db/database.ts";
import type { Logger } from "../core/logger.ts";
import type { DomainEvent } from "../core/notifications/events.ts";
import type { Messenger } from "../core/notifications/messenger.ts";
import { noticesFor } from "../core/notifications/recipients.ts";

export interface NotificationDeps {
  db: Db;
  messengers: Messenger[];
  log: Logger;
}

/**
 * Fans one domain event out to the people who should hear of it, on every
 * platform they are linked on that Clout can reach. A failed send fails the job,
 * so BullMQ retries it with backoff.
 */
export async function deliverEvent(deps: NotificationDeps, event: DomainEvent): Promise<number> {
  const byPlatform = new Map(deps.messengers.map((m) => [m.platform, m]));
  let sent = 0;
  for (const notice of await noticesFor(deps.db, event)) {
    for (const target of notice.targets) {
      const messenger = byPlatform.get(target.platform);
      if (!messenger) continue;
      await messenger.send(target, notice.reply);
      sent++;
    }
  }
  return sent;
}
