-- The resident's side, the hand-over queue and content edited in the console.

-- A notice sent under Messenger's ACCOUNT_UPDATE tag or a Zalo ZBS template cannot carry buttons:
-- its question ("is it really fixed?") is parked and asked in the conversation when the resident
-- next writes. 'whole': the notice was not sent at all; 'choices': only its question is owed.
ALTER TABLE deferred_notifications ADD COLUMN part text NOT NULL DEFAULT 'whole' CHECK (part IN ('whole', 'choices'));

-- Hand-over queue: one open request per resident (asking twice is the same request), who closed it
-- ("return to the bot": a staff member, or the resident typing "menu"), and when staff last replied.
UPDATE staff_handovers h SET resolved_at = now()
  WHERE h.resolved_at IS NULL
    AND EXISTS (SELECT 1 FROM staff_handovers o WHERE o.resident_id = h.resident_id AND o.resolved_at IS NULL AND o.id > h.id);
CREATE UNIQUE INDEX staff_handovers_one_open ON staff_handovers (resident_id) WHERE resolved_at IS NULL;
ALTER TABLE staff_handovers
  ADD COLUMN resolved_by_kind text CHECK (resolved_by_kind IN ('resident', 'staff', 'integration', 'system')),
  ADD COLUMN resolved_by_id   text,
  ADD COLUMN last_reply_at    timestamptz;

-- What staff wrote to a resident from the console (the transcript's staff lines).
CREATE TABLE handover_replies (
  id          bigserial PRIMARY KEY,
  handover_id bigint NOT NULL REFERENCES staff_handovers(id) ON DELETE CASCADE,
  resident_id bigint NOT NULL REFERENCES residents(id) ON DELETE CASCADE,
  actor_kind  text NOT NULL,
  actor_id    text NOT NULL,
  body        text NOT NULL,
  sent_at     timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX handover_replies_resident ON handover_replies (resident_id, id);

-- Transcripts read one conversation's events and replies in order, whatever their status.
CREATE INDEX inbound_events_conversation ON inbound_events (conversation_key, id);
CREATE INDEX outbound_messages_conversation ON outbound_messages (conversation_key, id);

-- Content edited in the console, stored over the shipped files of content/ (one row per edited
-- item: 'faq:<slug>', 'city', 'canned:<category>'), and every edit with its before and after.
CREATE TABLE content_overrides (
  key             text PRIMARY KEY,
  value           jsonb NOT NULL,
  updated_by_kind text NOT NULL,
  updated_by_id   text,
  updated_at      timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE content_history (
  id         bigserial PRIMARY KEY,
  key        text NOT NULL,
  -- The effective values before and after the edit (the shipped ones when nothing was stored).
  before     jsonb NOT NULL,
  after      jsonb NOT NULL,
  -- true: the edit went back to the shipped content (the override was removed).
  reverted   boolean NOT NULL DEFAULT false,
  actor_kind text NOT NULL,
  actor_id   text,
  at         timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX content_history_key ON content_history (key, id DESC);
