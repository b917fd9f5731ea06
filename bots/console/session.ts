import { runCommand, type RunnerDeps, type RunResult } from "../../core/commands/run.ts";
import type { Actor, Caller } from "../../core/commands/types.ts";
import { actorByName } from "../../core/identity/actor.ts";
import { consoleExternalId } from "../../core/identity/console.ts";
import type { Reply } from "../../core/reply.ts";


export class UnknownMemberError extends Error {}

/**
 * A console conversation as one member. `!N` presses button N of the last
 * reply, as a click would on a chat platform.
 */
export class ConsoleSession {
  private lastButtons: Reply["buttons"] = [];

  private constructor(
    private readonly deps: RunnerDeps,
    readonly actor: Actor,
    private readonly caller: Caller,
  ) {}

  static async open(deps: RunnerDeps, workspaceSlug: string, memberName: string): Promise<ConsoleSession> {
    const actor = await actorByName(deps.db, workspaceSlug, memberName);
    if (!actor) throw new UnknownMemberError(`no member called "${memberName}" in workspace "${workspaceSlug}"`);
    const member = await deps.db.member.findUniqueOrThrow({ where: { id: actor.memberId } });
    const caller: Caller = { platform: "console", externalId: consoleExternalId(workspaceSlug, member.nameKey), displayName: actor.displayName, locale: member.locale ?? undefined };
    return new ConsoleSession(deps, actor, caller);
  }

  async run(line: string): Promise<RunResult> {
    const press = /^!(\d+)$/.exec(line.trim());
    const button = press ? this.lastButtons?.[Number(press[1]) - 1] : undefined;
    if (press && !button) {
      return { ok: false, reply: { tone: "error", text: `There is no button ${press[1]} on the last reply.` } };
    }
    const result = await runCommand(this.deps, { text: button ? button.command : line, caller: this.caller, actor: this.actor });
    this.lastButtons = result.reply.buttons ?? [];
    return result;
  }
}
