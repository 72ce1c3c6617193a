-- The neighbourhood panel (buurtpanel, services/panel.py): residents who agreed to a short
-- question every round (a quarter by default) about how often they feel unsafe in their own
-- buurt. A member's row holds only what the next question needs: their buurt (and its wijk)
-- and the language to ask in. Leaving (/panel uit, /stop, a block) and erasure delete it.
CREATE TABLE panel_members (
    user_id   INTEGER PRIMARY KEY,
    buurt_code TEXT NOT NULL,
    wijk_code  TEXT NOT NULL,
    language   TEXT NOT NULL,
    joined_at  TEXT NOT NULL
) STRICT;

CREATE INDEX panel_members_by_wijk ON panel_members (wijk_code);

-- One row per member and round, made in the transaction that queues that round's question
-- (dedupe key "panel:<round>:<user>"): the primary key makes the question once per member
-- per round, however many processes sweep. `state` follows the member's answer: 'asked',
-- then 'cause' (often or sometimes: the optional follow-up is open), 'cause_text' (they chose
-- to type it), 'done'; 'rebuurt' when their buurt no longer exists and they were asked to
-- choose again. No row links a member to an answer: answers and causes are stored apart.
-- Leaving deletes the member's rows of earlier rounds; the current round's row stays (without
-- its state) so that leaving and joining again does not ask twice in one round; erasure
-- deletes all.
CREATE TABLE panel_invitations (
    round      TEXT NOT NULL,
    user_id    INTEGER NOT NULL,
    state      TEXT NOT NULL CHECK (state IN ('asked', 'cause', 'cause_text', 'done', 'rebuurt', 'left')),
    outbox_id  INTEGER,
    PRIMARY KEY (round, user_id)
) STRICT;

CREATE INDEX panel_invitations_by_user ON panel_invitations (user_id);

-- The answers, anonymous: round, buurt and wijk (copied from the member when they answered)
-- and the answer. No user id, no time: nothing ties an answer to a member.
CREATE TABLE panel_answers (
    id         INTEGER PRIMARY KEY,
    round      TEXT NOT NULL,
    buurt_code TEXT NOT NULL,
    wijk_code  TEXT NOT NULL,
    answer     TEXT NOT NULL CHECK (answer IN ('often', 'sometimes', 'never'))
) STRICT;

CREATE INDEX panel_answers_by_round ON panel_answers (round, wijk_code);

-- What makes members who feel unsafe (often or sometimes) feel so: a cause from the list or a
-- short typed text, with the round, buurt and wijk; as anonymous as the answers, and not tied
-- to an answer either.
CREATE TABLE panel_causes (
    id         INTEGER PRIMARY KEY,
    round      TEXT NOT NULL,
    buurt_code TEXT NOT NULL,
    wijk_code  TEXT NOT NULL,
    cause      TEXT NOT NULL,
    typed      TEXT
) STRICT;

CREATE INDEX panel_causes_by_round ON panel_causes (round, wijk_code);

-- Residents who were offered the panel after a report (once, ever) and what they said:
-- 'offered', 'declined' (never offered again) or 'interested'. /panel in /help stays open to
-- everyone. Erasure deletes the row. `pending_until`: the resident opened /panel and may
-- share a pin to find their buurt until then (the pin is used for that and discarded).
CREATE TABLE panel_contacts (
    user_id       INTEGER PRIMARY KEY,
    offer         TEXT CHECK (offer IN ('offered', 'declined', 'interested')),
    pending_until TEXT
) STRICT;
