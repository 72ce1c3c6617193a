"""Remove what Meldbot kept long enough (AVG), and log how many of what went: the daily run.

The periods are `[retention]`, counted back from the run's moment on the local calendar:

- `resident_ids_after` after a report became final (resolved or cancelled), it loses its
  resident's Telegram ids and contact consent (and its messages to them);
- `cancelled_reports_after` / `resolved_reports_after` after that, the report is deleted with
  everything that hangs off it;
- `outbox_after` after an outbox row finished, it is deleted, or emptied while a report still
  refers to it. Rows of open reports wait until their report is final, and what partner chats
  received waits until the report has no resident any more (erasure may need to reach it);
- `inbox_after` after an update from Telegram was handled or parked, it is deleted.

Open reports are never touched. Each batch is one unit of work that also adds its counts to
the run's deletion log, so the log always matches what was removed, also after a crash in the
middle of a run. Running twice removes nothing the second time.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime

from reports.models import ReportStatus
from reports.retention import RecordKind, Removal, RetentionRule, Tally
from services.container import Services
from storage.database import Session
from storage.retention import (
    LogEntry,
    clean_inbox,
    clean_outbox,
    delete_reports,
    finish_run,
    read_log,
    remove_resident_ids,
    start_run,
    write_log,
)

log = logging.getLogger(__name__)

BATCH = 500
"""Reports or outbox rows per unit of work, so a large first run never blocks the bot long."""

Step = Callable[[Session, datetime, datetime, int], Awaitable[Tally]]

_STEPS: dict[RetentionRule, Step] = {
    RetentionRule.RESIDENT_IDS: remove_resident_ids,
    RetentionRule.CANCELLED_REPORTS: lambda session, cutoff, _now, limit: delete_reports(
        session, ReportStatus.CANCELLED, cutoff, limit
    ),
    RetentionRule.RESOLVED_REPORTS: lambda session, cutoff, _now, limit: delete_reports(
        session, ReportStatus.RESOLVED, cutoff, limit
    ),
    RetentionRule.OUTBOX: lambda session, cutoff, _now, limit: clean_outbox(session, cutoff, limit),
    RetentionRule.INBOX: lambda session, cutoff, _now, limit: clean_inbox(session, cutoff, limit),
}
"""The rules in the order they run: ids first, so the log shows them for deleted reports too."""


@dataclass(frozen=True)
class RetentionRun:
    """What one run removed, per rule, kind of record and way of removal."""

    run_id: int
    at: datetime
    counts: Counter[tuple[RetentionRule, RecordKind, Removal]] = field(default_factory=Counter)

    def count(self, rule: RetentionRule, record: RecordKind, removal: Removal) -> int:
        """Return how many records of a kind a rule removed in this way."""
        return self.counts[(rule, record, removal)]


async def enforce_retention(svc: Services, *, batch: int = BATCH) -> RetentionRun:
    """Apply every retention rule as of now; return (and log) what was removed."""
    now = svc.clock.now()
    retention = svc.config.retention
    zone = svc.config.municipality.zone
    async with svc.uow() as work:
        run_id = await start_run(work.session, now)
    run = RetentionRun(run_id, now)
    for rule, step in _STEPS.items():
        period = retention.period(rule)
        cutoff = period.before(now, zone)
        while True:
            async with svc.uow() as work:
                tally = await step(work.session, cutoff, now, batch)
                await write_log(work.session, run_id, rule, str(period), cutoff, tally, now)
            for (record, removal), count in tally.counts.items():
                run.counts[(rule, record, removal)] += count
            if not tally.handled:
                break
    async with svc.uow() as work:
        await finish_run(work.session, run_id, svc.clock.now())
    summary = ", ".join(
        f"{rule}: {count} {record} {removal}"
        for (rule, record, removal), count in sorted(run.counts.items())
    )
    log.info("retention run %d: %s", run_id, summary or "nothing was due")
    return run


async def deletion_log(svc: Services, *, since_run: int = 0) -> list[LogEntry]:
    """Return the deletion log of the runs after `since_run`, oldest first."""
    async with svc.uow() as work:
        return await read_log(work.session, since_run=since_run)
