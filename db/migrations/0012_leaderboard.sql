-- The influence score (0-100) the leaderboard and feed rank creators by.
-- Issue #8's analytics fills it from synced metrics; until a creator has one
-- it stays NULL and the rankings count them at a neutral 50 (core/leaderboard/formula.ts).
ALTER TABLE creators ADD COLUMN influence_score double precision CHECK (influence_score BETWEEN 0 AND 100);

-- The rankings' boost lookup: a workspace's running boosts, without scanning its history.
CREATE INDEX boosts_workspace_active_idx ON boosts (workspace_id, creator_id) WHERE status = 'active';
