import { arg, optional } from "../commands/args.ts";
import { defineCommand } from "../commands/types.ts";
import { UsageError } from "../errors.ts";
import { toMinor } from "../money.ts";
import { MANAGERS, type Role } from "../roles.ts";
import { findInvitation } from "./find.ts";
import { answerInvitation, sideOf } from "./moves.ts";
import { contractSummary, invitationCard, money } from "./render.ts";
import { viewOf } from "../referrals/links.ts";

/** Both sides answer: the invited creator, and the brand's managers (to a counter). */
const PARTIES: readonly Role[] = [...MANAGERS, "creator"];
const ref = arg.ref({ of: "invitation", positional: true, help: "invite.arg.ref", example: "12" });

export const accept = defineCommand({
  name: "accept",
  summary: "accept.summary",
  roles: PARTIES,
  examples: ["accept 12"],
  args: { invite: ref },
  async handler(ctx, a) {
    const moved = await answerInvitation(ctx, await findInvitation(ctx.db, ctx.actor, a.invite), "accept");
    const referral = viewOf(ctx.publicUrl, moved.referral!, moved.invitation.campaign.destinationUrl);
    return contractSummary(moved.invitation, moved.milestones!, ctx.t, ctx.locale, referral);
  },
});

export const decline = defineCommand({
  name: "decline",
  summary: "decline.summary",
  roles: PARTIES,
  examples: ["decline 12", 'decline 12 --reason "Booked that month"'],
  args: { invite: ref, reason: optional(arg.text({ help: "decline.arg.reason", example: '"Booked that month"', max: 500 })) },
  async handler(ctx, a) {
    const moved = await answerInvitation(ctx, await findInvitation(ctx.db, ctx.actor, a.invite), "decline", a.reason ? { note: a.reason } : {});
    const inv = moved.invitation;
    return { tone: "info", text: ctx.t(moved.move === "withdraw" ? "invite.withdrawn" : "invite.declined", { number: inv.number, creator: inv.creator.name, campaign: inv.campaign.name }) };
  },
});

export const counter = defineCommand({
  name: "counter",
  summary: "counter.summary",
  roles: PARTIES,
  examples: ["counter 12 --fee 650"],
  args: { invite: ref, fee: optional(arg.amount({ help: "counter.arg.fee", example: "650" })), message: optional(arg.text({ help: "invite.arg.message", example: '"Includes a story"', max: 500 })) },
  async handler(ctx, a) {
    const { t } = ctx;
    const inv = await findInvitation(ctx.db, ctx.actor, a.invite);
    // The Counter button can't carry a fee: it asks for one, which a creator on WhatsApp types back.
    if (!a.fee) {
      sideOf(ctx, inv);
      return { ephemeral: true, text: t("counter.how", { number: inv.number, fee: money(inv.feeMinor, inv.currency, ctx.locale), example: `counter ${inv.number} --fee 650` }) };
    }
    if (a.fee.currency && a.fee.currency !== inv.currency) {
      throw new UsageError("invite.currency_mismatch", { written: a.fee.currency, currency: inv.currency, campaign: inv.campaign.name }, `counter ${inv.number} --fee 650`);
    }
    const feeMinor = toMinor(a.fee.decimal, inv.currency);
    if (feeMinor === Number(inv.feeMinor)) throw new UsageError("counter.same_fee", { number: inv.number }, `accept ${inv.number}`);
    const moved = await answerInvitation(ctx, inv, "counter", { feeMinor, ...(a.message ? { note: a.message } : {}) });
    return { ...invitationCard(moved.invitation, null, t, ctx.locale), tone: "success", text: t("counter.sent", { number: inv.number, fee: money(feeMinor, inv.currency, ctx.locale), was: money(inv.feeMinor, inv.currency, ctx.locale) }) };
  },
});
