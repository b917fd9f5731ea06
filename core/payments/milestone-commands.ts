import type { Db } from "../../db/database.ts";
import { isUniqueViolation } from "../../db/errors.ts";
import { arg, optional } from "../commands/args.ts";
import { defineCommand, type MemberContext } from "../commands/types.ts";
import { ConflictError, IllegalTransitionError, NotFoundError } from "../errors.ts";
import type { Locale } from "../i18n/locale.ts";
import type { Translate } from "../i18n/t.ts";
import { findInvitation, type InvitationWithParties } from "../invitations/find.ts";
import type { MilestoneKind } from "../invitations/contract.ts";
import { formatMoney } from "../money.ts";
import type { Reply, ReplyField } from "../reply.ts";
import { MANAGERS, STAFF, type Role } from "../roles.ts";
import { LINK_MIN_LIFE_MS, paymentsOf, returnUrls } from "./checkout.ts";
import { receiptPdf } from "./receipt.ts";
import { utcMinute } from "../dates.ts";

const KINDS = ["advance", "milestone", "final"] as const satisfies readonly MilestoneKind[];
const ORDER: Record<string, number> = { advance: 0, milestone: 1, final: 2 };

async function milestonesOf(ctx: MemberContext, inv: InvitationWithParties) {
  const rows = await ctx.db.paymentMilestone.findMany({ where: { invitationId: inv.id, workspaceId: ctx.actor.workspace.id } });
  if (rows.length === 0) throw new IllegalTransitionError("pay.not_accepted", { number: inv.number, status: ctx.t(`invite.status.${inv.status}`) }, `invites ${inv.number}`);
  return rows.sort((a, b) => ORDER[a.kind]! - ORDER[b.kind]!);
}

export const pay = defineCommand({
  name: "pay",
  summary: "pay.summary",
  roles: MANAGERS,
  examples: ["pay 12 --milestone advance", "pay 12"],
  args: {
    invite: arg.ref({ of: "invitation", positional: true, help: "invite.arg.ref", example: "12" }),
    milestone: optional(arg.choice({ help: "pay.arg.milestone", example: "advance", choices: KINDS })),
  },
  async handler(ctx, a): Promise<Reply> {
    const { t } = ctx;
    const inv = await findInvitation(ctx.db, ctx.actor, a.invite);
    const milestones = await milestonesOf(ctx, inv);
    const money = (minor: bigint) => formatMoney({ minor: Number(minor), currency: inv.currency }, ctx.locale);
    if (!a.milestone) {
      return {
        title: t("pay.list.title", { number: inv.number, creator: inv.creator.name, campaign: inv.campaign.name }),
        table: {
          columns: [t("pay.col.milestone"), t("pay.col.amount"), t("pay.col.due"), t("pay.col.status")],
          rows: milestones.map((m) => [t(`contract.milestone.${m.kind as MilestoneKind}`), money(m.amountMinor), m.dueOn.toISOString().slice(0, 10), m.status === "paid" && m.paidAt ? t("pay.status.paid_at", { at: utcMinute(m.paidAt) }) : t("pay.status.due")]),
        },
        buttons: milestones.filter((m) => m.status === "due").map((m) => ({ label: t("pay.button", { milestone: t(`contract.milestone.${m.kind as MilestoneKind}`) }), command: `pay ${inv.number} --milestone ${m.kind}`, style: "primary" as const })),
      };
    }
    const m = milestones.find((x) => x.kind === a.milestone);
    if (!m) throw new NotFoundError("pay.no_milestone", { number: inv.number, milestone: a.milestone, kinds: milestones.map((x) => x.kind).join(", ") }, `pay ${inv.number} --milestone ${milestones[0]!.kind}`);
    const label = t(`contract.milestone.${m.kind as MilestoneKind}`);
    if (m.status === "paid") throw new ConflictError("pay.already_paid", { milestone: label, number: inv.number, at: utcMinute(m.paidAt ?? ctx.clock.now()) }, `pay ${inv.number}`);
    const payments = paymentsOf(ctx);
    const now = ctx.clock.now();

    const link = (url: string, expiresAt: Date): Reply => ({
      tone: "info",
      ephemeral: true,
      title: t("pay.link.title", { milestone: label, amount: money(m.amountMinor), creator: inv.creator.name }),
      text: t("pay.link.text", { url, number: inv.number, campaign: inv.campaign.name, until: utcMinute(expiresAt) }),
    });
    const usable = { status: "open", expiresAt: { gt: new Date(now.getTime() + LINK_MIN_LIFE_MS) } };
    const open = await ctx.db.checkoutSession.findFirst({ where: { milestoneId: m.id, ...usable }, orderBy: { createdAt: "desc" } });
    if (open) return link(open.url, open.expiresAt);

    // One key per milestone and attempt, counting only sessions that can no longer be used (refunded, or closing):
    // a request racing this one, whether it stored its session yet or not, counts the same, sends Stripe the same key and gets the same page.
    const attempt = await ctx.db.checkoutSession.count({ where: { milestoneId: m.id, NOT: usable } });
    const idempotencyKey = `clout-milestone-${m.id}-${attempt}`;
    const session = await payments.createCheckout({
      idempotencyKey,
      amount: { minor: Number(m.amountMinor), currency: m.currency },
      productName: t("pay.product", { milestone: label, campaign: inv.campaign.name }),
      description: t("pay.product_description", { creator: inv.creator.name, number: inv.number, workspace: ctx.actor.workspace.name }),
      metadata: { clout_kind: "milestone", clout_milestone_id: m.id, clout_invitation: String(inv.number), clout_workspace_id: ctx.actor.workspace.id },
      ...returnUrls(ctx.publicUrl),
    });
    await ctx.db.checkoutSession
      .create({ data: { id: session.id, workspaceId: ctx.actor.workspace.id, milestoneId: m.id, idempotencyKey, url: session.url, amountMinor: m.amountMinor, currency: m.currency, requestedById: ctx.actor.memberId, expiresAt: session.expiresAt, createdAt: now } })
      .catch((err: unknown) => {
        // The same request made at the same moment stored it first: it is this very session.
        if (!isUniqueViolation(err)) throw err;
      });
    return link(session.url, session.expiresAt);
  },
});

/** The brand's staff, and the creator for their own invitations (findInvitation finds no one else's). */
const RECEIPT_READERS: readonly Role[] = [...STAFF, "creator"];

export const receipt = defineCommand({
  name: "receipt",
  summary: "receipt.summary",
  roles: RECEIPT_READERS,
  examples: ["receipt 12 --milestone advance"],
  args: {
    invite: arg.ref({ of: "invitation", positional: true, help: "invite.arg.ref", example: "12" }),
    milestone: arg.choice({ help: "receipt.arg.milestone", example: "advance", choices: KINDS }),
  },
  async handler(ctx, a): Promise<Reply> {
    const { t } = ctx;
    const inv = await findInvitation(ctx.db, ctx.actor, a.invite);
    const milestones = await milestonesOf(ctx, inv);
    const m = milestones.find((x) => x.kind === a.milestone);
    if (!m) throw new NotFoundError("pay.no_milestone", { number: inv.number, milestone: a.milestone, kinds: milestones.map((x) => x.kind).join(", ") }, `receipt ${inv.number} --milestone ${milestones[0]!.kind}`);
    const label = t(`contract.milestone.${m.kind as MilestoneKind}`);
    const amount = formatMoney({ minor: Number(m.amountMinor), currency: m.currency }, ctx.locale);
    // Paid through Stripe: the session that paid it is the receipt's reference (a refund puts the milestone back to due).
    const session = m.status === "paid" && m.paidAt ? await ctx.db.checkoutSession.findFirst({ where: { milestoneId: m.id, status: "paid" }, orderBy: { paidAt: "desc" } }) : null;
    if (!session || !m.paidAt) {
      const paid = milestones.filter((x) => x.status === "paid");
      const hint = paid.length ? `receipt ${inv.number} --milestone ${paid[0]!.kind}` : ctx.actor.role === "creator" ? `invites ${inv.number}` : `pay ${inv.number} --milestone ${m.kind}`;
      throw new ConflictError("receipt.not_paid", { milestone: label, number: inv.number, amount }, hint);
    }
    const file = await receiptPdf(
      { workspace: ctx.actor.workspace.name, campaign: inv.campaign.name, creator: inv.creator.name, milestone: label, amount, currency: m.currency, paidAt: m.paidAt, sessionId: session.id, invitation: inv.number, kind: m.kind },
      t,
    );
    return {
      tone: "success",
      ephemeral: true,
      title: t("receipt.title", { milestone: label, number: inv.number }),
      text: t("receipt.text", { amount, creator: inv.creator.name, campaign: inv.campaign.name, at: utcMinute(m.paidAt), file: file.filename }),
      files: [file],
    };
  },
});

/** For `campaign show`: what the budget has agreed to creators, what is left, and how much of it is paid. */
export async function budgetFields(db: Db, c: { id: string; budgetMinor: bigint; currency: string }, t: Translate, locale: Locale): Promise<ReplyField[]> {
  const [sums] = await db.$queryRaw<{ agreed: bigint | null; paid: bigint | null; due: bigint | null }[]>`
    SELECT (SELECT sum(fee_minor) FROM contracts WHERE campaign_id = ${c.id}::uuid) AS agreed,
      sum(m.amount_minor) FILTER (WHERE m.status = 'paid') AS paid, sum(m.amount_minor) FILTER (WHERE m.status = 'due') AS due
    FROM payment_milestones m JOIN contracts k ON k.invitation_id = m.invitation_id WHERE k.campaign_id = ${c.id}::uuid`;
  const money = (minor: bigint | number | null) => formatMoney({ minor: Number(minor ?? 0), currency: c.currency }, locale);
  const agreed = Number(sums?.agreed ?? 0);
  return [
    { label: t("pay.field.used"), value: money(agreed), inline: true },
    { label: t("pay.field.remaining"), value: money(Number(c.budgetMinor) - agreed), inline: true },
    { label: t("pay.field.paid"), value: t("pay.field.paid_value", { paid: money(sums?.paid ?? 0), due: money(sums?.due ?? 0) }), inline: true },
  ];
}
