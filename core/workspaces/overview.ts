import type { Actor, CoreDeps } from "../commands/types.ts";
import { topCreators } from "../leaderboard/commands.ts";
import { budgetOf, dates, transitionButtons } from "../campaigns/render.ts";
import type { Translate } from "../i18n/t.ts";
import type { Locale } from "../i18n/locale.ts";
import { scoped, type Reply } from "../reply.ts";
import { APPROVERS } from "../roles.ts";

const SHOWN = 10;

/**
 * The workspace at a glance, for a member: active campaigns, and for approvers
 * what waits for them, with buttons to act, and the top of the leaderboard.
 * App Home and similar surfaces render it.
 */
export async function workspaceOverview(deps: Pick<CoreDeps, "db" | "clock" | "rankings">, actor: Actor, t: Translate, locale: Locale): Promise<Reply[]> {
  const ws = actor.workspace.id;
  const [active, activeCount, pending, top] = await Promise.all([
    deps.db.campaign.findMany({ where: { workspaceId: ws, status: "active" }, orderBy: { endsOn: "asc" }, take: SHOWN }),
    deps.db.campaign.count({ where: { workspaceId: ws, status: "active" } }),
    APPROVERS.includes(actor.role) ? deps.db.campaign.findMany({ where: { workspaceId: ws, status: "submitted" }, orderBy: { updatedAt: "asc" }, take: SHOWN }) : Promise.resolve([]),
    topCreators(deps, actor, t, locale),
  ]);
  const sections: Reply[] = [
    {
      title: t("overview.title", { workspace: actor.workspace.name }),
      text: t("overview.you", { name: actor.displayName, role: t(`role.${actor.role}`) }),
    },
    activeCount === 0
      ? { text: `**${t("overview.active")}**\n${t("overview.none_active")}` }
      : {
          text: `**${t("overview.active")}** (${activeCount})`,
          table: {
            columns: ["#", t("campaign.field.name"), t("campaign.field.budget"), t("campaign.field.dates")],
            rows: active.map((c) => [String(c.number), c.name, budgetOf(c, locale), dates(c)]),
            total: activeCount,
          },
        },
  ];
  if (APPROVERS.includes(actor.role)) {
    sections.push(
      pending.length === 0
        ? { text: `**${t("overview.pending")}**\n${t("overview.none_pending")}` }
        : { text: `**${t("overview.pending")}** (${pending.length})` },
      ...pending.map((c) => scoped({ text: `**${c.name}** (#${c.number}) · ${budgetOf(c, locale)} · ${dates(c)}`, buttons: transitionButtons(c, actor.role, t) }, actor.workspace.id)),
    );
  }
  sections.push(scoped(top, ws));
  return sections;
}
