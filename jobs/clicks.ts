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
 * One round trip for every click of an event-loop turn, each click atomic:
 * the client IP's redirect window taken (when the redirect is rate limited:
 * the abuse limit costs no round trip of its own), whether this visitor was
 * already seen on this link this hour (SET NX), and the click with that
 * answer appended. The answer travels in the entry, so storing it twice
 * stores the same thing. A click over the IP's limit is not appended: it is
 * abuse, not interest.
 *
 * KEYS: the stream, then per click its seen key and, if limited, its rate
 * key. ARGV: the seen TTL, MAXLEN, then per click a group: limited (1/0),
 * click id, link id, time, visitor hash, QR (1/0), and when limited the
 * window's now, member, window and limit. Returns {fresh, wait} per click.
 */
const RECORD_SCRIPT = `${SLIDING_WINDOW_LUA}
local out = {}
local k, a = 2, 3
while a <= #ARGV do
  local limited = ARGV[a] == '1'
  local seen = KEYS[k]
  k = k + 1
  local wait = 0
  if limited then
    wait = slide({KEYS[k]}, {ARGV[a + 6], ARGV[a + 7], ARGV[a + 8], ARGV[a + 9]}, 1)
    k = k + 1
  end
  if wait > 0 then
    out[#out + 1] = {'0', wait}
  else
    local fresh = redis.call('SET', seen, '1', 'NX', 'EX', ARGV[1]) and '1' or '0'
    redis.call('XADD', KEYS[1], 'MAXLEN', '~', ARGV[2], '*', 'i', ARGV[a + 1], 'l', ARGV[a + 2], 't', ARGV[a + 3], 'v', ARGV[a + 4], 'u', fresh, 'q', ARGV[a + 5])
    out[#out + 1] = {fresh, 0}
  end
  a = a + (limited and 10 or 6)
end
return out`;

/** At most this many clicks go in one script call: a long script would hold Redis up for everyone else. */
const MAX_CLICKS_PER_CALL = 256;

export interface HumanClick {
  clickId: string;
  linkId: string;
  at: Date;
  visitorHash: string;
  /** The visitor's UTC hour (see hourOf): the unique-click window. */
  hour: number;
  isQr: boolean;
}

type RecordingRedis = Redis & { recordClicks(n: number, ...args: (string | number)[]): Promise<[string, number][]> };

type Recorded = { fresh: boolean; retryAfterMs: number };
type Pending = { keys: string[]; args: (string | number)[]; resolve(r: Recorded): void; reject(err: unknown): void };

/**
 * The redirect's side: appends human clicks to the stream. The clicks of one
 * event-loop turn travel together in one script call (the per-click round
 * trip was most of the redirect's cost); each is still answered on its own.
 */
export class ClickStream {
  private readonly redis: RecordingRedis;
  readonly key: string;
  private pending: Pending[] = [];
  private flushing = false;

  constructor(
    redis: Redis,
    private readonly prefix: string,
  ) {
    redis.defineCommand("recordClicks", { lua: RECORD_SCRIPT });
    this.redis = redis as RecordingRedis;
    this.key = clickStreamKey(prefix);
  }

  /**
   * Resolves to whether it was the visitor's first click on the link this
   * hour, or, when `ip`'s window was full, how long until it has room (and
   * the click was not recorded).
   */
  record(c: HumanClick, ip: Bucket | null): Promise<Recorded> {
    const seen = `${this.prefix}:click-seen:${c.linkId}:${c.hour}:${c.visitorHash}`;
    const click = [c.clickId, c.linkId, c.at.getTime(), c.visitorHash, c.isQr ? "1" : "0"];
    const entry = ip ? { keys: [seen, rateKey(this.prefix, ip)], args: ["1", ...click, ...slideArgs([ip], c.at)] } : { keys: [seen], args: ["0", ...click] };
    return new Promise((resolve, reject) => {
      this.pending.push({ ...entry, resolve, reject });
      if (!this.flushing) {
        this.flushing = true;
        setImmediate(() => void this.flush());
      }
    });
  }

  private async flush(): Promise<void> {
    while (this.pending.length > 0) {
      const batch = this.pending.splice(0, MAX_CLICKS_PER_CALL);
      const keys = batch.flatMap((p) => p.keys);
      try {
        const results = await this.redis.recordClicks(1 + keys.length, this.key, ...keys, SEEN_TTL_SECONDS, MAX_BUFFERED, ...batch.flatMap((p) => p.args));
        batch.forEach((p, i) => p.resolve({ fresh: results[i]?.[0] === "1", retryAfterMs: Number(results[i]?.[1] ?? 0) }));
      } catch (err) {
        for (const p of batch) p.reject(err);
      }
    }
    this.flushing = false;
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
