-- The staff report desk (issue 11): routing proposals, search, the indexes keyset pagination needs
-- on a million reports, internal notes and category edits, result photos uploaded by staff, and the
-- console notices of the daily overdue reminder.

-- Accent- and case-insensitive search text: Vietnamese letters folded to ASCII ("Đường Lê Lợi" →
-- "duong le loi"), so staff find a report however they type. translate() and lower() are
-- immutable, so the column can be generated and indexed.
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE FUNCTION phananh_fold(t text) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT lower(translate(t,
    'AàÀáÁãÃảẢạẠăĂằẰắẮẵẴẳẲặẶâÂầẦấẤẫẪẩẨậẬEèÈéÉẽẼẻẺẹẸêÊềỀếẾễỄểỂệỆIìÌíÍĩĨỉỈịỊOòÒóÓõÕỏỎọỌôÔồỒốỐỗỖổỔộỘơƠờỜớỚỡỠởỞợỢUùÙúÚũŨủỦụỤưƯừỪứỨữỮửỬựỰYỳỲýÝỹỸỷỶỵỴđĐ',
    'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaeeeeeeeeeeeeeeeeeeeeeeeiiiiiiiiiiiooooooooooooooooooooooooooooooooooouuuuuuuuuuuuuuuuuuuuuuuyyyyyyyyyyydd'))
$$;

-- Every report has a due time (filing sets it from the category's SLA); the "due" sort relies on it.
-- A row written without one (a hand-made fixture) gets the default SLA of migration 005.
UPDATE reports SET due_at = created_at + interval '72 hours' WHERE due_at IS NULL;
ALTER TABLE reports ALTER COLUMN due_at SET DEFAULT now() + interval '72 hours', ALTER COLUMN due_at SET NOT NULL;

ALTER TABLE reports
  -- The agency the city's ward × category table proposes at filing (null: the IOC decides by hand).
  ADD COLUMN proposed_agency text,
  ADD COLUMN search text GENERATED ALWAYS AS (phananh_fold(code || ' ' || description || ' ' || coalesce(address, ''))) STORED;

-- Keyset pagination: every sort is (key, id); filters that narrow a lot get their own prefix.
CREATE INDEX reports_created ON reports (created_at, id);
CREATE INDEX reports_updated ON reports (updated_at, id);
CREATE INDEX reports_due ON reports (due_at, id);
CREATE INDEX reports_status_created ON reports (status, created_at, id);
CREATE INDEX reports_category_created ON reports (category, created_at, id);
CREATE INDEX reports_ward_created ON reports (ward, created_at, id);
CREATE INDEX reports_agency_created ON reports (agency, created_at, id);
CREATE INDEX reports_open_due ON reports (due_at, id) WHERE status IN ('received', 'assigned', 'in_progress');
CREATE INDEX reports_reopened_created ON reports (created_at, id) WHERE reopened;
CREATE INDEX reports_search ON reports USING gin (search gin_trgm_ops);
-- Nearby open reports of one category (duplicates): a bounding box on the open ones.
CREATE INDEX reports_open_nearby ON reports (category, lat, lng) WHERE status IN ('received', 'assigned', 'in_progress');

-- Internal notes and category edits: staff only, never shown to the resident, never notified.
-- Kept apart from report_events (the status history the resident's notices are built from).
CREATE TABLE report_notes (
  id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  report_id     bigint NOT NULL REFERENCES reports(id) ON DELETE CASCADE,
  at            timestamptz NOT NULL,
  actor_kind    text NOT NULL CHECK (actor_kind IN ('staff', 'integration', 'system')),
  actor_id      text NOT NULL,
  kind          text NOT NULL CHECK (kind IN ('note', 'category')),
  -- The report's status when the note was written.
  status        text NOT NULL,
  body          text,
  category_from text,
  category_to   text,
  CHECK (kind <> 'note' OR body IS NOT NULL),
  CHECK (kind <> 'category' OR (category_from IS NOT NULL AND category_to IS NOT NULL))
);
CREATE INDEX report_notes_report ON report_notes (report_id, id);

-- Photos staff uploaded (POST /api/staff/v1/photos, the resolve form): only these may become
-- result photos.
CREATE TABLE staff_photo_uploads (
  media_key  text PRIMARY KEY REFERENCES media(key),
  actor_kind text NOT NULL,
  actor_id   text NOT NULL,
  at         timestamptz NOT NULL
);

-- Console notices: the daily overdue reminder, one per agency (null: the IOC's unassigned queue) and day.
CREATE TABLE staff_notices (
  id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  created_at   timestamptz NOT NULL,
  day          date NOT NULL,
  kind         text NOT NULL CHECK (kind IN ('overdue')),
  agency       text,
  total        integer NOT NULL,
  report_codes text[] NOT NULL
);
CREATE UNIQUE INDEX staff_notices_once ON staff_notices (kind, coalesce(agency, ''), day);
CREATE INDEX staff_notices_agency ON staff_notices (agency, day DESC);
