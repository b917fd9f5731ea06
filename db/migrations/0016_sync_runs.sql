-- Issue #8: an on-demand sync (`sync <creator|all>`) as a thing its chat
-- message can show: which accounts it covers and when it started, so its
-- progress is counted from the accounts themselves (synced or failed since)
-- whichever job, scheduled or requested, did the work.
CREATE TABLE sync_runs (
  id           uuid PRIMARY KEY,
  workspace_id uuid NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
  -- NULL: every creator of the workspace.
  creator_id   uuid REFERENCES creators(id) ON DELETE CASCADE,
  platforms    "SocialPlatform"[] NOT NULL,
  requested_by uuid REFERENCES members(id) ON DELETE SET NULL,
  started_at   timestamptz(3) NOT NULL,
  finished_at  timestamptz(3)
);
CREATE INDEX sync_runs_workspace_idx ON sync_runs (workspace_id, started_at DESC);

-- At most one open failure per account: failing again updates it, a success resolves it.
CREATE UNIQUE INDEX sync_failures_open_account_idx ON sync_failures (creator_id, platform) WHERE resolved_at IS NULL;
