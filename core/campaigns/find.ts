import type { Db, Tx } from "../../db/database.ts";
import { NotFoundError } from "../errors.ts";
import { nameKey, suggest } from "../names.ts";

/**
 * A campaign of this workspace by #number or name. Another workspace's
 * campaign is simply not found, whatever is typed.
 */
export async function findCampaign(db: Db | Tx, workspaceId: string, ref: string) {
  const where = /^\d+$/.test(ref) ? { workspaceId, number: Number(ref) } : { workspaceId, nameKey: nameKey(ref) };
  const campaign = await db.campaign.findFirst({ where });
  if (campaign) return campaign;
  const near = await db.campaign.findMany({ where: { workspaceId }, select: { name: true }, orderBy: { updatedAt: "desc" }, take: 200 });
  const close = suggest(ref, near.map((c) => c.name));
  throw new NotFoundError(close ? "campaign.not_found_suggest" : "campaign.not_found", { ref, suggestion: close ?? "" }, close ? `campaign show "${close}"` : "campaign list");
}
