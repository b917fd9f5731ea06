import type { Db } from "../../db/database.ts";
import { isUniqueViolation } from "../../db/errors.ts";
import { audit } from "../audit/audit.ts";
import type { CoreDeps } from "../commands/types.ts";
import { nameKey } from "../names.ts";

export type PhoneClaim = "known" | "linked" | "unknown";

/**
 * A WhatsApp number speaks for the creator whose profile holds it: WhatsApp
 * itself proves the sender owns the number, so no link code is needed. The
 * first message from it gives the creator a member (role creator) and this
 * identity; later messages find the identity. A number on profiles in several
 * workspaces goes to the one that invited it last.
 */
export async function claimPhone(deps: Pick<CoreDeps, "db" | "clock" | "ids">, phone: string): Promise<PhoneClaim> {
  const { db } = deps;
  if (await db.identity.findUnique({ where: { platform_externalId: { platform: "whatsapp", externalId: phone } }, select: { id: true } })) return "known";
  const creator = await latestCreatorWithPhone(db, phone);
  if (!creator) return "unknown";
  try {
    await db.$transaction(async (tx) => {
      let memberId = creator.memberId;
      if (!memberId) {
        memberId = deps.ids.uuid();
        // A staff member may already go by the creator's name; the creator's member is told apart by their number.
        const taken = await tx.member.findUnique({ where: { workspaceId_nameKey: { workspaceId: creator.workspaceId, nameKey: nameKey(creator.name) } }, select: { id: true } });
        const key = nameKey(taken ? `${creator.name} (creator #${creator.number})` : creator.name);
        await tx.member.create({ data: { id: memberId, workspaceId: creator.workspaceId, displayName: creator.name, nameKey: key, role: "creator", createdAt: deps.clock.now() } });
        await tx.creator.update({ where: { id: creator.id }, data: { memberId } });
      }
      await tx.identity.create({ data: { id: deps.ids.uuid(), platform: "whatsapp", externalId: phone, memberId, label: creator.name } });
      await audit(tx, deps.clock, { workspaceId: creator.workspaceId, actorMemberId: memberId, action: "identity.linked", entityType: "identity", entityId: `whatsapp:${phone}`, data: { platform: "whatsapp", creator: creator.number } });
    });
  } catch (err) {
    // Two first messages at once: the identity is unique, so one claim wins and the other finds it.
    if (isUniqueViolation(err)) return "known";
    throw err;
  }
  return "linked";
}

async function latestCreatorWithPhone(db: Db, phone: string) {
  const select = { id: true, workspaceId: true, number: true, name: true, memberId: true } as const;
  const invited = await db.invitation.findFirst({ where: { creator: { phone } }, orderBy: { createdAt: "desc" }, select: { creator: { select } } });
  return invited?.creator ?? db.creator.findFirst({ where: { phone }, orderBy: { createdAt: "desc" }, select });
}
