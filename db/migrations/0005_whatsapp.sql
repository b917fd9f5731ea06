-- WhatsApp numbers Clout has heard from: opted out with STOP (nothing is sent
-- to them until START), and when they last wrote, which opens WhatsApp's
-- 24-hour window for free-form messages (outside it only templates go).

CREATE TABLE whatsapp_contacts (
  phone            text PRIMARY KEY,
  opted_out_at     timestamptz(3),
  last_inbound_at  timestamptz(3),
  updated_at       timestamptz(3) NOT NULL
);

-- Every message Clout sent on WhatsApp and how far it got, from the webhook's statuses.
CREATE TABLE whatsapp_messages (
  wamid       text PRIMARY KEY,
  phone       text NOT NULL,
  status      text NOT NULL,
  error_code  integer,
  sent_at     timestamptz(3) NOT NULL,
  updated_at  timestamptz(3) NOT NULL
);
CREATE INDEX whatsapp_messages_phone_idx ON whatsapp_messages (phone);
