-- The inbox: every update from Telegram, stored before it is acknowledged (the next getUpdates
-- offset, or the 200 answer to a webhook call). Handlers work from here; an update's effects
-- and its `applied` mark commit in one transaction, and after a restart every update that was
-- not done is handled again. The update's JSON (`body`) is removed once it is done or parked
-- long enough; the row itself stays a while so that a repeated delivery is recognised.
CREATE TABLE inbox (
    update_id   INTEGER PRIMARY KEY,
    body        TEXT CHECK (body IS NULL OR json_valid(body)),
    chat_id     INTEGER,          -- the chat it came from, to keep one chat's updates in order
    state       TEXT NOT NULL DEFAULT 'new'
                CHECK (state IN ('new', 'applied', 'done', 'parked')),
    attempts    INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    last_error  TEXT,             -- the kind of failure only (an exception's class), no content
    received_at TEXT NOT NULL,
    next_try_at TEXT,             -- a failed update is tried again from this moment
    finished_at TEXT              -- when it became done or parked
) STRICT;

-- The updates still to handle, oldest first.
CREATE INDEX inbox_open ON inbox (update_id) WHERE state IN ('new', 'applied');
-- Finished rows by age, for the retention job.
CREATE INDEX inbox_finished ON inbox (finished_at) WHERE finished_at IS NOT NULL;
