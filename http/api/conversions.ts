import type { FastifyInstance } from "fastify";
import { z } from "zod";
import { DomainError } from "../../core/errors.ts";
import { t } from "../../core/i18n/t.ts";
import type { Ids } from "../../core/ids.ts";
import { isCurrency, toDecimal, toMinor } from "../../core/money.ts";
import { recordConversion, refundConversion, type ConversionOutcome } from "../../core/referrals/conversions.ts";
import { mountApiPost, REFUSAL, type ApiAnswer, type ApiDeps } from "./route.ts";

const EXAMPLE = { order_id: "A-1001", amount: "49.90", currency: "USD", click_id: "k7Qm2xZ9pL4w", code: "MURUGI25", customer_id: "cus_812", occurred_at: "2026-07-04T15:20:00Z" };

const nullable = (type: string, extra: Record<string, unknown> = {}) => ({ type: [type, "null"], ...extra });

const CONVERSION = {
  type: "object",
  properties: {
    conversion: {
      type: "object",
      properties: {
        id: { type: "string", format: "uuid" },
        order_id: { type: "string" },
        amount: { type: "string", description: "Major units, as a decimal string" },
        amount_minor: { type: "integer", description: "The same amount in minor units (cents)" },
        currency: { type: "string" },
        attributed_by: nullable("string", { enum: ["click", "code", null], description: "What matched: the click id (wins within the window), the code, or nothing" }),
        code: nullable("string", { description: "The referral code of the link the order was attributed to" }),
        click_id: nullable("string"),
        customer_id: nullable("string"),
        occurred_at: { type: "string", format: "date-time" },
        refunded_at: nullable("string", { format: "date-time" }),
      },
    },
  },
} as const;

const SCHEMA = {
  summary: "Report an order (a conversion), or refund one",
  description: [
    "A brand's shop reports each order once it is paid. `amount` is a decimal string in the currency's major units (`\"49.90\"` USD is 4990 cents; JPY has no decimals, KWD three).",
    "**Idempotent on `order_id`** within the workspace: the first report answers 201, every repeat (retries, concurrent duplicates) 200 with exactly the same body, and stores nothing more. The same `order_id` with another amount or currency is refused with 409.",
    "**Attribution**: `click_id` (the `clk` parameter Clout appended to the destination) wins when that click is this workspace's and came no more than the attribution window (30 days unless configured) before `occurred_at`; otherwise `code` (the referral code typed at checkout, case-insensitive); otherwise the order is stored unattributed. An attributed order must be in its campaign's currency (422 otherwise).",
    "**Refunds**: `{\"order_id\": \"A-1001\", \"refund\": true}` reverses a reported order (its revenue leaves the stats); repeating it changes nothing and answers the same. An unknown order answers 404.",
  ].join("\n\n"),
  tags: ["public API"],
  security: [{ apiKey: [] }, { signature: [] }],
  body: {
    type: "object",
    required: ["order_id"],
    properties: {
      order_id: { type: "string", description: "The shop's order id: the idempotency key" },
      amount: { type: "string", pattern: "^\\d+(\\.\\d+)?$", description: "Required unless refund: major units as a decimal string, e.g. \"49.90\"" },
      currency: { type: "string", minLength: 3, maxLength: 3, description: "Required unless refund: ISO 4217, e.g. USD" },
      click_id: { type: "string", description: "The clk parameter from the landing page's URL" },
      code: { type: "string", description: "The referral code used at checkout" },
      customer_id: { type: "string" },
      occurred_at: { type: "string", format: "date-time", description: "When the order was placed (ISO 8601); default now" },
      refund: { type: "boolean", description: "true: reverse the stored order with this order_id" },
    },
    example: EXAMPLE,
  },
  response: {
    200: { ...CONVERSION, description: "Already stored (a repeat of the order, or a refund): the stored conversion" },
    201: { ...CONVERSION, description: "Stored now" },
    404: { ...REFUSAL, description: "A refund of an order never reported" },
    409: { ...REFUSAL, description: "The order id was already reported with another amount or currency" },
    422: { ...REFUSAL, description: "A malformed body, an amount with too many decimals, or a currency other than the campaign's" },
    500: { ...REFUSAL, description: "Nothing was stored; retry with the same order_id" },
  },
};

const text = (what: string, max: number) => z.string({ error: `${what} must be a string` }).trim().min(1, `${what} can't be empty`).max(max, `${what} is longer than ${max} characters`);

const BODY = z
  .object({
    order_id: text("order_id", 200),
    amount: z.string({ error: 'amount must be a decimal string in major units, like "49.90"' }).regex(/^\d+(\.\d+)?$/, 'amount must be a decimal string in major units, like "49.90"').optional(),
    currency: z
      .string({ error: "currency must be an ISO 4217 code, like USD" })
      .refine(isCurrency, "currency must be an ISO 4217 code, like USD")
      .transform((c) => c.toUpperCase())
      .optional(),
    click_id: text("click_id", 200).optional(),
    code: text("code", 60).optional(),
    customer_id: text("customer_id", 200).optional(),
    occurred_at: z.iso.datetime({ offset: true, error: "occurred_at must be an ISO 8601 time, like 2026-07-04T15:20:00Z" }).transform((s) => new Date(s)).optional(),
    refund: z.boolean({ error: "refund must be true or false" }).optional(),
  })
  .superRefine((b, ctx) => {
    if (b.refund) return;
    if (b.amount === undefined) ctx.addIssue({ code: "custom", path: ["amount"], message: 'amount is required (major units as a decimal string, like "49.90"), unless refund is true' });
    else if (b.currency === undefined) ctx.addIssue({ code: "custom", path: ["currency"], message: "currency is required (ISO 4217, like USD), unless refund is true" });
  });

type Body = z.infer<typeof BODY>;

export interface ConversionRouteDeps extends ApiDeps {
  ids: Ids;
  /** CONVERSION_WINDOW_DAYS: how long a click keeps the orders that follow it. */
  windowDays: number;
}

function present(o: ConversionOutcome, status: number): ApiAnswer {
  const c = o.conversion;
  const minor = Number(c.amountMinor);
  return {
    status,
    body: {
      conversion: {
        id: c.id,
        order_id: c.orderId,
        amount: toDecimal(minor, c.currency),
        amount_minor: minor,
        currency: c.currency,
        attributed_by: c.attributedBy,
        code: o.code,
        click_id: c.clickId,
        customer_id: c.customerId,
        occurred_at: c.occurredAt.toISOString(),
        refunded_at: c.refundedAt?.toISOString() ?? null,
      },
    },
  };
}

const STATUS: Partial<Record<DomainError["kind"], number>> = { usage: 422, not_found: 404, conflict: 409 };

/** POST /api/v1/conversions: a brand's shop reports its orders (and refunds) with its API key or signature. */
export async function mountConversions(server: FastifyInstance, deps: ConversionRouteDeps): Promise<void> {
  await mountApiPost(server, "/api/v1/conversions", { schema: SCHEMA, body: BODY, example: EXAMPLE }, deps, async (caller, body: Body) => {
    try {
      if (body.refund) return present(await refundConversion(deps, caller.workspaceId, body.order_id), 200);
      const outcome = await recordConversion(deps, caller.workspaceId, {
        orderId: body.order_id,
        amountMinor: toMinor(body.amount!, body.currency!),
        currency: body.currency!,
        ...(body.click_id ? { clickId: body.click_id } : {}),
        ...(body.code ? { code: body.code } : {}),
        ...(body.customer_id ? { customerId: body.customer_id } : {}),
        ...(body.occurred_at ? { occurredAt: body.occurred_at } : {}),
      });
      return present(outcome, outcome.created ? 201 : 200);
    } catch (err) {
      const status = err instanceof DomainError ? STATUS[err.kind] : undefined;
      if (status && err instanceof DomainError) {
        return { status, body: { error: err.key.replace(/^\w+\./, ""), message: t("en", err.key, err.vars), ...(status === 422 ? { example: EXAMPLE } : {}) } };
      }
      // One transaction: nothing of the order was stored, so the shop's retry with the same order_id is the whole remedy.
      const ref = deps.ids.code(8);
      deps.log.error({ err, ref, workspaceId: caller.workspaceId }, "conversions: order not stored");
      return { status: 500, body: { error: "internal", message: `The order was not stored (ref ${ref}); send it again, the same order_id is safe to retry.` } };
    }
  });
}
