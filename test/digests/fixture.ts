/**
 * Fixed rows for the digest tests: one week (2026-07-08 to 07-15 UTC) and the
 * week before, with figures small enough to work out by hand. Written straight
 * into the tables the sync, the click writer and the contracts fill.
 */
import type { Db } from "../../db/database.ts";
import { createTeam, type Team } from "../support/team.ts";

export const FROM = new Date("2026-07-08T00:00:00Z");
export const TO = new Date("2026-07-15T00:00:00Z");

export interface Fixture {
  team: Team;
  ids: Record<string, string>;
}

let invitation = 7000;

/** Into a new team called `name`, or into `team` when given. */
export async function seedDigestFixture(db: Db, name = "Digest Brand", into?: Team): Promise<Fixture> {
  const team = into ?? (await createTeam(db, name));
  const ws = team.workspaceId;
  const ids: Record<string, string> = {};
  const campaign = async (label: string, currency: string, budgetMinor: number, number: number) => {
    const id = crypto.randomUUID();
    await db.campaign.create({ data: { id, workspaceId: ws, number, name: label, nameKey: label.toLowerCase(), objective: "sales", budgetMinor, currency, startsOn: new Date("2026-07-01"), endsOn: new Date("2026-07-31"), status: "active" } });
    ids[label] = id;
  };
  await campaign("Glow Up", "USD", 1_000_000, 1);
  await campaign("Winter", "EUR", 500_000, 2);
  const scores: Record<string, number | null> = { Murugi: 72.5, Njugush: null, Otieno: 40 };
  let number = 0;
  for (const [creator, score] of Object.entries(scores)) {
    const id = crypto.randomUUID();
    await db.creator.create({ data: { id, workspaceId: ws, number: ++number, name: creator, nameKey: creator.toLowerCase(), influenceScore: score } });
    ids[creator] = id;
  }
  const link = async (campaignName: string, creator: string, days: [string, number, number, number, number][]) => {
    const id = crypto.randomUUID();
    const code = `${creator}${campaignName}`.toUpperCase().replace(/\W/g, "");
    await db.referralLink.create({ data: { id, workspaceId: ws, campaignId: ids[campaignName]!, creatorId: ids[creator]!, slug: `dg${id.slice(0, 8)}`, code, codeKey: code, createdAt: FROM } });
    for (const [day, clicks, uniqueClicks, conversions, revenueMinor] of days) {
      await db.linkDailyStat.create({ data: { linkId: id, day: new Date(`${day}T00:00:00Z`), clicks, uniqueClicks, conversions, revenueMinor } });
    }
  };
  const contract = async (campaignName: string, creator: string, feeMinor: number, currency: string, paidAdvance?: number) => {
    const invitationId = crypto.randomUUID();
    await db.invitation.create({ data: { id: invitationId, workspaceId: ws, number: ++invitation, campaignId: ids[campaignName]!, creatorId: ids[creator]!, feeMinor, currency, status: "accepted", expiresAt: TO } });
    await db.contract.create({ data: { invitationId, workspaceId: ws, campaignId: ids[campaignName]!, creatorId: ids[creator]!, feeMinor, currency, deliverables: "1 reel", startsOn: new Date("2026-07-01"), endsOn: new Date("2026-07-31"), acceptedAt: new Date("2026-07-01T10:00:00Z") } });
    if (paidAdvance) {
      await db.paymentMilestone.create({ data: { id: crypto.randomUUID(), workspaceId: ws, invitationId, kind: "advance", amountMinor: paidAdvance, currency, dueOn: new Date("2026-07-01"), status: "paid", paidAt: new Date("2026-07-02T12:00:00Z") } });
    }
  };
  // [day, clicks, unique, conversions, revenue]; the 07-0x rows are the previous week.
  await link("Glow Up", "Murugi", [["2026-07-03", 50, 40, 1, 10_000], ["2026-07-09", 100, 80, 4, 40_000]]);
  await link("Glow Up", "Njugush", [["2026-07-10", 60, 50, 2, 20_000]]);
  await link("Glow Up", "Otieno", [["2026-07-05", 10, 10, 0, 0], ["2026-07-12", 40, 30, 0, 0]]);
  // After the period: never counted.
  await link("Winter", "Otieno", [["2026-07-09", 10, 10, 1, 5_000], ["2026-07-20", 999, 999, 9, 99_999]]);
  await contract("Glow Up", "Murugi", 50_000, "USD", 15_000);
  await contract("Glow Up", "Njugush", 30_000, "USD");
  await contract("Glow Up", "Otieno", 20_000, "USD");
  await contract("Winter", "Otieno", 2_000, "EUR");

  for (const [creator, followers] of [["Murugi", 10_000], ["Njugush", 5_000], ["Otieno", 20_000]] as const) {
    await db.metricSnapshot.create({ data: { workspaceId: ws, creatorId: ids[creator]!, platform: "instagram", capturedAt: new Date("2026-07-01T00:00:00Z"), followers } });
  }
  const post = async (creator: string, at: string, likes: number, comments: number, sentiments: (number | null)[] = []) => {
    const id = crypto.randomUUID();
    await db.socialPost.create({ data: { id, workspaceId: ws, creatorId: ids[creator]!, platform: "instagram", externalId: id, postedAt: new Date(at), likes, comments, firstSeenAt: new Date(at), updatedAt: new Date(at) } });
    for (const [i, sentiment] of sentiments.entries()) {
      await db.postComment.create({ data: { id: crypto.randomUUID(), workspaceId: ws, creatorId: ids[creator]!, postId: id, externalId: `${id}-${i}`, body: "nice", postedAt: new Date(at), sentiment } });
    }
  };
  await post("Murugi", "2026-07-04T10:00:00Z", 200, 50, [0.1]);
  await post("Murugi", "2026-07-09T10:00:00Z", 400, 100, [0.8, 0.4, null]);
  await post("Njugush", "2026-07-10T18:30:00Z", 250, 50);
  await post("Otieno", "2026-07-12T08:00:00Z", 150, 50, [-0.2]);
  // The next week's post: outside the period.
  await post("Otieno", "2026-07-15T00:00:00Z", 9_000, 900);
  return { team, ids };
}
