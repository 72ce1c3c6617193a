-- Follow-ups ("is it still going on?") and residents' control over proactive messages.

-- How often the resident said the nuisance was still going on (recurring nuisance is data too).
ALTER TABLE reports ADD COLUMN recurrence_count INTEGER NOT NULL DEFAULT 0
    CHECK (recurrence_count >= 0);

-- Proactive messages (follow-ups, surveys, tips, digests) are off for a resident when set:
-- 'stop' (they sent /stop or pressed the stop button; /start undoes it) or 'blocked' (Telegram
-- refused a message with 403; writing to the bot again undoes it).
ALTER TABLE residents ADD COLUMN proactive_off TEXT CHECK (proactive_off IN ('stop', 'blocked'));
ALTER TABLE residents ADD COLUMN proactive_off_at TEXT;

-- One row per follow-up question of a report, numbered 1, 2, 3 ... The question itself is the
-- outbox row (dedupe key "followup:<report>:<number>"); this row keeps the answer. outbox_id is
-- cleared when a resident's erasure deletes the message, keeping the answer as an anonymous
-- count with the anonymised report.
CREATE TABLE followups (
    report_id      INTEGER NOT NULL REFERENCES reports (id) ON DELETE CASCADE,
    number         INTEGER NOT NULL CHECK (number >= 1),
    outbox_id      INTEGER REFERENCES outbox (id) ON DELETE SET NULL,
    due_at         TEXT NOT NULL,
    answer         TEXT CHECK (answer IN ('ongoing', 'solved', 'more')),
    answered_at    TEXT,
    -- For 'more': the resident's next text or photo is added to the report until this moment,
    -- and the column is cleared once it was.
    awaiting_until TEXT,
    PRIMARY KEY (report_id, number),
    CHECK ((answer IS NULL) = (answered_at IS NULL)),
    CHECK (awaiting_until IS NULL OR answer = 'more')
) STRICT, WITHOUT ROWID;

CREATE INDEX followups_awaiting ON followups (awaiting_until) WHERE awaiting_until IS NOT NULL;
