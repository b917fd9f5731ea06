import { arg } from "../commands/args.ts";
import { defineCommand } from "../commands/types.ts";
import { NotFoundError } from "../errors.ts";
import type { Role } from "../roles.ts";
import { utcMinute } from "../dates.ts";

/** A failed message can hold anything the workspace sends, so only its owners and admins see or resend them. */
const ADMINS: readonly Role[] = ["owner", "admin"];
const PAGE = 20;
const FAILED_EXAMPLE = "admin outbox failed";


export const outboxFailed = defineCommand({
  name: "outbox failed",
  aliases: ["admin outbox failed"],
  summary: "outbox.failed.summary",
  roles: ADMINS,
  examples: [FAILED_EXAMPLE],
  args: {},
  async handler(ctx) {
    const { t } = ctx;
    const { messages, total } = await ctx.outbox.failed(ctx.actor.workspace.id, PAGE);
    if (total === 0) return { tone: "success", ephemeral: true, text: t("outbox.failed.none") };
    return {
      tone: "warning",
      ephemeral: true,
      title: t("outbox.failed.title"),
      table: {
        columns: [t("outbox.col.id"), t("outbox.col.platform"), t("outbox.col.recipient"), t("outbox.col.reason"), t("outbox.col.attempts"), t("outbox.col.when")],
        rows: messages.map((m) => [m.id, m.platform, m.recipient ?? t(m.kind === "edit" ? "outbox.recipient.edit" : "outbox.recipient.request"), m.reason, String(m.attempts), utcMinute(m.failedAt)]),
        total,
      },
      text: t("outbox.failed.hint"),
      buttons: [{ label: t("outbox.retry.all_button"), command: "outbox retry all" }],
    };
  },
});

export const outboxRetry = defineCommand({
  name: "outbox retry",
  aliases: ["admin outbox retry"],
  summary: "outbox.retry.summary",
  roles: ADMINS,
  examples: ["admin outbox retry all", "admin outbox retry 12-3f9a0c1b2d4e5f60"],
  args: { id: arg.text({ positional: true, help: "outbox.arg.id", example: "all", max: 200 }) },
  async handler(ctx, a) {
    const { t } = ctx;
    const workspaceId = ctx.actor.workspace.id;
    if (a.id.toLowerCase() === "all") {
      const n = await ctx.outbox.retryAll(workspaceId);
      if (n === 0) return { ephemeral: true, text: t("outbox.retry.nothing") };
      return { tone: "success", ephemeral: true, text: n === 1 ? t("outbox.retry.all_one") : t("outbox.retry.all", { n }) };
    }
    // Another workspace's message answers exactly like one that does not exist: ids tell nothing across tenants.
    if (!(await ctx.outbox.retry(workspaceId, a.id))) throw new NotFoundError("outbox.not_found", { id: a.id }, FAILED_EXAMPLE);
    return { tone: "success", ephemeral: true, text: t("outbox.retry.one", { id: a.id }) };
  },
});
