import type { Db, Tx } from "../../db/database.ts";
import type { MentionRef } from "../commands/args.ts";
import type { Caller } from "../commands/types.ts";
import { NotFoundError } from "../errors.ts";
import { nameKey } from "../names.ts";

/**
 * A member of this workspace by mention or name. A mention is looked up by
 * the chat account it names; one that is not linked here falls back to the
 * name it carries (Discord resolves a user option with its display name).
 */
export async function findMember(db: Db | Tx, workspaceId: string, who: MentionRef, caller: Pick<Caller, "platform" | "mentionPrefix">) {
  if (who.id && caller.mentionPrefix !== undefined) {
    const identity = await db.identity.findUnique({ where: { platform_externalId: { platform: caller.platform, externalId: `${caller.mentionPrefix}${who.id}` } }, include: { member: true } });
    if (identity?.member.workspaceId === workspaceId) return identity.member;
  }
  const member = who.name ? await db.member.findUnique({ where: { workspaceId_nameKey: { workspaceId, nameKey: nameKey(who.name) } } }) : null;
  if (!member) throw new NotFoundError("member.not_found", { who: who.name ?? who.id ?? "" }, 'member add "Cris Creator" --role creator');
  return member;
}
