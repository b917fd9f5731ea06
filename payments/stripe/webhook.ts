import type { FastifyInstance } from "fastify";
import type Stripe from "stripe";
import { mountRawPost } from "../../bots/common/raw-route.ts";
import type { Clock } from "../../core/clock.ts";
import type { Logger } from "../../core/logger.ts";
import type { Outcome } from "../../core/payments/apply.ts";
import type { PaymentEvent, SubscriptionEvent, SubscriptionStatus } from "../../core/payments/port.ts";

/** Stripe's own default: an event signed more than five minutes ago is a replay, not a delivery. */
const TOLERANCE_SECONDS = 300;

export interface StripeWebhookDeps {
  stripe: Stripe;
  secret: string;
  clock: Clock;
  log: Logger;
  apply(event: PaymentEvent): Promise<Outcome>;
  applySubscription(event: SubscriptionEvent): Promise<Outcome>;
}

const idOf = (x: string | { id: string } | null | undefined): string | null => (typeof x === "string" ? x : (x?.id ?? null));

/** Stripe's statuses in the core's words: an expired first payment, unpaid and paused all mean nothing is being paid. */
const STATUS: Partial<Record<Stripe.Subscription.Status, SubscriptionStatus>> = {
  incomplete: "incomplete",
  incomplete_expired: "unpaid",
  trialing: "trialing",
  active: "active",
  past_due: "past_due",
  canceled: "canceled",
  unpaid: "unpaid",
  paused: "unpaid",
};

/** The subscription events that keep a workspace's plan true; every other kind is dropped. */
export function toSubscriptionEvent(event: Stripe.Event): SubscriptionEvent | null {
  const at = new Date(event.created * 1000);
  switch (event.type) {
    case "customer.subscription.created":
    case "customer.subscription.updated":
    case "customer.subscription.deleted": {
      const s = event.data.object;
      const end = s.items.data[0]?.current_period_end;
      const status = event.type === "customer.subscription.deleted" ? "canceled" : STATUS[s.status];
      // A status newer than this SDK knows: the next event will say one we do.
      if (!status) return null;
      return {
        id: event.id,
        kind: "subscription.changed",
        at,
        subscriptionId: s.id,
        customerId: idOf(s.customer)!,
        workspaceId: s.metadata.clout_workspace_id ?? null,
        plan: s.metadata.clout_plan ?? null,
        status,
        currentPeriodEnd: end ? new Date(end * 1000) : null,
        cancelAtPeriodEnd: s.cancel_at_period_end === true,
        ended: event.type === "customer.subscription.deleted",
      };
    }
    case "invoice.payment_failed": {
      const inv = event.data.object;
      const customerId = idOf(inv.customer);
      if (!customerId) return null;
      return {
        id: event.id,
        kind: "invoice.failed",
        at,
        subscriptionId: idOf(inv.parent?.subscription_details?.subscription),
        customerId,
        invoiceId: inv.id!,
        amount: inv.amount_due > 0 ? { minor: inv.amount_due, currency: inv.currency.toUpperCase() } : null,
        nextAttempt: inv.next_payment_attempt ? new Date(inv.next_payment_attempt * 1000) : null,
      };
    }
    default:
      return null;
  }
}

/**
 * The events Clout acts on, in the core's words. A Checkout session is paid
 * when it completes with the money in, or later for a delayed method (the
 * async success); a charge refunded ends what it paid for.
 */
export function toPaymentEvent(event: Stripe.Event): PaymentEvent | null {
  switch (event.type) {
    case "checkout.session.completed":
    case "checkout.session.async_payment_succeeded": {
      const s = event.data.object;
      if (s.mode !== "payment" || (s.payment_status !== "paid" && s.payment_status !== "no_payment_required")) return null;
      return { id: event.id, kind: "checkout.paid", sessionId: s.id, paymentId: typeof s.payment_intent === "string" ? s.payment_intent : (s.payment_intent?.id ?? null) };
    }
    case "charge.refunded": {
      const pi = event.data.object.payment_intent;
      const paymentId = typeof pi === "string" ? pi : pi?.id;
      return paymentId ? { id: event.id, kind: "payment.refunded", paymentId } : null;
    }
    default:
      return null;
  }
}

/** POST /stripe/webhook, and the pages Checkout sends the payer back to. */
export async function mountStripeWebhook(server: FastifyInstance, deps: StripeWebhookDeps): Promise<void> {
  await mountRawPost(server, "/stripe/webhook", async (raw, req, reply) => {
    let event: Stripe.Event;
    try {
      // The exact bytes, the secret and our clock's "now": a forged body or a replay past the window is refused here.
      event = deps.stripe.webhooks.constructEvent(raw, req.headers["stripe-signature"] ?? "", deps.secret, TOLERANCE_SECONDS, undefined, deps.clock.now().getTime());
    } catch (err) {
      deps.log.warn({ err: (err as Error).message }, "stripe: webhook refused");
      return reply.code(401).send({ error: "invalid Stripe-Signature: unsigned, signed with another secret, or older than 5 minutes" });
    }
    const e = toPaymentEvent(event);
    const s = e ? null : toSubscriptionEvent(event);
    if (!e && !s) return reply.send({ received: true, ignored: event.type });
    // A failure here answers 500, and Stripe delivers the event again later; nothing was claimed.
    const outcome = e ? await deps.apply(e) : await deps.applySubscription(s!);
    deps.log.info({ event: event.id, type: event.type, outcome }, "stripe: webhook");
    return reply.send({ received: true, outcome });
  });

  const page = (text: string) => `<!doctype html><meta charset="utf-8"><title>Clout</title><body style="font-family:sans-serif;margin:3em"><p>${text}</p></body>`;
  // The payer may read either language; the page knows neither, so it says both.
  server.get("/stripe/checkout/paid", { schema: { hide: true } }, async (_req, reply) =>
    reply
      .type("text/html")
      .send(page("Thank you: your payment is being confirmed. Clout tells you in your chat as soon as it is through; you can close this page.</p><p>Obrigado: seu pagamento está sendo confirmado. O Clout avisa no seu chat assim que ele for aprovado; pode fechar esta página.")),
  );
  server.get("/stripe/checkout/cancelled", { schema: { hide: true } }, async (_req, reply) =>
    reply
      .type("text/html")
      .send(page("The payment was cancelled and nothing was charged. Ask Clout in your chat for the link again whenever you like.</p><p>O pagamento foi cancelado e nada foi cobrado. Peça o link de novo ao Clout no seu chat quando quiser.")),
  );
  // Where Stripe's billing portal sends the customer back.
  server.get("/stripe/billing/done", { schema: { hide: true } }, async (_req, reply) =>
    reply
      .type("text/html")
      .send(page("You can close this page. Clout follows any change you made to the subscription and tells you in your chat.</p><p>Pode fechar esta página. O Clout acompanha qualquer mudança feita na assinatura e avisa no seu chat.")),
  );
}
