-- Invitations negotiate: each offer, counter and answer is a round, kept in
-- order. An accepted invitation becomes a contract with payment milestones
-- whose amounts sum to the agreed fee.

ALTER TABLE invitations ADD COLUMN deliverables text;
-- Whose move it is follows from the status: pending waits for the creator, countered for the brand.
CREATE INDEX invitations_open_expiry_idx ON invitations (expires_at) WHERE status IN ('pending', 'countered');

CREATE TABLE invitation_rounds (
  id             uuid PRIMARY KEY,
  invitation_id  uuid NOT NULL REFERENCES invitations(id) ON DELETE CASCADE,
  round          integer NOT NULL,
  side           text NOT NULL CHECK (side IN ('brand', 'creator', 'system')),
  action         text NOT NULL CHECK (action IN ('offer', 'counter', 'accept', 'decline', 'withdraw', 'expire')),
  fee_minor      bigint CHECK (fee_minor > 0),
  note           text,
  member_id      uuid REFERENCES members(id) ON DELETE SET NULL,
  created_at     timestamptz(3) NOT NULL,
  UNIQUE (invitation_id, round)
);

CREATE TABLE contracts (
  invitation_id  uuid PRIMARY KEY REFERENCES invitations(id) ON DELETE CASCADE,
  workspace_id   uuid NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
  campaign_id    uuid NOT NULL REFERENCES campaigns(id) ON DELETE CASCADE,
  creator_id     uuid NOT NULL REFERENCES creators(id) ON DELETE CASCADE,
  fee_minor      bigint NOT NULL CHECK (fee_minor > 0),
  currency       char(3) NOT NULL,
  deliverables   text NOT NULL,
  starts_on      date NOT NULL,
  ends_on        date NOT NULL,
  accepted_at    timestamptz(3) NOT NULL
);
CREATE INDEX contracts_campaign_id_idx ON contracts (campaign_id);

CREATE TABLE payment_milestones (
  id             uuid PRIMARY KEY,
  workspace_id   uuid NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
  invitation_id  uuid NOT NULL REFERENCES contracts(invitation_id) ON DELETE CASCADE,
  kind           text NOT NULL CHECK (kind IN ('advance', 'milestone', 'final')),
  amount_minor   bigint NOT NULL CHECK (amount_minor >= 0),
  currency       char(3) NOT NULL,
  due_on         date NOT NULL,
  status         text NOT NULL DEFAULT 'due' CHECK (status IN ('due', 'paid')),
  paid_at        timestamptz(3),
  UNIQUE (invitation_id, kind)
);
