import { isUniqueViolation } from "../../db/errors.ts";
import { audit } from "../audit/audit.ts";
import { assertRoom } from "../billing/subscription.ts";
import { arg, optional } from "../commands/args.ts";
import { defineCommand, type MemberContext } from "../commands/types.ts";
import { figures } from "../analytics/format.ts";
import { ConflictError } from "../errors.ts";
import { nameKey } from "../names.ts";
import { MANAGERS, STAFF } from "../roles.ts";
import { nextNumber } from "../workspaces/counters.ts";
import { findMember } from "../members/find.ts";
import { findCreator } from "./find.ts";
import { discover, DISCOVERY_PAGE, matchedWhere } from "./discovery.ts";
import { followersArg, percentArg } from "./discovery-args.ts";
import { analyticsFields } from "./profile.ts";
import { SOCIAL_PLATFORMS, handleArg, type SocialPlatform } from "./handles.ts";

export const creatorAdd = defineCommand({
  name: "creator add",
  summary: "creator.add.summary",
  roles: MANAGERS,
  examples: ['creator add "Murugi Wanjiku" --instagram murugi --tiktok murugi.w --phone +254712345678 --category beauty --location KE --language en'],
  args: {
    name: arg.text({ positional: true, help: "creator.arg.name", example: '"Murugi Wanjiku"', max: 120 }),
    instagram: optional(handleArg("instagram")),
    youtube: optional(handleArg("youtube")),
    tiktok: optional(handleArg("tiktok")),
    x: optional(handleArg("x")),
    phone: optional(arg.phone({ help: "creator.arg.phone", example: "+254712345678" })),
    category: optional(arg.text({ help: "creator.arg.category", example: "beauty", max: 40 })),
    location: optional(arg.country({ help: "creator.arg.location", example: "KE" })),
    language: optional(arg.choice({ help: "creator.arg.language", example: "pt", choices: ["en", "pt", "es", "fr", "sw", "de", "it"] as const })),
    member: optional(arg.member({ help: "creator.arg.member", example: "@cris" })),
  },
  async handler(ctx, a) {
    const { actor, t } = ctx;
    // A creator who is also a member answers their invitations from their own chat accounts.
    const member = a.member ? await findMember(ctx.db, actor.workspace.id, a.member, ctx.caller) : undefined;
    const handles = SOCIAL_PLATFORMS.flatMap((p) => (a[p] ? [{ platform: p, handle: a[p]! }] : []));
    const id = ctx.ids.uuid();
    const creator = await ctx.db
      .$transaction(async (tx) => {
        await assertRoom(tx, actor.workspace.id, "creators", t);
        const number = await nextNumber(tx, actor.workspace.id, "creator");
        const created = await tx.creator.create({
          data: {
            id,
            workspaceId: actor.workspace.id,
            number,
            name: a.name,
            nameKey: nameKey(a.name),
            phone: a.phone ?? null,
            category: a.category ? nameKey(a.category) : null,
            location: a.location ?? null,
            language: a.language ?? null,
            memberId: member?.id ?? null,
            createdAt: ctx.clock.now(),
            handles: { create: handles.map((h) => ({ id: ctx.ids.uuid(), workspaceId: actor.workspace.id, ...h })) },
          },
        });
        await audit(tx, ctx.clock, { workspaceId: actor.workspace.id, actorMemberId: actor.memberId, action: "creator.added", entityType: "creator", entityId: id, data: { name: a.name, handles } });
        return created;
      })
      .catch((err: unknown) => {
        if (isUniqueViolation(err)) {
          const target = JSON.stringify(err.meta ?? {});
          if (target.includes("member")) throw new ConflictError("creator.member_taken", { who: member!.displayName }, "creators search");
          throw target.includes("handle")
            ? new ConflictError("creator.handle_taken", { handles: handles.map((h) => `${h.platform}:@${h.handle}`).join(", ") }, "creators search")
            : new ConflictError("creator.name_taken", { name: a.name }, `creator show "${a.name}"`);
        }
        throw err;
      });
    ctx.emit({ type: "creator.changed", workspaceId: actor.workspace.id, creatorId: id, change: "added", at: ctx.clock.now().toISOString() });
    return {
      tone: "success",
      text: t("creator.added", { name: creator.name, number: creator.number }),
      buttons: [{ label: t("creator.button.show"), command: `creator show ${creator.number}` }],
    };
  },
});

export const creatorShow = defineCommand({
  name: "creator show",
  summary: "creator.show.summary",
  roles: STAFF,
  examples: ['creator show "Murugi Wanjiku"', "creator show 2"],
  args: { creator: arg.ref({ of: "creator", positional: true, help: "creator.arg.ref", example: '"Murugi Wanjiku"' }) },
  async handler(ctx, a) {
    const { actor, t } = ctx;
    const c = await findCreator(ctx.db, actor.workspace.id, a.creator);
    const [handles, analytics] = await Promise.all([
      ctx.db.creatorHandle.findMany({ where: { creatorId: c.id }, orderBy: { platform: "asc" } }),
      analyticsFields(ctx.db, c, t, ctx.locale),
    ]);
    const dash = "—";
    const text = [c.bio, analytics.computed && `_${analytics.computed}_`].filter(Boolean).join("\n");
    return {
      title: `${c.name} (#${c.number})`,
      ...(text ? { text } : {}),
      fields: [
        ...handles.map((h) => ({ label: t(`platform.${h.platform}`), value: `@${h.handle}`, inline: true })),
        { label: t("creator.field.category"), value: c.category ?? dash, inline: true },
        { label: t("creator.field.location"), value: c.location ?? dash, inline: true },
        { label: t("creator.field.language"), value: c.language ?? dash, inline: true },
        { label: t("creator.field.phone"), value: c.phone ?? dash, inline: true },
        ...analytics.fields,
      ],
    };
  },
});

export const creatorsSearch = defineCommand({
  name: "creators search",
  aliases: ["creators"],
  summary: "discovery.search.summary",
  roles: STAFF,
  examples: ["creators search murugi", "creators search skincare --platform instagram --min-followers 10k --min-engagement 2.5", "creators search --platform instagram --location KE --category beauty"],
  args: {
    query: optional(arg.text({ positional: true, help: "creators.arg.query", example: "murugi", max: 100 })),
    platform: optional(arg.choice({ help: "creators.arg.platform", example: "instagram", choices: SOCIAL_PLATFORMS })),
    minFollowers: optional(followersArg("discovery.arg.min_followers", "10000")),
    minEngagement: optional(percentArg("discovery.arg.min_engagement", "2.5")),
    location: optional(arg.country({ help: "creator.arg.location", example: "KE" })),
    category: optional(arg.text({ help: "creator.arg.category", example: "beauty", max: 40 })),
    language: optional(arg.text({ help: "creator.arg.language", example: "pt", max: 10 })),
  },
  async handler(ctx, a) {
    const { actor, t } = ctx;
    const platform = a.platform as SocialPlatform | undefined;
    const found = await discover(ctx.db, actor.workspace.id, {
      query: a.query,
      platform,
      minFollowers: a.minFollowers,
      minEngagement: a.minEngagement,
      location: a.location,
      category: a.category ? nameKey(a.category) : undefined,
      language: a.language?.toLowerCase(),
    });
    if (found.total === 0) return { tone: "info", text: t("creators.none"), buttons: [] };
    const why = await explain(ctx, found, { platform, minFollowers: a.minFollowers });
    const f = figures(ctx.locale);
    const total = found.capped ? t("discovery.more_than", { count: f.count(found.total) }) : f.count(found.total);
    const text = [found.words.length ? t("discovery.ranked") : "", found.total > DISCOVERY_PAGE ? t("creators.more", { shown: DISCOVERY_PAGE, total }) : ""].filter(Boolean).join(" ");
    return {
      title: t("creators.title", { count: total }),
      table: {
        columns: ["#", t("creator.field.name"), t("creator.field.handles"), t("creator.field.category"), t("creator.field.location"), t("discovery.col.score"), t("discovery.col.why")],
        rows: found.rows.map((c) => [String(c.number), c.name, why.get(c.id)!.handles, c.category ?? "—", c.location ?? "—", c.influenceScore === null ? "—" : f.one(c.influenceScore), why.get(c.id)!.why]),
        ...(found.capped ? {} : { total: found.total }),
      },
      ...(text ? { text } : {}),
    };
  },
});

/** Each result's handles and why it is there: the words it matched and where, its engagement (and followers when filtered on them), its score. */
async function explain(ctx: MemberContext, found: Awaited<ReturnType<typeof discover>>, filters: { platform?: SocialPlatform; minFollowers?: number }) {
  const { t } = ctx;
  const ids = found.rows.map((r) => r.id);
  const [handles, metrics, scores] = await Promise.all([
    ctx.db.creatorHandle.findMany({ where: { creatorId: { in: ids } }, orderBy: { platform: "asc" } }),
    ctx.db.creatorPlatformMetric.findMany({ where: { creatorId: { in: ids } }, orderBy: { followers: "desc" } }),
    ctx.db.creatorScore.findMany({ where: { creatorId: { in: ids } }, select: { creatorId: true, keywordText: true } }),
  ]);
  const f = figures(ctx.locale);
  const out = new Map<string, { handles: string; why: string }>();
  for (const c of found.rows) {
    const own = handles.filter((h) => h.creatorId === c.id);
    const places: Parameters<typeof matchedWhere>[1] = [
      ["name", c.name],
      ["handle", own.map((h) => `${h.handle} ${h.displayName ?? ""}`).join(" ")],
      ["category", c.category],
      ["bio", [c.bio, ...own.map((h) => h.bio)].filter(Boolean).join(" ")],
      ["keywords", scores.find((s) => s.creatorId === c.id)?.keywordText],
    ];
    const reasons = matchedWhere(found.words, places).map((m) => t("discovery.why.match", { word: m.word, where: t(`discovery.where.${m.where}`) }));
    const mine = metrics.filter((m) => m.creatorId === c.id && (!filters.platform || m.platform === filters.platform));
    const main = mine.find((m) => m.engagementRate !== null);
    if (filters.minFollowers !== undefined && mine[0]) reasons.push(t("discovery.why.followers", { followers: f.count(Number(mine[0].followers)), platform: t(`platform.${mine[0].platform}`) }));
    if (main) reasons.push(t("discovery.why.engagement", { rate: f.one(main.engagementRate!), platform: t(`platform.${main.platform}`) }));
    reasons.push(c.influenceScore === null ? t("discovery.why.unscored") : t("discovery.why.score", { score: f.one(c.influenceScore) }));
    out.set(c.id, { handles: own.map((h) => `${h.platform}:@${h.handle}`).join(" ") || "—", why: reasons.join("; ") });
  }
  return out;
}
