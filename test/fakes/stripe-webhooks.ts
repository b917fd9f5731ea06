import { createHmac } from "node:crypto";

/**
 * Stripe's webhook signing, computed here from the documented scheme rather
 * than by the SDK under test: `Stripe-Signature: t=<unix seconds>,v1=<hex
 * HMAC-SHA256 of "<t>.<body>" keyed by the endpoint's whsec_ secret>`.
 */
export function stripeSignature(body: string, secret: string, timestampSeconds: number): string {
  const v1 = createHmac("sha256", secret).update(`${timestampSeconds}.${body}`).digest("hex");
  return `t=${timestampSeconds},v1=${v1}`;
}

/** The request Stripe makes to deliver `event`: its JSON as sent, signed at `at` (seconds) with `secret`. */
export function stripeDelivery(event: object, secret: string, at: number): { body: string; headers: Record<string, string> } {
  const body = JSON.stringify(event, null, 2);
  return { body, headers: { "content-type": "application/json; charset=utf-8", "user-agent": "Stripe/1.0 (+https://stripe.com/docs/webhooks)", "stripe-signature": stripeSignature(body, secret, at) } };
}

/** POSTs a delivery to the app's /stripe/webhook. */
export async function deliverStripe(base: string, event: object, secret: string, at: number): Promise<{ status: number; body: any }> {
  const d = stripeDelivery(event, secret, at);
  const res = await fetch(`${base}/stripe/webhook`, { method: "POST", body: d.body, headers: d.headers });
  return { status: res.status, body: await res.json() };
}
