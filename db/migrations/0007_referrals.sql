-- Referrals: a link, a code and a QR per creator per campaign; human clicks
-- (bots are redirected, never stored), daily roll-ups that stats read instead
-- of scanning clicks; conversions reported by a brand's shop, idempotent on
-- the order id; single-use in-store QR tokens; per-workspace API credentials.

-- Where a campaign's referral links send people (UTM parameters and a click id are appended).
ALTER TABLE campaigns ADD COLUMN destination_url text;

CREATE TABLE referral_links (
  id             uuid PRIMARY KEY,
  workspace_id   uuid NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
  campaign_id    uuid NOT NULL REFERENCES campaigns(id) ON DELETE CASCADE,
  creator_id     uuid NOT NULL REFERENCES creators(id) ON DELETE CASCADE,
  invitation_id  uuid UNIQUE REFERENCES invitations(id) ON DELETE SET NULL,
  -- /r/<slug>: global, unguessable enough not to be enumerated.
  slug           text NOT NULL UNIQUE,
  -- What people type at checkout ("MURUGI25"), as issued; code_key is its upper-case form, unique per workspace.
  code           text NOT NULL,
  code_key       text NOT NULL,
  created_at     timestamptz(3) NOT NULL,
  UNIQUE (campaign_id, creator_id),
  UNIQUE (workspace_id, code_key)
);
CREATE INDEX referral_links_campaign_idx ON referral_links (campaign_id);

-- One human click. The click id travels to the destination (?clk=) and comes back with a conversion.
CREATE TABLE clicks (
  click_id       text PRIMARY KEY,
  link_id        uuid NOT NULL REFERENCES referral_links(id) ON DELETE CASCADE,
  at             timestamptz(3) NOT NULL,
  -- sha256(salt, IP, user agent): never the raw IP.
  visitor_hash   text NOT NULL,
  -- The visitor's first click on this link in this hour.
  is_unique      boolean NOT NULL,
  is_qr          boolean NOT NULL DEFAULT false
);
CREATE INDEX clicks_link_at_idx ON clicks (link_id, at);

-- Per link per UTC day: what stats sum, so a campaign with millions of clicks is a few hundred rows.
CREATE TABLE link_daily_stats (
  link_id          uuid NOT NULL REFERENCES referral_links(id) ON DELETE CASCADE,
  day              date NOT NULL,
  clicks           bigint NOT NULL DEFAULT 0,
  unique_clicks    bigint NOT NULL DEFAULT 0,
  qr_clicks        bigint NOT NULL DEFAULT 0,
  conversions      bigint NOT NULL DEFAULT 0,
  revenue_minor    bigint NOT NULL DEFAULT 0,
  PRIMARY KEY (link_id, day)
);

CREATE TABLE conversions (
  id             uuid PRIMARY KEY,
  workspace_id   uuid NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
  order_id       text NOT NULL,
  amount_minor   bigint NOT NULL CHECK (amount_minor >= 0),
  currency       char(3) NOT NULL,
  click_id       text,
  code           text,
  customer_id    text,
  -- Attributed to: the click's link (last click within the window) wins, else the code's; null when neither matched.
  link_id        uuid REFERENCES referral_links(id) ON DELETE SET NULL,
  attributed_by  text CHECK (attributed_by IN ('click', 'code')),
  occurred_at    timestamptz(3) NOT NULL,
  created_at     timestamptz(3) NOT NULL,
  refunded_at    timestamptz(3),
  UNIQUE (workspace_id, order_id)
);
CREATE INDEX conversions_link_idx ON conversions (link_id);

-- In-store QR: single use. The token a business scans is signed (id, campaign, expiry); this row makes it used once.
CREATE TABLE qr_tokens (
  id             uuid PRIMARY KEY,
  workspace_id   uuid NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
  campaign_id    uuid NOT NULL REFERENCES campaigns(id) ON DELETE CASCADE,
  expires_at     timestamptz(3) NOT NULL,
  redeemed_at    timestamptz(3),
  -- Who redeemed it: a member, or the API key's name.
  redeemed_by    text,
  created_at     timestamptz(3) NOT NULL
);
CREATE INDEX qr_tokens_campaign_idx ON qr_tokens (campaign_id);

-- A brand's shop authenticates to the public API with a key (sent as a bearer token) or signs with its secret.
CREATE TABLE api_credentials (
  id             uuid PRIMARY KEY,
  workspace_id   uuid NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
  name           text NOT NULL,
  -- The secret, sealed with the storage key: HMAC needs it back, so a hash would not do.
  sealed_secret  text NOT NULL,
  created_at     timestamptz(3) NOT NULL,
  revoked_at     timestamptz(3),
  UNIQUE (workspace_id, name)
);
