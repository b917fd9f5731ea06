import type { FastifyInstance, FastifyRequest } from "fastify";
import type { Redis } from "ioredis";
import { isbot } from "isbot";
import { Counter, Gauge } from "prom-client";
import type { Clock } from "../core/clock.ts";
import type { Ids } from "../core/ids.ts";
import { buckets } from "../core/limits/buckets.ts";
import { retrySeconds, type Bucket, type RateLimiter } from "../core/limits/port.ts";
import type { Logger } from "../core/logger.ts";
import { withClickId } from "../core/referrals/destination.ts";
import { resolveLink } from "../core/referrals/resolve.ts";
import { hourOf, visitorHash } from "../core/referrals/visitor.ts";
import type { Db } from "../db/database.ts";
import { ClickStream } from "../jobs/clicks.ts";
import { IpTally } from "./ip-tally.ts";
import { LinkCache } from "./link-cache.ts";
import type { Metrics } from "./metrics.ts";

export interface RedirectDeps {
  db: Db;
  redis: Redis;
  prefix: string;
  clock: Clock;
  ids: Ids;
  /** Salts visitor hashes (derived from CLOUT_SECRET for this purpose alone). */
  visitorSalt: Buffer;
  metrics: Metrics;
  log: Logger;
  /** Redirects per client IP per sliding minute (RATE_LIMIT_REDIRECT_PER_MINUTE); null when rate limits are off. */
  ipPerMinute: number | null;
  /** Counts what the click script doesn't: crawlers, HEADs and unknown links, never recorded as clicks. */
  limiter: RateLimiter;
}

/** Past this many blocked addresses, expired ones are swept out before adding another. */
const BLOCKED_SWEEP_AT = 10_000;

const page = (title: string, text: string) =>
  `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><meta name="robots" content="noindex"><title>${title}</title>` +
  `<style>body{font:16px/1.5 system-ui,sans-serif;max-width:32rem;margin:15vh auto;padding:0 1rem;color:#222}h1{font-size:1.4rem}</style></head>` +
  `<body><h1>${title}</h1><p>${text}</p></body></html>`;

const PAGES = {
  unknown: page("Link not found", "This referral link doesn't exist. Check that it was copied in full."),
  finished: page("This campaign has ended", "The campaign behind this link is over, so it no longer leads anywhere. Thanks for your interest!"),
  no_destination: page("Not live yet", "The brand hasn't set where this link goes yet. Please try again later."),
  rate_limited: page("Too many requests", "This address has opened links very often in the last minute. Please wait a little and try again."),
} as const;

/**
 * Who is a person: a GET from a browser that isn't a crawler, a chat app
 * fetching a link preview, or the browser prefetching. Everyone is redirected
 * alike; only people are counted. No user agent at all is a script.
 */
export function isHuman(req: FastifyRequest): boolean {
  if (req.method !== "GET") return false;
  const ua = req.headers["user-agent"];
  if (!ua || isbot(ua)) return false;
  const purpose = req.headers["sec-purpose"] ?? req.headers.purpose;
  return !(typeof purpose === "string" && purpose.includes("prefetch"));
}

/**
 * GET /r/:slug, the hot path: answered from the in-process cache (no database
 * once warm), the click appended to the Redis stream after the answer is sent.
 *
 * The per-IP abuse limit adds no wait to it: an address's first tenth of the
 * limit each minute is counted in memory only (IpTally); past that, the IP's
 * window is taken in the same Lua call that records a human click (a crawler's request, never
 * recorded, takes it in a call of its own), after the answer. An IP found
 * over its limit is remembered in this process until its window has room, and
 * answered 429 from memory meanwhile; so the one request that crosses the
 * limit is still redirected (not recorded), and the rest get 429.
 */
export async function mountRedirect(app: FastifyInstance, deps: RedirectDeps): Promise<void> {
  const cache = new LinkCache((slug) => resolveLink(deps.db, slug));
  const unfollow = await cache.follow(deps.redis, deps.prefix, deps.log);
  app.addHook("onClose", unfollow);
  const stream = new ClickStream(deps.redis, deps.prefix);
  const tally = new IpTally(Math.ceil((deps.ipPerMinute ?? 0) / 10));
  const blocked = new Map<string, number>();
  const block = (ip: string, retryAfterMs: number) => {
    if (retryAfterMs <= 0) return;
    const now = deps.clock.now().getTime();
    if (blocked.size >= BLOCKED_SWEEP_AT) for (const [k, until] of blocked) if (until <= now) blocked.delete(k);
    blocked.set(ip, now + retryAfterMs);
  };
  const count = (ip: Bucket, addr: string) =>
    deps.limiter.take([ip], deps.clock.now()).then(
      (r) => (r.ok ? undefined : block(addr, r.retryAfterMs)),
      (err: unknown) => deps.log.warn({ err: (err as Error).message }, "redirect rate limit not counted"),
    );
  const registers = [deps.metrics.registry];
  const outcomes = new Counter({ name: "clout_referral_redirects_total", help: "Referral link requests by outcome", labelNames: ["outcome"], registers });
  const buffered = new Counter({ name: "clout_referral_clicks_buffered_total", help: "Human clicks appended to the click stream (bots and previews are not)", registers });
  const lost = new Counter({ name: "clout_referral_clicks_unbuffered_total", help: "Human clicks redirected but not recorded (Redis unavailable)", registers });
  new Gauge({
    name: "clout_referral_click_backlog",
    help: "Clicks in the stream not yet stored in PostgreSQL",
    registers,
    async collect() {
      this.set(await stream.backlog());
    },
  });

  app.get<{ Params: { slug: string }; Querystring: { qr?: string } }>(
    "/r/:slug",
    {
      // One log line per click would cost more than the redirect itself.
      logLevel: "warn",
      schema: {
        summary: "Referral link: 302 to the campaign's destination with UTM parameters and a click id",
        description: "404 for an unknown link (or one whose campaign has no destination yet), 410 once the campaign is completed or cancelled. `?qr=1` marks a QR scan. Bots, link previews and HEAD requests are redirected but not counted.",
        tags: ["referrals"],
        params: { type: "object", properties: { slug: { type: "string" } }, required: ["slug"] },
        querystring: { type: "object", properties: { qr: { type: "string" } } },
      },
    },
    async (req, reply) => {
      const until = deps.ipPerMinute === null ? undefined : blocked.get(req.ip);
      if (until !== undefined) {
        const left = until - deps.clock.now().getTime();
        if (left > 0) {
          outcomes.inc({ outcome: "rate_limited" });
          return reply.code(429).header("retry-after", String(retrySeconds(left))).header("cache-control", "no-store").type("text/html; charset=utf-8").send(PAGES.rate_limited);
        }
        blocked.delete(req.ip);
      }
      const ip = deps.ipPerMinute === null || !tally.hot(req.ip, deps.clock.now().getTime()) ? null : buckets.redirectIp(req.ip, deps.ipPerMinute);
      const route = await cache.get(req.params.slug);
      outcomes.inc({ outcome: route.state });
      if (route.state !== "live") {
        // Guessing slugs is abuse too.
        if (ip) void count(ip, req.ip);
        return reply.code(route.state === "finished" ? 410 : 404).header("cache-control", "no-store").type("text/html; charset=utf-8").send(PAGES[route.state]);
      }
      const clickId = deps.ids.uuid();
      // no-store: a browser that cached the redirect would skip us, and its click, next time.
      reply.code(302).header("location", withClickId(route.target, clickId)).header("cache-control", "private, no-store").header("referrer-policy", "no-referrer-when-downgrade");
      if (isHuman(req)) {
        const at = deps.clock.now();
        const click = { clickId, linkId: route.linkId, at, hour: hourOf(at), visitorHash: visitorHash(deps.visitorSalt, req.ip, req.headers["user-agent"]!), isQr: req.query.qr === "1" };
        stream.record(click, ip).then(
          (r) => (r.retryAfterMs > 0 ? block(req.ip, r.retryAfterMs) : buffered.inc()),
          (err: unknown) => {
            lost.inc();
            deps.log.warn({ err: (err as Error).message }, "referral click not recorded");
          },
        );
      } else if (ip) {
        void count(ip, req.ip);
      }
      return reply.send();
    },
  );
}
