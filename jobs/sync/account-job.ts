import { DelayedError, UnrecoverableError, type Job } from "bullmq";
import { ProviderError } from "../../core/social/port.ts";
import { syncAccount, type AccountSyncDeps, type SyncTarget } from "../../core/sync/account.ts";
import { recordFailure, type FailureReason } from "../../core/sync/failures.ts";
import type { Stored } from "../../core/sync/store.ts";
import { redactSecrets } from "../redact.ts";
import { QuotaWait, type SyncGates } from "./gate.ts";

export interface AccountJobDeps extends AccountSyncDeps {
  gates: SyncGates;
  /** After an account's numbers are stored: the creator's analytics are to be recomputed (and the boards moved). */
  synced(target: SyncTarget): Promise<void>;
}

/** A platform that says "wait" without saying how long is asked again after this. */
const DEFAULT_RETRY_AFTER_MS = 60_000;

/** Back to delayed until `ms` from now, spread a little so a quota's waiters don't all wake at once; this costs no attempt. */
async function later(job: Job<SyncTarget>, ms: number, token: string | undefined): Promise<never> {
  await job.moveToDelayed(Date.now() + ms + Math.floor(Math.random() * Math.min(1_000, ms / 10)), token);
  throw new DelayedError();
}

/**
 * One account's sync as a job. A wait (our quota, or the platform's 429 and
 * Retry-After, which also pauses every other worker's calls in its scope)
 * delays the job without spending an attempt; a permanent error is recorded
 * for admins and not retried; anything else is retried with backoff and
 * recorded once the attempts are used up.
 */
export async function runAccountJob(deps: AccountJobDeps, job: Job<SyncTarget>, token: string | undefined): Promise<Stored | null> {
  const target = job.data;
  const gate = deps.gates.gate(target.platform, target.creatorId);
  let stored: Stored | null;
  try {
    stored = await syncAccount(deps, target, gate);
  } catch (err) {
    const attempts = job.attemptsMade + 1;
    if (err instanceof ProviderError && err.kind === "rate_limited") {
      const ms = err.retryAfterMs ?? DEFAULT_RETRY_AFTER_MS;
      if (!(err instanceof QuotaWait)) await gate.pause(ms);
      return later(job, ms, token);
    }
    const detail = redactSecrets(err instanceof Error ? err.message : String(err), 500);
    if (err instanceof ProviderError && err.permanent) {
      await recordFailure(deps, target, err.kind as FailureReason, detail, attempts);
      throw new UnrecoverableError(detail);
    }
    if (attempts >= (job.opts.attempts ?? 1)) await recordFailure(deps, target, "retries_exhausted", detail, attempts);
    throw new Error(detail);
  }
  if (stored) await deps.synced(target);
  return stored;
}
