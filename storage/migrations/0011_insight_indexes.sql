-- The council statistics (services/insight.py) read every figure through an index, so that no
-- statistics query scans a table while residents are answered.

-- Reports of a period, with everything the counts group by (a covering index).
CREATE INDEX reports_by_created ON reports
    (created_at, wijk_code, buurt_code, category_id, lead_partner, status);
-- Reports resolved in a month (the trend).
CREATE INDEX reports_by_resolved ON reports (resolved_at) WHERE resolved_at IS NOT NULL;
-- Surveys and follow-ups answered in a period.
CREATE INDEX surveys_by_answered ON surveys (answered_at);
CREATE INDEX followups_by_answered ON followups (answered_at);
-- Forwarded, "not ours" and reopened reports, and the first claim of a report.
CREATE INDEX report_events_by_action ON report_events (action, report_id, at);
