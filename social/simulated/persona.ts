import type { SocialPlatform } from "../../core/social/port.ts";
import { CATEGORIES, type Category, type Language } from "./content.ts";
import { draws, hash } from "./random.ts";

/**
 * Who a simulated account is, drawn once from (platform, handle): its
 * category and language, how its audience grows and engages, how often it
 * posts. Its numbers at any moment are functions of that moment alone, so a
 * sync an hour later sees an hour's growth and a re-sync sees the same.
 */

export const DAY_MS = 86_400_000;
/** Where the growth curves are pinned; followers before and after follow the same curve. */
const ANCHOR = Date.UTC(2026, 0, 1);
/** Bought followers arrive every BUY_EVERY days and leave again (purges, unfollows) with this time constant. */
const BUY_EVERY_DAYS = 28;
const BUY_DECAY_DAYS = 20;
/** Chosen so the seeded demo's eight accounts show every kind of growth (one with bought followers) and Bia Lima posts in Portuguese. */
const SALT = "clout-simulated-39";

/** fast, steady and flat grow organically; `bought` adds sudden jumps of followers that don't engage. */
export type Growth = "fast" | "steady" | "flat" | "bought";
const DAILY_RATE: Record<Growth, number> = { fast: 0.0025, steady: 0.0008, flat: 0.00005, bought: 0.0003 };

/** Audience size and reach differ by platform: subscribers are fewer than followers, TikTok's feed reaches further. */
const PLATFORM_SCALE: Record<SocialPlatform, number> = { instagram: 1, youtube: 0.5, tiktok: 1.6, x: 0.35 };

export interface Persona {
  platform: SocialPlatform;
  handle: string;
  seed: number;
  category: Category;
  language: Language;
  /** Share of comments written in Portuguese. */
  ptShare: number;
  positive: number;
  negative: number;
  growth: Growth;
  followersAtAnchor: number;
  following: number;
  /** Mean days between posts. */
  cadenceDays: number;
  /** Likes per post per organic follower (per view on video platforms). */
  engagement: number;
  commentsPerLike: number;
  startedAt: number;
  buyPhaseDays: number;
}

function growthOf(seed: number): Growth {
  const roll = seed % 100;
  if (roll < 25) return "fast";
  if (roll < 60) return "steady";
  if (roll < 85) return "flat";
  return "bought";
}

export function personaOf(platform: SocialPlatform, handle: string): Persona {
  const seed = hash(SALT, platform, handle.toLowerCase());
  const d = draws(seed, "persona");
  const portuguese = d.chance(0.4);
  return {
    platform,
    handle,
    seed,
    category: d.pick(CATEGORIES),
    language: portuguese ? "pt" : "en",
    ptShare: portuguese ? d.between(0.6, 0.9) : d.between(0.1, 0.35),
    positive: d.between(0.45, 0.75),
    negative: d.between(0.08, 0.25),
    growth: growthOf(seed),
    // Log-uniform: most creators are small, a few are big.
    followersAtAnchor: Math.round(Math.exp(d.between(Math.log(3_000), Math.log(400_000))) * PLATFORM_SCALE[platform]),
    following: d.int(80, 1_500),
    cadenceDays: d.between(1.5, 5),
    engagement: d.between(0.015, 0.07),
    commentsPerLike: d.between(0.01, 0.05),
    startedAt: ANCHOR - d.int(400, 1_500) * DAY_MS,
    buyPhaseDays: d.int(0, BUY_EVERY_DAYS - 1),
  };
}

/** A small wobble per day, joined linearly across days so hourly readings don't jump at midnight. */
function wobble(p: Persona, at: number): number {
  const day = Math.floor(at / DAY_MS);
  const frac = at / DAY_MS - day;
  const of = (n: number) => draws(p.seed, "wobble", n).between(-0.003, 0.003);
  return of(day) * (1 - frac) + of(day + 1) * frac;
}

/** Followers who found the account on their own (and engage with it). */
export function organicFollowers(p: Persona, at: number): number {
  return p.followersAtAnchor * Math.exp(DAILY_RATE[p.growth] * ((at - ANCHOR) / DAY_MS)) * (1 + wobble(p, at));
}

function boughtFollowers(p: Persona, at: number): number {
  if (p.growth !== "bought") return 0;
  const days = (at - ANCHOR) / DAY_MS - p.buyPhaseDays;
  const last = Math.floor(days / BUY_EVERY_DAYS);
  let total = 0;
  // Older purchases have decayed to nothing after five rounds.
  for (let k = last; k > last - 5; k--) {
    const age = days - k * BUY_EVERY_DAYS;
    const batchAt = at - age * DAY_MS;
    // Delivered within six hours, as follower shops do.
    const delivered = Math.min(1, age / 0.25);
    total += 0.35 * organicFollowers(p, batchAt) * delivered * Math.exp(-age / BUY_DECAY_DAYS);
  }
  return total;
}

export function followersAt(p: Persona, at: number): number {
  return Math.max(0, Math.round(organicFollowers(p, at) + boughtFollowers(p, at)));
}
