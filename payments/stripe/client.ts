import Stripe from "stripe";
import type { CheckoutRequest, CheckoutSession, Payments, SubscriptionChanged, SubscriptionCheckoutRequest, SubscriptionPriceChange } from "../../core/payments/port.ts";

export interface StripeOptions {
  secretKey: string;
  /** STRIPE_API_URL: another base URL (a proxy, the test fake); absent, Stripe's own. */
  apiUrl?: string;
}

/** The SDK client, pointed where STRIPE_API_URL says through its host/port/protocol options. */
export function createStripe(o: StripeOptions): Stripe {
  const base = o.apiUrl ? new URL(o.apiUrl) : undefined;
  return new Stripe(o.secretKey, {
    // Retried requests carry the same idempotency key, so a retry never opens a second session.
    maxNetworkRetries: 2,
    timeout: 20_000,
    telemetry: false,
    ...(base ? { host: base.hostname, port: base.port || (base.protocol === "http:" ? 80 : 443), protocol: base.protocol === "http:" ? "http" : "https" } : {}),
  });
}

function sessionOf(session: Stripe.Checkout.Session): CheckoutSession {
  if (!session.url) throw new Error(`Stripe returned checkout session ${session.id} without a url`);
  return { id: session.id, url: session.url, expiresAt: new Date(session.expires_at * 1000) };
}

function changedOf(sub: Stripe.Subscription): SubscriptionChanged {
  const end = sub.items.data[0]?.current_period_end;
  return { currentPeriodEnd: end ? new Date(end * 1000) : null, cancelAtPeriodEnd: sub.cancel_at_period_end };
}

/** The payments port on Stripe Checkout: one-off payments priced inline, and monthly subscriptions priced inline or by a dashboard price. */
export function stripePayments(stripe: Stripe): Payments {
  return {
    async createCheckout(req: CheckoutRequest): Promise<CheckoutSession> {
      const session = await stripe.checkout.sessions.create(
        {
          mode: "payment",
          line_items: [{ quantity: 1, price_data: { currency: req.amount.currency.toLowerCase(), unit_amount: req.amount.minor, product_data: { name: req.productName, ...(req.description ? { description: req.description } : {}) } } }],
          metadata: req.metadata,
          // On the payment too, so Stripe's dashboard shows what a charge (and its refund) was for.
          payment_intent_data: { metadata: req.metadata },
          success_url: req.successUrl,
          cancel_url: req.cancelUrl,
        },
        { idempotencyKey: req.idempotencyKey },
      );
      return sessionOf(session);
    },
    async createSubscriptionCheckout(req: SubscriptionCheckoutRequest): Promise<CheckoutSession> {
      const item: Stripe.Checkout.SessionCreateParams.LineItem =
        "priceId" in req.price
          ? { quantity: 1, price: req.price.priceId }
          : { quantity: 1, price_data: { currency: req.price.amount.currency.toLowerCase(), unit_amount: req.price.amount.minor, recurring: { interval: "month" }, product_data: { name: req.price.productName } } };
      const session = await stripe.checkout.sessions.create(
        {
          mode: "subscription",
          line_items: [item],
          ...(req.customerId ? { customer: req.customerId } : {}),
          metadata: req.metadata,
          // On the subscription, so its created/updated/deleted events say which workspace and plan they are about.
          subscription_data: { metadata: req.metadata },
          success_url: req.successUrl,
          cancel_url: req.cancelUrl,
        },
        { idempotencyKey: req.idempotencyKey },
      );
      return sessionOf(session);
    },
    async sessionOfPayment(paymentId: string): Promise<string | null> {
      const page = await stripe.checkout.sessions.list({ payment_intent: paymentId, limit: 1 });
      return page.data[0]?.id ?? null;
    },
    async changeSubscriptionPrice(req: SubscriptionPriceChange): Promise<SubscriptionChanged> {
      const current = await stripe.subscriptions.retrieve(req.subscriptionId);
      const item = current.items.data[0];
      if (!item) throw new Error(`Stripe subscription ${req.subscriptionId} has no item to change`);
      // A subscription item's inline price_data needs an existing product, so an amount becomes a Price first (its own product made with it), under a key derived from the change's.
      const price =
        "priceId" in req.price
          ? req.price.priceId
          : (
              await stripe.prices.create(
                { currency: req.price.amount.currency.toLowerCase(), unit_amount: req.price.amount.minor, recurring: { interval: "month" }, product_data: { name: req.price.productName } },
                { idempotencyKey: `${req.idempotencyKey}-price` },
              )
            ).id;
      const sub = await stripe.subscriptions.update(
        req.subscriptionId,
        { items: [{ id: item.id, price }], proration_behavior: "create_prorations", cancel_at_period_end: false, metadata: req.metadata },
        { idempotencyKey: req.idempotencyKey },
      );
      return changedOf(sub);
    },
    async cancelSubscriptionAtPeriodEnd(req: { idempotencyKey: string; subscriptionId: string }): Promise<SubscriptionChanged> {
      return changedOf(await stripe.subscriptions.update(req.subscriptionId, { cancel_at_period_end: true }, { idempotencyKey: req.idempotencyKey }));
    },
    async billingPortalUrl(req: { customerId: string; returnUrl: string }): Promise<string> {
      return (await stripe.billingPortal.sessions.create({ customer: req.customerId, return_url: req.returnUrl })).url;
    },
  };
}
