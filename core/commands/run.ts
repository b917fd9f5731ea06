import { planOf } from "../billing/subscription.ts";
import { PLAN_LIMITS } from "../billing/plans.ts";
import { DomainError, ForbiddenError, RateLimitedError, UsageError } from "../errors.ts";
import { toLocale, type Locale } from "../i18n/locale.ts";
import { t, translator, type MessageKey } from "../i18n/t.ts";
import { resolveActor } from "../identity/actor.ts";
import { buckets } from "../limits/buckets.ts";
import { retrySeconds } from "../limits/port.ts";
import type { Logger } from "../logger.ts";
import type { DomainEvent, EventPublisher } from "../notifications/events.ts";
import { scoped, type Reply } from "../reply.ts";
import { bindArgs } from "./bind.ts";
import type { CommandRegistry } from "./registry.ts";
import { tokenize } from "./tokenize.ts";
import type { Actor, Caller, CommandContext, CommandDef, CoreDeps, MemberContext } from "./types.ts";

export interface RunnerDeps extends CoreDeps {
  registry: CommandRegistry;
  events: EventPublisher;
  log: Logger;
}

export interface RunRequest {
  text: string;
  caller: Caller;
  /** Set when the adapter already knows the member (the console's --as). */
  actor?: Actor | null;
  /** This front door can queue commands (DeferredCommand): a `queued` command is then only checked and acknowledged here. */
  queue?: boolean;
}

export interface RunResult {
  reply: Reply;
  /** The command that ran, when the text named one. */
  command?: string;
  ok: boolean;
  /** Why it failed: a domain error's kind, or "internal". */
  error?: DomainError["kind"] | "internal";
  /** For forms: the failed message and the argument it was about ("--budget", "<name>"). */
  errorKey?: MessageKey;
  errorArg?: string;
  /** The caller's workspace, when they are a member: a queued answer is that workspace's message. */
  workspaceId?: string;
  /** Checked and acknowledged, not run: the front door queues it now and a worker answers (CommandDef.queued). */
  queued?: boolean;
}

/**
 * The one path every front door takes: text in, reply out. Errors become
 * replies here, in the caller's language; nothing escapes as a stack trace.
 */
export async function runCommand(deps: RunnerDeps, req: RunRequest): Promise<RunResult> {
  let locale: Locale = toLocale(req.caller.locale);
  let command: string | undefined;
  let example: string | undefined;
  let workspaceId: string | undefined;
  try {
    const actor = req.actor === undefined ? await resolveActor(deps.db, req.caller) : req.actor;
    workspaceId = actor?.workspace.id;
    locale = toLocale(req.caller.locale ?? actor?.workspace.locale);
    await throttle(deps, req.caller, actor);
    const { command: def, rest } = deps.registry.resolve(tokenize(req.text));
    command = def.name;
    example = def.examples[0];
    const events: DomainEvent[] = [];
    const ctx: CommandContext = { ...deps, caller: req.caller, actor, locale, t: translator(locale), emit: (e) => events.push(e) };
    let reply: Reply;
    if (def.roles === "anyone") {
      reply = await def.handler(ctx, bindArgs(def, rest));
    } else {
      authorize(def, actor, req.caller, locale);
      const args = bindArgs(def, rest);
      if (def.queued && req.queue) return { reply: { tone: "info", text: t(locale, "command.working") }, command, ok: true, queued: true, workspaceId };
      reply = await def.handler(ctx as MemberContext, args);
    }
    // The change is committed: a failure to queue its notifications must not report it as failed.
    if (events.length > 0) await deps.events.publish(events).catch((err: unknown) => deps.log.error({ err, command, events: events.length }, "events not published"));
    return { reply: actor ? scoped(reply, actor.workspace.id) : reply, command, ok: true, workspaceId };
  } catch (err) {
    if (err instanceof DomainError) {
      const errorArg = typeof err.vars.arg === "string" ? err.vars.arg : undefined;
      return { reply: errorReply(err, locale, example), command, ok: false, error: err.kind, errorKey: err.key, ...(errorArg ? { errorArg } : {}), workspaceId };
    }
    const ref = deps.ids.code(8);
    deps.log.error({ err, ref, command, platform: req.caller.platform }, "command failed");
    return { reply: { tone: "error", ephemeral: true, text: t(locale, "error.internal", { ref }) }, command, ok: false, error: "internal", workspaceId };
  }
}

/**
 * Before any command is even parsed: a member's commands across every chat
 * platform share one window, sized by their workspace's plan; someone not
 * linked yet is counted per chat account at the free plan's rate.
 */
async function throttle(deps: RunnerDeps, caller: Caller, actor: Actor | null): Promise<void> {
  const bucket = actor ? buckets.member(actor.memberId, (await planOf(deps.db, actor.workspace.id)).limits) : buckets.caller(caller.platform, caller.externalId, PLAN_LIMITS.free.commandsPerMinute);
  const taken = await deps.limiter.take([bucket], deps.clock.now());
  if (!taken.ok) throw new RateLimitedError(retrySeconds(taken.retryAfterMs));
}

/** RBAC: throws unless the caller is a member whose role may run the command. */
export function authorize(def: CommandDef, actor: Actor | null, caller: Caller, locale: Locale): asserts actor is Actor {
  if (def.roles === "anyone") return;
  if (!actor) throw new ForbiddenError("auth.not_linked", { platform: caller.platform }, "link ABC123");
  if (actor.foreignTenant) throw new ForbiddenError("auth.foreign_tenant", { platform: caller.platform, workspace: actor.workspace.name });
  if (!def.roles.includes(actor.role)) {
    const tr = translator(locale);
    throw new ForbiddenError("auth.role", { command: def.name, role: tr(`role.${actor.role}`), roles: def.roles.map((r) => tr(`role.${r}`)).join(", ") });
  }
}

/** Bad input always shows a right example: the error's own, else the command's first. */
export function errorReply(err: DomainError, locale: Locale, commandExample?: string): Reply {
  const lines = [t(locale, err.key, err.vars)];
  const example = err.example ?? (err instanceof UsageError ? commandExample : undefined);
  if (example) lines.push(t(locale, err instanceof UsageError ? "error.example" : "error.try", { example }));
  return { tone: "error", ephemeral: true, text: lines.join("\n") };
}
