import Stripe from "stripe";
import type { CheckoutRequest, CheckoutSession, Payments, SubscriptionCheckoutRequest } from "../../core/payments/port.ts";

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
  };
}
