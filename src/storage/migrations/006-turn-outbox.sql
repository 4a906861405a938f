-- What a conversation turn says, recorded in the turn's own transaction (with its state changes and
-- its "done" mark) and sent after the commit: a turn replayed after a crash neither repeats nor
-- contradicts what the resident already saw, and a reply not yet sent when the process died is
-- sent after the restart.
CREATE TABLE outbound_messages (
  id               bigserial PRIMARY KEY,
  event_id         bigint NOT NULL REFERENCES inbound_events(id) ON DELETE CASCADE,
  conversation_key text NOT NULL,
  channel          text NOT NULL,
  user_id          text NOT NULL,
  seq              integer NOT NULL,
  op               jsonb NOT NULL,
  status           text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sent', 'failed')),
  attempts         integer NOT NULL DEFAULT 0,
  last_error       text,
  next_attempt_at  timestamptz,
  created_at       timestamptz NOT NULL DEFAULT now(),
  sent_at          timestamptz,
  UNIQUE (event_id, seq)
);
CREATE INDEX outbound_messages_pending ON outbound_messages (conversation_key, id) WHERE status = 'pending';

-- A failed turn is retried with back-off, not at the next poll.
ALTER TABLE inbound_events ADD COLUMN next_attempt_at timestamptz;
