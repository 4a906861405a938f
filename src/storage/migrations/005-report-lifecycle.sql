-- The report lifecycle: routing, SLA, resolution, reopening and rating fields, and one history
-- table for every change (actor, time, from, to, public and internal notes).
ALTER TABLE reports
  ADD COLUMN agency         text,
  ADD COLUMN ward           text,
  ADD COLUMN due_at         timestamptz,
  ADD COLUMN resolved_at    timestamptz,
  ADD COLUMN closed_at      timestamptz,
  ADD COLUMN reopened       boolean NOT NULL DEFAULT false,
  ADD COLUMN reopen_count   integer NOT NULL DEFAULT 0,
  ADD COLUMN rating_comment text,
  ADD COLUMN public_reply   text,
  ADD COLUMN duplicate_of   text;
UPDATE reports SET due_at = created_at + interval '72 hours' WHERE due_at IS NULL;
ALTER TABLE reports
  ADD CONSTRAINT reports_status_known CHECK (status IN ('received', 'assigned', 'in_progress', 'resolved', 'rejected', 'duplicate', 'closed'));

ALTER TABLE report_status_history RENAME TO report_events;
ALTER TABLE report_events RENAME COLUMN status TO to_status;
ALTER TABLE report_events RENAME COLUMN note TO public_note;
ALTER TABLE report_events RENAME COLUMN changed_at TO at;
ALTER TABLE report_events
  ADD COLUMN from_status   text,
  ADD COLUMN actor_kind    text NOT NULL DEFAULT 'system' CHECK (actor_kind IN ('resident', 'staff', 'integration', 'system')),
  ADD COLUMN actor_id      text,
  ADD COLUMN internal_note text;
-- The first event of every existing report was its filing by the resident.
UPDATE report_events e SET actor_kind = 'resident', actor_id = r.resident_id::text
  FROM reports r WHERE r.id = e.report_id AND e.to_status = 'received' AND e.from_status IS NULL;
CREATE INDEX report_events_report ON report_events (report_id, id);
ALTER INDEX IF EXISTS report_status_history_pkey RENAME TO report_events_pkey;

-- Resident photos and result photos of the resolution, in one table.
ALTER TABLE report_photos ADD COLUMN kind text NOT NULL DEFAULT 'resident' CHECK (kind IN ('resident', 'result'));
ALTER TABLE report_photos DROP CONSTRAINT report_photos_pkey;
ALTER TABLE report_photos ADD PRIMARY KEY (report_id, kind, position);

-- A processed photo knows its thumbnail, so an id is enough to attach it to a report.
ALTER TABLE media ADD COLUMN thumb_key text;

-- Parked notifications are one per history event (a report can be in progress twice).
ALTER TABLE deferred_notifications ADD COLUMN event_id bigint REFERENCES report_events(id) ON DELETE CASCADE;
ALTER TABLE deferred_notifications DROP CONSTRAINT deferred_notifications_report_id_status_key;
CREATE UNIQUE INDEX deferred_notifications_event ON deferred_notifications (event_id);
