import { hostname } from "node:os";
import type { Redis } from "ioredis";
import type { Bucket } from "../core/limits/port.ts";
import type { Logger } from "../core/logger.ts";
import { storeClicks, type ClickRecord } from "../core/referrals/clicks.ts";
import type { Db } from "../db/database.ts";
import { connectRedis } from "./connection.ts";
import { rateKey, slideArgs, SLIDING_WINDOW_LUA } from "./rate-limit.ts";

/**
 * Clicks travel from the redirect to PostgreSQL through a Redis stream: the
 * redirect appends and answers at once; a consumer group stores them in
 * batches. Each stored entry is acknowledged and deleted, so the stream's
 * length is the backlog; MAXLEN bounds it if the consumers are down for long
 * (about a day of heavy traffic), trimming the oldest first.
 */
export const clickStreamKey = (prefix: string): string => `${prefix}:clicks`;
const GROUP = "click-writers";
const MAX_BUFFERED = 1_000_000;
/** A visitor's "seen this hour" mark outlives the hour a little, whatever the clock says. */
const SEEN_TTL_SECONDS = 3_660;

/**
 * One round trip per click, atomic: the client IP's redirect window taken
 * (KEYS[3], when the redirect is rate limited: the abuse limit costs no round
 * trip of its own), whether this visitor was already seen on this link this
 * hour (SET NX), and the click with that answer appended. The answer travels
 * in the entry, so storing it twice stores the same thing. A click over the
 * IP's limit is not appended: it is abuse, not interest.
 */
const RECORD_SCRIPT = `${SLIDING_WINDOW_LUA}
if #KEYS == 3 then
  local wait = slide({KEYS[3]}, ARGV, 8)
  if wait > 0 then return {'0', wait} end
end
local fresh = redis.call('SET', KEYS[1], '1', 'NX', 'EX', ARGV[1]) and '1' or '0'
redis.call('XADD', KEYS[2], 'MAXLEN', '~', ARGV[2], '*', 'i', ARGV[3], 'l', ARGV[4], 't', ARGV[5], 'v', ARGV[6], 'u', fresh, 'q', ARGV[7])
return {fresh, 0}`;

export interface HumanClick {
  clickId: string;
  linkId: string;
  at: Date;
  visitorHash: string;
  /** The visitor's UTC hour (see hourOf): the unique-click window. */
  hour: number;
  isQr: boolean;
}

type RecordingRedis = Redis & { recordClick(n: number, ...args: (string | number)[]): Promise<[string, number]> };

/** The redirect's side: appends a human click to the stream. */
export class ClickStream {
  private readonly redis: RecordingRedis;
  readonly key: string;

  constructor(
    redis: Redis,
    private readonly prefix: string,
  ) {
    redis.defineCommand("recordClick", { lua: RECORD_SCRIPT });
    this.redis = redis as RecordingRedis;
    this.key = clickStreamKey(prefix);
  }

  /**
   * Resolves to whether it was the visitor's first click on the link this
   * hour, or, when `ip`'s window was full, how long until it has room (and
   * the click was not recorded).
   */
  async record(c: HumanClick, ip: Bucket | null): Promise<{ fresh: boolean; retryAfterMs: number }> {
    const seen = `${this.prefix}:click-seen:${c.linkId}:${c.hour}:${c.visitorHash}`;
    const args = [SEEN_TTL_SECONDS, MAX_BUFFERED, c.clickId, c.linkId, c.at.getTime(), c.visitorHash, c.isQr ? "1" : "0"];
    const [fresh, wait] = ip ? await this.redis.recordClick(3, seen, this.key, rateKey(this.prefix, ip), ...args, ...slideArgs([ip], c.at)) : await this.redis.recordClick(2, seen, this.key, ...args);
    return { fresh: fresh === "1", retryAfterMs: Number(wait) };
  }

  /** Clicks not yet stored: waiting, or read by a consumer and not yet acknowledged. */
  backlog(): Promise<number> {
    return this.redis.xlen(this.key);
  }
}

export interface ClickWorkerOptions {
  db: Db;
  redisUrl: string;
  prefix: string;
  log: Logger;
  /** Entries per read. */
  batch?: number;
  /** An entry read by a consumer that has been silent this long is taken over (the consumer died). */
  claimIdleMs?: number;
  /** How long one read waits for new clicks. */
  blockMs?: number;
}

type Entry = [id: string, fields: string[]];

/**
 * One consumer of the click stream. Its loop reads a batch (entries another
 * consumer left unacknowledged for claimIdleMs first, then new ones), stores
 * it in one transaction that skips clicks already stored, then acknowledges.
 * Killed anywhere in between, its entries stay pending and another consumer
 * claims them: nothing is lost, and storing them again adds nothing.
 */
export class ClickConsumer {
  readonly name = `${hostname()}-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
  private readonly redis: Redis;
  private readonly key: string;
  private readonly batch: number;
  private readonly claimIdleMs: number;
  private readonly blockMs: number;
  private stopped = false;
  private loop?: Promise<void>;
  private lastClaim = 0;
  private groupReady = false;

  constructor(private readonly o: ClickWorkerOptions) {
    // Its own connection: a blocking read would hold up every other command on a shared one.
    this.redis = connectRedis(o.redisUrl, "worker");
    this.key = clickStreamKey(o.prefix);
    this.batch = o.batch ?? 1_000;
    this.claimIdleMs = o.claimIdleMs ?? 30_000;
    this.blockMs = o.blockMs ?? 1_000;
  }

  private async ensureGroup(): Promise<void> {
    if (this.groupReady) return;
    // From the stream's start: clicks appended before any consumer existed are stored too.
    await this.redis.xgroup("CREATE", this.key, GROUP, "0", "MKSTREAM").catch((err: Error) => {
      if (!/BUSYGROUP/.test(err.message)) throw err;
    });
    this.groupReady = true;
  }

  /** The next batch: entries abandoned by a dead consumer first, else new ones (waiting up to blockMs for some). */
  async read(): Promise<Entry[]> {
    await this.ensureGroup();
    if (Date.now() - this.lastClaim >= this.claimIdleMs / 2) {
      this.lastClaim = Date.now();
      const claimed = await this.claimAbandoned();
      if (claimed.length) return claimed;
    }
    const res = (await this.redis.xreadgroup("GROUP", GROUP, this.name, "COUNT", this.batch, "BLOCK", this.blockMs, "STREAMS", this.key, ">")) as [string, Entry[]][] | null;
    return res?.[0]?.[1] ?? [];
  }

  private async claimAbandoned(): Promise<Entry[]> {
    const out: Entry[] = [];
    let cursor = "0-0";
    do {
      const [next, entries] = (await this.redis.xautoclaim(this.key, GROUP, this.name, this.claimIdleMs, cursor, "COUNT", this.batch)) as [string, (Entry | null)[]];
      // Entries trimmed away while pending come back empty; Redis drops them from the pending list itself.
      out.push(...entries.filter((e): e is Entry => e !== null && Array.isArray(e[1])));
      cursor = next;
    } while (cursor !== "0-0" && out.length < this.batch);
    return out;
  }

  /** Stores a batch; the number of clicks newly stored (a replayed batch stores none). */
  async store(entries: Entry[]): Promise<number> {
    const clicks: ClickRecord[] = [];
    for (const [id, fields] of entries) {
      const click = parse(fields);
      if (click) clicks.push(click);
      else this.o.log.warn({ id }, "clicks: a malformed stream entry was dropped");
    }
    return storeClicks(this.o.db, clicks);
  }

  /** Acknowledges and deletes stored entries, so the stream's length stays the backlog. */
  async ack(entries: Entry[]): Promise<void> {
    if (entries.length === 0) return;
    const ids = entries.map(([id]) => id);
    await this.redis.multi().xack(this.key, GROUP, ...ids).xdel(this.key, ...ids).exec();
  }

  /** One read, store and acknowledge; how many entries it handled. */
  async runOnce(): Promise<number> {
    const entries = await this.read();
    if (entries.length === 0) return 0;
    await this.store(entries);
    await this.ack(entries);
    return entries.length;
  }

  start(): this {
    this.loop ??= (async () => {
      while (!this.stopped) {
        try {
          await this.runOnce();
        } catch (err) {
          if (this.stopped) break;
          // Unacknowledged, the batch stays pending and is claimed again once idle.
          this.o.log.warn({ err: (err as Error).message }, "clicks: batch not stored; it will be retried");
          await new Promise((r) => setTimeout(r, 1_000));
        }
      }
    })();
    return this;
  }

  /** Finishes the batch in hand, then stops. */
  async close(): Promise<void> {
    this.stopped = true;
    const finished = this.loop ?? Promise.resolve();
    // A read ends within blockMs while Redis is there. With Redis away it waits forever, and nothing in hand could be acknowledged anyway: the connection goes (the batch stays pending for the next consumer).
    // (An ioredis client that is reconnecting doesn't fail its queued commands on disconnect, so the loop is left to end on its own.)
    const timer = new Promise<false>((r) => setTimeout(r, this.blockMs + 500, false).unref());
    await Promise.race([finished.then(() => true), timer]);
    this.redis.disconnect();
  }

  /** Stops at once, mid-batch if need be, as a crash would. */
  kill(): void {
    this.stopped = true;
    this.redis.disconnect();
  }
}

function parse(fields: string[]): ClickRecord | null {
  const f: Record<string, string> = {};
  for (let i = 0; i + 1 < fields.length; i += 2) f[fields[i]!] = fields[i + 1]!;
  const at = Number(f.t);
  if (!f.i || !f.l || !f.v || !Number.isFinite(at)) return null;
  return { clickId: f.i, linkId: f.l, at: new Date(at), visitorHash: f.v, isUnique: f.u === "1", isQr: f.q === "1" };
}
