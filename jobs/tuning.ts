/** The queue's timings, one place; tests shrink them rather than sleep through real seconds. */
export interface JobTuning {
  /** The first retry's delay; each next one doubles (1, 2, 4, 8 s over five attempts). */
  backoffMs: number;
  /** How long a worker's hold on a job lasts unrenewed: past it, its process is taken for dead and the job stalls. */
  lockDurationMs: number;
  /** How often workers look for stalled jobs. */
  stalledIntervalMs: number;
  /** Longest a send may be in flight before another worker may try the same message (the first one's process died). */
  sendClaimMs: number;
  /** How long a sent message's key is remembered: longer than finished jobs are kept (a day), so a re-added job is still caught. */
  sentTtlSeconds: number;
}

export const JOB_TUNING: JobTuning = {
  backoffMs: 1_000,
  lockDurationMs: 30_000,
  stalledIntervalMs: 30_000,
  sendClaimMs: 30_000,
  sentTtlSeconds: 7 * 86_400,
};
