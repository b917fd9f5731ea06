-- Changing plans from chat: a downgrade to free cancels the subscription at
-- the end of its paid period. Stripe says so on the subscription
-- (cancel_at_period_end) and the plan stays until the deleted event; this
-- keeps what Stripe last said, so `plan show` can tell the owners when it ends.

ALTER TABLE workspace_subscriptions ADD COLUMN cancel_at_period_end boolean NOT NULL DEFAULT false;
