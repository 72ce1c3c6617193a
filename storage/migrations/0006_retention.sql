-- Retention (AVG): the daily job that removes what is kept long enough, and its deletion log.
-- The log says which rule removed what kind of record, when and how many; never what the
-- records said, and no resident's id. It holds no personal data and is kept.

-- One row per run of the retention job; finished_at stays NULL when a run was interrupted.
CREATE TABLE retention_runs (
    id          INTEGER PRIMARY KEY,
    started_at  TEXT NOT NULL,
    finished_at TEXT
) STRICT;

-- What one run removed, per rule, kind of record and way of removal (only counts above zero).
CREATE TABLE deletion_log (
    run_id    INTEGER NOT NULL REFERENCES retention_runs (id),
    rule      TEXT NOT NULL,   -- resident_ids, cancelled_reports, resolved_reports, outbox
    record    TEXT NOT NULL,   -- report, report_photo, report_event, case_message, followup, ...
    removal   TEXT NOT NULL CHECK (removal IN ('deleted', 'anonymised', 'emptied')),
    count     INTEGER NOT NULL CHECK (count > 0),
    period    TEXT NOT NULL,   -- the rule's configured period then, ISO 8601 ("P5Y")
    cutoff    TEXT NOT NULL,   -- records final (or finished) at or before this were due
    logged_at TEXT NOT NULL,   -- when the last of them was removed
    PRIMARY KEY (run_id, rule, record, removal)
) STRICT, WITHOUT ROWID;

-- Deleting an outbox row looks for the follow-up or survey that refers to it.
CREATE INDEX followups_by_outbox ON followups (outbox_id) WHERE outbox_id IS NOT NULL;
CREATE INDEX surveys_by_outbox ON surveys (outbox_id) WHERE outbox_id IS NOT NULL;
-- Finished outbox rows by age, for the outbox rule.
CREATE INDEX outbox_finished ON outbox (finished_at) WHERE finished_at IS NOT NULL;
