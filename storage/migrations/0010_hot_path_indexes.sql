-- Indexes for every lookup on a hot path at a million reports (issue 12). The queries they serve
-- are listed in storage/hot_queries.py, whose test checks each query plan.

-- The case message behind a caseworker's press or reply, found by the outbox row that sent it.
CREATE INDEX outbox_by_message ON outbox (chat_id, message_id) WHERE message_id IS NOT NULL;

-- The escalation sweep. Without statistics the planner preferred reports_by_status to the
-- partial index on due_at alone; with the status in front it takes this one.
DROP INDEX reports_open_due;
CREATE INDEX reports_unclaimed_due ON reports (status, due_at, reminded_at)
    WHERE status IN ('routed', 'reopened') AND escalated_at IS NULL;

-- The coordinator's /open: open reports per owner (the lead partner, or '' when the coordinator
-- decides), oldest first, and their counts from the index alone. The expression and the
-- condition are storage.cases.OPEN_OWNER and OPEN, word for word.
CREATE INDEX reports_open ON reports (
    (CASE WHEN status = 'rejected' THEN '' ELSE coalesce(lead_partner, '') END),
    created_at,
    status,
    lead_partner
) WHERE status NOT IN ('resolved', 'cancelled', 'new');

-- Statistics by time and wijk: reports per wijk and category in a period, one index seek per
-- wijk and category (storage.digests.CATEGORY_COUNTS_PER_WIJK), whatever the period holds.
CREATE INDEX reports_by_wijk_category ON reports (wijk_code, category_id, created_at);

-- The reports held for want of a partner chat, read at every start and whenever a chat links:
-- the latest hold or release per report (storage.holding.LATEST_HOLD) among the few that have one.
CREATE INDEX report_events_holds ON report_events (report_id, id)
    WHERE action IN ('held', 'released');
