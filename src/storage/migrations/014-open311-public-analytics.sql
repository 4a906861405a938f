-- Issue 13: Open311, the public page of answered reports, analytics and the weekly report.

-- Open311 reports are filed by another system, not a chat resident: each API key files as one
-- pseudo-resident of channel 'open311' (platform_user_id 'api-key:<id>'), so every report keeps a
-- resident and the lifecycle's rules are unchanged. Notices to such a resident are skipped.
ALTER TABLE residents DROP CONSTRAINT IF EXISTS residents_channel_check;
ALTER TABLE residents ADD CONSTRAINT residents_channel_check CHECK (channel IN ('messenger', 'zalo', 'open311'));

-- Public display: true/false is the resident's choice; null means the city's default
-- (`publicSite.publishByDefault` in the city profile). Opted-out reports are listed without photos or text.
ALTER TABLE reports ADD COLUMN IF NOT EXISTS publish boolean;

-- Newest-first public lists and Open311's date windows.
CREATE INDEX IF NOT EXISTS reports_created ON reports (created_at DESC, id DESC);
-- Open311 service request updates by date.
CREATE INDEX IF NOT EXISTS report_events_at ON report_events (at, id);

-- Tokens of Open311 POST requests (GET tokens/{token}); the request itself is created at once.
CREATE TABLE open311_tokens (
  token       text PRIMARY KEY,
  report_id   bigint NOT NULL REFERENCES reports(id) ON DELETE CASCADE,
  api_key_id  bigint REFERENCES staff_api_keys(id) ON DELETE SET NULL,
  created_at  timestamptz NOT NULL
);
CREATE INDEX open311_tokens_report ON open311_tokens (report_id);

-- Updates POSTed by an integration, by the update_id it gave: a retried POST is the same update.
CREATE TABLE open311_updates (
  api_key_id       bigint NOT NULL REFERENCES staff_api_keys(id) ON DELETE CASCADE,
  client_update_id text NOT NULL CHECK (length(client_update_id) BETWEEN 1 AND 200),
  event_id         bigint NOT NULL REFERENCES report_events(id) ON DELETE CASCADE,
  created_at       timestamptz NOT NULL,
  PRIMARY KEY (api_key_id, client_update_id)
);

-- ── Analytics: one row per report, derived from its history (report_events, the one source of
-- truth) by report_facts_source. Triggers keep it current: every history event and every change of a
-- report's routing, SLA or rating recomputes that report's row from its events, in the same
-- transaction. Dashboard queries read this table, not the whole history.
CREATE VIEW report_facts_source AS
SELECT r.id AS report_id,
       COALESCE(min(e.at) FILTER (WHERE e.from_status IS NULL), r.created_at) AS received_at,
       r.category,
       r.ward,
       r.agency,
       r.channel,
       r.due_at,
       -- First response: the first move out of `received` made by staff or an integration.
       min(e.at) FILTER (WHERE e.from_status = 'received' AND e.actor_kind IN ('staff', 'integration')) AS first_response_at,
       min(e.at) FILTER (WHERE e.to_status = 'resolved') AS first_resolved_at,
       -- First answer of any kind (resolved, rejected, duplicate): what the SLA asks for.
       min(e.at) FILTER (WHERE e.to_status IN ('resolved', 'rejected', 'duplicate')) AS answered_at,
       max(e.at) FILTER (WHERE e.to_status = 'closed') AS closed_at,
       (count(e.id) FILTER (WHERE e.from_status = 'resolved' AND e.to_status = 'in_progress'))::integer AS reopen_count,
       r.rating,
       r.status
  FROM reports r
  LEFT JOIN report_events e ON e.report_id = r.id
 GROUP BY r.id;

CREATE TABLE report_facts (
  report_id          bigint PRIMARY KEY REFERENCES reports(id) ON DELETE CASCADE,
  received_at        timestamptz NOT NULL,
  category           text NOT NULL,
  ward               text,
  agency             text,
  channel            text NOT NULL,
  due_at             timestamptz,
  first_response_at  timestamptz,
  first_resolved_at  timestamptz,
  answered_at        timestamptz,
  closed_at          timestamptz,
  reopen_count       integer NOT NULL,
  rating             smallint,
  status             text NOT NULL
);
CREATE INDEX report_facts_received ON report_facts (received_at);
CREATE INDEX report_facts_resolved ON report_facts (first_resolved_at) WHERE first_resolved_at IS NOT NULL;
CREATE INDEX report_facts_response ON report_facts (first_response_at) WHERE first_response_at IS NOT NULL;
CREATE INDEX report_facts_due ON report_facts (due_at);
CREATE INDEX report_facts_closed ON report_facts (closed_at) WHERE rating IS NOT NULL;

CREATE FUNCTION report_facts_refresh(p_report bigint) RETURNS void LANGUAGE sql AS $$
  INSERT INTO report_facts SELECT * FROM report_facts_source WHERE report_id = p_report
  ON CONFLICT (report_id) DO UPDATE SET
    received_at = EXCLUDED.received_at, category = EXCLUDED.category, ward = EXCLUDED.ward,
    agency = EXCLUDED.agency, channel = EXCLUDED.channel, due_at = EXCLUDED.due_at,
    first_response_at = EXCLUDED.first_response_at, first_resolved_at = EXCLUDED.first_resolved_at,
    answered_at = EXCLUDED.answered_at, closed_at = EXCLUDED.closed_at,
    reopen_count = EXCLUDED.reopen_count, rating = EXCLUDED.rating, status = EXCLUDED.status;
$$;

CREATE FUNCTION report_facts_on_event() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM report_facts_refresh(NEW.report_id);
  RETURN NULL;
END $$;

CREATE FUNCTION report_facts_on_report() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  -- A report gets its row with its first event; later changes of its attributes refresh it.
  IF EXISTS (SELECT 1 FROM report_facts WHERE report_id = NEW.id) THEN
    PERFORM report_facts_refresh(NEW.id);
  END IF;
  RETURN NULL;
END $$;

CREATE TRIGGER report_events_facts AFTER INSERT ON report_events
  FOR EACH ROW EXECUTE FUNCTION report_facts_on_event();
CREATE TRIGGER reports_facts AFTER UPDATE OF category, ward, agency, channel, due_at, rating ON reports
  FOR EACH ROW EXECUTE FUNCTION report_facts_on_report();

INSERT INTO report_facts SELECT * FROM report_facts_source;

-- The weekly report to the People's Committee: figures of one week (Monday to Sunday, city time),
-- stored by the Monday job (or by a staff user) and listed in the console.
CREATE TABLE weekly_reports (
  week_start    date PRIMARY KEY,
  figures       jsonb NOT NULL,
  generated_at  timestamptz NOT NULL,
  generated_by  text NOT NULL
);
