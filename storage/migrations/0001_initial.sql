-- Meldbot's first schema: residents, drafts, reports with photos, reference counters.
-- Timestamps are UTC ISO 8601 text with microseconds ("2026-03-01T09:30:00.000000+00:00"),
-- fixed width, so comparing the text compares the instants.
-- No names or phone numbers are stored anywhere: residents are Telegram ids only.

-- A resident's preferences; a row exists only once they chose something.
CREATE TABLE residents (
    user_id    INTEGER PRIMARY KEY,
    language   TEXT,                -- NULL: no explicit choice, follow Telegram's language
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
) STRICT;

-- The report a resident is composing: one per resident, the whole Draft as JSON.
CREATE TABLE drafts (
    user_id    INTEGER PRIMARY KEY,
    data       TEXT NOT NULL CHECK (json_valid(data)),
    updated_at TEXT NOT NULL        -- copy of the draft's updated_at, for expiry sweeps
) STRICT;

CREATE INDEX drafts_by_updated_at ON drafts (updated_at);

-- Committed reports. user_id and chat_id are NULL once the resident had their data erased.
CREATE TABLE reports (
    id              INTEGER PRIMARY KEY,
    reference       TEXT NOT NULL UNIQUE,
    user_id         INTEGER,
    chat_id         INTEGER,
    language        TEXT NOT NULL,
    category_id     TEXT NOT NULL,
    buurt_code      TEXT NOT NULL,
    buurt_name      TEXT NOT NULL,
    wijk_code       TEXT NOT NULL,
    wijk_name       TEXT NOT NULL,
    latitude        REAL,
    longitude       REAL,
    location_source TEXT NOT NULL,
    location_label  TEXT,
    description     TEXT NOT NULL,
    timing          TEXT NOT NULL,
    contact_allowed INTEGER NOT NULL CHECK (contact_allowed IN (0, 1)),
    status          TEXT NOT NULL,
    created_at      TEXT NOT NULL,
    CHECK ((latitude IS NULL) = (longitude IS NULL)),
    CHECK ((user_id IS NULL) = (chat_id IS NULL))
) STRICT;

CREATE INDEX reports_by_user ON reports (user_id, created_at);
CREATE INDEX reports_by_wijk ON reports (wijk_code, created_at);
CREATE INDEX reports_by_buurt ON reports (buurt_code);
CREATE INDEX reports_by_status ON reports (status);
CREATE INDEX reports_by_category ON reports (category_id);

-- Telegram file ids of a report's photos, in the order the resident sent them.
CREATE TABLE report_photos (
    report_id INTEGER NOT NULL REFERENCES reports (id) ON DELETE CASCADE,
    position  INTEGER NOT NULL CHECK (position >= 0),
    file_id   TEXT NOT NULL,
    PRIMARY KEY (report_id, position)
) STRICT, WITHOUT ROWID;

-- The last reference number handed out per prefix and year ("ENS", 2026) -> 42.
CREATE TABLE reference_counters (
    prefix      TEXT NOT NULL,
    year        INTEGER NOT NULL,
    last_number INTEGER NOT NULL CHECK (last_number >= 1),
    PRIMARY KEY (prefix, year)
) STRICT, WITHOUT ROWID;
