import type { Db } from "../../db/database.ts";
import { toLocale, type Locale } from "../i18n/locale.ts";
import { translator, type Translate } from "../i18n/t.ts";
import type { ChatTarget } from "../notifications/messenger.ts";
import { messagesShowing } from "../notifications/tracked.ts";
import type { DomainEvent } from "../notifications/events.ts";
import type { MessageUpdate, Notice } from "../notifications/recipients.ts";
import { scoped, type Reply } from "../reply.ts";
import type { Milestone, MilestoneKind } from "./contract.ts";
import type { InvitationWithParties } from "./find.ts";
import type { Move } from "./negotiation.ts";
import { contractSummary, invitationCard, money } from "./render.ts";
import { linkOfInvitation, viewOf, type ReferralView } from "../referrals/links.ts";
import { utcMinute } from "../dates.ts";

type InvitationEvent = Extract<DomainEvent, { type: "invitation.changed" }>;

const WITH_PEOPLE = {
  campaign: true,
  creator: { include: { member: { include: { identities: true } } } },
  rounds: { orderBy: { round: "asc" as const } },
  contract: { include: { milestones: true } },
  workspace: true,
} as const;

/**
 * The other side hears about each move: the creator about the brand's offers
 * (on every chat account they have, and on WhatsApp through their profile's
 * number until they have written from it), the brand's negotiators (whoever
 * invited and whoever answered since) about the creator's. An expiry goes to
 * both.
 */
export async function invitationNotices(db: Db, event: InvitationEvent, publicUrl: string): Promise<Notice[]> {
  const inv = await db.invitation.findFirst({ where: { id: event.invitationId, workspaceId: event.workspaceId }, include: WITH_PEOPLE });
  if (!inv) return [];
  const link = event.move === "accept" ? await linkOfInvitation(db, inv.id) : null;
  const referral = link ? viewOf(publicUrl, link, inv.campaign.destinationUrl) : undefined;
  const actor = event.actorMemberId ? await db.member.findUnique({ where: { id: event.actorMemberId }, select: { displayName: true } }) : null;
  const notices: Notice[] = [];

  if (event.side !== "creator") {
    const c = inv.creator;
    const locale = toLocale(c.member?.locale ?? c.language ?? inv.workspace.locale);
    const targets: ChatTarget[] = (c.member?.identities ?? []).map((i) => ({ platform: i.platform, externalId: i.externalId, name: c.name, locale }));
    if (c.phone && !targets.some((x) => x.platform === "whatsapp")) targets.push({ platform: "whatsapp", externalId: c.phone, name: c.name, locale });
    const who = actor ? `${actor.displayName} (${inv.workspace.name})` : inv.workspace.name;
    if (targets.length) notices.push({ ...(c.memberId ? { memberId: c.memberId } : {}), targets, reply: scoped(message(inv, event, "creator", who, locale, referral), inv.workspaceId) });
  }

  if (event.side !== "brand") {
    // Where the invitation was posted in the brand's channel, the news goes under it, for the whole team; negotiators hear directly elsewhere.
    const posted = await messagesShowing(db, "invitation", inv.id);
    for (const p of posted) {
      notices.push({ targets: [{ platform: p.platform, externalId: p.ref, name: inv.workspace.name, channel: true, thread: p.ref }], reply: scoped(message(inv, event, "brand", inv.creator.name, p.locale, referral), inv.workspaceId) });
    }
    const threaded = new Set(posted.map((p) => p.platform));
    const negotiators = new Set([inv.createdById, ...inv.rounds.filter((r) => r.side === "brand").map((r) => r.memberId)].filter((id): id is string => !!id));
    const members = await db.member.findMany({ where: { id: { in: [...negotiators] }, workspaceId: inv.workspaceId }, include: { identities: true } });
    for (const m of members) {
      const targets = m.identities.filter((i) => !threaded.has(i.platform)).map((i) => ({ platform: i.platform, externalId: i.externalId, name: m.displayName }));
      if (targets.length === 0) continue;
      notices.push({ memberId: m.id, targets, reply: scoped(message(inv, event, "brand", inv.creator.name, toLocale(m.locale ?? inv.workspace.locale), referral), inv.workspaceId) });
    }
  }
  return notices;
}

/** The brand's posted invitation cards, each redrawn in its own language with the new state and the answers left. */
export async function invitationUpdates(db: Db, event: InvitationEvent): Promise<MessageUpdate[]> {
  // The offer is what the card was posted to show.
  if (event.move === "offer") return [];
  const posted = await messagesShowing(db, "invitation", event.invitationId);
  if (posted.length === 0) return [];
  const inv = await db.invitation.findFirst({ where: { id: event.invitationId, workspaceId: event.workspaceId }, include: WITH_PEOPLE });
  if (!inv) return [];
  return posted.map((p) => {
    const t = translator(p.locale);
    const last = inv.rounds.at(-1);
    const line = last ? `${t(`invite.move.${last.action as Move}`)}${last.feeMinor != null ? ` ${money(last.feeMinor, inv.currency, p.locale)}` : ""} · ${utcMinute(last.createdAt)}` : undefined;
    const who = last?.side === "creator" ? inv.creator.name : last?.side === "brand" ? inv.workspace.name : "Clout";
    return { at: { platform: p.platform, ref: p.ref }, reply: scoped(invitationCard(inv, "brand", t, p.locale, line ? { text: `${who} ${line}` } : {}), inv.workspaceId) };
  });
}

/** What one side is told, from where they stand. */
function message(inv: InvitationWithParties & { rounds: { feeMinor: bigint | null }[]; contract: { milestones: { kind: string; amountMinor: bigint; dueOn: Date }[] } | null }, event: InvitationEvent, to: "brand" | "creator", who: string, locale: Locale, referral?: ReferralView): Reply {
  const t: Translate = translator(locale);
  const vars = { who, number: inv.number, campaign: inv.campaign.name, fee: money(inv.feeMinor, inv.currency, locale) };
  switch (event.move) {
    case "accept": {
      const milestones: Milestone[] = (inv.contract?.milestones ?? []).map((m) => ({ kind: m.kind as MilestoneKind, amountMinor: Number(m.amountMinor), dueOn: m.dueOn }));
      const summary = contractSummary(inv, milestones, t, locale, referral);
      return { ...summary, text: `${t("notify.invite.accept", vars)}\n${summary.text ?? ""}` };
    }
    case "offer":
    case "counter": {
      const fees = inv.rounds.filter((r) => r.feeMinor != null);
      const was = fees.length > 1 ? money(fees[fees.length - 2]!.feeMinor!, inv.currency, locale) : undefined;
      const key = event.move === "offer" ? "notify.invite.offer" : was ? "notify.invite.counter_was" : "notify.invite.counter";
      return invitationCard(inv, to, t, locale, { text: t(key, { ...vars, was: was ?? "" }) });
    }
    default:
      return { tone: event.move === "expire" ? "warning" : "info", text: t(`notify.invite.${event.move}`, vars), buttons: [{ label: t("invite.button.show"), command: `invites ${inv.number}` }] };
  }
}
