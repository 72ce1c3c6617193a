-- The outbox: everything the bot sends on its own initiative, written before it is sent.
-- A row is one Bot API call (method + already rendered params) to one chat. The dispatcher
-- claims due rows (pending → sending), sends them and records the outcome (sent / failed).
-- Timestamps are fixed-width UTC text, like in 0001_initial.sql.
CREATE TABLE outbox (
    id              INTEGER PRIMARY KEY,
    chat_id         INTEGER NOT NULL,
    method          TEXT NOT NULL,       -- Bot API method name: sendMessage, editMessageText, ...
    params          TEXT NOT NULL CHECK (json_valid(params) AND json_type(params) = 'object'),
    priority        INTEGER NOT NULL CHECK (priority >= 0),  -- lower goes first
    due_at          TEXT NOT NULL,
    -- expired: reserved for scheduled rows that fell due too long ago to still be useful.
    status          TEXT NOT NULL DEFAULT 'pending'
                    CHECK (status IN ('pending', 'sending', 'sent', 'failed', 'cancelled',
                                      'expired')),
    attempts        INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    next_attempt_at TEXT NOT NULL,       -- due_at at first, later the backoff's retry time
    last_error      TEXT,
    message_id      INTEGER,             -- of the sent message (the first one of an album)
    kind            TEXT NOT NULL,       -- e.g. "notification.lead", for filters and logs
    report_id       INTEGER REFERENCES reports (id) ON DELETE CASCADE,
    dedupe_key      TEXT UNIQUE,         -- scheduling the same key twice is a no-op
    reply_to_row    INTEGER REFERENCES outbox (id) ON DELETE CASCADE,
    created_at      TEXT NOT NULL,
    sent_at         TEXT,                -- when Telegram accepted it
    finished_at     TEXT,                -- when it became sent, failed, cancelled or expired
    CHECK ((status = 'sent') = (sent_at IS NOT NULL)),
    CHECK ((status IN ('pending', 'sending')) = (finished_at IS NULL)),
    CHECK (reply_to_row IS NULL OR reply_to_row < id)
) STRICT;

-- Claiming walks pending rows in priority order and stops after the batch.
CREATE INDEX outbox_queue ON outbox (priority, due_at, id) WHERE status = 'pending';
-- Per chat: its oldest due row goes first, and only one row at a time is in flight.
CREATE INDEX outbox_by_chat ON outbox (chat_id, status, id);
CREATE INDEX outbox_by_report ON outbox (report_id) WHERE report_id IS NOT NULL;
CREATE INDEX outbox_replies ON outbox (reply_to_row) WHERE reply_to_row IS NOT NULL;
CREATE INDEX outbox_waiting_replies ON outbox (reply_to_row)
    WHERE status = 'pending' AND reply_to_row IS NOT NULL;
