import type { ChatPlatform } from "../../core/commands/types.ts";
import type { ChatTarget, Messenger } from "../../core/notifications/messenger.ts";
import type { Reply } from "../../core/reply.ts";

/** What one send call does: deliver, throw, deliver once `hold` settles, or never return (its process died mid-call). */
export type Step = "deliver" | Error | { hold: Promise<unknown> } | "hang";

/**
 * A stand-in chat platform whose calls follow a script, for the outbound
 * queue's guarantees: `delivered` is what the platform accepted, `calls` how
 * often it was asked. Past the script's end, every call delivers.
 */
export class ScriptedPlatform implements Messenger {
  readonly delivered: { target: ChatTarget; reply: Reply }[] = [];
  calls = 0;
  private readonly plan: Step[] = [];

  constructor(readonly platform: ChatPlatform) {}

  next(...steps: Step[]): this {
    this.plan.push(...steps);
    return this;
  }

  async send(target: ChatTarget, reply: Reply): Promise<void> {
    this.calls++;
    const step = this.plan.shift() ?? "deliver";
    if (step instanceof Error) throw step;
    if (step === "hang") return new Promise(() => {});
    if (step !== "deliver") await step.hold;
    this.delivered.push({ target, reply });
  }
}

/** Polls until `check` holds, or fails after timeoutMs saying what was awaited. */
export async function until(what: string, check: () => boolean | Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}
