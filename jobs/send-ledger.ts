import { randomUUID } from "node:crypto";
import type { Redis } from "ioredis";

/** Sent already: -1. The claim is ours now: 0. Someone else is sending: milliseconds until their claim lapses. */
const BEGIN = `
if redis.call('EXISTS', KEYS[1]) == 1 then return -1 end
if redis.call('SET', KEYS[2], ARGV[1], 'PX', ARGV[2], 'NX') then return 0 end
return math.max(1, redis.call('PTTL', KEYS[2]))`;

/** Only the claim's holder lets it go: a sender that outlived its claim must not free a successor's. */
const RELEASE = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0`;

const FINISH = `
redis.call('SET', KEYS[1], '1', 'EX', ARGV[2])
if redis.call('GET', KEYS[2]) == ARGV[1] then redis.call('DEL', KEYS[2]) end
return 1`;

export type SendTurn =
  | { kind: "sent" }
  | { kind: "busy"; waitMs: number }
  | {
      kind: "ours";
      /** The platform took it: remember the key so no retry or duplicate sends it again. */
      sent(): Promise<void>;
      /** It did not go: let the next attempt claim it. */
      release(): Promise<void>;
    };

/**
 * Which outbound messages went out, by dedupe key, across all workers. A send
 * first claims its key (for as long as one send may take), then records it
 * as sent before its job completes: a job retried after its send (its worker
 * died before completing it) or added twice finds the record and sends
 * nothing, and a retry arriving while the first send is still in flight waits
 * for it rather than racing it.
 */
export function redisSendLedger(redis: Redis, prefix: string, o: { claimMs: number; sentTtlSeconds: number }) {
  const keys = (key: string) => [`${prefix}:sent:${key}`, `${prefix}:sending:${key}`] as const;
  return {
    async begin(key: string): Promise<SendTurn> {
      const [sent, sending] = keys(key);
      const token = randomUUID();
      const answer = Number(await redis.eval(BEGIN, 2, sent, sending, token, o.claimMs));
      if (answer < 0) return { kind: "sent" };
      if (answer > 0) return { kind: "busy", waitMs: answer };
      return {
        kind: "ours",
        sent: async () => void (await redis.eval(FINISH, 2, sent, sending, token, o.sentTtlSeconds)),
        release: async () => void (await redis.eval(RELEASE, 1, sending, token)),
      };
    },
  };
}

export type SendLedger = ReturnType<typeof redisSendLedger>;
