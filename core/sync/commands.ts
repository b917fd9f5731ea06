import { arg } from "../commands/args.ts";
import { defineCommand, type MemberContext } from "../commands/types.ts";
import { findCreator } from "../creators/find.ts";
import { utcMinute } from "../dates.ts";
import { NotFoundError, UsageError } from "../errors.ts";
import type { Translate } from "../i18n/t.ts";
import { APPROVERS, MANAGERS } from "../roles.ts";
import { openFailures, type OpenFailure } from "./failures.ts";
import { progressReply, runProgress, type SyncRunRef } from "./runs.ts";

const ALL = "all";
const FAILURES_PAGE = 20;

/** "all", or one creator by #number, name or handle; another creator's near miss is suggested as a sync line. */
async function creatorOf(ctx: MemberContext, ref: string): Promise<string | null> {
  if (ref.toLowerCase() === ALL) return null;
  try {
    return (await findCreator(ctx.db, ctx.actor.workspace.id, ref)).id;
  } catch (err) {
    if (!(err instanceof NotFoundError)) throw err;
    const close = typeof err.vars.suggestion === "string" && err.vars.suggestion ? err.vars.suggestion : null;
    throw new NotFoundError(err.key, err.vars, close ? `sync "${close}"` : "sync all");
  }
}

export const syncRun = defineCommand({
  name: "sync run",
  aliases: ["sync"],
  summary: "sync.run.summary",
  roles: MANAGERS,
  examples: ["sync all", 'sync "Murugi Wanjiku"', "sync 2"],
  args: { target: arg.ref({ of: "creator", positional: true, help: "sync.arg.target", example: "all" }) },
  async handler(ctx, a) {
    const workspaceId = ctx.actor.workspace.id;
    const creatorId = await creatorOf(ctx, a.target);
    const platforms = [...ctx.sync.platforms];
    const accounts = await ctx.db.creatorHandle.count({ where: { workspaceId, platform: { in: platforms }, ...(creatorId ? { creatorId } : {}) } });
    if (accounts === 0) throw new UsageError(creatorId ? "sync.no_handles" : "sync.no_creators", { ref: a.target }, 'creator add "Murugi Wanjiku" --instagram murugi');
    const run: SyncRunRef = { id: ctx.ids.uuid(), workspaceId, creatorId, platforms, startedAt: ctx.clock.now(), finishedAt: null };
    await ctx.db.syncRun.create({ data: { ...run, requestedBy: ctx.actor.memberId } });
    await ctx.sync.start(run);
    return progressReply(run, await runProgress(ctx.db, run), ctx.locale);
  },
});

/** What an admin can do about a failure, naming the creator and the platform. */
function remedy(f: OpenFailure, t: Translate): string {
  const vars = { creator: f.creatorName, platform: t(`platform.${f.platform}`), handle: f.handle, number: f.creatorNumber };
  return t(`sync.fix.${f.reason}`, vars);
}

export const syncFailures = defineCommand({
  name: "sync failures",
  summary: "sync.failures.summary",
  roles: APPROVERS,
  examples: ["sync failures"],
  args: {},
  async handler(ctx) {
    const { t } = ctx;
    const { failures, total } = await openFailures(ctx.db, ctx.actor.workspace.id, FAILURES_PAGE);
    if (total === 0) return { tone: "success", ephemeral: true, text: t("sync.failures.none") };
    return {
      tone: "warning",
      ephemeral: true,
      title: t("sync.failures.title", { total }),
      table: {
        columns: [t("sync.col.creator"), t("sync.col.platform"), t("sync.col.reason"), t("sync.col.when"), t("sync.col.fix")],
        rows: failures.map((f) => [`${f.creatorName} (#${f.creatorNumber})`, `${t(`platform.${f.platform}`)} @${f.handle}`, `${t(`sync.reason.${f.reason}`)}: ${f.detail}`, utcMinute(f.failedAt), remedy(f, t)]),
        total,
      },
      text: t("sync.failures.hint"),
    };
  },
});

export const syncCommands = [syncRun, syncFailures];
