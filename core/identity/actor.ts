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

/**
 * The member this chat identity is linked to, or null for a stranger. Every
 * command starts here, so it is one joined query rather than the three an
 * include would send.
 */
export async function resolveActor(db: Db, caller: Caller): Promise<Actor | null> {
  // The chat tenant's binding rides along in the same query: a member asking from another brand's Slack team or Discord server is told so (see authorize).
  const rows = await db.$queryRaw<{ id: string; display_name: string; role: Actor["role"]; locale: string | null; ws_id: string; ws_name: string; currency: string; timezone: string; ws_locale: string; tenant_ws: string | null }[]>`
    SELECT m.id, m.display_name, m.role::text AS role, m.locale, w.id AS ws_id, w.name AS ws_name, w.currency, w.timezone, w.locale AS ws_locale, ct.workspace_id AS tenant_ws
    FROM identities i JOIN members m ON m.id = i.member_id JOIN workspaces w ON w.id = m.workspace_id
    LEFT JOIN chat_tenants ct ON ct.platform = i.platform AND ct.tenant_id = ${caller.tenant ?? null}
    WHERE i.platform = ${caller.platform}::"ChatPlatform" AND i.external_id = ${caller.externalId}`;
  const r = rows[0];
  if (!r) return null;
  const actor = toActor({ id: r.id, displayName: r.display_name, role: r.role, locale: r.locale, workspace: { id: r.ws_id, name: r.ws_name, currency: r.currency, timezone: r.timezone, locale: r.ws_locale } });
  return r.tenant_ws && r.tenant_ws !== r.ws_id ? { ...actor, foreignTenant: true } : actor;
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
