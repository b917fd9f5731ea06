-- Slack OAuth installations, one per workspace or Enterprise Grid org. Tokens
-- live only inside `sealed` (AES-256-GCM with a key derived from CLOUT_SECRET).

CREATE TABLE slack_installations (
  install_key   text PRIMARY KEY,
  team_id       text,
  team_name     text,
  bot_user_id   text,
  sealed        text NOT NULL,
  installed_at  timestamptz(3) NOT NULL,
  updated_at    timestamptz(3) NOT NULL
);
