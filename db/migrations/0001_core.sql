-- Core domain: workspaces, members and their chat identities, creators,
-- campaigns, invitations, the audit log and processed-event ids.

CREATE TYPE "Role" AS ENUM ('owner', 'admin', 'manager', 'analyst', 'creator');
CREATE TYPE "ChatPlatform" AS ENUM ('console', 'slack', 'discord', 'telegram', 'whatsapp');
CREATE TYPE "SocialPlatform" AS ENUM ('instagram', 'youtube', 'tiktok', 'x');
CREATE TYPE "CampaignStatus" AS ENUM ('draft', 'submitted', 'approved', 'rejected', 'active', 'completed', 'cancelled');
CREATE TYPE "Objective" AS ENUM ('awareness', 'engagement', 'sales');
CREATE TYPE "InvitationStatus" AS ENUM ('pending', 'countered', 'accepted', 'declined', 'expired', 'withdrawn');

CREATE TABLE workspaces (
  id          uuid PRIMARY KEY,
  name        text NOT NULL,
  slug        text NOT NULL UNIQUE,
  currency    char(3) NOT NULL DEFAULT 'USD',
  timezone    text NOT NULL DEFAULT 'UTC',
  locale      text NOT NULL DEFAULT 'en',
  created_at  timestamptz(3) NOT NULL DEFAULT CURRENT_TIMESTAMP
);

CREATE TABLE workspace_counters (
  workspace_id uuid NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
  name         text NOT NULL,
  value        integer NOT NULL,
  PRIMARY KEY (workspace_id, name)
);

CREATE TABLE members (
  id            uuid PRIMARY KEY,
  workspace_id  uuid NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
  display_name  text NOT NULL,
  name_key      text NOT NULL,
  role          "Role" NOT NULL,
  locale        text,
  created_at    timestamptz(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
  UNIQUE (workspace_id, name_key)
);

CREATE TABLE identities (
  id           uuid PRIMARY KEY,
  platform     "ChatPlatform" NOT NULL,
  external_id  text NOT NULL,
  member_id    uuid NOT NULL REFERENCES members(id) ON DELETE CASCADE,
  label        text,
  created_at   timestamptz(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
  UNIQUE (platform, external_id)
);
CREATE INDEX identities_member_id_idx ON identities (member_id);

CREATE TABLE link_codes (
  code          text PRIMARY KEY,
  workspace_id  uuid NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
  member_id     uuid NOT NULL REFERENCES members(id) ON DELETE CASCADE,
  expires_at    timestamptz(3) NOT NULL,
  used_at       timestamptz(3),
  created_at    timestamptz(3) NOT NULL DEFAULT CURRENT_TIMESTAMP
);
CREATE INDEX link_codes_member_id_idx ON link_codes (member_id);

CREATE TABLE creators (
  id            uuid PRIMARY KEY,
  workspace_id  uuid NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
  number        integer NOT NULL,
  name          text NOT NULL,
  name_key      text NOT NULL,
  phone         text,
  category      text,
  location      char(2),
  language      text,
  member_id     uuid UNIQUE REFERENCES members(id) ON DELETE SET NULL,
  created_at    timestamptz(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
  UNIQUE (workspace_id, number),
  UNIQUE (workspace_id, name_key)
);
CREATE INDEX creators_workspace_id_category_idx ON creators (workspace_id, category);
CREATE INDEX creators_workspace_id_location_idx ON creators (workspace_id, location);

CREATE TABLE creator_handles (
  id            uuid PRIMARY KEY,
  workspace_id  uuid NOT NULL,
  creator_id    uuid NOT NULL REFERENCES creators(id) ON DELETE CASCADE,
  platform      "SocialPlatform" NOT NULL,
  handle        text NOT NULL,
  UNIQUE (creator_id, platform),
  UNIQUE (workspace_id, platform, handle)
);

CREATE TABLE campaigns (
  id             uuid PRIMARY KEY,
  workspace_id   uuid NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
  number         integer NOT NULL,
  name           text NOT NULL,
  name_key       text NOT NULL,
  objective      "Objective" NOT NULL,
  budget_minor   bigint NOT NULL CHECK (budget_minor > 0),
  currency       char(3) NOT NULL,
  starts_on      date NOT NULL,
  ends_on        date NOT NULL,
  status         "CampaignStatus" NOT NULL DEFAULT 'draft',
  created_by_id  uuid,
  created_at     timestamptz(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
  updated_at     timestamptz(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
  UNIQUE (workspace_id, number),
  UNIQUE (workspace_id, name_key),
  CHECK (ends_on >= starts_on)
);
CREATE INDEX campaigns_workspace_id_status_idx ON campaigns (workspace_id, status);

CREATE TABLE invitations (
  id             uuid PRIMARY KEY,
  workspace_id   uuid NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
  number         integer NOT NULL,
  campaign_id    uuid NOT NULL REFERENCES campaigns(id) ON DELETE CASCADE,
  creator_id     uuid NOT NULL REFERENCES creators(id) ON DELETE CASCADE,
  fee_minor      bigint NOT NULL CHECK (fee_minor > 0),
  currency       char(3) NOT NULL,
  message        text,
  status         "InvitationStatus" NOT NULL DEFAULT 'pending',
  expires_at     timestamptz(3) NOT NULL,
  created_by_id  uuid,
  created_at     timestamptz(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
  updated_at     timestamptz(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
  UNIQUE (workspace_id, number)
);
CREATE INDEX invitations_campaign_id_status_idx ON invitations (campaign_id, status);
CREATE INDEX invitations_creator_id_status_idx ON invitations (creator_id, status);

CREATE TABLE audit_log (
  id               bigserial PRIMARY KEY,
  workspace_id     uuid NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
  actor_member_id  uuid,
  action           text NOT NULL,
  entity_type      text NOT NULL,
  entity_id        text NOT NULL,
  data             jsonb NOT NULL DEFAULT '{}',
  created_at       timestamptz(3) NOT NULL
);
CREATE INDEX audit_log_entity_idx ON audit_log (workspace_id, entity_type, entity_id, created_at);

CREATE TABLE processed_events (
  source        text NOT NULL,
  event_id      text NOT NULL,
  processed_at  timestamptz(3) NOT NULL,
  PRIMARY KEY (source, event_id)
);
CREATE INDEX processed_events_processed_at_idx ON processed_events (processed_at);
