import type { Redis } from "ioredis";
import { LRUCache } from "lru-cache";
import type { Logger } from "../core/logger.ts";
import { normalSlug, type LinkRoute } from "../core/referrals/resolve.ts";
import { linkChangesChannel } from "../jobs/link-changes.ts";

/** Enough for every live link of a large deployment; each entry is a few hundred bytes. */
const MAX_LINKS = 100_000;
/** A safety net only: changes are announced, so a stale entry can outlive one only if an announcement is lost. */
const TTL_MS = 10 * 60_000;
/** Unknown slugs are remembered briefly, so a scanner hammering random slugs doesn't reach the database each time. */
const UNKNOWN_TTL_MS = 30_000;

/**
 * Slug → how to answer it, in this process. A miss loads from the database once
 * however many requests ask at the same time; a campaign's change, announced on
 * Redis pub/sub by whichever process made it, drops that campaign's links here.
 */
export class LinkCache {
  private readonly lru = new LRUCache<string, LinkRoute>({ max: MAX_LINKS, ttl: TTL_MS });
  private readonly loading = new Map<string, Promise<LinkRoute>>();
  /** Bumped by every drop: a load that started before it must not put back what it read. */
  private generation = 0;

  constructor(private readonly load: (slug: string) => Promise<LinkRoute>) {}

  /** Synchronous when cached, so the hot path never waits on anything. */
  get(rawSlug: string): LinkRoute | Promise<LinkRoute> {
    const slug = normalSlug(rawSlug);
    const hit = this.lru.get(slug);
    if (hit) return hit;
    const pending = this.loading.get(slug);
    if (pending) return pending;
    const generation = this.generation;
    const loaded = this.load(slug)
      .then((route) => {
        if (generation === this.generation) this.lru.set(slug, route, route.state === "unknown" ? { ttl: UNKNOWN_TTL_MS } : {});
        return route;
      })
      .finally(() => this.loading.delete(slug));
    this.loading.set(slug, loaded);
    return loaded;
  }

  dropCampaign(campaignId: string): void {
    this.generation++;
    for (const [slug, route] of this.lru.entries()) if (route.state !== "unknown" && route.campaignId === campaignId) this.lru.delete(slug);
  }

  clear(): void {
    this.generation++;
    this.lru.clear();
  }

  /**
   * Listens for changes on its own connection (a subscribed connection can do
   * nothing else). After a reconnect the whole cache is dropped: announcements
   * made while away were missed.
   */
  async follow(redis: Redis, prefix: string, log: Logger): Promise<() => Promise<void>> {
    const sub = redis.duplicate({ enableAutoPipelining: false });
    sub.on("error", () => {});
    let connectedOnce = false;
    sub.on("ready", () => {
      if (connectedOnce) {
        log.info({}, "referral links: change feed reconnected; cache cleared");
        this.clear();
      }
      connectedOnce = true;
    });
    sub.on("message", (_channel: string, campaignId: string) => this.dropCampaign(campaignId));
    await sub.subscribe(linkChangesChannel(prefix));
    return async () => {
      sub.disconnect();
    };
  }
}
