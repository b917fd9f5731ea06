import type { Translate } from "../i18n/t.ts";
import type { ReplyField } from "../reply.ts";
import type { ReferralView } from "./links.ts";

/** The link, the code and where it goes, as fields of a reply (the contract summary, `referral show`). */
export function referralFields(v: ReferralView, t: Translate): ReplyField[] {
  return [
    { label: t("referral.field.link"), value: v.url },
    { label: t("referral.field.code"), value: v.code, inline: true },
    { label: t("referral.field.destination"), value: v.destination ?? t("referral.destination_unset"), inline: true },
  ];
}
