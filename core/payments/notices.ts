import type { Db } from "../../db/database.ts";
import { toLocale } from "../i18n/locale.ts";
import { translator } from "../i18n/t.ts";
import type { MilestoneKind } from "../invitations/contract.ts";
import { formatMoney } from "../money.ts";
import type { ChatTarget } from "../notifications/messenger.ts";
import type { DomainEvent } from "../notifications/events.ts";
import type { Notice } from "../notifications/recipients.ts";
import { scoped } from "../reply.ts";
import { utcMinute } from "../dates.ts";

type BoostEvent = Extract<DomainEvent, { type: "boost.changed" }>;
type MilestoneEvent = Extract<DomainEvent, { type: "milestone.changed" }>;

const WITH_CHATS = { member: { include: { identities: true } }, workspace: true } as const;

/** Every chat a creator can be reached on: their linked accounts, and WhatsApp through their profile's number until they have written from it. */
async function creatorAudience(db: Db, creatorId: string) {
  const c = await db.creator.findUnique({ where: { id: creatorId }, include: WITH_CHATS });
  if (!c) return null;
  const locale = toLocale(c.member?.locale ?? c.language ?? c.workspace.locale);
  const targets: ChatTarget[] = (c.member?.identities ?? []).map((i) => ({ platform: i.platform, externalId: i.externalId, name: c.name, locale }));
  if (c.phone && !targets.some((x) => x.platform === "whatsapp")) targets.push({ platform: "whatsapp", externalId: c.phone, name: c.name, locale });
  return { creator: c, locale, targets };
}

/** The creator hears when their boost starts, ends, or is refunded. */
export async function boostNotices(db: Db, event: BoostEvent): Promise<Notice[]> {
  const boost = await db.boost.findFirst({ where: { id: event.boostId, workspaceId: event.workspaceId } });
  const who = boost ? await creatorAudience(db, boost.creatorId) : null;
  if (!boost || !who || who.targets.length === 0) return [];
  const t = translator(who.locale);
  const vars = { duration: boost.duration, multiplier: boost.multiplier, from: utcMinute(boost.startsAt ?? new Date(event.at)), until: utcMinute(boost.endsAt ?? new Date(event.at)) };
  const at = new Date(event.at);
  let text: string;
  if (event.change === "activated") {
    text = t(boost.startsAt && boost.startsAt > at ? "boost.notify.queued" : "boost.notify.activated", vars);
  } else {
    // Another boost bought to follow this one carries on; say so, or the creator thinks they lost it.
    const next = await db.boost.findFirst({ where: { creatorId: boost.creatorId, status: "active", endsAt: { gt: at } }, orderBy: { endsAt: "desc" } });
    text = [t(event.change === "expired" ? "boost.notify.expired" : "boost.notify.refunded", vars), next ? t("boost.notify.next", { duration: next.duration, until: utcMinute(next.endsAt!) }) : t("boost.notify.again")].join("\n");
  }
  const tone = event.change === "activated" ? "success" : "info";
  return [{ ...(who.creator.memberId ? { memberId: who.creator.memberId } : {}), targets: who.targets, reply: scoped({ tone, text, buttons: [{ label: t("boost.button.status"), command: "boost status" }] }, event.workspaceId) }];
}

/** A milestone paid (or its payment refunded): the creator who is owed it, and the member who asked to pay. */
export async function milestoneNotices(db: Db, event: MilestoneEvent): Promise<Notice[]> {
  const m = await db.paymentMilestone.findFirst({ where: { id: event.milestoneId, workspaceId: event.workspaceId }, include: { contract: { include: { invitation: { include: { campaign: true } } } } } });
  if (!m) return [];
  const inv = m.contract.invitation;
  const notices: Notice[] = [];
  const key = event.change === "paid" ? "pay.notify.paid" : "pay.notify.refunded";
  const who = await creatorAudience(db, m.contract.creatorId);
  const message = (locale: ReturnType<typeof toLocale>, brand: string) => {
    const t = translator(locale);
    const vars = { brand, milestone: t(`contract.milestone.${m.kind as MilestoneKind}`), amount: formatMoney({ minor: Number(m.amountMinor), currency: m.currency }, locale), campaign: inv.campaign.name, number: inv.number };
    return scoped({ tone: event.change === "paid" ? "success" : "warning", text: t(key, vars), buttons: [{ label: t("invite.button.show"), command: `invites ${inv.number}` }] }, event.workspaceId);
  };
  if (who && who.targets.length) notices.push({ ...(who.creator.memberId ? { memberId: who.creator.memberId } : {}), targets: who.targets, reply: message(who.locale, who.creator.workspace.name) });
  const session = await db.checkoutSession.findFirst({ where: { milestoneId: m.id, requestedById: { not: null } }, orderBy: { createdAt: "desc" } });
  const payer = session?.requestedById ? await db.member.findFirst({ where: { id: session.requestedById, workspaceId: event.workspaceId }, include: { identities: true, workspace: true } }) : null;
  if (payer && payer.identities.length) {
    const locale = toLocale(payer.locale ?? payer.workspace.locale);
    notices.push({ memberId: payer.id, targets: payer.identities.map((i) => ({ platform: i.platform, externalId: i.externalId, name: payer.displayName, locale })), reply: message(locale, payer.workspace.name) });
  }
  return notices;
}
