import type { Tx } from "../../db/database.ts";

/**
 * Next per-workspace number for a kind of thing ("campaign" → #1, #2 …).
 * One atomic upsert, so concurrent creates never share a number.
 */
export async function nextNumber(tx: Tx, workspaceId: string, name: "campaign" | "creator" | "invitation"): Promise<number> {
  const rows = await tx.$queryRaw<{ value: number }[]>`
    INSERT INTO workspace_counters (workspace_id, name, value) VALUES (${workspaceId}::uuid, ${name}, 1)
    ON CONFLICT (workspace_id, name) DO UPDATE SET value = workspace_counters.value + 1
    RETURNING value`;
  return rows[0]!.value;
}
