import type { Db, Tx } from "../../db/database.ts";
import type { ReferralLink } from "../../db/generated/client.ts";
import type { CoreDeps } from "../commands/types.ts";
import { candidateCode, codeStem, newSlug } from "./codes.ts";

export type { ReferralLink };

export interface LinkOwner {
  workspaceId: string;
  campaignId: string;
  creatorId: string;
  creatorName: string;
  /** The accepted invitation it came from; absent when issued for an older contract. */
  invitationId?: string;
}

const ATTEMPTS = 24;

/**
 * The creator's link and code for the campaign, created if they have none, in
 * the caller's transaction. Inserts skip conflicts rather than fail (a unique
 * violation would abort the whole acceptance), so a taken code or slug is
 * simply tried again and a concurrent issue of the same link is read back.
 */
export async function issueReferralLink(tx: Tx, deps: Pick<CoreDeps, "clock" | "ids">, o: LinkOwner): Promise<ReferralLink> {
  const key = { campaignId_creatorId: { campaignId: o.campaignId, creatorId: o.creatorId } };
  const existing = await tx.referralLink.findUnique({ where: key });
  if (existing) return existing;
  const stem = codeStem(o.creatorName);
  const taken = new Set((await tx.referralLink.findMany({ where: { workspaceId: o.workspaceId, codeKey: { startsWith: stem } }, select: { codeKey: true } })).map((r) => r.codeKey));
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    const code = candidateCode(stem, attempt, deps.ids);
    if (taken.has(code)) continue;
    const row: ReferralLink = {
      id: deps.ids.uuid(),
      workspaceId: o.workspaceId,
      campaignId: o.campaignId,
      creatorId: o.creatorId,
      invitationId: o.invitationId ?? null,
      slug: newSlug(deps.ids),
      code,
      codeKey: code,
      createdAt: deps.clock.now(),
    };
    const { count } = await tx.referralLink.createMany({ data: [row], skipDuplicates: true });
    if (count === 1) return row;
    const raced = await tx.referralLink.findUnique({ where: key });
    if (raced) return raced;
    taken.add(code);
  }
  throw new Error(`no free referral code for ${stem} after ${ATTEMPTS} attempts`);
}

/** The public address of a link: PUBLIC_URL/r/<slug>. */
export const referralUrl = (publicUrl: string, slug: string): string => `${publicUrl.replace(/\/+$/, "")}/r/${slug}`;

/** The QR form of the link: the ?qr=1 marks a visit as a scan. */
export const scanUrl = (publicUrl: string, slug: string): string => `${referralUrl(publicUrl, slug)}?qr=1`;

/** A link as the contract summary and `referral show` present it. */
export interface ReferralView {
  url: string;
  code: string;
  destination: string | null;
}

export const viewOf = (publicUrl: string, link: Pick<ReferralLink, "slug" | "code">, destination: string | null): ReferralView => ({ url: referralUrl(publicUrl, link.slug), code: link.code, destination });

/** The link an accepted invitation issued, for the notices that tell each side. */
export async function linkOfInvitation(db: Db, invitationId: string): Promise<ReferralLink | null> {
  return db.referralLink.findUnique({ where: { invitationId } });
}
