import { APPROVERS, MANAGERS, type Role } from "../roles.ts";

export const CAMPAIGN_STATUSES = ["draft", "submitted", "approved", "rejected", "active", "completed", "cancelled"] as const;
export type CampaignStatus = (typeof CAMPAIGN_STATUSES)[number];

export const CAMPAIGN_ACTIONS = ["submit", "approve", "reject", "activate", "complete", "cancel"] as const;
export type CampaignAction = (typeof CAMPAIGN_ACTIONS)[number];

export interface Transition {
  from: readonly CampaignStatus[];
  to: CampaignStatus;
  roles: readonly Role[];
}

/** draft → submitted → approved → active → completed, with rejected and cancelled on the side. */
export const TRANSITIONS: Record<CampaignAction, Transition> = {
  submit: { from: ["draft"], to: "submitted", roles: MANAGERS },
  approve: { from: ["submitted"], to: "approved", roles: APPROVERS },
  reject: { from: ["submitted"], to: "rejected", roles: APPROVERS },
  activate: { from: ["approved"], to: "active", roles: MANAGERS },
  complete: { from: ["active"], to: "completed", roles: MANAGERS },
  cancel: { from: ["draft", "submitted", "approved", "active"], to: "cancelled", roles: MANAGERS },
};

/** The actions that can move a campaign on from this status. */
export function actionsFrom(status: CampaignStatus): CampaignAction[] {
  return CAMPAIGN_ACTIONS.filter((a) => TRANSITIONS[a].from.includes(status));
}
