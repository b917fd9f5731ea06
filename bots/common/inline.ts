import { runCommand, type RunnerDeps, type RunRequest, type RunResult } from "../../core/commands/run.ts";

export interface InlineOptions {
  /** How long a command may run inside the platform's acknowledgement before the answer is sent later. */
  budgetMs: number;
  /** Commands this process runs inside acknowledgements at once; past that, commands are queued. */
  limit: number;
  /** True while this process is too busy to answer inline; then every command is queued. */
  busy(): boolean;
}

/** A command answered inside the acknowledgement, or still running when its budget ran out. */
export type InlineOutcome = { quick: RunResult } | { late: Promise<RunResult> };

/**
 * Admission for platforms with an acknowledgement deadline (Slack, Discord):
 * each command costs a few ms of this thread, so past a handful in flight,
 * answering inline would make every later acknowledgement wait behind them.
 * Those are queued for the workers instead (`overloaded()`).
 */
export class InlineRunner {
  private inFlight = 0;

  constructor(
    private readonly runner: RunnerDeps,
    private readonly o: InlineOptions,
  ) {}

  overloaded(): boolean {
    return this.inFlight >= this.o.limit || this.o.busy();
  }

  async run(req: RunRequest): Promise<InlineOutcome> {
    this.inFlight++;
    const pending = runCommand(this.runner, req).finally(() => this.inFlight--);
    let timer: NodeJS.Timeout | undefined;
    const quick = await Promise.race([pending, new Promise<null>((r) => (timer = setTimeout(r, this.o.budgetMs, null)))]);
    clearTimeout(timer);
    return quick ? { quick } : { late: pending };
  }
}
