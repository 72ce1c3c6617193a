-- Hotspots (reports/hotspots.py): a buurt where one category of nuisance was improbably
-- frequent. One active row per buurt and category at most; an ended one is kept as history for
-- the council report. `announced` is the count of the last message about it.
CREATE TABLE hotspots (
    id          INTEGER PRIMARY KEY,
    buurt_code  TEXT NOT NULL,
    category_id TEXT NOT NULL,
    state       TEXT NOT NULL CHECK (state IN ('active', 'ended')),
    first_seen  TEXT NOT NULL,
    last_seen   TEXT NOT NULL,
    ended_at    TEXT,
    observed    INTEGER NOT NULL,
    expected    REAL NOT NULL,
    p_value     REAL NOT NULL,
    announced   INTEGER NOT NULL
) STRICT;

CREATE UNIQUE INDEX hotspots_active ON hotspots (buurt_code, category_id) WHERE state = 'active';

-- One row per periodic check, claimed before it runs: two processes never check the same
-- period twice (nor send its messages twice).
CREATE TABLE hotspot_checks (
    period     TEXT PRIMARY KEY,
    checked_at TEXT NOT NULL
) STRICT;
