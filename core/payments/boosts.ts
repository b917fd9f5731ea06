import { z } from "zod";

export const BOOST_DURATIONS = ["24h", "7d", "30d"] as const;
export type BoostDuration = (typeof BOOST_DURATIONS)[number];

const HOUR = 3_600_000;

/**
 * What each boost buys: how long it runs, and what the leaderboard and feed
 * multiply the creator's score by meanwhile. Longer boosts weigh more, so a
 * month's boost is worth more than thirty days of daily ones.
 */
export const BOOST_PLANS: Record<BoostDuration, { ms: number; multiplier: number }> = {
  "24h": { ms: 24 * HOUR, multiplier: 1.5 },
  "7d": { ms: 7 * 24 * HOUR, multiplier: 2 },
  "30d": { ms: 30 * 24 * HOUR, multiplier: 3 },
};

/** Prices in the workspace currency's major units, as a person writes them ("5", "24.99"). */
export type BoostPrices = Record<BoostDuration, string>;

export const DEFAULT_BOOST_PRICES: BoostPrices = { "24h": "5", "7d": "25", "30d": "80" };

const BOOST_PRICES_EXAMPLE = "24h=5,7d=25,30d=80";

/** BOOST_PRICES ("24h=5,7d=25,30d=80"): any durations left out keep their default price. */
export const boostPricesSchema = z
  .string()
  .transform((raw, ctx): BoostPrices => {
    const prices = { ...DEFAULT_BOOST_PRICES };
    for (const part of raw.split(",").map((p) => p.trim()).filter(Boolean)) {
      const m = /^(24h|7d|30d)\s*=\s*(\d+(?:\.\d{1,3})?)$/.exec(part);
      if (!m || Number(m[2]) <= 0) {
        ctx.addIssue({ code: "custom", message: `expected duration=price pairs such as ${BOOST_PRICES_EXAMPLE} (durations 24h, 7d, 30d; prices above 0), not "${part}"` });
        return z.NEVER;
      }
      prices[m[1] as BoostDuration] = m[2]!;
    }
    return prices;
  });
