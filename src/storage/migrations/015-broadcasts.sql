-- Broadcasts: communications officers publish resolved cases into the OA's Zalo groups and onto the
-- Facebook Page. A broadcast is a draft until approved; each (broadcast, target) is a delivery
-- with its own state and one durable job.

-- Whether the resident lets the report be shown publicly (null: the city profile's default).
ALTER TABLE reports ADD COLUMN IF NOT EXISTS publish boolean;

CREATE TABLE broadcast_targets (
  id            bigserial PRIMARY KEY,
  kind          text NOT NULL CHECK (kind IN ('zalo-group', 'facebook-page')),
  external_id   text NOT NULL,
  name          text NOT NULL,
  status        text NOT NULL DEFAULT 'enabled' CHECK (status IN ('enabled', 'disabled')),
  reason        text,
  members       integer,
  label         text,
  asset_valid_through timestamptz,
  synced_at     timestamptz,
  UNIQUE (kind, external_id)
);

CREATE TABLE broadcasts (
  id           bigserial PRIMARY KEY,
  ref          text UNIQUE,
  status       text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'approved', 'sending', 'done', 'cancelled')),
  kind         text NOT NULL DEFAULT 'cases' CHECK (kind IN ('cases', 'digest')),
  locale       text NOT NULL DEFAULT 'vi',
  caption      text NOT NULL,
  caption_en   text,
  removed      jsonb NOT NULL DEFAULT '[]',
  author_id    text NOT NULL,
  approved_by  text,
  approved_at  timestamptz,
  send_at      timestamptz,
  cancelled_by text,
  created_at   timestamptz NOT NULL DEFAULT now(),
  updated_at   timestamptz NOT NULL DEFAULT now(),
  week_start   date
);

CREATE TABLE broadcast_items (
  broadcast_id bigint NOT NULL REFERENCES broadcasts(id) ON DELETE CASCADE,
  position     smallint NOT NULL,
  report_id    bigint REFERENCES reports(id),
  card_key     text NOT NULL,
  PRIMARY KEY (broadcast_id, position)
);

CREATE TABLE broadcast_deliveries (
  id           bigserial PRIMARY KEY,
  broadcast_id bigint NOT NULL REFERENCES broadcasts(id) ON DELETE CASCADE,
  target_id    bigint NOT NULL REFERENCES broadcast_targets(id),
  state        text NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'sending', 'sent', 'failed', 'uncertain', 'cancelled')),
  platform_id  text,
  link         text,
  error        text,
  attempts     integer NOT NULL DEFAULT 0,
  lease_until  timestamptz,
  updated_at   timestamptz NOT NULL DEFAULT now(),
  UNIQUE (broadcast_id, target_id)
);
CREATE INDEX broadcast_deliveries_open ON broadcast_deliveries (lease_until) WHERE state IN ('sending', 'uncertain', 'pending');
