import { isUniqueViolation } from "../../db/errors.ts";
import { arg } from "../commands/args.ts";
import { defineCommand, type MemberContext } from "../commands/types.ts";
import { NotFoundError } from "../errors.ts";
import { formatMoney, toMinor } from "../money.ts";
import type { Reply } from "../reply.ts";
import type { Role } from "../roles.ts";
import { BOOST_DURATIONS, BOOST_PLANS, type BoostDuration } from "./boosts.ts";
import { LINK_MIN_LIFE_MS, paymentsOf, returnUrls } from "./checkout.ts";
import { utcMinute } from "../dates.ts";

/** A boost is a creator's own purchase, for their own profile; the brand's team has nothing to boost. */
const CREATORS: readonly Role[] = ["creator"];

/** "2d 4h", "3h 12m", "45m": what is left, to the minute. */
export function timeLeft(ms: number): string {
  const minutes = Math.max(1, Math.ceil(ms / 60_000));
  const d = Math.floor(minutes / 1440);
  const h = Math.floor((minutes % 1440) / 60);
  const m = minutes % 60;
  return d > 0 ? `${d}d ${h}h` : h > 0 ? `${h}h ${m}m` : `${m}m`;
}

/** The caller's own creator profile: a boost is always bought for oneself. */
async function ownProfile(ctx: MemberContext) {
  const creator = await ctx.db.creator.findFirst({ where: { workspaceId: ctx.actor.workspace.id, memberId: ctx.actor.memberId } });
  if (!creator) throw new NotFoundError("boost.no_profile", { workspace: ctx.actor.workspace.name });
  return creator;
}

function priceOf(ctx: MemberContext, duration: BoostDuration): number {
  return toMinor(ctx.boostPrices[duration], ctx.actor.workspace.currency);
}

function payReply(ctx: MemberContext, duration: BoostDuration, amountMinor: number, currency: string, link: { url: string; expiresAt: Date }): Reply {
  const plan = BOOST_PLANS[duration];
  return {
    tone: "info",
    ephemeral: true,
    title: ctx.t("boost.buy.title", { duration, price: formatMoney({ minor: amountMinor, currency }, ctx.locale) }),
    text: ctx.t("boost.buy.text", { url: link.url, multiplier: plan.multiplier, duration, until: utcMinute(link.expiresAt) }),
  };
}

export const boostBuy = defineCommand({
  name: "boost buy",
  summary: "boost.buy.summary",
  roles: CREATORS,
  examples: ["boost buy 24h", "boost buy 7d"],
  args: { duration: arg.choice({ positional: true, help: "boost.arg.duration", example: "24h", choices: BOOST_DURATIONS }) },
  async handler(ctx, a) {
    const payments = paymentsOf(ctx);
    const creator = await ownProfile(ctx);
    const now = ctx.clock.now();
    // Asking again while a checkout for the same boost is still open gives the same page, not a second payment.
    const mine = await ctx.db.boost.findMany({ where: { creatorId: creator.id, duration: a.duration }, select: { id: true } });
    const sessions = { boostId: { in: mine.map((b) => b.id) } };
    const usable = { status: "open", expiresAt: { gt: new Date(now.getTime() + LINK_MIN_LIFE_MS) } };
    const open = await ctx.db.checkoutSession.findFirst({ where: { ...sessions, ...usable }, orderBy: { createdAt: "desc" } });
    if (open) return payReply(ctx, a.duration, Number(open.amountMinor), open.currency, open);

    const currency = ctx.actor.workspace.currency;
    const amountMinor = priceOf(ctx, a.duration);
    const plan = BOOST_PLANS[a.duration];
    // Counting only sessions that can no longer be used, a request racing this one sends Stripe the same key and gets the same page.
    const attempt = await ctx.db.checkoutSession.count({ where: { ...sessions, NOT: usable } });
    const idempotencyKey = `clout-boost-${creator.id}-${a.duration}-${attempt}`;
    const session = await payments.createCheckout({
      idempotencyKey,
      amount: { minor: amountMinor, currency },
      productName: ctx.t("boost.product", { duration: a.duration, multiplier: plan.multiplier }),
      description: ctx.t("boost.product_description", { creator: creator.name, workspace: ctx.actor.workspace.name }),
      metadata: { clout_kind: "boost", clout_creator_id: creator.id, clout_duration: a.duration, clout_workspace_id: ctx.actor.workspace.id },
      ...returnUrls(ctx.publicUrl),
    });
    const boostId = ctx.ids.uuid();
    try {
      await ctx.db.$transaction(async (tx) => {
        await tx.boost.create({ data: { id: boostId, workspaceId: ctx.actor.workspace.id, creatorId: creator.id, duration: a.duration, multiplier: plan.multiplier, amountMinor: BigInt(amountMinor), currency, createdAt: now, updatedAt: now } });
        await tx.checkoutSession.create({
          data: { id: session.id, workspaceId: ctx.actor.workspace.id, boostId, idempotencyKey, url: session.url, amountMinor: BigInt(amountMinor), currency, requestedById: ctx.actor.memberId, expiresAt: session.expiresAt, createdAt: now },
        });
      });
    } catch (err) {
      // The racing request stored this very session (and its boost) first.
      if (!isUniqueViolation(err)) throw err;
    }
    return payReply(ctx, a.duration, amountMinor, currency, session);
  },
});

export const boostStatus = defineCommand({
  name: "boost status",
  summary: "boost.status.summary",
  roles: CREATORS,
  examples: ["boost status"],
  args: {},
  async handler(ctx): Promise<Reply> {
    const { t } = ctx;
    const creator = await ownProfile(ctx);
    const now = ctx.clock.now();
    const running = await ctx.db.boost.findMany({ where: { creatorId: creator.id, status: "active", endsAt: { gt: now } }, orderBy: { startsAt: "asc" } });
    if (running.length === 0) {
      const prices = BOOST_DURATIONS.map((d) => `\`boost buy ${d}\` ${formatMoney({ minor: priceOf(ctx, d), currency: ctx.actor.workspace.currency }, ctx.locale)} · ×${BOOST_PLANS[d].multiplier}`);
      return { tone: "info", text: `${t("boost.status.none")}\n${prices.map((p) => `- ${p}`).join("\n")}` };
    }
    const current = running.find((b) => b.startsAt! <= now);
    const last = running[running.length - 1]!;
    return {
      title: t("boost.status.title", { creator: creator.name }),
      fields: [
        { label: t("boost.field.multiplier"), value: current ? `×${current.multiplier}` : "—", inline: true },
        { label: t("boost.field.left"), value: timeLeft(last.endsAt!.getTime() - now.getTime()), inline: true },
        { label: t("boost.field.until"), value: utcMinute(last.endsAt!), inline: true },
      ],
      table: {
        columns: [t("boost.col.boost"), t("boost.col.multiplier"), t("boost.col.from"), t("boost.col.until")],
        rows: running.map((b) => [b.duration, `×${b.multiplier}`, utcMinute(b.startsAt!), utcMinute(b.endsAt!)]),
      },
    };
  },
});
