import type { Campaign } from "../../db/generated/client.ts";
import type { Translate } from "../i18n/t.ts";
import type { Locale } from "../i18n/locale.ts";
import { formatMoney } from "../money.ts";
import type { ReplyButton } from "../reply.ts";
import type { Role } from "../roles.ts";
import { actionsFrom, TRANSITIONS } from "./lifecycle.ts";

export const isoDate = (d: Date): string => d.toISOString().slice(0, 10);

export function budgetOf(c: Pick<Campaign, "budgetMinor" | "currency">, locale: Locale): string {
  return formatMoney({ minor: Number(c.budgetMinor), currency: c.currency }, locale);
}

export function dates(c: Pick<Campaign, "startsOn" | "endsOn">): string {
  return `${isoDate(c.startsOn)} → ${isoDate(c.endsOn)}`;
}

/** Buttons for the moves this role may make from the campaign's status. */
export function transitionButtons(c: Pick<Campaign, "status" | "number">, role: Role, t: Translate): ReplyButton[] {
  return actionsFrom(c.status)
    .filter((a) => TRANSITIONS[a].roles.includes(role))
    .map((a) => ({
      label: t(`campaign.button.${a}`),
      command: `campaign ${a} ${c.number}`,
      ...(a === "reject" || a === "cancel" ? { style: "danger" as const } : a === "approve" || a === "activate" || a === "submit" ? { style: "primary" as const } : {}),
    }));
}
