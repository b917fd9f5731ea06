import type { Db } from "../../db/database.ts";
import type { Clock } from "../clock.ts";
import type { Ids } from "../ids.ts";
import type { FetchedComment, FetchedPost, FetchedProfile, SocialPlatform } from "../social/port.ts";

/** One account's reading, as a sync job collected it. */
export interface SyncedAccount {
  workspaceId: string;
  creatorId: string;
  platform: SocialPlatform;
  profile: FetchedProfile;
  posts: FetchedPost[];
  /** Comments by their post's external id. */
  comments: Map<string, FetchedComment[]>;
}

export interface Stored {
  /** Posts seen for the first time, and stored posts whose counters moved. */
  newPosts: number;
  updatedPosts: number;
  newComments: number;
}

const hour = (at: Date) => new Date(Math.floor(at.getTime() / 3_600_000) * 3_600_000);

/**
 * Stores what a sync read, in one transaction and a handful of statements
 * whatever the number of posts. Everything is keyed on the platform's ids:
 * the hour's snapshot is overwritten, a known post gets its counters (its
 * row untouched when they did not move), a known comment its text, so
 * storing the same reading twice (a job retried after its worker died)
 * changes nothing the second time. The account's sync status turns ok and
 * its open failure, if any, is resolved.
 */
export async function storeSync(deps: { db: Db; clock: Clock; ids: Ids }, a: SyncedAccount): Promise<Stored> {
  const now = deps.clock.now();
  const p = a.profile;
  const posts = JSON.stringify(
    a.posts.map((x) => ({ id: deps.ids.uuid(), external_id: x.externalId, posted_at: x.postedAt.toISOString(), kind: x.kind ?? null, caption: x.caption, url: x.url ?? null, likes: x.likes, comments: x.comments, shares: x.shares ?? null, views: x.views ?? null })),
  );
  const comments = JSON.stringify(
    [...a.comments].flatMap(([post, list]) => list.map((c) => ({ id: deps.ids.uuid(), post_external_id: post, external_id: c.externalId, author: c.author ?? null, body: c.text, posted_at: c.postedAt.toISOString() }))),
  );
  return deps.db.$transaction(async (tx) => {
    await tx.$executeRaw`
      UPDATE creator_handles SET external_id = ${p.externalId}, display_name = ${p.displayName ?? null}, bio = ${p.bio ?? null},
        synced_at = ${now}, sync_status = 'ok', sync_error = NULL
      WHERE creator_id = ${a.creatorId}::uuid AND platform = ${a.platform}::"SocialPlatform"`;
    await tx.$executeRaw`
      INSERT INTO metric_snapshots (workspace_id, creator_id, platform, captured_at, followers, following, posts_count, views)
      VALUES (${a.workspaceId}::uuid, ${a.creatorId}::uuid, ${a.platform}::"SocialPlatform", ${hour(now)}, ${p.followers}, ${p.following ?? null}, ${p.postsCount ?? null}, ${p.views ?? null})
      ON CONFLICT (creator_id, platform, captured_at) DO UPDATE SET followers = EXCLUDED.followers, following = EXCLUDED.following, posts_count = EXCLUDED.posts_count, views = EXCLUDED.views`;
    const [postRows] = await tx.$queryRaw<{ inserted: number; updated: number }[]>`
      WITH input AS (
        SELECT * FROM json_to_recordset(${posts}::json) AS t(id uuid, external_id text, posted_at timestamptz, kind text, caption text, url text, likes bigint, comments bigint, shares bigint, views bigint)
      ), written AS (
        INSERT INTO social_posts AS s (id, workspace_id, creator_id, platform, external_id, posted_at, kind, caption, url, likes, comments, shares, views, first_seen_at, updated_at)
        SELECT i.id, ${a.workspaceId}::uuid, ${a.creatorId}::uuid, ${a.platform}::"SocialPlatform", i.external_id, i.posted_at, i.kind, i.caption, i.url, i.likes, i.comments, i.shares, i.views, ${now}, ${now}
        FROM input i ORDER BY i.external_id
        ON CONFLICT (creator_id, platform, external_id) DO UPDATE SET
          likes = EXCLUDED.likes, comments = EXCLUDED.comments, shares = EXCLUDED.shares, views = EXCLUDED.views, caption = EXCLUDED.caption, url = EXCLUDED.url, kind = EXCLUDED.kind, updated_at = EXCLUDED.updated_at
        WHERE (s.likes, s.comments, s.shares, s.views, s.caption, s.url, s.kind) IS DISTINCT FROM (EXCLUDED.likes, EXCLUDED.comments, EXCLUDED.shares, EXCLUDED.views, EXCLUDED.caption, EXCLUDED.url, EXCLUDED.kind)
        RETURNING (xmax = 0) AS inserted
      )
      SELECT count(*) FILTER (WHERE inserted)::int AS inserted, count(*) FILTER (WHERE NOT inserted)::int AS updated FROM written`;
    // An edited comment is read again by the analytics: its language and sentiment start over.
    const [commentRows] = await tx.$queryRaw<{ inserted: number }[]>`
      WITH input AS (
        SELECT * FROM json_to_recordset(${comments}::json) AS t(id uuid, post_external_id text, external_id text, author text, body text, posted_at timestamptz)
      ), written AS (
        INSERT INTO post_comments AS c (id, workspace_id, creator_id, post_id, external_id, author, body, posted_at)
        SELECT i.id, ${a.workspaceId}::uuid, ${a.creatorId}::uuid, s.id, i.external_id, i.author, i.body, i.posted_at
        FROM input i JOIN social_posts s ON s.creator_id = ${a.creatorId}::uuid AND s.platform = ${a.platform}::"SocialPlatform" AND s.external_id = i.post_external_id
        ORDER BY s.id, i.external_id
        ON CONFLICT (post_id, external_id) DO UPDATE SET body = EXCLUDED.body, author = EXCLUDED.author, language = NULL, sentiment = NULL
        WHERE (c.body, c.author) IS DISTINCT FROM (EXCLUDED.body, EXCLUDED.author)
        RETURNING (xmax = 0) AS inserted
      )
      SELECT count(*) FILTER (WHERE inserted)::int AS inserted FROM written`;
    await tx.$executeRaw`UPDATE sync_failures SET resolved_at = ${now} WHERE creator_id = ${a.creatorId}::uuid AND platform = ${a.platform}::"SocialPlatform" AND resolved_at IS NULL`;
    return { newPosts: postRows?.inserted ?? 0, updatedPosts: postRows?.updated ?? 0, newComments: commentRows?.inserted ?? 0 };
  });
}
