import { expect } from "vitest";
import { runCommand, type RunnerDeps } from "../../core/commands/run.ts";
import type { Caller } from "../../core/commands/types.ts";

/** Runs set-up lines in order as `caller`, each required to succeed (its reply shows when one doesn't). */
export async function runAll(runner: RunnerDeps, caller: Caller, lines: string[]): Promise<void> {
  for (const line of lines) {
    const r = await runCommand(runner, { text: line, caller });
    expect(r.ok, `${line}: ${r.reply.text}`).toBe(true);
  }
}

