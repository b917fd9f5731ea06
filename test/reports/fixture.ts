import type { RunnerDeps } from "../../core/commands/run.ts";
import { runAll } from "../support/commands.ts";
import type { Team } from "../support/team.ts";

/**
 * "Glow Up" (USD, budget $10,000, July 2026, approved) with fixed rows, and
 * the figures they make, worked out by hand:
 *
 * | creator | fee  | clicks | unique | QR | conv. | revenue | posts | likes+comments |
 * | Amara   | $500 | 40+10  | 30+8   | 5  | 2+1   | $165.50 | 1     | 300+20         |
 * | Bruno   | $300 | 20+30  | 15+25  | 5  | 0+1   | $80.00  | 1     | 100+5          |
 * | Chidi   | —    | (99 on Aug 5, after the campaign: not counted)                   |
 *
 * Totals: 100 clicks, 78 unique, 10 QR, 4 conversions (4 %), $245.50 revenue,
 * $800 agreed (8 % of the budget), $150 paid, ROI (245.50 − 800) ÷ 800 =
 * −69.3 %; 2 posts, 425 engagement; engagement rate 320 ÷ 10,000 followers =
 * 3.2 % (only Amara has a follower count). Amara's ROI −66.9 %, Bruno's −73.3 %.
 * A post of Amara's on June 20 is before the campaign: not counted.
 */
export const GLOW = {
  clicks: 100,
  unique: 78,
  conversions: 4,
  revenue: "$245.50",
  revenueMajor: 245.5,
  agreed: "$800.00",
  paid: "$150.00",
  budget: "$10,000.00",
  roi: -0.693125,
  posts: 2,
  engagement: 425,
  engagementRate: 0.032,
};

export async function seedGlowUp(runner: RunnerDeps, team: Team): Promise<void> {
  const db = runner.db;
  await runAll(runner, team.members.owner.caller, [
    'campaign create "Glow Up" --budget 10000 --currency USD --start 2026-07-01 --end 2026-07-31 --objective sales',
    'campaign create "Quiet One" --budget 100 --currency USD --start 2026-07-01 --end 2026-07-31 --objective awareness',
    'campaign submit "Glow Up"',
    'campaign approve "Glow Up"',
    "creator add Amara --instagram amara.glow --tiktok amarag",
    "creator add Bruno --tiktok brunob",
    "creator add Chidi --instagram chidi",
  ]);
  const campaign = await db.campaign.findFirstOrThrow({ where: { workspaceId: team.workspaceId, name: "Glow Up" } });
  const creators = Object.fromEntries((await db.creator.findMany({ where: { workspaceId: team.workspaceId } })).map((c) => [c.name, c.id]));
  let number = 100;

  const contract = async (creator: string, feeMinor: number, paidMinor: number) => {
    const invitationId = crypto.randomUUID();
    await db.invitation.create({ data: { id: invitationId, workspaceId: team.workspaceId, number: ++number, campaignId: campaign.id, creatorId: creators[creator]!, feeMinor, currency: "USD", status: "accepted", expiresAt: new Date("2026-08-01") } });
    await db.contract.create({ data: { invitationId, workspaceId: team.workspaceId, campaignId: campaign.id, creatorId: creators[creator]!, feeMinor, currency: "USD", deliverables: `2 posts by ${creator}`, startsOn: campaign.startsOn, endsOn: campaign.endsOn, acceptedAt: new Date("2026-06-25T10:00:00Z") } });
    if (paidMinor) await db.paymentMilestone.create({ data: { id: crypto.randomUUID(), workspaceId: team.workspaceId, invitationId, kind: "advance", amountMinor: paidMinor, currency: "USD", dueOn: campaign.startsOn, status: "paid", paidAt: new Date("2026-07-01T09:00:00Z") } });
  };
  const link = async (creator: string, code: string, days: [string, number, number, number, number, number][], orders: [string, string, number][] = []) => {
    const id = crypto.randomUUID();
    await db.referralLink.create({ data: { id, workspaceId: team.workspaceId, campaignId: campaign.id, creatorId: creators[creator]!, slug: `g${id.slice(0, 9)}`, code, codeKey: code, createdAt: new Date("2026-06-25T10:00:00Z") } });
    for (const [day, clicks, uniqueClicks, qrClicks, conversions, revenueMinor] of days) {
      await db.linkDailyStat.create({ data: { linkId: id, day: new Date(`${day}T00:00:00Z`), clicks, uniqueClicks, qrClicks, conversions, revenueMinor } });
    }
    for (const [orderId, at, amountMinor] of orders) {
      await db.conversion.create({ data: { id: crypto.randomUUID(), workspaceId: team.workspaceId, orderId, amountMinor, currency: "USD", code, linkId: id, attributedBy: "code", occurredAt: new Date(at), createdAt: new Date(at) } });
    }
  };
  const post = async (creator: string, platform: "instagram" | "tiktok", at: string, likes: number, comments: number, views: number | null) => {
    await db.socialPost.create({ data: { id: crypto.randomUUID(), workspaceId: team.workspaceId, creatorId: creators[creator]!, platform, externalId: `${creator}-${at}`, postedAt: new Date(at), caption: `${creator} glows ✨ #ad`, likes, comments, views, firstSeenAt: new Date(at), updatedAt: new Date(at) } });
  };

  await contract("Amara", 50_000, 15_000);
  await contract("Bruno", 30_000, 0);
  await link("Amara", "AMARA25", [["2026-07-02", 40, 30, 5, 2, 12_000], ["2026-07-03", 10, 8, 0, 1, 4_550]], [["A-1", "2026-07-02T10:00:00Z", 7_000], ["A-2", "2026-07-02T18:30:00Z", 5_000], ["A-3", "2026-07-03T08:15:00Z", 4_550]]);
  await link("Bruno", "BRUNO77", [["2026-07-02", 20, 15, 2, 0, 0], ["2026-07-10", 30, 25, 3, 1, 8_000]], [["B-1", "2026-07-10T12:00:00Z", 8_000]]);
  await link("Chidi", "CHIDI10", [["2026-08-05", 99, 90, 0, 0, 0]]);
  await post("Amara", "instagram", "2026-07-05T15:00:00Z", 300, 20, null);
  await post("Amara", "instagram", "2026-06-20T15:00:00Z", 5_000, 400, null);
  await post("Bruno", "tiktok", "2026-07-12T19:00:00Z", 100, 5, 2_000);
  await db.metricSnapshot.create({ data: { workspaceId: team.workspaceId, creatorId: creators.Amara!, platform: "instagram", capturedAt: new Date("2026-07-01T00:00:00Z"), followers: 10_000 } });
}
