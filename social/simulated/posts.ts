import type { FetchedComment, FetchedPost, SocialPlatform } from "../../core/social/port.ts";
import { captionTemplates, COMMENTER_NAMES, commentTemplates, fill, type Language, type Tone } from "./content.ts";
import { DAY_MS, organicFollowers, type Persona } from "./persona.ts";
import { draws, hash } from "./random.ts";

/**
 * A simulated account's posts: at most one a day, on days its hash picks
 * (about one every `cadenceDays`), each with counters that grow as the post
 * ages and comments that appear one by one along the same curve.
 */

/** How fast a post collects its engagement: most of it within a day, faster on X. */
const SETTLE_DAYS: Record<SocialPlatform, number> = { instagram: 1, youtube: 2, tiktok: 1.2, x: 0.3 };

export interface SimulatedPost {
  day: number;
  externalId: string;
  postedAt: number;
  thingIndex: number;
  kind: string;
  caption: string;
  /** What the post ends up with once it has settled. */
  finalLikes: number;
  finalComments: number;
  finalShares: number | null;
  finalViews: number | null;
}

const KINDS: Record<SocialPlatform, readonly string[]> = { instagram: ["image", "reel", "carousel"], youtube: ["video", "short"], tiktok: ["video"], x: ["tweet"] };

const postId = (p: Persona, day: number): string => `${day}-${hash(p.seed, "post", day).toString(36)}`;

/** The post of `day`, if the account posted that day (the day index counts from the Unix epoch). */
export function postOfDay(p: Persona, day: number): SimulatedPost | null {
  const d = draws(p.seed, "post", day);
  const start = Math.floor(p.startedAt / DAY_MS);
  if (day < start || !d.chance(1 / p.cadenceDays)) return null;
  const postedAt = day * DAY_MS + d.int(7, 22) * 3_600_000 + d.int(0, 59) * 60_000;
  const thingIndex = d.int(0, p.category.things.en.length - 1);
  const thing = p.category.things[p.language][thingIndex]!;
  const tags = [d.pick(p.category.hashtags), d.pick(p.category.hashtags)].filter((t, i, all) => all.indexOf(t) === i);
  const reach = organicFollowers(p, postedAt);
  // Most posts do about as usual; one in twenty takes off.
  const luck = d.between(0.5, 1.6) * (d.chance(0.05) ? d.between(3, 6) : 1);
  const platform = p.platform;
  const views = platform === "youtube" ? reach * 0.4 * luck : platform === "tiktok" ? reach * 0.9 * luck : platform === "x" ? reach * 0.2 * luck : null;
  const kind = d.pick(KINDS[platform]);
  const reelViews = platform === "instagram" && kind === "reel" ? reach * 0.6 * luck : null;
  const likes = views !== null ? views * p.engagement * (platform === "x" ? 0.3 : 1) : reach * p.engagement * luck;
  return {
    day,
    externalId: postId(p, day),
    postedAt,
    thingIndex,
    kind,
    caption: `${fill(d.pick(captionTemplates(p.language)), thing)} ${tags.join(" ")}`,
    finalLikes: likes,
    finalComments: likes * p.commentsPerLike,
    finalShares: platform === "tiktok" || platform === "x" ? likes * 0.08 : null,
    finalViews: views ?? reelViews,
  };
}

/** The share of a post's final counters reached `ageMs` after it went up. */
const settled = (p: Persona, ageMs: number): number => (ageMs <= 0 ? 0 : 1 - Math.exp(-ageMs / (SETTLE_DAYS[p.platform] * DAY_MS)));

/** Comments are numbered oldest first; comment i appears once the curve passes it, so the count and the list always agree. */
export function visibleComments(p: Persona, post: SimulatedPost, at: number): number {
  return Math.floor(post.finalComments * settled(p, at - post.postedAt) + 0.5);
}

export function postAsFetched(p: Persona, post: SimulatedPost, at: number): FetchedPost {
  const share = settled(p, at - post.postedAt);
  const count = (final: number | null) => (final === null ? null : Math.round(final * share));
  return {
    externalId: post.externalId,
    postedAt: new Date(post.postedAt),
    kind: post.kind,
    caption: post.caption,
    url: postUrl(p, post.externalId),
    likes: Math.round(post.finalLikes * share),
    comments: visibleComments(p, post, at),
    shares: count(post.finalShares),
    views: count(post.finalViews),
  };
}

function postUrl(p: Persona, id: string): string {
  switch (p.platform) {
    case "instagram":
      return `https://www.instagram.com/p/${id}/`;
    case "youtube":
      return `https://www.youtube.com/watch?v=${id}`;
    case "tiktok":
      return `https://www.tiktok.com/@${p.handle}/video/${id}`;
    case "x":
      return `https://x.com/${p.handle}/status/${id}`;
  }
}

/** The post an id names, or null when this account never made it. */
export function postById(p: Persona, externalId: string): SimulatedPost | null {
  const day = Number(externalId.split("-")[0]);
  if (!Number.isInteger(day)) return null;
  const post = postOfDay(p, day);
  return post?.externalId === externalId ? post : null;
}

export function commentAt(p: Persona, post: SimulatedPost, index: number): FetchedComment {
  const d = draws(p.seed, "comment", post.day, index);
  const language: Language = d.chance(p.ptShare) ? "pt" : "en";
  const roll = d.next();
  const tone: Tone = roll < p.positive ? "positive" : roll < p.positive + p.negative ? "negative" : "neutral";
  const thing = p.category.things[language][post.thingIndex]!;
  // The inverse of the settling curve: when the (index + ½)-th comment arrives.
  const fraction = Math.min((index + 0.5) / Math.max(post.finalComments, 1), 0.999999);
  const ageMs = -Math.log(1 - fraction) * SETTLE_DAYS[p.platform] * DAY_MS;
  return {
    externalId: `${post.externalId}-c${index}`,
    author: `${d.pick(COMMENTER_NAMES)}${d.int(10, 99)}`,
    text: fill(d.pick(commentTemplates(language, tone)), thing),
    postedAt: new Date(Math.round(post.postedAt + ageMs)),
  };
}
