-- Co-reporters get follow-up questions and a survey of their own (issue 13).
--
-- A respondent is who is asked: 0 is the resident who made the report, n >= 1 is the report's
-- co-reporter in seat n. Seats number a report's co-reporters 1, 2, 3 ... in the order they
-- joined and are never reused (a new seat is the report's co_reporters count, which only
-- grows), so a co-reporter who erased their data leaves anonymous answers under a seat that
-- nobody holds any more. Follow-ups and surveys keep the seat, never the user id.

ALTER TABLE report_followers ADD COLUMN seat INTEGER CHECK (seat >= 1);

UPDATE report_followers SET seat = (
    SELECT count(*) FROM report_followers AS earlier
    WHERE earlier.report_id = report_followers.report_id
    AND (earlier.joined_at, earlier.user_id)
        <= (report_followers.joined_at, report_followers.user_id)
);

CREATE UNIQUE INDEX report_followers_seat ON report_followers (report_id, seat);

CREATE TABLE followups_by_respondent (
    report_id      INTEGER NOT NULL REFERENCES reports (id) ON DELETE CASCADE,
    respondent     INTEGER NOT NULL DEFAULT 0 CHECK (respondent >= 0),
    number         INTEGER NOT NULL CHECK (number >= 1),
    outbox_id      INTEGER REFERENCES outbox (id) ON DELETE SET NULL,
    due_at         TEXT NOT NULL,
    answer         TEXT CHECK (answer IN ('ongoing', 'solved', 'more')),
    answered_at    TEXT,
    awaiting_until TEXT,
    PRIMARY KEY (report_id, respondent, number),
    CHECK ((answer IS NULL) = (answered_at IS NULL)),
    CHECK (awaiting_until IS NULL OR answer = 'more')
) STRICT, WITHOUT ROWID;

INSERT INTO followups_by_respondent (report_id, respondent, number, outbox_id, due_at, answer,
    answered_at, awaiting_until)
SELECT report_id, 0, number, outbox_id, due_at, answer, answered_at, awaiting_until
FROM followups;

DROP TABLE followups;
ALTER TABLE followups_by_respondent RENAME TO followups;

CREATE INDEX followups_awaiting ON followups (awaiting_until) WHERE awaiting_until IS NOT NULL;
CREATE INDEX followups_by_outbox ON followups (outbox_id) WHERE outbox_id IS NOT NULL;
CREATE INDEX followups_by_answered ON followups (answered_at);

CREATE TABLE surveys_by_respondent (
    report_id    INTEGER NOT NULL REFERENCES reports (id) ON DELETE CASCADE,
    respondent   INTEGER NOT NULL DEFAULT 0 CHECK (respondent >= 0),
    outbox_id    INTEGER REFERENCES outbox (id) ON DELETE SET NULL,
    buurt_code   TEXT NOT NULL,
    wijk_code    TEXT NOT NULL,
    state        TEXT NOT NULL DEFAULT 'pending'
                 CHECK (state IN ('pending', 'reasons', 'unsafe', 'comment', 'done', 'expired')),
    satisfied    INTEGER CHECK (satisfied IN (0, 1)),
    reasons      TEXT NOT NULL DEFAULT '[]',
    feels_unsafe TEXT CHECK (feels_unsafe IN ('often', 'sometimes', 'never')),
    comment      TEXT CHECK (comment IS NULL OR length(comment) <= 1000),
    due_at       TEXT NOT NULL,
    expires_at   TEXT NOT NULL,
    sent_at      TEXT,
    answered_at  TEXT,
    PRIMARY KEY (report_id, respondent),
    CHECK (state = 'pending' OR state = 'expired' OR satisfied IS NOT NULL)
) STRICT;

INSERT INTO surveys_by_respondent (report_id, respondent, outbox_id, buurt_code, wijk_code,
    state, satisfied, reasons, feels_unsafe, comment, due_at, expires_at, sent_at, answered_at)
SELECT report_id, 0, outbox_id, buurt_code, wijk_code, state, satisfied, reasons, feels_unsafe,
    comment, due_at, expires_at, sent_at, answered_at
FROM surveys;

DROP TABLE surveys;
ALTER TABLE surveys_by_respondent RENAME TO surveys;

CREATE INDEX surveys_open ON surveys (expires_at) WHERE state NOT IN ('done', 'expired');
CREATE INDEX surveys_wijk ON surveys (wijk_code);
CREATE INDEX surveys_by_outbox ON surveys (outbox_id) WHERE outbox_id IS NOT NULL;
CREATE INDEX surveys_by_answered ON surveys (answered_at);
