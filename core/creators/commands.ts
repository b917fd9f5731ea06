import type { Prisma } from "../../db/generated/client.ts";
import { isUniqueViolation } from "../../db/errors.ts";
import { audit } from "../audit/audit.ts";
import { assertRoom } from "../billing/subscription.ts";
import { arg, optional } from "../commands/args.ts";
import { defineCommand } from "../commands/types.ts";
import { ConflictError } from "../errors.ts";
import { nameKey } from "../names.ts";
import { MANAGERS, STAFF } from "../roles.ts";
import { nextNumber } from "../workspaces/counters.ts";
import { findMember } from "../members/find.ts";
import { findCreator } from "./find.ts";
import { SOCIAL_PLATFORMS, handleArg, type SocialPlatform } from "./handles.ts";

const PAGE = 25;

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
    const handles = await ctx.db.creatorHandle.findMany({ where: { creatorId: c.id }, orderBy: { platform: "asc" } });
    const dash = "—";
    return {
      title: `${c.name} (#${c.number})`,
      fields: [
        ...handles.map((h) => ({ label: t(`platform.${h.platform}`), value: `@${h.handle}`, inline: true })),
        { label: t("creator.field.category"), value: c.category ?? dash, inline: true },
        { label: t("creator.field.location"), value: c.location ?? dash, inline: true },
        { label: t("creator.field.language"), value: c.language ?? dash, inline: true },
        { label: t("creator.field.phone"), value: c.phone ?? dash, inline: true },
      ],
    };
  },
});

export const creatorsSearch = defineCommand({
  name: "creators search",
  aliases: ["creators"],
  summary: "creators.search.summary",
  roles: STAFF,
  examples: ["creators search murugi", "creators search --platform instagram --location KE --category beauty"],
  args: {
    query: optional(arg.text({ positional: true, help: "creators.arg.query", example: "murugi", max: 100 })),
    platform: optional(arg.choice({ help: "creators.arg.platform", example: "instagram", choices: SOCIAL_PLATFORMS })),
    location: optional(arg.country({ help: "creator.arg.location", example: "KE" })),
    category: optional(arg.text({ help: "creator.arg.category", example: "beauty", max: 40 })),
    language: optional(arg.text({ help: "creator.arg.language", example: "pt", max: 10 })),
  },
  async handler(ctx, a) {
    const { actor, t } = ctx;
    const q = a.query ? nameKey(a.query).replace(/^@/, "") : undefined;
    const where: Prisma.CreatorWhereInput = {
      workspaceId: actor.workspace.id,
      ...(q ? { OR: [{ nameKey: { contains: q } }, { handles: { some: { handle: { contains: q } } } }, { category: { contains: q } }] } : {}),
      ...(a.platform ? { handles: { some: { platform: a.platform as SocialPlatform } } } : {}),
      ...(a.location ? { location: a.location } : {}),
      ...(a.category ? { category: nameKey(a.category) } : {}),
      ...(a.language ? { language: a.language.toLowerCase() } : {}),
    };
    const [rows, total] = await Promise.all([
      ctx.db.creator.findMany({ where, orderBy: { nameKey: "asc" }, take: PAGE, include: { handles: true } }),
      ctx.db.creator.count({ where }),
    ]);
    if (total === 0) return { tone: "info", text: t("creators.none"), buttons: [] };
    return {
      title: t("creators.title", { count: total }),
      table: {
        columns: ["#", t("creator.field.name"), t("creator.field.handles"), t("creator.field.category"), t("creator.field.location")],
        rows: rows.map((c) => [String(c.number), c.name, c.handles.map((h) => `${h.platform}:@${h.handle}`).join(" ") || "—", c.category ?? "—", c.location ?? "—"]),
        total,
      },
      ...(total > PAGE ? { text: t("creators.more", { shown: PAGE, total }) } : {}),
    };
  },
});
