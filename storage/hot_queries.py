"""The queries on a hot path, each with the indexes its plan must use at a million reports.

`tests/storage/test_hot_queries.py` asks SQLite for each query's plan (`EXPLAIN QUERY PLAN`)
on a seeded database, with and without statistics, and fails when a plan scans a large table
or misses its index. The SQL is the code's own: the constants of the modules that run it.
"""

from __future__ import annotations

from dataclasses import dataclass

from storage.case_store import CASE_MESSAGE
from storage.cases import (
    DUE_FOR_ESCALATION,
    DUE_FOR_REMINDER,
    OPEN_COUNTS,
    OPEN_PAGE,
    OPEN_PAGE_UNDECIDED,
    OVERDUE,
)
from storage.digests import CATEGORY_COUNTS_PER_WIJK, WIJK_COUNTS
from storage.holding import LATEST_HOLD
from storage.outbox import NEXT_DUE
from storage.reports import FOR_USER, PHOTOS

LARGE_TABLES = frozenset({"reports", "report_events", "report_photos", "case_messages", "outbox"})
"""Tables that grow with every report: a plan may never scan one whole."""


@dataclass(frozen=True)
class HotQuery:
    """A query that runs on a hot path, and the indexes its plan must use."""

    name: str
    sql: str
    indexes: tuple[str, ...]


HOT_QUERIES = (
    HotQuery("/open: open reports per owner", OPEN_COUNTS, ("reports_open",)),
    HotQuery("/open: a partner's page", OPEN_PAGE, ("reports_open",)),
    HotQuery("/open: the coordinator's page", OPEN_PAGE_UNDECIDED, ("reports_open",)),
    HotQuery(
        "the case message behind a press or reply",
        CASE_MESSAGE,
        ("case_messages_by_message", "outbox_by_message", "case_messages_by_outbox"),
    ),
    HotQuery("escalation sweep: reminders", DUE_FOR_REMINDER, ("reports_unclaimed_due",)),
    HotQuery("escalation sweep: escalations", DUE_FOR_ESCALATION, ("reports_unclaimed_due",)),
    HotQuery("overdue reports", OVERDUE, ("reports_unclaimed_due",)),
    HotQuery(
        "reports per category per wijk in a period",
        CATEGORY_COUNTS_PER_WIJK,
        ("reports_by_wijk_category",),
    ),
    HotQuery("a wijk's digest counts", WIJK_COUNTS, ("reports_by_wijk",)),
    HotQuery("/mijnmeldingen", FOR_USER, ("reports_by_user",)),
    HotQuery("the photos of listed reports", PHOTOS.format(marks="?, ?"), ()),
    HotQuery(
        "which listed reports are held",
        f"{LATEST_HOLD} AND e.report_id IN (?, ?)",
        ("report_events_holds",),
    ),
    HotQuery(
        "the held reports (at start-up and when a chat links)",
        LATEST_HOLD,
        ("report_events_holds",),
    ),
    HotQuery("the outbox rows to send next", NEXT_DUE, ("outbox_queue",)),
)
