-- Payments through Stripe: the boosts creators buy, and every Checkout
-- session Clout opened (for a boost or a contract's payment milestone), keyed
-- by Stripe's own session id so each webhook finds exactly one row to change.

CREATE TABLE boosts (
  id             uuid PRIMARY KEY,
  workspace_id   uuid NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
  creator_id     uuid NOT NULL REFERENCES creators(id) ON DELETE CASCADE,
  duration       text NOT NULL CHECK (duration IN ('24h', '7d', '30d')),
  -- What the leaderboard and feed multiply the creator's score by while it runs.
  multiplier     double precision NOT NULL CHECK (multiplier >= 1),
  amount_minor   bigint NOT NULL CHECK (amount_minor > 0),
  currency       char(3) NOT NULL,
  -- pending until paid; active from payment (or from the end of the creator's running boost) to ends_at.
  status         text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'active', 'expired', 'refunded')),
  starts_at      timestamptz(3),
  ends_at        timestamptz(3),
  created_at     timestamptz(3) NOT NULL,
  updated_at     timestamptz(3) NOT NULL,
  CHECK (status = 'pending' OR status = 'refunded' OR (starts_at IS NOT NULL AND ends_at IS NOT NULL))
);
CREATE INDEX boosts_creator_idx ON boosts (creator_id, status);
-- The expiry job's scan: only running boosts, by when they end.
CREATE INDEX boosts_ending_idx ON boosts (ends_at) WHERE status = 'active';

CREATE TABLE checkout_sessions (
  -- Stripe's cs_… id: a webhook for the same session always lands on this one row.
  id                 text PRIMARY KEY,
  workspace_id       uuid NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
  boost_id           uuid UNIQUE REFERENCES boosts(id) ON DELETE CASCADE,
  milestone_id       uuid REFERENCES payment_milestones(id) ON DELETE CASCADE,
  -- Sent with the create call, so a retried or doubled request gets the same session back from Stripe.
  idempotency_key    text NOT NULL UNIQUE,
  url                text NOT NULL,
  amount_minor       bigint NOT NULL CHECK (amount_minor > 0),
  currency           char(3) NOT NULL,
  -- refunded also covers a refund that arrived before the completion: the session then never takes effect.
  status             text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'paid', 'refunded')),
  payment_intent_id  text UNIQUE,
  requested_by_id    uuid REFERENCES members(id) ON DELETE SET NULL,
  expires_at         timestamptz(3) NOT NULL,
  created_at         timestamptz(3) NOT NULL,
  paid_at            timestamptz(3),
  refunded_at        timestamptz(3),
  CHECK ((boost_id IS NULL) <> (milestone_id IS NULL))
);
CREATE INDEX checkout_sessions_milestone_idx ON checkout_sessions (milestone_id);
