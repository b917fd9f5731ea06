import { randomBytes } from "node:crypto";
import type { Redis } from "ioredis";
import type { BoardRef, Rankings, Standing } from "../core/leaderboard/port.ts";

/**
 * Members are creator numbers counted down from 10^10 and zero-padded: among
 * equal scores Redis orders members in reverse byte order for ZREVRANGE, so
 * this puts the earliest-added creator first (and a board where everyone is
 * still at the neutral 50 reads in the order creators joined).
 */
const TOP = 9_999_999_999;
const member = (n: number) => String(TOP - n).padStart(10, "0");
const numberOf = (m: string) => TOP - Number(m);

/** ZADD arguments per round trip while building: big enough to be quick, small enough not to stall Redis. */
const CHUNK = 5_000;
/** A build abandoned half-way (the process died) leaves temporary keys that clean themselves up. */
const TEMP_TTL_SECONDS = 600;

export function redisRankings(redis: Redis, prefix: string): Rankings {
  const root = (ws: string) => `${prefix}:rank:${ws}`;
  const keyOf = (b: BoardRef) => (b.campaignId ? `${root(b.workspaceId)}:c:${b.campaignId}` : root(b.workspaceId));
  // Present once the workspace's boards are built: without it, an absent board can't tell "empty" from "wiped".
  const builtKey = (ws: string) => `${root(ws)}:built`;
  // The campaign boards last built, so a rebuild can drop one whose campaign has no creators left.
  const campaignsKey = (ws: string) => `${root(ws)}:campaigns`;

  async function fill(key: string, standings: Standing[]): Promise<void> {
    for (let i = 0; i < standings.length; i += CHUNK) {
      const args: (string | number)[] = [];
      for (const s of standings.slice(i, i + CHUNK)) args.push(s.score, member(s.number));
      await redis.pipeline().zadd(key, ...args).expire(key, TEMP_TTL_SECONDS).exec();
    }
  }

  return {
    async replace(workspaceId, boards) {
      const tag = randomBytes(6).toString("hex");
      const built: { live: string; temp: string | null }[] = [];
      const boardsOf: [BoardRef, Standing[]][] = [[{ workspaceId }, boards.workspace], ...[...boards.campaigns].map(([campaignId, s]): [BoardRef, Standing[]] => [{ workspaceId, campaignId }, s])];
      for (const [ref, standings] of boardsOf) {
        const live = keyOf(ref);
        const temp = standings.length ? `${live}:build:${tag}` : null;
        if (temp) await fill(temp, standings);
        built.push({ live, temp });
      }
      const before = await redis.smembers(campaignsKey(workspaceId));
      const gone = before.filter((id) => !boards.campaigns.has(id)).map((campaignId) => keyOf({ workspaceId, campaignId }));
      // One MULTI: readers see every old board or every new one, and the marker only with them.
      const tx = redis.multi();
      for (const { live, temp } of built) {
        if (temp) tx.rename(temp, live).persist(live);
        else tx.del(live);
      }
      if (gone.length) tx.del(...gone);
      tx.del(campaignsKey(workspaceId));
      if (boards.campaigns.size) tx.sadd(campaignsKey(workspaceId), ...boards.campaigns.keys());
      tx.set(builtKey(workspaceId), "1");
      const results = await tx.exec();
      const failed = results?.find(([err]) => err);
      if (failed) throw failed[0];
    },

    async update(workspaceId, changes) {
      if (changes.length === 0 || !(await redis.exists(builtKey(workspaceId)))) return;
      const p = redis.pipeline();
      for (const { standing, campaignIds } of changes) {
        const m = member(standing.number);
        p.zadd(root(workspaceId), standing.score, m);
        for (const campaignId of campaignIds) p.zadd(keyOf({ workspaceId, campaignId }), standing.score, m);
        if (campaignIds.length) p.sadd(campaignsKey(workspaceId), ...campaignIds);
      }
      await p.exec();
    },

    async page(board, offset, count) {
      const key = keyOf(board);
      const results = await redis.multi().exists(builtKey(board.workspaceId)).zcard(key).zrevrange(key, offset, offset + count - 1, "WITHSCORES").exec();
      const [[, built], [, total], [, flat]] = results as [[null, number], [null, number], [null, string[]]];
      if (!built) return null;
      const standings: Standing[] = [];
      for (let i = 0; i < flat.length; i += 2) standings.push({ number: numberOf(flat[i]!), score: Number(flat[i + 1]) });
      return { total, standings };
    },

    async rankOf(board, number) {
      const results = await redis.multi().exists(builtKey(board.workspaceId)).zrevrank(keyOf(board), member(number)).exec();
      const [[, built], [, rank]] = results as [[null, number], [null, number | null]];
      return built ? rank : null;
    },
  };
}
