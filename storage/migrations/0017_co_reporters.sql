-- Residents who said "this is it" to an open report nearby of the same category instead of
-- making a new one (services/followers.py): co-reporters. They see the report in
-- /mijnmeldingen and get its status updates; for an hour after joining, a text or photo they
-- send reaches the lead partner as an addition. Erasure deletes their rows.
CREATE TABLE report_followers (
    report_id    INTEGER NOT NULL REFERENCES reports (id),
    user_id      INTEGER NOT NULL,
    language     TEXT NOT NULL,
    joined_at    TEXT NOT NULL,
    adding_until TEXT,
    PRIMARY KEY (report_id, user_id)
) STRICT;

CREATE INDEX report_followers_by_user ON report_followers (user_id);

-- How many residents joined a report as co-reporters (kept as an anonymous count after
-- erasure); the lead notification shows "+N residents".
ALTER TABLE reports ADD COLUMN co_reporters INTEGER NOT NULL DEFAULT 0;
