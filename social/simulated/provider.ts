import type { Clock } from "../../core/clock.ts";
import { ProviderError, type AccountRef, type FetchedComment, type FetchedPost, type FetchedProfile, type Page, type ProviderCall, type SocialPlatform, type SocialProvider } from "../../core/social/port.ts";
import { DAY_MS, followersAt, personaOf, type Persona } from "./persona.ts";
import { commentAt, postAsFetched, postById, postOfDay, visibleComments } from "./posts.ts";

/**
 * A provider with no platform behind it: deterministic, realistic accounts
 * made from (platform, handle) and the clock, so a demo with no keys shows
 * growing audiences, posts every few days and comments in English and
 * Portuguese. It takes from the gate like a real provider (1 a call), so the
 * sync's quotas and progress behave as they will against the real APIs.
 *
 * To make history (snapshots of past days), run it with a clock set in the past.
 */
export function simulatedProvider(platform: SocialPlatform, clock: Clock): SocialProvider {
  const begin = async (account: AccountRef, call: ProviderCall): Promise<{ persona: Persona; now: number }> => {
    call.signal?.throwIfAborted();
    await call.gate.take(1);
    return { persona: personaOf(platform, account.handle), now: clock.now().getTime() };
  };

  return {
    platform,
    async profile(account, call): Promise<FetchedProfile> {
      const { persona, now } = await begin(account, call);
      const postsCount = Math.max(0, Math.round((now - persona.startedAt) / DAY_MS / persona.cadenceDays));
      const followers = followersAt(persona, now);
      return {
        externalId: `sim-${platform}-${persona.seed.toString(36)}`,
        handle: account.handle,
        displayName: displayNameOf(account.handle),
        bio: persona.category.bio[persona.language],
        followers,
        following: persona.following,
        postsCount,
        // Lifetime views only where the platform reports them for a channel.
        views: platform === "youtube" ? Math.round(postsCount * followers * 0.35) : null,
      };
    },

    async posts(account, call, page): Promise<Page<FetchedPost>> {
      const { persona, now } = await begin(account, call);
      const sinceDay = Math.floor(page.since.getTime() / DAY_MS);
      const firstDay = page.cursor ? Number(page.cursor) : Math.floor(now / DAY_MS);
      if (!Number.isInteger(firstDay)) throw new ProviderError(platform, "bad_response", `not a simulated posts cursor: ${page.cursor}`);
      const items: FetchedPost[] = [];
      let day = firstDay;
      for (; day >= sinceDay && items.length < page.limit; day--) {
        const post = postOfDay(persona, day);
        if (post && post.postedAt <= now && post.postedAt >= page.since.getTime()) items.push(postAsFetched(persona, post, now));
      }
      return { items, next: day >= sinceDay ? String(day) : null };
    },

    async comments(account, post, call, page): Promise<Page<FetchedComment>> {
      const { persona, now } = await begin(account, call);
      const found = postById(persona, post.externalId);
      if (!found || found.postedAt > now) throw new ProviderError(platform, "not_found", `no post ${post.externalId} on ${platform} @${account.handle}`);
      // Newest first, by index; a cursor is the index to go on from, so comments arriving meanwhile don't shift the pages.
      const from = page.cursor ? Number(page.cursor) : visibleComments(persona, found, now) - 1;
      if (!Number.isInteger(from)) throw new ProviderError(platform, "bad_response", `not a simulated comments cursor: ${page.cursor}`);
      const items: FetchedComment[] = [];
      let index = from;
      for (; index >= 0 && items.length < page.limit; index--) items.push(commentAt(persona, found, index));
      return { items, next: index >= 0 ? String(index) : null };
    },
  };
}

/** "bia.lima_" → "Bia Lima". */
function displayNameOf(handle: string): string {
  return handle
    .split(/[._-]+/)
    .filter(Boolean)
    .map((w) => w[0]!.toUpperCase() + w.slice(1))
    .join(" ");
}
