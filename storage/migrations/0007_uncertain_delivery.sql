-- As close to exactly-once as the Bot API allows (see storage/delivery.py).
-- A call whose outcome is unknown (the process died mid-request, the answer timed out, the
-- connection dropped, Telegram answered 5xx) may have delivered its message; the row becomes
-- uncertain, and each later copy is sent marked as a possible repeat and counted.

-- Set in its own commit right before the request goes on the wire, cleared with its outcome:
-- a row still 'sending' with this set was interrupted mid-request; without it, before.
ALTER TABLE outbox ADD COLUMN request_started_at TEXT;
-- 1 once an attempt that creates a message ended without a known outcome; never cleared.
ALTER TABLE outbox ADD COLUMN uncertain INTEGER NOT NULL DEFAULT 0 CHECK (uncertain IN (0, 1));
-- How many copies were sent (requests started) while an earlier one may have arrived.
ALTER TABLE outbox ADD COLUMN uncertain_resends INTEGER NOT NULL DEFAULT 0
    CHECK (uncertain_resends >= 0);

-- A button press on a copy whose message id was never learnt is traced through this.
CREATE INDEX outbox_uncertain ON outbox (chat_id, report_id) WHERE uncertain = 1;
