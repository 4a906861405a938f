-- Call-back phone numbers, given only with the resident's consent (Zalo request_user_info),
-- stored apart from reports so a report never carries personal data.
CREATE TABLE resident_contacts (
  resident_id bigint PRIMARY KEY REFERENCES residents(id) ON DELETE CASCADE,
  phone       text,
  name        text,
  consent_at  timestamptz NOT NULL DEFAULT now(),
  updated_at  timestamptz NOT NULL DEFAULT now()
);

-- Status notifications that could not be sent because the messaging window was closed and no
-- template route exists: delivered when the resident writes again.
CREATE TABLE deferred_notifications (
  id           bigserial PRIMARY KEY,
  resident_id  bigint NOT NULL REFERENCES residents(id) ON DELETE CASCADE,
  report_id    bigint NOT NULL REFERENCES reports(id) ON DELETE CASCADE,
  status       text NOT NULL,
  created_at   timestamptz NOT NULL DEFAULT now(),
  delivered_at timestamptz,
  UNIQUE (report_id, status)
);
CREATE INDEX deferred_notifications_pending ON deferred_notifications (resident_id) WHERE delivered_at IS NULL;
