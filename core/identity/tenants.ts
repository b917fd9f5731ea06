import type { Tx } from "../../db/database.ts";
import type { Clock } from "../clock.ts";
import type { Caller } from "../commands/types.ts";
import { ConflictError } from "../errors.ts";

/**
 * Binds the caller's chat tenant (their Slack team, their Discord server) to a
 * workspace the first time one of its people joins it, and refuses a join into
 * any other: one tenant, one workspace, so a team's chat never mixes brands.
 */
export async function bindTenant(tx: Tx, clock: Clock, caller: Caller, workspaceId: string): Promise<void> {
  if (!caller.tenant) return;
  const key = { platform: caller.platform, tenantId: caller.tenant };
  await tx.$executeRaw`
    INSERT INTO chat_tenants (platform, tenant_id, workspace_id, bound_at)
    VALUES (${caller.platform}::"ChatPlatform", ${caller.tenant}, ${workspaceId}::uuid, ${clock.now()})
    ON CONFLICT DO NOTHING`;
  const bound = await tx.chatTenant.findUniqueOrThrow({ where: { platform_tenantId: key }, include: { workspace: { select: { name: true } } } });
  if (bound.workspaceId !== workspaceId) {
    throw new ConflictError("tenant.bound_elsewhere", { platform: caller.platform, workspace: bound.workspace.name });
  }
}
