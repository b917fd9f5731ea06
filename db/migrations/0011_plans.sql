-- Billing plans: a workspace's Stripe subscription, kept true by Stripe's
-- subscription webhooks. No row means the free plan, so every workspace that
-- existed before plans is on it without a backfill.

CREATE TABLE workspace_subscriptions (
  workspace_id            uuid PRIMARY KEY REFERENCES workspaces(id) ON DELETE CASCADE,
  plan                    text NOT NULL DEFAULT 'free' CHECK (plan IN ('free', 'pro', 'enterprise')),
  -- Stripe's subscription status as last heard: past_due keeps the plan's limits (the grace period) until Stripe deletes it.
  status                  text NOT NULL DEFAULT 'none' CHECK (status IN ('none', 'incomplete', 'trialing', 'active', 'past_due', 'unpaid', 'canceled')),
  stripe_customer_id      text UNIQUE,
  stripe_subscription_id  text UNIQUE,
  current_period_end      timestamptz(3),
  -- The Stripe event time (its `created`) the row reflects: an older event delivered late never rolls it back.
  event_at                timestamptz(3),
  updated_at              timestamptz(3) NOT NULL
);

-- The Checkout pages opened for a plan upgrade: the same owner asking twice gets the same page.
CREATE TABLE subscription_checkouts (
  id                text PRIMARY KEY,
  workspace_id      uuid NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
  plan              text NOT NULL CHECK (plan IN ('pro', 'enterprise')),
  idempotency_key   text NOT NULL UNIQUE,
  url               text NOT NULL,
  requested_by_id   uuid REFERENCES members(id) ON DELETE SET NULL,
  expires_at        timestamptz(3) NOT NULL,
  created_at        timestamptz(3) NOT NULL
);
CREATE INDEX subscription_checkouts_workspace_idx ON subscription_checkouts (workspace_id, plan);
