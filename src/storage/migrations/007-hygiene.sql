-- Map web view tokens that were used to post a location: each token posts once. Rows are purged
-- once the token has expired.
CREATE TABLE webview_token_uses (
  nonce      text PRIMARY KEY,
  expires_at timestamptz NOT NULL,
  used_at    timestamptz NOT NULL DEFAULT now()
);

-- Raw inbound bodies (the residents' own words and ids) are purged after INBOX_RETENTION_DAYS; the
-- row and its dedupe key stay, so a late redelivery is still recognised.
ALTER TABLE inbound_events ADD COLUMN purged_at timestamptz;
CREATE INDEX inbound_events_retention ON inbound_events (received_at) WHERE purged_at IS NULL AND status <> 'pending';
