import { z } from "zod";
import { SOCIAL_PLATFORMS, type SocialPlatform } from "../creators/handles.ts";

/** At most `limit` quota units within any `windowMs`, for the whole app or for each account. */
export interface Quota {
  limit: number;
  windowMs: number;
  /** Counted per connected account (Instagram's 200 calls an hour per user) rather than per app. */
  perAccount: boolean;
}

/** Each platform's quota; null where none is enforced. */
export type SyncLimits = Record<SocialPlatform, Quota | null>;

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

/**
 * What the platforms document for a default app: YouTube Data API 10,000
 * units a day per project (each call costs units, a list 1, a search 100);
 * TikTok 600 requests a minute; X 900 requests per 15 minutes per app;
 * Instagram Graph 200 calls an hour per user.
 */
export const DEFAULT_SYNC_LIMITS: SyncLimits = {
  youtube: { limit: 10_000, windowMs: 24 * HOUR, perAccount: false },
  tiktok: { limit: 600, windowMs: MINUTE, perAccount: false },
  x: { limit: 900, windowMs: 15 * MINUTE, perAccount: false },
  instagram: { limit: 200, windowMs: HOUR, perAccount: true },
};

export const SYNC_LIMITS_EXAMPLE = "youtube=10000/24h,tiktok=600/1m,x=900/15m,instagram=200/1h/account";

const UNIT_MS: Record<string, number> = { s: 1_000, m: MINUTE, h: HOUR, d: 24 * HOUR };

/**
 * SYNC_LIMITS: `platform=limit/window[/account]` pairs (window in s, m, h or
 * d) and `platform=off`; platforms left out keep their default, unless an
 * `off` before them turned every limit off ("off,x=900/15m": only X's).
 */
export const syncLimitsSchema = z.string().transform((raw, ctx): SyncLimits => {
  let limits = { ...DEFAULT_SYNC_LIMITS };
  for (const part of raw.split(",").map((p) => p.trim()).filter(Boolean)) {
    if (part === "off") {
      limits = { youtube: null, tiktok: null, x: null, instagram: null };
      continue;
    }
    const m = /^(\w+)\s*=\s*(?:(off)|(\d+)\/(\d+)([smhd])(\/account)?)$/.exec(part);
    const platform = m?.[1] as SocialPlatform | undefined;
    if (!m || !SOCIAL_PLATFORMS.includes(platform!) || (!m[2] && (Number(m[3]) < 1 || Number(m[4]) < 1))) {
      ctx.addIssue({ code: "custom", message: `expected platform=limit/window pairs such as ${SYNC_LIMITS_EXAMPLE} (platforms ${SOCIAL_PLATFORMS.join(", ")}; windows in s, m, h or d; /account to count per account; platform=off or off for none), not "${part}"` });
      return z.NEVER;
    }
    limits[platform!] = m[2] ? null : { limit: Number(m[3]), windowMs: Number(m[4]) * UNIT_MS[m[5]!]!, perAccount: m[6] !== undefined };
  }
  return limits;
});
