-- A Slack team (or Discord server) is bound to the first Clout workspace one of
-- its people joins or creates; it serves that workspace only.

CREATE TABLE chat_tenants (
  platform      "ChatPlatform" NOT NULL,
  tenant_id     text NOT NULL,
  workspace_id  uuid NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
  bound_at      timestamptz(3) NOT NULL,
  PRIMARY KEY (platform, tenant_id)
);
CREATE INDEX chat_tenants_workspace_id_idx ON chat_tenants (workspace_id);
