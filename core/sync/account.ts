import type { Db } from "../../db/database.ts";
import type { Clock } from "../clock.ts";
import type { Ids } from "../ids.ts";
import type { SecretBox } from "../secrets.ts";
import { ProviderError, type AccountRef, type CallGate, type FetchedComment, type FetchedPost, type Providers, type SocialPlatform } from "../social/port.ts";
import { storeSync, type Stored } from "./store.ts";

/** How much one sync reads, so one prolific account can't spend a platform's quota alone. */
export interface SyncCaps {
  /** A first sync looks this far back. */
  firstSyncDays: number;
  /** Later syncs read again the posts of this many days before the last one, so recent posts' counters stay current. */
  overlapDays: number;
  postPages: number;
  postsPerPage: number;
  /** Comments are read for this many of the newest posts, one page each. */
  commentedPosts: number;
  commentsPerPost: number;
}

export const SYNC_CAPS: SyncCaps = { firstSyncDays: 90, overlapDays: 7, postPages: 5, postsPerPage: 50, commentedPosts: 10, commentsPerPost: 50 };

export interface AccountSyncDeps {
  db: Db;
  clock: Clock;
  ids: Ids;
  vault: SecretBox;
  providers: Providers;
  caps?: SyncCaps;
}

export interface SyncTarget {
  workspaceId: string;
  creatorId: string;
  platform: SocialPlatform;
}

const DAY_MS = 86_400_000;

/**
 * One account's sync: its token opened, the profile, the posts since the
 * last sync (pages capped), the comments of the newest posts, all stored at
 * once. Provider errors go up as they are, for the job to retry, wait or
 * record; null when there is nothing to sync (the handle or the platform's
 * provider is gone).
 */
export async function syncAccount(deps: AccountSyncDeps, target: SyncTarget, gate: CallGate, signal?: AbortSignal): Promise<Stored | null> {
  const caps = deps.caps ?? SYNC_CAPS;
  const provider = deps.providers[target.platform];
  const handle = await deps.db.creatorHandle.findFirst({ where: { workspaceId: target.workspaceId, creatorId: target.creatorId, platform: target.platform } });
  if (!provider || !handle) return null;
  const now = deps.clock.now();
  const account: AccountRef = { platform: target.platform, handle: handle.handle, externalId: handle.externalId, token: openToken(deps.vault, target.platform, handle) };
  if (handle.tokenSealed && handle.tokenExpiresAt && handle.tokenExpiresAt <= now) {
    throw new ProviderError(target.platform, "token_expired", `the ${target.platform} token expired on ${handle.tokenExpiresAt.toISOString()}`);
  }
  const call = { gate, ...(signal ? { signal } : {}) };
  const profile = await provider.profile({ ...account, externalId: account.externalId ?? null }, call);
  const known = { ...account, externalId: profile.externalId };

  const firstDay = now.getTime() - caps.firstSyncDays * DAY_MS;
  const since = new Date(handle.syncedAt ? Math.max(firstDay, handle.syncedAt.getTime() - caps.overlapDays * DAY_MS) : firstDay);
  // Keyed by id: a post moving between pages while we read must not be stored twice in one statement.
  const posts = new Map<string, FetchedPost>();
  let cursor: string | null | undefined;
  for (let page = 0; page < caps.postPages; page++) {
    const got = await provider.posts(known, call, { since, cursor, limit: caps.postsPerPage });
    for (const p of got.items) if (p.postedAt >= since) posts.set(p.externalId, p);
    cursor = got.next;
    if (!cursor) break;
  }

  const comments = new Map<string, FetchedComment[]>();
  const newest = [...posts.values()].filter((p) => p.comments > 0).sort((a, b) => b.postedAt.getTime() - a.postedAt.getTime()).slice(0, caps.commentedPosts);
  for (const post of newest) {
    const page = await provider.comments(known, post, call, { limit: caps.commentsPerPost }).catch((err: unknown) => {
      // A post deleted since the listing has no comments to read; the rest of the account is still worth storing.
      if (err instanceof ProviderError && err.kind === "not_found") return { items: [] };
      throw err;
    });
    comments.set(post.externalId, [...new Map(page.items.map((c) => [c.externalId, c])).values()]);
  }

  return storeSync(deps, { ...target, profile, posts: [...posts.values()], comments });
}

/** A token that no longer opens (the storage key changed) is as good as expired: the creator must connect again. */
function openToken(vault: SecretBox, platform: SocialPlatform, handle: { tokenSealed: string | null }): string | null {
  if (!handle.tokenSealed) return null;
  try {
    return vault.open(handle.tokenSealed);
  } catch {
    throw new ProviderError(platform, "token_expired", `the stored ${platform} token can no longer be read`);
  }
}
