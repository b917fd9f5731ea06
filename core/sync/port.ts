import type { SocialPlatform } from "../social/port.ts";

/**
 * Port: the metrics sync's queue as commands see it. A run is started, not
 * worked through, by the command: a workspace can hold hundreds of
 * thousands of accounts, so a worker queues them (one job per account,
 * never two at once for the same one) and keeps the run's message current.
 */
export interface SyncQueue {
  /** The platforms Clout has a provider for: a run covers their accounts. */
  readonly platforms: readonly SocialPlatform[];
  start(run: { id: string; workspaceId: string }): Promise<void>;
}
