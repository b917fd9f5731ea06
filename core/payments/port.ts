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

/**
 * Port: a payments provider (Stripe). Absent when it is not configured, and
 * then every command that takes money says so instead of failing.
 */
export interface Payments {
  createCheckout(req: CheckoutRequest): Promise<CheckoutSession>;
  /**
   * The checkout session a payment came from. A refund names only the
   * payment, and it may arrive before the session's completion has told us
   * which payment that is.
   */
  sessionOfPayment(paymentId: string): Promise<string | null>;
}

/** What a provider's signed webhook said, in the core's words; the adapter drops every other kind. */
export type PaymentEvent =
  | { id: string; kind: "checkout.paid"; sessionId: string; paymentId: string | null }
  | { id: string; kind: "payment.refunded"; paymentId: string };
