import { audit } from "../audit/audit.ts";
import { findCampaign } from "../campaigns/find.ts";
import { arg, optional } from "../commands/args.ts";
import { defineCommand } from "../commands/types.ts";
import { IllegalTransitionError } from "../errors.ts";
import type { Reply } from "../reply.ts";
import { MANAGERS, STAFF } from "../roles.ts";
import { qrImage } from "./qr.ts";
import { redeemQrToken } from "./qr-tokens.ts";
import { utcMinute } from "../dates.ts";

const DAY = 86_400_000;
/** A printed batch is handed out over weeks; a token older than a year is not worth trusting. */
const DEFAULT_QR_TTL_MS = 90 * DAY;
/** Chats show a handful of images well; a print run comes in batches of this many. */
export const MAX_QR_BATCH = 20;
const ISSUING = ["approved", "active"] as const;

export const qrIssue = defineCommand({
  name: "qr issue",
  summary: "qr.issue.summary",
  roles: MANAGERS,
  examples: ['qr issue --campaign "Summer Launch" --count 5', 'qr issue --campaign 2 --count 1 --expires 7d'],
  args: {
    campaign: arg.ref({ of: "campaign", help: "qr.arg.campaign", example: '"Summer Launch"' }),
    count: optional(arg.integer({ help: "qr.arg.count", example: "5", min: 1, max: MAX_QR_BATCH })),
    expires: optional(arg.duration({ help: "qr.arg.expires", example: "30d", min: 3_600_000, max: 365 * DAY })),
  },
  async handler(ctx, a) {
    const { actor, t } = ctx;
    const campaign = await findCampaign(ctx.db, actor.workspace.id, a.campaign);
    if (!(ISSUING as readonly string[]).includes(campaign.status)) {
      throw new IllegalTransitionError("qr.campaign_not_open", { campaign: campaign.name, status: t(`campaign.status.${campaign.status}`) }, `campaign show ${campaign.number}`);
    }
    const count = a.count ?? 1;
    const ttl = a.expires ?? DEFAULT_QR_TTL_MS;
    const now = ctx.clock.now();
    const expiresAt = new Date(now.getTime() + ttl);
    const ids = Array.from({ length: count }, () => ctx.ids.uuid());
    await ctx.db.$transaction(async (tx) => {
      await tx.qrToken.createMany({ data: ids.map((id) => ({ id, workspaceId: actor.workspace.id, campaignId: campaign.id, expiresAt, createdAt: now })) });
      await audit(tx, ctx.clock, { workspaceId: actor.workspace.id, actorMemberId: actor.memberId, action: "qr.issued", entityType: "qr", entityId: campaign.id, data: { count, expiresAt: expiresAt.toISOString() } });
    });
    const tokens = ids.map((id) => ctx.qrTokens.sign(id, actor.workspace.id, ttl));
    return {
      tone: "success",
      // Each token is worth one redemption: only the manager who asked sees them, to print and hand out.
      ephemeral: true,
      title: t("qr.issued.title", { count, campaign: campaign.name }),
      text: [t("qr.issued.text", { expires: utcMinute(expiresAt), example: `redeem ${tokens[0]}` }), ...tokens.map((tok) => `\`${tok}\``)].join("\n"),
      images: await Promise.all(tokens.map((tok, i) => qrImage(tok, t("qr.alt", { n: i + 1, campaign: campaign.name }), `qr-${campaign.number}-${i + 1}.png`))),
    };
  },
});

export const redeem = defineCommand({
  name: "redeem",
  summary: "redeem.summary",
  roles: STAFF,
  examples: ["redeem 3f9K2hQ1xYz0aB7c.l8m4k2.8d5e…"],
  args: { token: arg.text({ positional: true, help: "redeem.arg.token", example: "3f9K2hQ1xYz0aB7c.l8m4k2.8d5e…", max: 200 }) },
  async handler(ctx, a): Promise<Reply> {
    const { actor, t } = ctx;
    const result = await redeemQrToken(ctx, actor.workspace.id, a.token, { label: actor.displayName, memberId: actor.memberId });
    if (result.ok) return { tone: "success", text: t("redeem.done", { campaign: result.campaign.name, number: result.campaign.number, at: utcMinute(result.at) }) };
    if (result.why === "used") return { tone: "error", text: t("redeem.used", { at: utcMinute(result.at), by: result.by ?? "?" }) };
    return { tone: "error", text: t(result.why === "expired" ? "redeem.expired" : "redeem.forged") };
  },
});
