import type { Db } from "../../db/database.ts";
import { toLocale } from "../i18n/locale.ts";
import { translator } from "../i18n/t.ts";
import type { DomainEvent } from "../notifications/events.ts";
import type { Notice } from "../notifications/recipients.ts";
import { scoped } from "../reply.ts";
import { APPROVERS, MANAGERS, type Role } from "../roles.ts";
import type { CampaignStatus } from "./lifecycle.ts";
import { transitionButtons } from "./render.ts";

/** Who hears about a campaign move: approvers when it needs them, the rest of the team after. */
function audience(to: string): readonly Role[] {
  return to === "submitted" ? APPROVERS : MANAGERS;
}

export async function campaignNotices(db: Db, event: Extract<DomainEvent, { type: "campaign.transitioned" }>): Promise<Notice[]> {
  const campaign = await db.campaign.findFirst({ where: { id: event.campaignId, workspaceId: event.workspaceId } });
  if (!campaign) return [];
  const [actor, members] = await Promise.all([
    db.member.findUnique({ where: { id: event.actorMemberId } }),
    db.member.findMany({
      where: { workspaceId: event.workspaceId, role: { in: [...audience(event.to)] }, id: { not: event.actorMemberId } },
      include: { identities: true, workspace: true },
    }),
  ]);
  // "draft" is never a destination, so every event.to has a notify.campaign.* message.
  const key = `notify.campaign.${event.to as Exclude<CampaignStatus, "draft">}` as const;
  return members
    .filter((m) => m.identities.length > 0)
    .map((m) => {
      const tr = translator(toLocale(m.locale ?? m.workspace.locale));
      return {
        memberId: m.id,
        targets: m.identities.map((i) => ({ platform: i.platform, externalId: i.externalId, name: m.displayName })),
        reply: scoped(
          {
            text: tr(key, { actor: actor?.displayName ?? "?", name: campaign.name, number: campaign.number }),
            buttons: [{ label: tr("campaign.show.button"), command: `campaign show ${campaign.number}` }, ...transitionButtons(campaign, m.role, tr)],
          },
          m.workspace.id,
        ),
      };
    });
}
