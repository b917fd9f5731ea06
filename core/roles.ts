export const ROLES = ["owner", "admin", "manager", "analyst", "creator"] as const;
export type Role = (typeof ROLES)[number];

/** Roles that run the brand side of Clout. */
export const STAFF: readonly Role[] = ["owner", "admin", "manager", "analyst"];
export const MANAGERS: readonly Role[] = ["owner", "admin", "manager"];
export const APPROVERS: readonly Role[] = ["owner", "admin"];

const RANK: Record<Role, number> = { owner: 4, admin: 3, manager: 2, analyst: 1, creator: 0 };

/** An admin may grant any role up to their own; only an owner may make owners. */
export function canGrant(granter: Role, role: Role): boolean {
  if (granter === "owner") return true;
  return granter === "admin" && RANK[role] <= RANK.admin;
}
