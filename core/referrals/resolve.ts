import type { Db } from "../../db/database.ts";
import { FINISHED, targetOf, type Target } from "./destination.ts";

/** What the redirect needs to answer a slug, as cached between clicks. */
export type LinkRoute =
  | { state: "live"; linkId: string; campaignId: string; target: Target }
  /** The brand hasn't set a destination yet: nowhere to send people, so nothing is counted. */
  | { state: "no_destination"; linkId: string; campaignId: string }
  | { state: "finished"; linkId: string; campaignId: string }
  | { state: "unknown" };

/** Slugs are lower case; a link typed or pasted in capitals still works. */
export const normalSlug = (slug: string): string => slug.trim().toLowerCase();

export async function resolveLink(db: Db, slug: string): Promise<LinkRoute> {
  const link = await db.referralLink.findUnique({ where: { slug: normalSlug(slug) }, select: { id: true, code: true, campaignId: true } });
  if (!link) return { state: "unknown" };
  const campaign = await db.campaign.findUniqueOrThrow({ where: { id: link.campaignId }, select: { name: true, status: true, destinationUrl: true } });
  const base = { linkId: link.id, campaignId: link.campaignId };
  if (FINISHED.includes(campaign.status)) return { ...base, state: "finished" };
  if (!campaign.destinationUrl) return { ...base, state: "no_destination" };
  return { ...base, state: "live", target: targetOf(campaign.destinationUrl, { campaignName: campaign.name, code: link.code }) };
}
