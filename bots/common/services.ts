import type { ActionSigner } from "../../core/actions/signer.ts";
import type { Clock } from "../../core/clock.ts";
import type { DeferredCommand } from "../../core/commands/deferred.ts";
import type { RunnerDeps } from "../../core/commands/run.ts";
import type { EventClaims } from "../../core/idempotency.ts";
import type { Logger } from "../../core/logger.ts";
import type { OutboundMessage } from "../../core/notifications/messenger.ts";

/** What the composition root gives every chat adapter: the core's runner and the machinery shared around it. */
export interface AdapterServices {
  runner: RunnerDeps;
  /** Signs and verifies button payloads. */
  signer: ActionSigner;
  /** Each platform event id handled once. */
  claims: EventClaims;
  /** Queues a command to run on a worker, its answer sent to the request's reply address. */
  defer(command: DeferredCommand): Promise<void>;
  /**
   * Hands a message to the outbound workers: paced, retried with backoff, kept when it keeps failing. `key`
   * names what caused it (a platform event id): the same key twice sends once.
   */
  enqueue(message: OutboundMessage, key?: string): Promise<void>;
  /** True while this process is too busy to answer commands inline. */
  busy(): boolean;
  clock: Clock;
  log: Logger;
}
