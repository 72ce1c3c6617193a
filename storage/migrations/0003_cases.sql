-- Cases: who handles a report, which messages in partner chats belong to it, what happened.

-- The handling of a report lives on the report row itself.
ALTER TABLE reports ADD COLUMN lead_partner TEXT;      -- partner id that must act
ALTER TABLE reports ADD COLUMN routing_rule TEXT;      -- rule id that decided, or 'fallback'
ALTER TABLE reports ADD COLUMN claimed_by INTEGER;     -- caseworker's Telegram user id
ALTER TABLE reports ADD COLUMN claimed_by_name TEXT;   -- caseworker's Telegram first name
ALTER TABLE reports ADD COLUMN claimed_at TEXT;
ALTER TABLE reports ADD COLUMN due_at TEXT;            -- claim before this (response target)
ALTER TABLE reports ADD COLUMN reminded_at TEXT;       -- reminder sent to the partner chat
ALTER TABLE reports ADD COLUMN escalated_at TEXT;      -- notice sent to the coordinator chat
ALTER TABLE reports ADD COLUMN resolved_at TEXT;
ALTER TABLE reports ADD COLUMN closing_text TEXT;      -- what the resident was told at the end

CREATE INDEX reports_by_lead ON reports (lead_partner, status, created_at);
CREATE INDEX reports_open_due ON reports (due_at)
    WHERE status IN ('routed', 'reopened') AND escalated_at IS NULL;

-- Partner chats linked with /koppel; they override the chat ids of the configuration.
CREATE TABLE partner_links (
    partner_id TEXT PRIMARY KEY,
    chat_id    INTEGER NOT NULL UNIQUE,
    linked_by  INTEGER NOT NULL,
    linked_at  TEXT NOT NULL
) STRICT;

-- Messages in partner chats (and questions in residents' chats) that belong to a report, so
-- that a button press or a reply can be traced back to it. A message sent through the outbox
-- is found through its outbox row; one sent directly carries its message id.
CREATE TABLE case_messages (
    id         INTEGER PRIMARY KEY,
    report_id  INTEGER NOT NULL REFERENCES reports (id) ON DELETE CASCADE,
    partner_id TEXT NOT NULL,
    role       TEXT NOT NULL,     -- lead, inform, coordinator, question, answer, prompt, ...
    chat_id    INTEGER NOT NULL,
    outbox_id  INTEGER REFERENCES outbox (id) ON DELETE CASCADE,
    message_id INTEGER,
    action     TEXT,              -- for prompts: the action the typed reply completes
    user_id    INTEGER,           -- for prompts: who was asked to type
    created_at TEXT NOT NULL,
    CHECK ((outbox_id IS NULL) <> (message_id IS NULL))
) STRICT;

CREATE INDEX case_messages_by_report ON case_messages (report_id, role);
CREATE INDEX case_messages_by_outbox ON case_messages (outbox_id) WHERE outbox_id IS NOT NULL;
CREATE INDEX case_messages_by_message ON case_messages (chat_id, message_id)
    WHERE message_id IS NOT NULL;

-- The audit trail: who did what to a report, and when.
CREATE TABLE report_events (
    id          INTEGER PRIMARY KEY,
    report_id   INTEGER NOT NULL REFERENCES reports (id) ON DELETE CASCADE,
    at          TEXT NOT NULL,
    actor       TEXT NOT NULL,    -- resident, caseworker, coordinator, system
    actor_id    INTEGER,          -- Telegram user id of a caseworker (never of the resident)
    partner_id  TEXT,
    action      TEXT NOT NULL,
    from_status TEXT,
    to_status   TEXT,
    detail      TEXT
) STRICT;

CREATE INDEX report_events_by_report ON report_events (report_id, at);
