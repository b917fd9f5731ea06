-- Issue #8 items 4 and 5: what the analytics make of a creator's synced
-- numbers (core/analytics/recompute.ts writes every row here in one
-- transaction), and the indexes discovery (`creators search`) ranks with.

-- A creator's influence score with its breakdown (each part 0-100, NULL
-- where there was not enough data), and the readings behind it.
CREATE TABLE creator_scores (
  creator_id   uuid PRIMARY KEY REFERENCES creators(id) ON DELETE CASCADE,
  workspace_id uuid NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
  score        double precision CHECK (score BETWEEN 0 AND 100),
  engagement   double precision CHECK (engagement BETWEEN 0 AND 100),
  reach        double precision CHECK (reach BETWEEN 0 AND 100),
  growth       double precision CHECK (growth BETWEEN 0 AND 100),
  sentiment    double precision CHECK (sentiment BETWEEN 0 AND 100),
  consistency  double precision CHECK (consistency BETWEEN 0 AND 100),
  -- per language: comments read, mean sentiment, positive / negative / neutral counts
  sentiment_by_language jsonb NOT NULL DEFAULT '{}',
  flags        jsonb NOT NULL DEFAULT '[]',
  trends       jsonb NOT NULL DEFAULT '[]',
  -- the top TF-IDF keywords with their weights, and the same terms as text for the search index
  keywords     jsonb NOT NULL DEFAULT '[]',
  keyword_text text NOT NULL DEFAULT '',
  -- every distinct caption term, so keyword_frequencies can be corrected when they change
  terms        jsonb NOT NULL DEFAULT '[]',
  computed_at  timestamptz(3) NOT NULL
);
CREATE INDEX creator_scores_keywords_search_idx ON creator_scores USING gin (to_tsvector('simple', keyword_text));

-- Per creator and platform: followers, engagement on its stated denominator, growth.
CREATE TABLE creator_platform_metrics (
  creator_id   uuid NOT NULL REFERENCES creators(id) ON DELETE CASCADE,
  platform     "SocialPlatform" NOT NULL,
  workspace_id uuid NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
  followers    bigint NOT NULL CHECK (followers >= 0),
  tier         text NOT NULL CHECK (tier IN ('nano', 'micro', 'mid', 'macro', 'mega')),
  -- percent, the median of the latest posts' rates; NULL when no post could be measured
  engagement_rate double precision CHECK (engagement_rate >= 0),
  engagement_denominator text NOT NULL CHECK (engagement_denominator IN ('followers', 'views', 'impressions')),
  engagement_posts int NOT NULL,
  -- core/analytics/growth.ts Growth for 7 and 30 days, "not enough history" included
  growth       jsonb NOT NULL,
  measured_at  timestamptz(3) NOT NULL,
  PRIMARY KEY (creator_id, platform)
);
CREATE INDEX creator_platform_metrics_followers_idx ON creator_platform_metrics (workspace_id, platform, followers);
CREATE INDEX creator_platform_metrics_engagement_idx ON creator_platform_metrics (workspace_id, platform, engagement_rate);

-- Document frequencies of caption terms across a workspace's creators (the
-- IDF of keywords), kept by each recompute adding its new terms and taking
-- back the ones it no longer has.
CREATE TABLE keyword_frequencies (
  workspace_id uuid NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
  term         text NOT NULL,
  creators     int NOT NULL CHECK (creators >= 0),
  PRIMARY KEY (workspace_id, term)
);

-- Discovery at 450,000 creators: full-text indexes over who a creator is
-- (name; each platform's handle and display name) and what they are about
-- (category and bio; each platform's bio), and the default order by score.
-- 'simple' keeps words as written, for handles, names and two languages at once.
CREATE INDEX creators_name_search_idx ON creators USING gin (to_tsvector('simple', name_key));
CREATE INDEX creators_about_search_idx ON creators USING gin (to_tsvector('simple', coalesce(category, '') || ' ' || coalesce(bio, '')));
CREATE INDEX creator_handles_name_search_idx ON creator_handles USING gin (to_tsvector('simple', handle || ' ' || coalesce(display_name, '')));
CREATE INDEX creator_handles_about_search_idx ON creator_handles USING gin (to_tsvector('simple', coalesce(bio, '')));
CREATE INDEX creators_workspace_score_idx ON creators (workspace_id, influence_score DESC NULLS LAST, number);
CREATE INDEX creators_workspace_language_idx ON creators (workspace_id, language);
