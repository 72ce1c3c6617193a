-- Feedback surveys after a report is resolved.

-- One survey per report, asked survey_after_resolution after it was resolved. The question is
-- the outbox row (dedupe key "survey:<report>"); this row keeps the answers with the report's
-- buurt and wijk (copied, so the statistics survive an erased or anonymised report). The only
-- resident text is `comment`; erasure clears it.
-- state: 'pending' (queued or asked, nothing answered), 'reasons' (satisfied answered, a reason
-- is asked), 'unsafe' (how often the resident feels unsafe is asked), 'comment' (the optional
-- free text is awaited), 'done', 'expired' (survey_window passed before it was completed).
CREATE TABLE surveys (
    report_id    INTEGER PRIMARY KEY REFERENCES reports (id) ON DELETE CASCADE,
    outbox_id    INTEGER REFERENCES outbox (id) ON DELETE SET NULL,
    buurt_code   TEXT NOT NULL,
    wijk_code    TEXT NOT NULL,
    state        TEXT NOT NULL DEFAULT 'pending'
                 CHECK (state IN ('pending', 'reasons', 'unsafe', 'comment', 'done', 'expired')),
    satisfied    INTEGER CHECK (satisfied IN (0, 1)),
    reasons      TEXT NOT NULL DEFAULT '[]',  -- JSON list of reason ids
    feels_unsafe TEXT CHECK (feels_unsafe IN ('often', 'sometimes', 'never')),
    comment      TEXT CHECK (comment IS NULL OR length(comment) <= 1000),
    due_at       TEXT NOT NULL,
    expires_at   TEXT NOT NULL,
    sent_at      TEXT,  -- copied from the outbox row when the first answer arrives
    answered_at  TEXT,  -- the latest answer
    CHECK (state = 'pending' OR state = 'expired' OR satisfied IS NOT NULL)
) STRICT;

CREATE INDEX surveys_open ON surveys (expires_at) WHERE state NOT IN ('done', 'expired');
CREATE INDEX surveys_wijk ON surveys (wijk_code);

-- Residents who asked (/tips) for the digest of their wijk every digest_every. The sweep sends
-- the digest of [since, next_at) once next_at has passed and moves both on by one period, in
-- one transaction; the message's dedupe key "digest:<user>:<next_at>" makes it once per period.
-- /tips uit and erasure delete the row.
CREATE TABLE digest_subscriptions (
    user_id       INTEGER PRIMARY KEY,
    wijk_code     TEXT NOT NULL,
    since         TEXT NOT NULL,
    next_at       TEXT NOT NULL,
    subscribed_at TEXT NOT NULL
) STRICT;

CREATE INDEX digest_subscriptions_due ON digest_subscriptions (next_at);
