import type { Tx } from "../../db/database.ts";
import type { CoreDeps } from "../commands/types.ts";

const DAY = 86_400_000;
export const LINK_CODE_DAYS_FOR_NEW_MEMBER = 7;
export const LINK_CODE_MINUTES_FOR_SELF = 30;

/** A one-time code that joins a chat identity to this member, from any platform. */
export async function issueLinkCode(
  tx: Tx,
  deps: Pick<CoreDeps, "clock" | "ids">,
  o: { workspaceId: string; memberId: string; days?: number; minutes?: number },
): Promise<string> {
  const code = deps.ids.code(6);
  const ttl = o.days ? o.days * DAY : (o.minutes ?? LINK_CODE_MINUTES_FOR_SELF) * 60_000;
  const now = deps.clock.now();
  await tx.linkCode.create({ data: { code, workspaceId: o.workspaceId, memberId: o.memberId, createdAt: now, expiresAt: new Date(now.getTime() + ttl) } });
  return code;
}
