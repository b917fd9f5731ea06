import type { Db } from "../../db/database.ts";
import type { Actor, Caller } from "../commands/types.ts";
import { toLocale } from "../i18n/locale.ts";
import { nameKey } from "../names.ts";

const WITH_WORKSPACE = { workspace: true } as const;

type MemberRow = { id: string; displayName: string; role: Actor["role"]; locale: string | null; workspace: { id: string; name: string; currency: string; timezone: string; locale: string } };

export function toActor(m: MemberRow): Actor {
  const w = m.workspace;
  return {
    memberId: m.id,
    displayName: m.displayName,
    role: m.role,
    workspace: { id: w.id, name: w.name, currency: w.currency, timezone: w.timezone, locale: toLocale(m.locale ?? w.locale) },
  };
}

/** The member this chat identity is linked to, or null for a stranger. */
export async function resolveActor(db: Db, caller: Caller): Promise<Actor | null> {
  const identity = await db.identity.findUnique({
    where: { platform_externalId: { platform: caller.platform, externalId: caller.externalId } },
    include: { member: { include: WITH_WORKSPACE } },
  });
  return identity ? toActor(identity.member) : null;
}

/** A member picked by name within a workspace (the console's --as). */
export async function actorByName(db: Db, workspaceSlug: string, name: string): Promise<Actor | null> {
  const member = await db.member.findFirst({
    where: { workspace: { slug: workspaceSlug }, OR: [{ nameKey: nameKey(name) }, { nameKey: { startsWith: `${nameKey(name)} ` } }] },
    include: WITH_WORKSPACE,
    orderBy: { createdAt: "asc" },
  });
  return member ? toActor(member) : null;
}
