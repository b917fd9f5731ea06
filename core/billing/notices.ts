import type { Db } from "../../db/database.ts";
import { toLocale } from "../i18n/locale.ts";
import { translator } from "../i18n/t.ts";
import { formatMoney } from "../money.ts";
import type { PlanEvent } from "../notifications/events.ts";
import type { Notice } from "../notifications/recipients.ts";
import { scoped } from "../reply.ts";

const utc = (iso: string) => `${iso.slice(0, 16).replace("T", " ")} UTC`;

/** The workspace's owners hear about their plan: it is theirs to pay for and to fix. */
export async function planNotices(db: Db, event: PlanEvent): Promise<Notice[]> {
  const owners = await db.member.findMany({ where: { workspaceId: event.workspaceId, role: "owner" }, include: { identities: true, workspace: true } });
  return owners
    .filter((m) => m.identities.length > 0)
    .map((m) => {
      const locale = toLocale(m.locale ?? m.workspace.locale);
      const t = translator(locale);
      const vars = { plan: t(`plan.name.${event.plan}`), previous: t(`plan.name.${event.previous}`), workspace: m.workspace.name };
      const text =
        event.change === "payment_failed"
          ? [
              t("plan.notify.payment_failed", { ...vars, amount: event.amount ? formatMoney(event.amount, locale) : "—" }),
              event.nextAttempt ? t("plan.notify.next_attempt", { at: utc(event.nextAttempt) }) : t("plan.notify.no_retry"),
              t("plan.notify.grace", vars),
            ].join("\n")
          : t(event.change === "started" ? "plan.notify.started" : "plan.notify.ended", vars);
      return {
        memberId: m.id,
        targets: m.identities.map((i) => ({ platform: i.platform, externalId: i.externalId, name: m.displayName, locale })),
        reply: scoped({ tone: event.change === "started" ? "success" : "warning", text, buttons: [{ label: t("plan.button.show"), command: "plan show" }] }, event.workspaceId),
      };
    });
}
