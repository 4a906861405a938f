-- Residents as seen on one channel. Platform ids stay text, exactly as received.
CREATE TABLE residents (
  id                  bigserial PRIMARY KEY,
  channel             text NOT NULL CHECK (channel IN ('messenger', 'zalo')),
  platform_user_id    text NOT NULL,
  locale              text NOT NULL DEFAULT 'vi',
  last_interaction_at timestamptz,
  created_at          timestamptz NOT NULL DEFAULT now(),
  UNIQUE (channel, platform_user_id)
);

-- Every acknowledged webhook event, stored before the 200 goes out and handled from here.
CREATE TABLE inbound_events (
  id               bigserial PRIMARY KEY,
  channel          text NOT NULL,
  dedupe_key       text NOT NULL,
  conversation_key text NOT NULL,
  kind             text NOT NULL,
  body             jsonb NOT NULL,
  status           text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'done', 'failed', 'skipped')),
  attempts         integer NOT NULL DEFAULT 0,
  last_error       text,
  received_at      timestamptz NOT NULL DEFAULT now(),
  handled_at       timestamptz,
  UNIQUE (channel, dedupe_key)
);
CREATE INDEX inbound_events_pending ON inbound_events (conversation_key, id) WHERE status = 'pending';

-- Bottender sessions (conversation state), one row per `<platform>:<user>`.
CREATE TABLE bot_sessions (
  id            text PRIMARY KEY,
  data          jsonb NOT NULL,
  last_activity timestamptz NOT NULL DEFAULT now()
);

-- At most one open report draft per resident; rows are locked (FOR UPDATE) while a turn edits them.
CREATE TABLE report_drafts (
  resident_id bigint PRIMARY KEY REFERENCES residents(id) ON DELETE CASCADE,
  data        jsonb NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now(),
  updated_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE reports (
  id          bigserial PRIMARY KEY,
  code        text NOT NULL UNIQUE,
  resident_id bigint NOT NULL REFERENCES residents(id),
  channel     text NOT NULL,
  category    text NOT NULL,
  description text NOT NULL,
  lat         double precision NOT NULL,
  lng         double precision NOT NULL,
  address     text,
  status      text NOT NULL DEFAULT 'received',
  locale      text NOT NULL DEFAULT 'vi',
  rating      smallint CHECK (rating BETWEEN 1 AND 5),
  created_at  timestamptz NOT NULL DEFAULT now(),
  updated_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX reports_resident ON reports (resident_id, created_at DESC);

CREATE TABLE report_photos (
  report_id  bigint NOT NULL REFERENCES reports(id) ON DELETE CASCADE,
  position   smallint NOT NULL,
  media_key  text NOT NULL,
  thumb_key  text NOT NULL,
  width      integer NOT NULL,
  height     integer NOT NULL,
  PRIMARY KEY (report_id, position)
);

CREATE TABLE report_status_history (
  id         bigserial PRIMARY KEY,
  report_id  bigint NOT NULL REFERENCES reports(id) ON DELETE CASCADE,
  status     text NOT NULL,
  note       text,
  changed_at timestamptz NOT NULL DEFAULT now()
);

-- Processed photos: content-addressed files under DATA_DIR/media, described here.
CREATE TABLE media (
  key          text PRIMARY KEY,
  content_type text NOT NULL,
  bytes        integer NOT NULL,
  width        integer NOT NULL,
  height       integer NOT NULL,
  created_at   timestamptz NOT NULL DEFAULT now()
);
