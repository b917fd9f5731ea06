import { isUniqueViolation } from "../../db/errors.ts";
import { audit } from "../audit/audit.ts";
import { arg, optional } from "../commands/args.ts";
import { defineCommand } from "../commands/types.ts";
import { ConflictError, UsageError } from "../errors.ts";
import { bindTenant } from "../identity/tenants.ts";
import { toLocale } from "../i18n/locale.ts";
import { nameKey } from "../names.ts";
import { ROLES } from "../roles.ts";

const TIMEZONES = new Set(Intl.supportedValuesOf("timeZone").concat("UTC"));

function slugify(name: string, suffix: string): string {
  const base = nameKey(name).normalize("NFKD").replace(/[\u0300-\u036f]/g, "").replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "").slice(0, 40);
  return `${base || "workspace"}-${suffix.toLowerCase()}`;
}

export const workspaceCreate = defineCommand({
  name: "workspace create",
  summary: "workspace.create.summary",
  roles: "anyone",
  examples: ['workspace create "Acme Beauty" --currency BRL --timezone America/Sao_Paulo'],
  args: {
    name: arg.text({ positional: true, help: "workspace.arg.name", example: '"Acme Beauty"', max: 80 }),
    currency: optional(arg.currency({ help: "workspace.arg.currency", example: "USD" })),
    timezone: optional(arg.text({ help: "workspace.arg.timezone", example: "America/Sao_Paulo" })),
  },
  async handler(ctx, a) {
    const { t, caller } = ctx;
    if (ctx.actor) throw new ConflictError("workspace.already_member", { workspace: ctx.actor.workspace.name }, "workspace show");
    if (a.timezone && !TIMEZONES.has(a.timezone)) throw new UsageError("workspace.bad_timezone", { timezone: a.timezone }, 'workspace create "Acme Beauty" --timezone Europe/Lisbon');
    const workspaceId = ctx.ids.uuid();
    const memberId = ctx.ids.uuid();
    const locale = toLocale(caller.locale);
    await ctx.db
      .$transaction(async (tx) => {
        await tx.workspace.create({
          data: { id: workspaceId, name: a.name, slug: slugify(a.name, ctx.ids.code(4)), currency: a.currency ?? "USD", timezone: a.timezone ?? "UTC", locale, createdAt: ctx.clock.now() },
        });
        await tx.member.create({ data: { id: memberId, workspaceId, displayName: caller.displayName, nameKey: nameKey(caller.displayName), role: "owner", createdAt: ctx.clock.now() } });
        await tx.identity.create({ data: { id: ctx.ids.uuid(), platform: caller.platform, externalId: caller.externalId, memberId, label: caller.displayName } });
        await bindTenant(tx, ctx.clock, caller, workspaceId);
        await audit(tx, ctx.clock, { workspaceId, actorMemberId: memberId, action: "workspace.created", entityType: "workspace", entityId: workspaceId, data: { name: a.name } });
      })
      .catch((err: unknown) => {
        // A concurrent create from the same identity: the unique identity wins once.
        if (isUniqueViolation(err)) throw new ConflictError("workspace.already_member", { workspace: a.name }, "workspace show");
        throw err;
      });
    return { tone: "success", title: t("workspace.created.title", { name: a.name }), text: t("workspace.created.text", { name: caller.displayName }) };
  },
});

export const workspaceShow = defineCommand({
  name: "workspace show",
  aliases: ["workspace"],
  summary: "workspace.show.summary",
  roles: ROLES,
  examples: ["workspace show"],
  args: {},
  async handler(ctx) {
    const { actor, t } = ctx;
    const ws = actor.workspace;
    const [members, creators, byStatus] = await Promise.all([
      ctx.db.member.findMany({ where: { workspaceId: ws.id }, orderBy: [{ role: "asc" }, { nameKey: "asc" }], take: 100, include: { identities: { select: { platform: true } } } }),
      ctx.db.creator.count({ where: { workspaceId: ws.id } }),
      ctx.db.campaign.groupBy({ by: ["status"], where: { workspaceId: ws.id }, _count: { _all: true } }),
    ]);
    const campaigns = byStatus.map((s) => `${t(`campaign.status.${s.status}`)}: ${s._count._all}`).join(", ") || "0";
    const staff = actor.role !== "creator";
    return {
      title: ws.name,
      fields: [
        { label: t("workspace.field.you"), value: `${actor.displayName} · ${t(`role.${actor.role}`)}`, inline: true },
        { label: t("workspace.field.currency"), value: ws.currency, inline: true },
        { label: t("workspace.field.timezone"), value: ws.timezone, inline: true },
        { label: t("workspace.field.creators"), value: String(creators), inline: true },
        { label: t("workspace.field.campaigns"), value: campaigns, inline: true },
      ],
      ...(staff
        ? {
            table: {
              columns: [t("workspace.field.member"), t("workspace.field.role"), t("workspace.field.linked")],
              rows: members.map((m) => [m.displayName, t(`role.${m.role}`), [...new Set(m.identities.map((i) => i.platform))].join(", ") || "—"]),
            },
          }
        : {}),
    };
  },
});
