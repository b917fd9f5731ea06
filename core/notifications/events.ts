import type { PlanName } from "../billing/plans.ts";
import type { CampaignStatus } from "../campaigns/lifecycle.ts";
import type { Money } from "../money.ts";
import type { Move, Side } from "../invitations/negotiation.ts";

/** Something that happened in the domain that other people may need to hear about. */
export type DomainEvent =
  | PlanEvent
  | {
      type: "campaign.transitioned";
      workspaceId: string;
      campaignId: string;
      from: CampaignStatus;
      to: CampaignStatus;
      actorMemberId: string;
      at: string;
    }
  | {
      /** A campaign's settings changed (its destination URL): nobody is told, but referral redirects must drop what they cached. */
      type: "campaign.updated";
      workspaceId: string;
      campaignId: string;
      changes: "destinationUrl"[];
      actorMemberId: string;
      at: string;
    }
  | {
      /**
       * An offer, counter or answer, or the expiry. The other side is told;
       * an acceptance is also where whatever follows a deal (referral links,
       * payment requests) hooks in.
       */
      type: "invitation.changed";
      workspaceId: string;
      invitationId: string;
      move: Move;
      side: Side;
      actorMemberId: string | null;
      at: string;
    }
  | {
      /** A boost started (paid), ended on time, or was refunded: the creator is told. */
      type: "boost.changed";
      workspaceId: string;
      boostId: string;
      change: "activated" | "expired" | "refunded";
      at: string;
    }
  | {
      /**
       * A creator was added, or their influence score changed (issue #8's
       * metrics sync says "scored"): nobody is told, but the leaderboards move.
       */
      type: "creator.changed";
      workspaceId: string;
      creatorId: string;
      change: "added" | "scored";
      at: string;
    }
  | {
      /** A contract's payment milestone was paid through Stripe, or its payment refunded. */
      type: "milestone.changed";
      workspaceId: string;
      milestoneId: string;
      change: "paid" | "refunded";
      at: string;
    };

/** A workspace's paid plan started or ended, or a payment for it failed (the plan holds meanwhile): the owners are told. */
export type PlanEvent = {
  type: "plan.changed";
  workspaceId: string;
  change: "started" | "ended" | "payment_failed";
  plan: PlanName;
  previous: PlanName;
  amount?: Money;
  /** When Stripe tries the card again. */
  nextAttempt?: string;
  at: string;
};

/** Port: hands events to whatever delivers them (the notifications queue in production). */
export interface EventPublisher {
  publish(events: DomainEvent[]): Promise<void>;
}
