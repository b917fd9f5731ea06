import { isUniqueViolation } from "../../db/errors.ts";
import { audit, auditLabel } from "../audit/audit.ts";
import { arg, optional } from "../commands/args.ts";
import { defineCommand } from "../commands/types.ts";
import { ConflictError, UsageError } from "../errors.ts";
import { toMinor } from "../money.ts";
import { nameKey } from "../names.ts";
import { MANAGERS, STAFF } from "../roles.ts";
import { nextNumber } from "../workspaces/counters.ts";
import { findCampaign } from "./find.ts";
import { CAMPAIGN_STATUSES, type CampaignStatus } from "./lifecycle.ts";
import { budgetOf, dates, isoDate, transitionButtons } from "./render.ts";
import type { Translate } from "../i18n/t.ts";
import { budgetFields } from "../payments/milestone-commands.ts";
import type { ReplyField } from "../reply.ts";
import { utcMinute } from "../dates.ts";

const CREATE_EXAMPLE = 'campaign create "Summer Launch" --budget 15000 --currency USD --start 2026-07-01 --end 2026-07-31 --objective sales';
const URL_EXAMPLE = "https://shop.example.com/summer";
const PAGE = 50;

export const campaignCreate = defineCommand({
  name: "campaign create",
  summary: "campaign.create.summary",
  roles: MANAGERS,
  examples: [CREATE_EXAMPLE, `${CREATE_EXAMPLE} --url ${URL_EXAMPLE}`],
  args: {
    name: arg.text({ positional: true, help: "campaign.arg.name", example: '"Summer Launch"', max: 120 }),
    budget: arg.amount({ help: "campaign.arg.budget", example: "15000" }),
    currency: optional(arg.currency({ help: "campaign.arg.currency", example: "USD" })),
    start: arg.date({ help: "campaign.arg.start", example: "2026-07-01" }),
    end: arg.date({ help: "campaign.arg.end", example: "2026-07-31" }),
    objective: arg.choice({ help: "campaign.arg.objective", example: "sales", choices: ["awareness", "engagement", "sales"] as const }),
    url: optional(arg.url({ help: "referral.arg.url", example: URL_EXAMPLE })),
  },
  async handler(ctx, a) {
    const { actor, t } = ctx;
    if (a.budget.currency && a.currency && a.budget.currency !== a.currency) {
      throw new UsageError("campaign.currency_mismatch", { written: a.budget.currency, flag: a.currency }, CREATE_EXAMPLE);
    }
    const currency = a.currency ?? a.budget.currency ?? actor.workspace.currency;
    const budgetMinor = toMinor(a.budget.decimal, currency);
    if (a.end < a.start) throw new UsageError("campaign.end_before_start", { start: isoDate(a.start), end: isoDate(a.end) }, CREATE_EXAMPLE);
    // A campaign that already ended may still be recorded (brands log past work); it just can't be started.
    const ended = isoDate(a.end) < isoDate(ctx.clock.now());

    const campaign = await ctx.db
      .$transaction(async (tx) => {
        const number = await nextNumber(tx, actor.workspace.id, "campaign");
        const now = ctx.clock.now();
        const created = await tx.campaign.create({
          data: {
            id: ctx.ids.uuid(),
            workspaceId: actor.workspace.id,
            number,
            name: a.name,
            nameKey: nameKey(a.name),
            objective: a.objective,
            budgetMinor: BigInt(budgetMinor),
            currency,
            startsOn: a.start,
            endsOn: a.end,
            destinationUrl: a.url ?? null,
            createdById: actor.memberId,
            createdAt: now,
            updatedAt: now,
          },
        });
        await audit(tx, ctx.clock, {
          workspaceId: actor.workspace.id,
          actorMemberId: actor.memberId,
          action: "campaign.created",
          entityType: "campaign",
          entityId: created.id,
          data: { name: created.name, budgetMinor, currency, objective: a.objective, ...(a.url ? { destinationUrl: a.url } : {}) },
        });
        return created;
      })
      .catch((err: unknown) => {
        if (isUniqueViolation(err)) {
          throw new ConflictError("campaign.name_taken", { name: a.name }, `campaign show "${a.name}"`);
        }
        throw err;
      });

    return {
      tone: "success",
      title: t("campaign.created.title", { name: campaign.name, number: campaign.number }),
      text: ended ? `${t("campaign.created.text")}\n${t("campaign.created.ended", { end: isoDate(a.end) })}` : t("campaign.created.text"),
      fields: [
        { label: t("campaign.field.status"), value: t(`campaign.status.${campaign.status}`), inline: true },
        { label: t("campaign.field.budget"), value: budgetOf(campaign, ctx.locale), inline: true },
        { label: t("campaign.field.objective"), value: t(`campaign.objective.${campaign.objective}`), inline: true },
        { label: t("campaign.field.dates"), value: dates(campaign), inline: true },
        ...destinationField(campaign, t),
      ],
      buttons: transitionButtons(campaign, actor.role, t),
    };
  },
});

/** Where the campaign's referral links send people, once the brand has said. */
const destinationField = (c: { destinationUrl: string | null }, t: Translate): ReplyField[] => (c.destinationUrl ? [{ label: t("referral.field.destination"), value: c.destinationUrl }] : []);

export const campaignUpdate = defineCommand({
  name: "campaign update",
  summary: "referral.campaign_update.summary",
  roles: MANAGERS,
  examples: [`campaign update "Summer Launch" --url ${URL_EXAMPLE}`],
  args: {
    campaign: arg.ref({ of: "campaign", positional: true, help: "campaign.arg.ref", example: '"Summer Launch"' }),
    url: arg.url({ help: "referral.arg.url", example: URL_EXAMPLE }),
  },
  async handler(ctx, a) {
    const { actor, t } = ctx;
    const now = ctx.clock.now();
    const { campaign, from } = await ctx.db.$transaction(async (tx) => {
      const c = await findCampaign(tx, actor.workspace.id, a.campaign);
      await tx.campaign.update({ where: { id: c.id }, data: { destinationUrl: a.url, updatedAt: now } });
      await audit(tx, ctx.clock, {
        workspaceId: actor.workspace.id,
        actorMemberId: actor.memberId,
        action: "campaign.destination",
        entityType: "campaign",
        entityId: c.id,
        data: { from: c.destinationUrl, to: a.url },
      });
      return { campaign: { ...c, destinationUrl: a.url }, from: c.destinationUrl };
    });
    // Redirect caches in every process drop this campaign's links on this event.
    ctx.emit({ type: "campaign.updated", workspaceId: actor.workspace.id, campaignId: campaign.id, changes: ["destinationUrl"], actorMemberId: actor.memberId, at: now.toISOString() });
    const links = await ctx.db.referralLink.count({ where: { campaignId: campaign.id } });
    return {
      tone: "success",
      text: t(from ? "referral.destination_changed" : "referral.destination_set", { name: campaign.name, number: campaign.number, url: a.url, was: from ?? "", links }),
      fields: destinationField(campaign, t),
    };
  },
});

export const campaignList = defineCommand({
  name: "campaign list",
  aliases: ["campaigns"],
  summary: "campaign.list.summary",
  roles: STAFF,
  examples: ["campaign list", "campaign list --status active"],
  args: {
    status: optional(arg.choice({ help: "campaign.arg.status", example: "active", choices: CAMPAIGN_STATUSES })),
  },
  async handler(ctx, a) {
    const { actor, t } = ctx;
    const where = { workspaceId: actor.workspace.id, ...(a.status ? { status: a.status as CampaignStatus } : {}) };
    const [rows, total] = await Promise.all([
      ctx.db.campaign.findMany({ where, orderBy: { number: "desc" }, take: PAGE }),
      ctx.db.campaign.count({ where }),
    ]);
    if (total === 0) {
      return { text: a.status ? t("campaign.list.none_status", { status: t(`campaign.status.${a.status}`) }) : t("campaign.list.none"), tone: "info" };
    }
    return {
      title: t("campaign.list.title", { workspace: actor.workspace.name, count: total }),
      table: {
        columns: ["#", t("campaign.field.name"), t("campaign.field.status"), t("campaign.field.budget"), t("campaign.field.dates")],
        rows: rows.map((c) => [String(c.number), c.name, t(`campaign.status.${c.status}`), budgetOf(c, ctx.locale), dates(c)]),
        total,
      },
      ...(total > PAGE ? { text: t("campaign.list.more", { shown: PAGE, total }) } : {}),
    };
  },
});

export const campaignShow = defineCommand({
  name: "campaign show",
  summary: "campaign.show.summary",
  roles: STAFF,
  examples: ['campaign show "Summer Launch"', "campaign show 3"],
  args: { campaign: arg.ref({ of: "campaign", positional: true, help: "campaign.arg.ref", example: '"Summer Launch"' }) },
  async handler(ctx, a) {
    const { actor, t } = ctx;
    const c = await findCampaign(ctx.db, actor.workspace.id, a.campaign);
    const history = await ctx.db.auditEntry.findMany({
      where: { workspaceId: actor.workspace.id, entityType: "campaign", entityId: c.id },
      orderBy: { id: "desc" },
      take: 5,
    });
    const actors = await ctx.db.member.findMany({ where: { id: { in: history.map((h) => h.actorMemberId ?? "").filter(Boolean) } } });
    const who = new Map(actors.map((m) => [m.id, m.displayName]));
    const lines = history.map((h) => `- ${utcMinute(h.createdAt)} · ${who.get(h.actorMemberId ?? "") ?? "?"} · ${auditLabel(t, h.action)}`);
    return {
      title: `${c.name} (#${c.number})`,
      fields: [
        { label: t("campaign.field.status"), value: t(`campaign.status.${c.status}`), inline: true },
        { label: t("campaign.field.objective"), value: t(`campaign.objective.${c.objective}`), inline: true },
        { label: t("campaign.field.budget"), value: budgetOf(c, ctx.locale), inline: true },
        ...(await budgetFields(ctx.db, c, t, ctx.locale)),
        { label: t("campaign.field.dates"), value: dates(c), inline: true },
        ...destinationField(c, t),
      ],
      ...(lines.length ? { text: `**${t("campaign.history")}**\n${lines.join("\n")}` } : {}),
      buttons: transitionButtons(c, actor.role, t),
    };
  },
});
