import type { Redis } from "ioredis";
import { ACTION_TTL_MS } from "../../core/actions/signer.ts";
import type { Choice } from "./web-messages.ts";

/**
 * The numbered options last sent to each number, so "2" can be read back as
 * the second one. In Redis rather than memory: the paired session outlives a
 * restart, and so should an answer to a message sent before it. They last as
 * long as the signatures they carry; a stale or edited entry gains nothing,
 * since the bot verifies each signed command before it runs.
 */
export interface ChoiceStore {
  offer(phone: string, choices: Choice[]): Promise<void>;
  of(phone: string): Promise<Choice[]>;
}

export function redisChoices(redis: Redis, prefix: string, ttlMs = ACTION_TTL_MS): ChoiceStore {
  const key = (phone: string) => `${prefix}:whatsapp-web:choices:${phone}`;
  return {
    async offer(phone, choices) {
      await redis.set(key(phone), JSON.stringify(choices), "PX", ttlMs);
    },
    async of(phone) {
      const stored = await redis.get(key(phone));
      return stored ? (JSON.parse(stored) as Choice[]) : [];
    },
  };
}
