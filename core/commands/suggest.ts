import type { Db } from "../../db/database.ts";
import type { Translate } from "../i18n/t.ts";
import { nameKey } from "../names.ts";
import type { RefKind } from "./args.ts";

/** One offer for a `ref` argument: what the person sees, and what the command receives. */
export interface Suggestion {
  label: string;
  value: string;
}

/**
 * The workspace's campaigns or creators matching what has been typed so far
 * (number, part of the name, or a handle), most recently touched first, for
 * adapters with autocomplete. Values are #numbers, so a pick never depends on
 * name spelling.
 */
export async function suggestRefs(db: Db, workspaceId: string, of: RefKind, typed: string, t: Translate, limit = 25): Promise<Suggestion[]> {
  const key = nameKey(typed.replace(/^#/, ""));
  // Numbers are Int columns: a longer run of digits is a name fragment, not a number.
  const byNumber = /^\d{1,9}$/.test(key) ? [{ number: Number(key) }] : [];
  if (of === "campaign") {
    const rows = await db.campaign.findMany({
      where: { workspaceId, ...(key ? { OR: [...byNumber, { nameKey: { contains: key } }] } : {}) },
      select: { number: true, name: true, status: true },
      orderBy: { updatedAt: "desc" },
      take: limit,
    });
    return rows.map((c) => ({ label: `#${c.number} ${c.name} · ${t(`campaign.status.${c.status}`)}`, value: String(c.number) }));
  }
  if (of === "invitation") {
    const rows = await db.invitation.findMany({
      where: { workspaceId, ...(key ? { OR: [...byNumber, { creator: { nameKey: { contains: key } } }, { campaign: { nameKey: { contains: key } } }] } : {}) },
      select: { number: true, status: true, creator: { select: { name: true } }, campaign: { select: { name: true } } },
      orderBy: { updatedAt: "desc" },
      take: limit,
    });
    return rows.map((i) => ({ label: `#${i.number} ${i.creator.name} · ${i.campaign.name} · ${t(`invite.status.${i.status}`)}`, value: String(i.number) }));
  }
  const handle = key.replace(/^@/, "");
  const rows = await db.creator.findMany({
    where: { workspaceId, ...(key ? { OR: [...byNumber, { nameKey: { contains: key } }, { handles: { some: { handle: { startsWith: handle } } } }] } : {}) },
    select: { number: true, name: true, handles: { select: { handle: true }, take: 1, orderBy: { platform: "asc" } } },
    orderBy: { number: "desc" },
    take: limit,
  });
  return rows.map((c) => ({ label: `#${c.number} ${c.name}${c.handles[0] ? ` · @${c.handles[0].handle}` : ""}`, value: String(c.number) }));
}
