import type { Db } from "../../db/database.ts";
import { planNotices } from "../billing/notices.ts";
import { campaignNotices } from "../campaigns/notices.ts";
import { invitationNotices, invitationUpdates } from "../invitations/notices.ts";
import { boostNotices, milestoneNotices } from "../payments/notices.ts";
import type { Reply } from "../reply.ts";
import type { ChatTarget, MessageRef } from "./messenger.ts";
import type { DomainEvent } from "./events.ts";

/** One person's message about an event, in their language, for each chat account they can be reached on. */
export interface Notice {
  /** Absent for a creator reached only through the phone on their profile. */
  memberId?: string;
  targets: ChatTarget[];
  reply: Reply;
}

/** Works out what each person should be told about an event; `publicUrl` makes the links they are sent (referral links). */
export function noticesFor(db: Db, event: DomainEvent, publicUrl: string): Promise<Notice[]> {
  switch (event.type) {
    case "campaign.transitioned":
      return campaignNotices(db, event);
    case "invitation.changed":
      return invitationNotices(db, event, publicUrl);
    case "campaign.updated":
    case "creator.changed":
      return Promise.resolve([]);
    case "boost.changed":
      return boostNotices(db, event);
    case "plan.changed":
      return planNotices(db, event);
    case "milestone.changed":
      return milestoneNotices(db, event);
  }
}

/** A posted message redrawn after a change. */
export interface MessageUpdate {
  at: MessageRef;
  reply: Reply;
}

/** The posted messages an event changes, each with what it should now show. */
export function updatesFor(db: Db, event: DomainEvent): Promise<MessageUpdate[]> {
  return event.type === "invitation.changed" ? invitationUpdates(db, event) : Promise.resolve([]);
}
