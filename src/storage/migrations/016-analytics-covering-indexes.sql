-- The dashboard's charts read ranges of report_facts by one time column and group by ward,
-- category, agency or channel (scoped by agency or ward for agency users). With those columns in
-- the index, a chart is an index-only scan of its range: over a year of a large city (half a million
-- reports) the heap is not touched once autovacuum has marked the pages all-visible.
DROP INDEX IF EXISTS report_facts_received;
DROP INDEX IF EXISTS report_facts_resolved;
DROP INDEX IF EXISTS report_facts_response;
DROP INDEX IF EXISTS report_facts_due;
DROP INDEX IF EXISTS report_facts_closed;
CREATE INDEX report_facts_received ON report_facts (received_at) INCLUDE (ward, category, agency, channel);
CREATE INDEX report_facts_resolved ON report_facts (first_resolved_at) INCLUDE (received_at, ward, category, agency, channel, reopen_count) WHERE first_resolved_at IS NOT NULL;
CREATE INDEX report_facts_response ON report_facts (first_response_at) INCLUDE (received_at, ward, agency) WHERE first_response_at IS NOT NULL;
CREATE INDEX report_facts_due ON report_facts (due_at) INCLUDE (answered_at, ward, category, agency, channel);
CREATE INDEX report_facts_closed ON report_facts (closed_at) INCLUDE (rating, ward, agency) WHERE rating IS NOT NULL;
-- Small tables get their visibility map from autovacuum sooner.
ALTER TABLE report_facts SET (autovacuum_vacuum_scale_factor = 0.02, autovacuum_analyze_scale_factor = 0.02);
