import type { Tx } from "../../db/database.ts";
import type { Clock } from "../clock.ts";

export interface AuditRecord {
  workspaceId: string;
  actorMemberId: string | null;
  action: string;
  entityType: "workspace" | "member" | "identity" | "creator" | "campaign";
  entityId: string;
  data?: Record<string, unknown>;
}

/** Writes one audit entry inside the caller's transaction, so the change and its record land together. */
export async function audit(tx: Tx, clock: Clock, record: AuditRecord): Promise<void> {
  await tx.auditEntry.create({ data: { ...record, data: (record.data ?? {}) as object, createdAt: clock.now() } });
}
