import type { KnownBlock, View } from "@slack/types";
import type { RunResult } from "../../core/commands/run.ts";
import type { MessageKey, Translate } from "../../core/i18n/t.ts";

export const CAMPAIGN_MODAL = "clout:campaign:new";

const FIELDS = ["name", "objective", "budget", "currency", "start", "end"] as const;
type Field = (typeof FIELDS)[number];

/** Where the modal was opened, so the result goes back there. */
export interface ModalOrigin {
  channel?: string;
}

const input = (field: Field, label: string, element: Record<string, unknown>, hint?: string): KnownBlock =>
  ({ type: "input", block_id: field, label: { type: "plain_text", text: label }, element: { action_id: field, ...element }, ...(hint ? { hint: { type: "plain_text", text: hint } } : {}) }) as KnownBlock;

/** The "campaign new" form: the same fields as `campaign create`, with pickers for dates and objective. */
export function campaignModal(t: Translate, currency: string, origin: ModalOrigin): View {
  const objectives = ["awareness", "engagement", "sales"] as const;
  return {
    type: "modal",
    callback_id: CAMPAIGN_MODAL,
    private_metadata: JSON.stringify(origin),
    title: { type: "plain_text", text: t("modal.campaign.title") },
    submit: { type: "plain_text", text: t("modal.campaign.submit") },
    close: { type: "plain_text", text: t("modal.cancel") },
    blocks: [
      input("name", t("campaign.field.name"), { type: "plain_text_input", max_length: 120, placeholder: { type: "plain_text", text: "Summer Launch" } }),
      input("objective", t("campaign.field.objective"), {
        type: "static_select",
        options: objectives.map((o) => ({ text: { type: "plain_text", text: t(`campaign.objective.${o}`) }, value: o })),
      }),
      input("budget", t("campaign.field.budget"), { type: "plain_text_input", placeholder: { type: "plain_text", text: "15000" } }, t("modal.campaign.budget_hint")),
      input("currency", t("modal.campaign.currency"), { type: "plain_text_input", initial_value: currency, max_length: 3 }),
      input("start", t("campaign.arg.start"), { type: "datepicker" }),
      input("end", t("campaign.arg.end"), { type: "datepicker" }),
    ],
  };
}

type StateValues = Record<string, Record<string, { value?: string | null; selected_date?: string | null; selected_option?: { value: string } | null }>>;

const quote = (s: string) => `"${s.replace(/\\/g, "\\\\").replace(/"/g, '\\"')}"`;

/** The submitted form as the command line it stands for, so the core validates it exactly like typed text. */
export function commandFromSubmission(values: StateValues): string {
  const get = (f: Field) => {
    const v = values[f]?.[f];
    return (v?.value ?? v?.selected_date ?? v?.selected_option?.value ?? "").trim();
  };
  const flags = (["budget", "currency", "start", "end", "objective"] as const).filter((f) => get(f)).map((f) => `--${f} ${quote(get(f))}`);
  return [`campaign create`, quote(get("name")), ...flags].join(" ");
}

const FIELD_OF_KEY: Partial<Record<MessageKey, Field>> = {
  "money.too_precise": "budget",
  "money.too_large": "budget",
  "campaign.currency_mismatch": "currency",
  "campaign.end_before_start": "end",
  "campaign.name_taken": "name",
};

/** Slack's inline errors for a failed create: the message under the field it is about. */
export function fieldErrors(result: RunResult): Record<string, string> {
  const arg = result.errorArg?.replace(/^--|^<|>$/g, "");
  const field = (FIELDS as readonly string[]).includes(arg ?? "") ? (arg as Field) : (result.errorKey && FIELD_OF_KEY[result.errorKey]) || "name";
  // Inline errors are short: the first line is the message, the example is for typed commands.
  return { [field]: (result.reply.text ?? "").split("\n")[0]!.replace(/[*`]/g, "") };
}
