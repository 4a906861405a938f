-- The dashboard's counts per city week, kept beside report_facts so a chart over a year sums a few
-- thousand rows per week instead of reading every report: per (week, ward, category, agency,
-- channel) the reports received, first resolved, and due but not answered in time ("late", which
-- becomes "overdue" once the due time has passed). Weeks start on Monday 00:00 in the city's time
-- zone (analytics_settings, set by the app at start-up; a change rebuilds the table). Counts that
-- depend on the present moment (the current week's overdue) are still read from report_facts.

CREATE TABLE analytics_settings (
  only_row  boolean PRIMARY KEY DEFAULT true CHECK (only_row),
  time_zone text NOT NULL
);
INSERT INTO analytics_settings (time_zone) VALUES ('Asia/Ho_Chi_Minh');

CREATE TABLE report_weeks (
  week      date NOT NULL,
  ward      text NOT NULL DEFAULT '',
  category  text NOT NULL,
  agency    text NOT NULL DEFAULT '',
  channel   text NOT NULL,
  received  integer NOT NULL DEFAULT 0,
  resolved  integer NOT NULL DEFAULT 0,
  late      integer NOT NULL DEFAULT 0,
  PRIMARY KEY (week, ward, category, agency, channel)
);

-- Adds (sign = 1) or removes (sign = -1) one report_facts row's contributions.
CREATE FUNCTION report_weeks_apply(f report_facts, sign integer, tz text) RETURNS void AS $$
BEGIN
  INSERT INTO report_weeks AS w (week, ward, category, agency, channel, received)
  VALUES ((date_trunc('week', f.received_at AT TIME ZONE tz))::date, coalesce(f.ward, ''), f.category, coalesce(f.agency, ''), f.channel, sign)
  ON CONFLICT (week, ward, category, agency, channel) DO UPDATE SET received = w.received + EXCLUDED.received;
  IF f.first_resolved_at IS NOT NULL THEN
    INSERT INTO report_weeks AS w (week, ward, category, agency, channel, resolved)
    VALUES ((date_trunc('week', f.first_resolved_at AT TIME ZONE tz))::date, coalesce(f.ward, ''), f.category, coalesce(f.agency, ''), f.channel, sign)
    ON CONFLICT (week, ward, category, agency, channel) DO UPDATE SET resolved = w.resolved + EXCLUDED.resolved;
  END IF;
  IF f.due_at IS NOT NULL AND (f.answered_at IS NULL OR f.answered_at > f.due_at) THEN
    INSERT INTO report_weeks AS w (week, ward, category, agency, channel, late)
    VALUES ((date_trunc('week', f.due_at AT TIME ZONE tz))::date, coalesce(f.ward, ''), f.category, coalesce(f.agency, ''), f.channel, sign)
    ON CONFLICT (week, ward, category, agency, channel) DO UPDATE SET late = w.late + EXCLUDED.late;
  END IF;
END
$$ LANGUAGE plpgsql;

CREATE FUNCTION report_weeks_sync() RETURNS trigger AS $$
DECLARE
  tz text := (SELECT time_zone FROM analytics_settings);
BEGIN
  IF TG_OP = 'UPDATE'
     AND OLD.received_at = NEW.received_at AND OLD.first_resolved_at IS NOT DISTINCT FROM NEW.first_resolved_at
     AND OLD.due_at IS NOT DISTINCT FROM NEW.due_at AND OLD.answered_at IS NOT DISTINCT FROM NEW.answered_at
     AND OLD.ward IS NOT DISTINCT FROM NEW.ward AND OLD.agency IS NOT DISTINCT FROM NEW.agency
     AND OLD.category = NEW.category AND OLD.channel = NEW.channel THEN
    RETURN NULL;
  END IF;
  IF TG_OP IN ('UPDATE', 'DELETE') THEN PERFORM report_weeks_apply(OLD, -1, tz); END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') THEN PERFORM report_weeks_apply(NEW, 1, tz); END IF;
  RETURN NULL;
END
$$ LANGUAGE plpgsql;

CREATE TRIGGER report_facts_weeks AFTER INSERT OR UPDATE OR DELETE ON report_facts
  FOR EACH ROW EXECUTE FUNCTION report_weeks_sync();

-- The whole table again from report_facts (a new time zone, a bulk load with the trigger off).
CREATE FUNCTION report_weeks_rebuild() RETURNS void AS $$
DECLARE
  tz text := (SELECT time_zone FROM analytics_settings);
BEGIN
  DELETE FROM report_weeks;
  INSERT INTO report_weeks (week, ward, category, agency, channel, received, resolved, late)
  SELECT week, ward, category, agency, channel, sum(rec), sum(res), sum(lt)
    FROM (
      SELECT (date_trunc('week', received_at AT TIME ZONE tz))::date AS week, coalesce(ward, '') AS ward, category, coalesce(agency, '') AS agency, channel, 1 AS rec, 0 AS res, 0 AS lt
        FROM report_facts
      UNION ALL
      SELECT (date_trunc('week', first_resolved_at AT TIME ZONE tz))::date, coalesce(ward, ''), category, coalesce(agency, ''), channel, 0, 1, 0
        FROM report_facts WHERE first_resolved_at IS NOT NULL
      UNION ALL
      SELECT (date_trunc('week', due_at AT TIME ZONE tz))::date, coalesce(ward, ''), category, coalesce(agency, ''), channel, 0, 0, 1
        FROM report_facts WHERE due_at IS NOT NULL AND (answered_at IS NULL OR answered_at > due_at)
    ) x
   GROUP BY week, ward, category, agency, channel;
END
$$ LANGUAGE plpgsql;

SELECT report_weeks_rebuild();
