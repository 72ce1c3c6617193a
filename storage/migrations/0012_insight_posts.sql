-- The monthly council report posted to the coordinator group: one row per month, claimed before
-- the post (a failed post removes its row again), so a month is posted at most once, also when
-- several bot processes start the job at the same moment.
CREATE TABLE insight_posts (
    month TEXT PRIMARY KEY,   -- 'YYYY-MM', the month the report covers
    claimed_at TEXT NOT NULL
);
