import type { CoreDeps } from "../commands/types.ts";
import { ConflictError } from "../errors.ts";
import type { Payments } from "./port.ts";

/** A link older than this is not handed out again: the payer needs time to fill in the page before it closes. */
export const LINK_MIN_LIFE_MS = 10 * 60_000;

/** The payments provider, or a clear answer that this Clout takes no payments yet. */
export function paymentsOf(deps: Pick<CoreDeps, "payments">): Payments {
  if (!deps.payments) throw new ConflictError("pay.off");
  return deps.payments;
}

/** Where the checkout page sends the payer back: a short page telling them their chat will hear about it. */
export function returnUrls(publicUrl: string): { successUrl: string; cancelUrl: string } {
  return { successUrl: `${publicUrl}/stripe/checkout/paid`, cancelUrl: `${publicUrl}/stripe/checkout/cancelled` };
}
