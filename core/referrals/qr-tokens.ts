import { ActionSigner } from "../actions/signer.ts";
import type { Clock } from "../clock.ts";
import type { CoreDeps } from "../commands/types.ts";
import { UsageError } from "../errors.ts";
import { audit } from "../audit/audit.ts";

/**
 * In-store QR tokens: "<mac>.<expiry>.<token id>", signed with a key of their
 * own for the issuing workspace (the same compact form as chat buttons, under
 * another key, so neither can pass for the other). Nobody can make one
 * without the server's key; a token verifies only for the workspace that
 * issued it; the row makes it single-use.
 */
export class QrTokens {
  private readonly signer: ActionSigner;

  constructor(key: Buffer, clock: Clock) {
    this.signer = new ActionSigner(key, clock);
  }

  sign(id: string, workspaceId: string, ttlMs: number): string {
    return this.signer.sign(id, workspaceId, ttlMs);
  }

  /** The token's id, or why it can't be: forged (or another workspace's) or expired. */
  read(token: string, workspaceId: string): { ok: true; id: string } | { ok: false; why: "forged" | "expired" } {
    try {
      const id = this.signer.verify(token.trim(), workspaceId);
      return /^[0-9a-f-]{36}$/.test(id) ? { ok: true, id } : { ok: false, why: "forged" };
    } catch (err) {
      if (err instanceof UsageError && err.key === "action.expired") return { ok: false, why: "expired" };
      if (err instanceof UsageError) return { ok: false, why: "forged" };
      throw err;
    }
  }
}

export type Redemption =
  | { ok: true; campaign: { number: number; name: string }; at: Date }
  | { ok: false; why: "forged" | "expired" }
  | { ok: false; why: "used"; at: Date; by: string | null };

/**
 * Redeems a token for a workspace: the signature first (no database work for
 * a forgery), then one conditional UPDATE, so of any number of concurrent
 * attempts exactly one finds it unredeemed.
 */
export async function redeemQrToken(deps: Pick<CoreDeps, "db" | "clock" | "qrTokens">, workspaceId: string, token: string, by: { label: string; memberId: string | null }): Promise<Redemption> {
  const read = deps.qrTokens.read(token, workspaceId);
  if (!read.ok) return read;
  const now = deps.clock.now();
  return deps.db.$transaction(async (tx) => {
    const rows = await tx.$queryRaw<{ campaign_id: string }[]>`
      UPDATE qr_tokens SET redeemed_at = ${now}, redeemed_by = ${by.label}
      WHERE id = ${read.id}::uuid AND workspace_id = ${workspaceId}::uuid AND redeemed_at IS NULL AND expires_at > ${now}
      RETURNING campaign_id`;
    const won = rows[0];
    if (!won) {
      const row = await tx.qrToken.findFirst({ where: { id: read.id, workspaceId } });
      if (!row) return { ok: false, why: "forged" } as const;
      if (row.redeemedAt) return { ok: false, why: "used", at: row.redeemedAt, by: row.redeemedBy } as const;
      return { ok: false, why: "expired" } as const;
    }
    const campaign = await tx.campaign.findUniqueOrThrow({ where: { id: won.campaign_id }, select: { number: true, name: true } });
    await audit(tx, deps.clock, { workspaceId, actorMemberId: by.memberId, action: "qr.redeemed", entityType: "qr", entityId: read.id, data: { by: by.label, campaign: campaign.number } });
    return { ok: true, campaign, at: now } as const;
  });
}
