-- Issue #8: what the metrics sync collects from Instagram, YouTube, TikTok and X.
-- Everything is keyed on the platform's own ids, so re-syncing the same data
-- updates rows in place and never adds them twice.

-- The account behind a handle: the platform's id for it, the creator's OAuth
-- token (sealed with the storage key, never plain), and how its last sync went.
ALTER TABLE creator_handles
  ADD COLUMN external_id      text,
  ADD COLUMN display_name     text,
  ADD COLUMN bio              text,
  ADD COLUMN token_sealed     text,
  ADD COLUMN token_expires_at timestamptz(3),
  ADD COLUMN synced_at        timestamptz(3),
  ADD COLUMN sync_status      text NOT NULL DEFAULT 'never' CHECK (sync_status IN ('never', 'ok', 'failed')),
  ADD COLUMN sync_error       text;

-- A creator's own description, searched by discovery beside their platforms' bios and keywords.
ALTER TABLE creators ADD COLUMN bio text;

-- One reading of an account's counters per hour: a second sync in the same hour overwrites it.
CREATE TABLE metric_snapshots (
  workspace_id uuid NOT NULL,
  creator_id   uuid NOT NULL REFERENCES creators(id) ON DELETE CASCADE,
  platform     "SocialPlatform" NOT NULL,
  captured_at  timestamptz(3) NOT NULL CHECK (captured_at = date_trunc('hour', captured_at)),
  followers    bigint NOT NULL CHECK (followers >= 0),
  following    bigint,
  posts_count  bigint,
  views        bigint,
  PRIMARY KEY (creator_id, platform, captured_at)
);
CREATE INDEX metric_snapshots_workspace_time_idx ON metric_snapshots (workspace_id, captured_at);

-- A post, reel, video or tweet, with its counters as last synced.
CREATE TABLE social_posts (
  id            uuid PRIMARY KEY,
  workspace_id  uuid NOT NULL,
  creator_id    uuid NOT NULL REFERENCES creators(id) ON DELETE CASCADE,
  platform      "SocialPlatform" NOT NULL,
  external_id   text NOT NULL,
  posted_at     timestamptz(3) NOT NULL,
  kind          text,
  caption       text NOT NULL DEFAULT '',
  url           text,
  likes         bigint NOT NULL DEFAULT 0 CHECK (likes >= 0),
  comments      bigint NOT NULL DEFAULT 0 CHECK (comments >= 0),
  shares        bigint,
  views         bigint,
  first_seen_at timestamptz(3) NOT NULL,
  updated_at    timestamptz(3) NOT NULL,
  UNIQUE (creator_id, platform, external_id)
);
CREATE INDEX social_posts_creator_time_idx ON social_posts (creator_id, posted_at DESC);
CREATE INDEX social_posts_workspace_time_idx ON social_posts (workspace_id, posted_at);

-- Comments on those posts. Language and sentiment are filled by the analytics
-- (NULL until it has read the comment).
CREATE TABLE post_comments (
  id           uuid PRIMARY KEY,
  workspace_id uuid NOT NULL,
  creator_id   uuid NOT NULL REFERENCES creators(id) ON DELETE CASCADE,
  post_id      uuid NOT NULL REFERENCES social_posts(id) ON DELETE CASCADE,
  external_id  text NOT NULL,
  author       text,
  body         text NOT NULL,
  posted_at    timestamptz(3) NOT NULL,
  language     text,
  sentiment    double precision CHECK (sentiment BETWEEN -1 AND 1),
  UNIQUE (post_id, external_id)
);
CREATE INDEX post_comments_creator_time_idx ON post_comments (creator_id, posted_at);
CREATE INDEX post_comments_unread_idx ON post_comments (creator_id) WHERE sentiment IS NULL;

-- A sync that cannot succeed by retrying (expired token, private account, no
-- such account, retries used up), kept with its reason for admins to see.
CREATE TABLE sync_failures (
  id           uuid PRIMARY KEY,
  workspace_id uuid NOT NULL,
  creator_id   uuid NOT NULL REFERENCES creators(id) ON DELETE CASCADE,
  platform     "SocialPlatform" NOT NULL,
  reason       text NOT NULL CHECK (reason IN ('token_expired', 'private', 'not_found', 'retries_exhausted', 'bad_response')),
  detail       text NOT NULL,
  attempts     int NOT NULL,
  failed_at    timestamptz(3) NOT NULL,
  resolved_at  timestamptz(3)
);
CREATE INDEX sync_failures_open_idx ON sync_failures (workspace_id, failed_at DESC) WHERE resolved_at IS NULL;
