-- A message a chat adapter posted that shows something whose state changes
-- (an invitation card in a brand's channel): where it is, so later changes
-- edit it in place and answers go under it as a thread.

CREATE TABLE tracked_messages (
  id             uuid PRIMARY KEY,
  workspace_id   uuid NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
  entity_type    text NOT NULL,
  entity_id      uuid NOT NULL,
  platform       "ChatPlatform" NOT NULL,
  ref            text NOT NULL,
  locale         text NOT NULL,
  created_at     timestamptz(3) NOT NULL,
  UNIQUE (platform, ref)
);
CREATE INDEX tracked_messages_entity_idx ON tracked_messages (entity_type, entity_id);
