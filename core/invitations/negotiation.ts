import type { InvitationStatus } from "../../db/generated/enums.ts";

export type { InvitationStatus };
export const INVITATION_STATUSES = ["pending", "countered", "accepted", "declined", "expired", "withdrawn"] as const satisfies readonly InvitationStatus[];
export const OPEN_STATUSES = ["pending", "countered"] as const satisfies readonly InvitationStatus[];

/** Who made a move: the brand's team, the invited creator, or Clout itself (expiry). */
export type Side = "brand" | "creator" | "system";
export type Move = "offer" | "counter" | "accept" | "decline" | "withdraw" | "expire";
/** What a person can ask for; the side decides which move it is (a brand declining its own open offer withdraws it). */
export type Answer = "accept" | "decline" | "counter";

/**
 * Whose turn it is follows from the status: `pending` waits for the creator's
 * answer to the brand's offer, `countered` for the brand's answer to the
 * creator's. Each side may accept, decline or counter only on its own turn;
 * the brand may also withdraw an offer the creator has not answered.
 */
const RULES: Record<Answer, Partial<Record<"brand" | "creator", Partial<Record<InvitationStatus, { move: Move; to: InvitationStatus }>>>>> = {
  accept: {
    creator: { pending: { move: "accept", to: "accepted" } },
    brand: { countered: { move: "accept", to: "accepted" } },
  },
  decline: {
    creator: { pending: { move: "decline", to: "declined" }, countered: { move: "withdraw", to: "withdrawn" } },
    brand: { countered: { move: "decline", to: "declined" }, pending: { move: "withdraw", to: "withdrawn" } },
  },
  counter: {
    creator: { pending: { move: "counter", to: "countered" } },
    brand: { countered: { move: "counter", to: "pending" } },
  },
};

export type Step = { ok: true; move: Move; to: InvitationStatus } | { ok: false; why: "closed" | "not_your_turn" };

/** What `answer` by `side` does to an invitation in `status`. */
export function step(status: InvitationStatus, side: "brand" | "creator", answer: Answer): Step {
  if (!(OPEN_STATUSES as readonly string[]).includes(status)) return { ok: false, why: "closed" };
  const rule = RULES[answer][side]?.[status];
  return rule ? { ok: true, ...rule } : { ok: false, why: "not_your_turn" };
}

/** The side whose answer an open invitation waits for. */
export function awaiting(status: InvitationStatus): "brand" | "creator" | null {
  return status === "pending" ? "creator" : status === "countered" ? "brand" : null;
}

/** The answers this side can give now, for buttons. */
export function answersFor(status: InvitationStatus, side: "brand" | "creator"): Answer[] {
  return (["accept", "counter", "decline"] as const).filter((a) => step(status, side, a).ok);
}

/** A negotiation that runs on past this many rounds is going nowhere: it must be accepted or declined. */
export const MAX_ROUNDS = 10;
