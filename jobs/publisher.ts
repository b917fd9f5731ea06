import type { DomainEvent, EventPublisher } from "../core/notifications/events.ts";
import type { Queues } from "./queues.ts";

/** Domain events leave the request on the notifications queue; a worker fans them out. */
export function queuePublisher(queues: Pick<Queues, "notifications">): EventPublisher {
  return {
    async publish(events: DomainEvent[]) {
      await queues.notifications.addBulk(events.map((data) => ({ name: data.type, data })));
    },
  };
}
