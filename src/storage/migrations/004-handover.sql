-- Conversations a resident asked to hand to a person (Zalo has no handover protocol: staff see
-- these flags; on Messenger the thread is also passed to the Page Inbox).
CREATE TABLE staff_handovers (
  id          bigserial PRIMARY KEY,
  resident_id bigint NOT NULL REFERENCES residents(id) ON DELETE CASCADE,
  channel     text NOT NULL,
  reason      text NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now(),
  resolved_at timestamptz
);
CREATE INDEX staff_handovers_open ON staff_handovers (created_at) WHERE resolved_at IS NULL;
