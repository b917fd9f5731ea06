-- Issue #9: digests posted on a schedule, one schedule per chat channel.
-- next_run_at is the UTC moment of the next firing at the schedule's hour in
-- the workspace's time zone; a tick claims due rows and moves next_run_at on
-- in the same transaction, so any number of workers fire each run once.
CREATE TABLE digest_schedules (
  id            uuid PRIMARY KEY,
  workspace_id  uuid NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
  -- Where the digest is posted, as a ChatTarget: a channel or group, or (on
  -- platforms without channels, such as the console) the asker's own chat.
  platform      "ChatPlatform" NOT NULL,
  channel       text NOT NULL,
  is_channel    boolean NOT NULL,
  channel_name  text NOT NULL,
  thread        text,
  locale        text NOT NULL,
  cadence       text NOT NULL CHECK (cadence IN ('daily', 'weekly')),
  hour          integer NOT NULL CHECK (hour BETWEEN 0 AND 23),
  next_run_at   timestamptz(3) NOT NULL,
  last_run_at   timestamptz(3),
  created_by_id uuid REFERENCES members(id) ON DELETE SET NULL,
  created_at    timestamptz(3) NOT NULL,
  updated_at    timestamptz(3) NOT NULL,
  UNIQUE (workspace_id, platform, channel)
);
CREATE INDEX digest_schedules_due_idx ON digest_schedules (next_run_at);
