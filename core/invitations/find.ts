import type { Db, Tx } from "../../db/database.ts";
import type { Actor } from "../commands/types.ts";
import { NotFoundError, UsageError } from "../errors.ts";

export const WITH_PARTIES = { creator: true, campaign: true } as const;

/**
 * An invitation of this workspace by #number. A creator finds only their own:
 * another creator's invitation, like another workspace's, is simply not found.
 */
export async function findInvitation(db: Db | Tx, actor: Actor, ref: string) {
  if (!/^\d{1,9}$/.test(ref)) throw new UsageError("invite.ref_number", { ref }, "accept 12");
  const invitation = await db.invitation.findFirst({
    where: { workspaceId: actor.workspace.id, number: Number(ref), ...(actor.role === "creator" ? { creator: { memberId: actor.memberId } } : {}) },
    include: WITH_PARTIES,
  });
  if (!invitation) throw new NotFoundError("invite.not_found", { ref }, "invites");
  return invitation;
}

export type InvitationWithParties = Awaited<ReturnType<typeof findInvitation>>;
