import type { Translate } from "../i18n/t.ts";
import type { Locale } from "../i18n/locale.ts";
import { formatMoney } from "../money.ts";
import type { Reply, ReplyButton, ReplyField } from "../reply.ts";
import { isoDate } from "../campaigns/render.ts";
import type { Milestone } from "./contract.ts";
import type { ReferralView } from "../referrals/links.ts";
import { referralFields } from "../referrals/render.ts";
import type { InvitationWithParties } from "./find.ts";
import { answersFor, step, type Answer } from "./negotiation.ts";
import { utcMinute } from "../dates.ts";

export const money = (minor: bigint | number, currency: string, locale: Locale): string => formatMoney({ minor: Number(minor), currency }, locale);


/**
 * Accept / Counter / Decline for whoever's turn it is (a decline of one's own
 * open offer reads Withdraw); a counter button asks for the fee to type,
 * since a button can't carry one.
 */
export function answerButtons(inv: Pick<InvitationWithParties, "number" | "status">, side: "brand" | "creator", t: Translate): ReplyButton[] {
  const style: Record<Answer, ReplyButton["style"]> = { accept: "primary", counter: undefined, decline: "danger" };
  return answersFor(inv.status, side).map((a) => {
    const s = step(inv.status, side, a);
    const label = s.ok && s.move === "withdraw" ? t("invite.button.withdraw") : t(`invite.button.${a}`);
    return { label, command: `${a} ${inv.number}`, ...(style[a] ? { style: style[a] } : {}) };
  });
}

export function invitationFields(inv: InvitationWithParties, t: Translate, locale: Locale): ReplyField[] {
  const open = inv.status === "pending" || inv.status === "countered";
  return [
    { label: t("invite.field.creator"), value: inv.creator.name, inline: true },
    { label: t("invite.field.campaign"), value: `${inv.campaign.name} (#${inv.campaign.number})`, inline: true },
    { label: t("invite.field.fee"), value: money(inv.feeMinor, inv.currency, locale), inline: true },
    { label: t("invite.field.status"), value: t(`invite.status.${inv.status}`), inline: true },
    ...(open ? [{ label: t("invite.field.expires"), value: utcMinute(inv.expiresAt), inline: true }] : []),
    { label: t("invite.field.dates"), value: `${isoDate(inv.campaign.startsOn)} → ${isoDate(inv.campaign.endsOn)}`, inline: true },
  ];
}

/** One invitation as a card, with the buttons for the viewer's side. */
export function invitationCard(inv: InvitationWithParties, viewer: "brand" | "creator" | null, t: Translate, locale: Locale, extra: { text?: string } = {}): Reply {
  const body = [extra.text, inv.message ? `> ${inv.message}` : undefined, inv.deliverables ? `**${t("contract.deliverables")}:** ${inv.deliverables}` : undefined].filter(Boolean);
  return {
    title: t("invite.card.title", { number: inv.number, campaign: inv.campaign.name }),
    ...(body.length ? { text: body.join("\n") } : {}),
    fields: invitationFields(inv, t, locale),
    buttons: viewer ? answerButtons(inv, viewer, t) : [],
  };
}

/** What was agreed, for both sides once an invitation is accepted, with the creator's referral link and code. */
export function contractSummary(inv: InvitationWithParties, milestones: Milestone[], t: Translate, locale: Locale, referral?: ReferralView): Reply {
  const deliverables = `**${t("contract.deliverables")}:** ${inv.deliverables ?? t("contract.deliverables_default")}`;
  return {
    tone: "success",
    title: t("contract.title", { creator: inv.creator.name, campaign: inv.campaign.name }),
    text: referral ? `${deliverables}\n${t("referral.in_contract", { command: `referral show ${inv.creator.number} --campaign ${inv.campaign.number}` })}` : deliverables,
    fields: [
      { label: t("invite.field.fee"), value: money(inv.feeMinor, inv.currency, locale), inline: true },
      { label: t("invite.field.dates"), value: `${isoDate(inv.campaign.startsOn)} → ${isoDate(inv.campaign.endsOn)}`, inline: true },
      ...milestones.map((m) => ({ label: t(`contract.milestone.${m.kind}`), value: t("contract.milestone_due", { amount: money(m.amountMinor, inv.currency, locale), date: isoDate(m.dueOn) }), inline: true })),
      ...(referral ? referralFields(referral, t) : []),
    ],
  };
}
