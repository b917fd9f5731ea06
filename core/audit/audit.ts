import type { Tx } from "../../db/database.ts";
import type { Clock } from "../clock.ts";
import { en, type MessageKey } from "../i18n/en.ts";
import type { Translate } from "../i18n/t.ts";

export interface AuditRecord {
  workspaceId: string;
  actorMemberId: string | null;
  action: string;
  entityType: "workspace" | "member" | "identity" | "creator" | "campaign" | "invitation" | "apikey" | "referral" | "conversion" | "qr";
  entityId: string;
  data?: Record<string, unknown>;
}

/** Writes one audit entry inside the caller's transaction, so the change and its record land together. */
export async function audit(tx: Tx, clock: Clock, record: AuditRecord): Promise<void> {
  await tx.auditEntry.create({ data: { ...record, data: (record.data ?? {}) as object, createdAt: clock.now() } });
}

/** How an audit action reads in history lists; actions without a message show as stored. */
export function auditLabel(t: Translate, action: string): string {
  const key = `audit.${action}`;
  return key in en ? t(key as MessageKey) : action;
}
