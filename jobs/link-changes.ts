import type { Redis } from "ioredis";
import type { DomainEvent, EventPublisher } from "../core/notifications/events.ts";

/** The pub/sub channel on which every process's redirect cache hears that a campaign's links changed. */
export const linkChangesChannel = (prefix: string): string => `${prefix}:referral-links`;

/** Events after which a campaign's links redirect differently: its status (410 once finished) or its destination. */
const CHANGES_LINKS = new Set<DomainEvent["type"]>(["campaign.transitioned", "campaign.updated"]);

/**
 * The events publisher, announcing link changes first. Straight to pub/sub,
 * not through the notifications queue: a redirect cache should drop a stale
 * destination within milliseconds, not after a queued job.
 */
export function announcingLinkChanges(inner: EventPublisher, redis: Redis, prefix: string): EventPublisher {
  const channel = linkChangesChannel(prefix);
  return {
    async publish(events) {
      const campaigns = new Set(events.filter((e) => CHANGES_LINKS.has(e.type)).map((e) => (e as { campaignId: string }).campaignId));
      await Promise.all([...campaigns].map((id) => redis.publish(channel, id)));
      await inner.publish(events);
    },
  };
}
