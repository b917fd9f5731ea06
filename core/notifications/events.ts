import type { CampaignStatus } from "../campaigns/lifecycle.ts";

/** Something that happened in the domain that other people may need to hear about. */
export type DomainEvent = {
  type: "campaign.transitioned";
  workspaceId: string;
  campaignId: string;
  from: CampaignStatus;
  to: CampaignStatus;
  actorMemberId: string;
  at: string;
};

/** Port: hands events to whatever delivers them (the notifications queue in production). */
export interface EventPublisher {
  publish(events: DomainEvent[]): Promise<void>;
}
