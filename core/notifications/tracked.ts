import type { Db } from "../../db/database.ts";
import { isUniqueViolation } from "../../db/errors.ts";
import type { CoreDeps } from "../commands/types.ts";
import type { Locale } from "../i18n/locale.ts";
import { toLocale } from "../i18n/locale.ts";
import type { Tracked } from "../reply.ts";
import type { MessageRef } from "./messenger.ts";

/** Records where an adapter posted a tracked reply; the same message remembered twice is kept once. */
export async function rememberMessage(deps: Pick<CoreDeps, "db" | "clock" | "ids">, tracked: Tracked, at: MessageRef, locale: Locale): Promise<void> {
  await deps.db.trackedMessage
    .create({ data: { id: deps.ids.uuid(), workspaceId: tracked.workspaceId, entityType: tracked.kind, entityId: tracked.id, platform: at.platform, ref: at.ref, locale, createdAt: deps.clock.now() } })
    .catch((err: unknown) => {
      if (!isUniqueViolation(err)) throw err;
    });
}

/** Every message that shows this thing, with the language it was posted in. */
export async function messagesShowing(db: Db, kind: Tracked["kind"], id: string): Promise<(MessageRef & { locale: Locale })[]> {
  const rows = await db.trackedMessage.findMany({ where: { entityType: kind, entityId: id }, orderBy: { createdAt: "asc" } });
  return rows.map((r) => ({ platform: r.platform, ref: r.ref, locale: toLocale(r.locale) }));
}
