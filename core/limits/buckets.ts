import type { PlanLimits } from "../billing/plans.ts";
import type { Bucket } from "./port.ts";

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

/** Every window Clout counts, named once: the runner, the API and `plan show` read the same keys. */
export const buckets = {
  /** A member's commands, across every chat platform. */
  member: (memberId: string, limits: PlanLimits): Bucket => ({ key: `cmd:m:${memberId}`, limit: limits.commandsPerMinute, windowMs: MINUTE }),
  /** Someone not linked yet, per chat account. */
  caller: (platform: string, externalId: string, limit: number): Bucket => ({ key: `cmd:c:${platform}:${externalId}`, limit, windowMs: MINUTE }),
  apiWorkspace: (workspaceId: string, limits: PlanLimits): Bucket => ({ key: `api:w:${workspaceId}`, limit: limits.apiPerHour, windowMs: HOUR }),
  apiCredential: (credentialId: string, limits: PlanLimits): Bucket => ({ key: `api:k:${credentialId}`, limit: limits.apiPerCredentialPerMinute, windowMs: MINUTE }),
  apiIp: (ip: string, limit: number): Bucket => ({ key: `api:ip:${ip}`, limit, windowMs: MINUTE }),
  redirectIp: (ip: string, limit: number): Bucket => ({ key: `r:ip:${ip}`, limit, windowMs: MINUTE }),
};
