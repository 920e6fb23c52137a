-- The console's request-log page (issue 15, bench/console/run.sh): an organization's newest calls
-- and the chart over a time range read this index alone (organization, time, and the two columns
-- the chart sums), instead of every row of the range with its request and response text.
CREATE INDEX request_log_org_time ON request_log (organization_id, at_ms, outcome, duration_ms);
