import type { FastifyInstance } from "fastify";
import { z } from "zod";
import type { QrTokens } from "../../core/referrals/qr-tokens.ts";
import { redeemQrToken } from "../../core/referrals/qr-tokens.ts";
import { mountApiPost, REFUSAL, type ApiDeps } from "./route.ts";

const EXAMPLE = { token: "3f9K2hQ1xYz0aB7c.l8m4k2.6f1c2a8e-5b7d-4c1e-9a3f-2d8b7c6e5f40" };

const SCHEMA = {
  summary: "Redeem an in-store QR code",
  description:
    "A shop's point of sale posts the text of a scanned Clout QR code. Exactly one redemption succeeds, however many arrive at once; forged, expired and already used codes are refused with the reason.",
  tags: ["public API"],
  security: [{ apiKey: [] }, { signature: [] }],
  body: { type: "object", required: ["token"], properties: { token: { type: "string", description: "The QR code's text, as scanned" } }, example: EXAMPLE },
  response: {
    200: { description: "Redeemed now", type: "object", properties: { redeemed: { type: "boolean" }, campaign: { type: "object", properties: { number: { type: "integer" }, name: { type: "string" } } }, redeemed_at: { type: "string", format: "date-time" } } },
    409: { description: "Already redeemed (when, by whom)", type: "object", properties: { error: { type: "string" }, message: { type: "string" }, redeemed_at: { type: "string" } } },
    410: { description: "Expired", type: "object", properties: { error: { type: "string" }, message: { type: "string" } } },
    422: { ...REFUSAL, description: "Not a code Clout issued for this workspace, or a malformed body" },
  },
};

const BODY = z.object({ token: z.string({ error: "token is required: the QR code's text, as scanned" }).trim().min(10, "token is too short to be a Clout QR code").max(200, "token is too long to be a Clout QR code") });

/** POST /api/v1/redemptions: the shop's system redeems a QR code with its API key. */
export async function mountRedemptions(server: FastifyInstance, deps: ApiDeps & { qrTokens: QrTokens }): Promise<void> {
  await mountApiPost(server, "/api/v1/redemptions", { schema: SCHEMA, body: BODY, example: EXAMPLE }, deps, async (caller, body) => {
    const r = await redeemQrToken(deps, caller.workspaceId, body.token, { label: `API key ${caller.name}`, memberId: null });
    if (r.ok) return { status: 200, body: { redeemed: true, campaign: r.campaign, redeemed_at: r.at.toISOString() } };
    if (r.why === "used") return { status: 409, body: { error: "already_redeemed", message: `This QR code was already redeemed at ${r.at.toISOString()}; it works once.`, redeemed_at: r.at.toISOString() } };
    if (r.why === "expired") return { status: 410, body: { error: "expired", message: "This QR code has expired; the brand can issue a new one." } };
    return { status: 422, body: { error: "unknown_token", message: "This is not a QR code Clout issued for this workspace (or it was scanned in part)." } };
  });
}
