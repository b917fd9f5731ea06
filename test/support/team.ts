import { randomBytes } from "node:crypto";
import type { Caller } from "../../core/commands/types.ts";
import type { PlanName } from "../../core/billing/plans.ts";
import { nameKey } from "../../core/names.ts";
import { ROLES, type Role } from "../../core/roles.ts";
import type { Db } from "../../db/database.ts";

export interface Team {
  workspaceId: string;
  slug: string;
  members: Record<Role, { id: string; caller: Caller }>;
}

const NAMES: Record<Role, string> = { owner: "Olivia Owner", admin: "Adam Admin", manager: "Maria Manager", analyst: "Ana Analyst", creator: "Cris Creator" };

/**
 * A workspace with one linked member per role, each reachable as a console
 * caller. On Enterprise unless asked otherwise, so tests about anything but
 * plans never meet a plan's limits.
 */
export async function createTeam(db: Db, name = "Team", plan: PlanName = "enterprise"): Promise<Team> {
  const slug = `${nameKey(name).replace(/\W+/g, "-")}-${randomBytes(3).toString("hex")}`;
  const workspace = await db.workspace.create({ data: { id: crypto.randomUUID(), name, slug } });
  if (plan !== "free") await db.workspaceSubscription.create({ data: { workspaceId: workspace.id, plan, status: "active", updatedAt: new Date() } });
  const members = {} as Team["members"];
  for (const role of ROLES) {
    const id = crypto.randomUUID();
    const externalId = `${slug}:${role}`;
    await db.member.create({
      data: { id, workspaceId: workspace.id, displayName: NAMES[role], nameKey: nameKey(NAMES[role]), role, identities: { create: { id: crypto.randomUUID(), platform: "console", externalId } } },
    });
    members[role] = { id, caller: { platform: "console", externalId, displayName: NAMES[role] } };
  }
  return { workspaceId: workspace.id, slug, members };
}
