import type { Money } from "../money.ts";

/** One hosted checkout page for one payment. */
export interface CheckoutRequest {
  /** The same key always yields the same session, so a retried or doubled request never opens a second payment. */
  idempotencyKey: string;
  amount: Money;
  /** What the payer sees on the checkout page. */
  productName: string;
  description?: string;
  /** Carried on the session and its payment, so the provider's own dashboard shows what each payment was for. */
  metadata: Record<string, string>;
  successUrl: string;
  cancelUrl: string;
}

export interface CheckoutSession {
  /** The provider's id, which its webhooks name. */
  id: string;
  url: string;
  /** After this the page no longer takes payment. */
  expiresAt: Date;
}

/** A hosted checkout page that starts a monthly subscription. */
export interface SubscriptionCheckoutRequest {
  idempotencyKey: string;
  /** Priced inline (a monthly amount) or by a price made in the provider's dashboard. */
  price: SubscriptionPrice;
  /** The workspace's customer from an earlier subscription, so its invoices and cards stay in one place. */
  customerId?: string;
  /** Carried on the subscription itself: every later webhook about it names the workspace and plan. */
  metadata: Record<string, string>;
  successUrl: string;
  cancelUrl: string;
}

/** A monthly price: an amount priced inline (the provider makes a price for it) or a price made in the provider's dashboard. */
export type SubscriptionPrice = { amount: Money; productName: string } | { priceId: string };

/** Moves a running subscription to another price (another plan), prorated, instead of opening a second one. */
export interface SubscriptionPriceChange {
  /** The same key always makes the same change once, so two owners asking at once change the price once. */
  idempotencyKey: string;
  subscriptionId: string;
  price: SubscriptionPrice;
  /** Merged into the subscription's metadata (the plan it now pays for), which its updated webhook carries. */
  metadata: Record<string, string>;
}

/** What the provider answered about a subscription it changed; the webhook that follows is what moves the plan. */
export interface SubscriptionChanged {
  currentPeriodEnd: Date | null;
  cancelAtPeriodEnd: boolean;
}

/**
 * Port: a payments provider (Stripe). Absent when it is not configured, and
 * then every command that takes money says so instead of failing.
 */
export interface Payments {
  createCheckout(req: CheckoutRequest): Promise<CheckoutSession>;
  createSubscriptionCheckout(req: SubscriptionCheckoutRequest): Promise<CheckoutSession>;
  /**
   * The checkout session a payment came from. A refund names only the
   * payment, and it may arrive before the session's completion has told us
   * which payment that is.
   */
  sessionOfPayment(paymentId: string): Promise<string | null>;
  /** Changes the price of the subscription's one item, prorating the rest of the period; a pending cancellation is undone. */
  changeSubscriptionPrice(req: SubscriptionPriceChange): Promise<SubscriptionChanged>;
  /** The subscription runs to the end of the period it is paid for, then ends (its deleted webhook follows then). */
  cancelSubscriptionAtPeriodEnd(req: { idempotencyKey: string; subscriptionId: string }): Promise<SubscriptionChanged>;
  /** A short-lived page of the provider's where the customer updates the card, reads invoices or cancels. */
  billingPortalUrl(req: { customerId: string; returnUrl: string }): Promise<string>;
}

/** What a provider's signed webhook said, in the core's words; the adapter drops every other kind. */
export type PaymentEvent =
  | { id: string; kind: "checkout.paid"; sessionId: string; paymentId: string | null }
  | { id: string; kind: "payment.refunded"; paymentId: string };

/** Stripe's subscription statuses, as the core keeps them: unpaid covers every way of having stopped paying short of deletion. */
export type SubscriptionStatus = "incomplete" | "trialing" | "active" | "past_due" | "unpaid" | "canceled";

/** What a signed subscription webhook said; `at` is when the provider made the event, which orders late deliveries. */
export type SubscriptionEvent =
  | {
      id: string;
      kind: "subscription.changed";
      at: Date;
      subscriptionId: string;
      customerId: string;
      /** From the subscription's metadata, set when Clout opened its checkout. */
      workspaceId: string | null;
      plan: string | null;
      status: SubscriptionStatus;
      currentPeriodEnd: Date | null;
      /** Set to end when the paid period does (a downgrade to free): the plan stays until the deleted event. */
      cancelAtPeriodEnd: boolean;
      /** customer.subscription.deleted: the subscription is over for good. */
      ended: boolean;
    }
  | { id: string; kind: "invoice.failed"; at: Date; subscriptionId: string | null; customerId: string; invoiceId: string; amount: Money | null; nextAttempt: Date | null };
