import { findCampaign } from "../campaigns/find.ts";
import { arg, optional } from "../commands/args.ts";
import { defineCommand, type Actor, type MemberContext } from "../commands/types.ts";
import type { Locale } from "../i18n/locale.ts";
import type { Translate } from "../i18n/t.ts";
import type { Reply } from "../reply.ts";
import { ROLES } from "../roles.ts";
import { RANKING } from "./formula.ts";
import type { BoardRef } from "./port.ts";
import { readBoard, type RankingDeps } from "./standings.ts";
import { utcMinute } from "../dates.ts";

const LEADERBOARD_ROWS = 10;
const FEED_ROWS = 20;
/** App Home's "Top creators". */
export const TOP_ROWS = 5;
const NONE = "—";


// Building an Intl.NumberFormat costs tens of microseconds; a board formats a score per row.
const formats = new Map<Locale, Intl.NumberFormat>();
function formatScore(score: number, locale: Locale): string {
  let f = formats.get(locale);
  if (!f) formats.set(locale, (f = new Intl.NumberFormat(locale, { maximumFractionDigits: 1 })));
  return f.format(score);
}

interface Ranked {
  rank: number;
  number: number;
  name: string;
  category: string | null;
  location: string | null;
  score: number;
  boost: { multiplier: number; endsAt: Date } | null;
}

/** A page of a board: places and scores from the rankings, then one query for the page's names and running boosts. */
async function rankedPage(deps: RankingDeps, board: BoardRef, count: number): Promise<{ total: number; rows: Ranked[] }> {
  const { total, standings } = await readBoard(deps, board, 0, count);
  if (standings.length === 0) return { total, rows: [] };
  const now = deps.clock.now();
  const numbers = standings.map((s) => s.number);
  const found = await deps.db.$queryRaw<{ number: number; name: string; category: string | null; location: string | null; multiplier: number | null; ends_at: Date | null }[]>`
    SELECT c.number, c.name, c.category, c.location, b.multiplier, b.ends_at
    FROM creators c
    LEFT JOIN LATERAL (
      SELECT multiplier, ends_at FROM boosts
      WHERE creator_id = c.id AND status = 'active' AND starts_at <= ${now} AND ends_at > ${now}
      ORDER BY multiplier DESC LIMIT 1
    ) b ON true
    WHERE c.workspace_id = ${board.workspaceId}::uuid AND c.number = ANY(${numbers}::int[])`;
  const byNumber = new Map(found.map((r) => [r.number, r]));
  const rows = standings.flatMap((s, i): Ranked[] => {
    const c = byNumber.get(s.number);
    if (!c) return [];
    return [{ rank: i + 1, number: s.number, name: c.name, category: c.category, location: c.location, score: s.score, boost: c.multiplier && c.ends_at ? { multiplier: c.multiplier, endsAt: c.ends_at } : null }];
  });
  return { total, rows };
}

function boardTable(rows: Ranked[], total: number, t: Translate, locale: Locale) {
  return {
    columns: ["#", t("leaderboard.col.creator"), t("leaderboard.col.score"), t("leaderboard.col.boost")],
    rows: rows.map((r) => [String(r.rank), `${r.name} (#${r.number})`, formatScore(r.score, locale), r.boost ? t("leaderboard.boost", { multiplier: r.boost.multiplier, until: utcMinute(r.boost.endsAt) }) : NONE]),
    total,
  };
}

/** A creator asking sees where they stand, even off the first page. */
async function ownPlace(ctx: MemberContext, board: BoardRef, total: number): Promise<string | undefined> {
  if (ctx.actor.role !== "creator") return undefined;
  const me = await ctx.db.creator.findFirst({ where: { workspaceId: ctx.actor.workspace.id, memberId: ctx.actor.memberId }, select: { number: true } });
  const rank = me ? await ctx.rankings.rankOf(board, me.number) : null;
  return rank === null ? undefined : ctx.t("leaderboard.you", { rank: rank + 1, total });
}

export const leaderboard = defineCommand({
  name: "leaderboard",
  summary: "leaderboard.summary",
  roles: ROLES,
  examples: ["leaderboard", 'leaderboard --campaign "Summer Launch"'],
  args: { campaign: optional(arg.ref({ of: "campaign", help: "leaderboard.arg.campaign", example: '"Summer Launch"' })) },
  async handler(ctx, a): Promise<Reply> {
    const { actor, t } = ctx;
    const campaign = a.campaign ? await findCampaign(ctx.db, actor.workspace.id, a.campaign) : undefined;
    const board: BoardRef = { workspaceId: actor.workspace.id, ...(campaign ? { campaignId: campaign.id } : {}) };
    const { total, rows } = await rankedPage(ctx, board, LEADERBOARD_ROWS);
    const title = campaign ? t("leaderboard.title_campaign", { campaign: campaign.name }) : t("leaderboard.title", { workspace: actor.workspace.name });
    if (rows.length === 0) return { tone: "info", title, text: campaign ? t("leaderboard.empty_campaign", { campaign: campaign.name, number: campaign.number }) : t("leaderboard.empty") };
    const you = await ownPlace(ctx, board, total);
    return {
      title,
      text: [t("leaderboard.formula", { neutral: RANKING.neutralInfluence }), you].filter(Boolean).join("\n"),
      table: boardTable(rows, total, t, ctx.locale),
    };
  },
});

export const feed = defineCommand({
  name: "feed",
  summary: "feed.summary",
  roles: ROLES,
  examples: ["feed"],
  args: {},
  async handler(ctx): Promise<Reply> {
    const { actor, t } = ctx;
    const title = t("feed.title", { workspace: actor.workspace.name });
    const { total, rows } = await rankedPage(ctx, { workspaceId: actor.workspace.id }, FEED_ROWS);
    if (rows.length === 0) return { tone: "info", title, text: t("leaderboard.empty") };
    const lines = rows.map((r) => {
      const parts = [`**${r.rank}. ${r.name}** (#${r.number})`, t("feed.score", { score: formatScore(r.score, ctx.locale) })];
      if (r.boost) parts.push(t("feed.boosted", { multiplier: r.boost.multiplier, until: utcMinute(r.boost.endsAt) }));
      if (r.category) parts.push(r.category);
      if (r.location) parts.push(r.location);
      return `- ${parts.join(" · ")}`;
    });
    return { title, text: [...lines, "", t("feed.more", { shown: rows.length, total })].join("\n") };
  },
});

/** App Home's "Top creators": the head of the workspace board, boosts marked. */
export async function topCreators(deps: RankingDeps, actor: Actor, t: Translate, locale: Locale): Promise<Reply> {
  const { total, rows } = await rankedPage(deps, { workspaceId: actor.workspace.id }, TOP_ROWS);
  const heading = `**${t("overview.top")}**`;
  if (rows.length === 0) return { text: `${heading}\n${t("overview.none_top")}` };
  return { text: heading, table: boardTable(rows, total, t, locale), buttons: [{ label: t("leaderboard.button"), command: "leaderboard" }] };
}
