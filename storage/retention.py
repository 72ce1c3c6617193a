"""Remove what was kept long enough, in batches, and write the deletion log (AVG retention).

Every step works inside the caller's transaction on at most `limit` reports or outbox rows and
returns a `Tally`; the retention use case repeats a step until it handles nothing more. A report
became final when it entered its current status, resolved or cancelled: the moment of the
latest audit event that set that status. Open reports, and the outbox rows of open reports, are
never touched.

This module is longer than 300 lines because each rule's SQL (ids, reports with everything
that hangs off them, outbox, inbox) and the deletion log belong together: what one rule leaves
for another is decided here, in one place.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from reports.models import ReportStatus
from reports.retention import RecordKind, Removal, RetentionRule, Tally
from storage.database import Session
from storage.timestamps import from_text, to_text

FINAL = (ReportStatus.RESOLVED.value, ReportStatus.CANCELLED.value)

FINAL_AT = (
    "coalesce((SELECT max(e.at) FROM report_events AS e"
    " WHERE e.report_id = r.id AND e.to_status = r.status), r.resolved_at, r.created_at)"
)
"""When a report (alias r) entered its status; the fallbacks only serve rows without events."""

_DONE = "('sent', 'failed', 'cancelled', 'expired')"

_FINISHED = (
    f"o.status IN {_DONE} AND o.finished_at <= ?1 AND (o.report_id IS NULL"
    " OR EXISTS (SELECT 1 FROM reports AS r WHERE r.id = o.report_id"
    f" AND r.status IN {FINAL}"
    " AND (r.user_id IS NULL OR o.chat_id = r.chat_id OR o.status <> 'sent')))"
)
"""An outbox row (alias o) finished before the cutoff, of no report or of a final one.

A message a partner chat received about a report that still has its resident is left alone:
erasing the resident (/vergeetmij) finds it there to edit or delete it in that chat, and the
name of a resident who agreed to be contacted may stay until `resident_ids_after`, when the
ids rule empties these rows.
"""

_REFERRED = (
    "(EXISTS (SELECT 1 FROM case_messages AS c WHERE c.outbox_id = o.id)"
    " OR EXISTS (SELECT 1 FROM followups AS f WHERE f.outbox_id = o.id)"
    " OR EXISTS (SELECT 1 FROM surveys AS s WHERE s.outbox_id = o.id)"
    " OR EXISTS (SELECT 1 FROM outbox AS x WHERE x.reply_to_row = o.id))"
)
"""A row something still points at: deleting it would cascade into, or blank, that record."""

_DEPENDENTS = (
    (RecordKind.CASE_MESSAGE, "case_messages"),
    (RecordKind.FOLLOWUP, "followups"),
    (RecordKind.SURVEY, "surveys"),
    (RecordKind.FOLLOWER, "report_followers"),
    (RecordKind.EVENT, "report_events"),
    (RecordKind.PHOTO, "report_photos"),
    (RecordKind.OUTBOX, "outbox"),
)
"""What hangs off a report, deleted before it in this order (the log counts each)."""


@dataclass(frozen=True)
class LogEntry:
    """One line of the deletion log: what a run's rule removed, and how many."""

    run_id: int
    started_at: datetime
    finished_at: datetime | None
    rule: RetentionRule
    record: RecordKind
    removal: Removal
    count: int
    period: str
    cutoff: datetime
    logged_at: datetime


async def start_run(session: Session, now: datetime) -> int:
    """Record that a retention run starts; return its id."""
    return int(
        await session.fetch_value(
            "INSERT INTO retention_runs (started_at) VALUES (?) RETURNING id", (to_text(now),)
        )
    )


async def finish_run(session: Session, run_id: int, now: datetime) -> None:
    """Record that a retention run completed."""
    await session.execute(
        "UPDATE retention_runs SET finished_at = ? WHERE id = ?", (to_text(now), run_id)
    )


async def remove_resident_ids(
    session: Session, cutoff: datetime, now: datetime, limit: int
) -> Tally:
    """Detach final reports of `cutoff` or before from their residents; count what changed.

    The report loses user_id, chat_id and contact consent, and its co-reporters (their count
    and their anonymous answers stay); the outbox rows of the report to the private chats of
    its resident and co-reporters are deleted, and its other rows (partner chats, where the
    name of a resident who agreed to be contacted travels) lose their text. The report keeps
    the rest (description, photos, place, audit trail) until its own period ends.
    """
    rows = await session.fetch_all(
        "SELECT r.id FROM reports AS r"
        f" WHERE r.status IN {FINAL} AND (r.user_id IS NOT NULL OR r.contact_allowed = 1"
        " OR EXISTS (SELECT 1 FROM report_followers AS f WHERE f.report_id = r.id))"
        f" AND {FINAL_AT} <= ? ORDER BY r.id LIMIT ?",
        (to_text(cutoff), limit),
    )
    ids = [int(row[0]) for row in rows]
    tally = Tally(handled=len(ids))
    if not ids:
        return tally
    marks = ", ".join("?" for _ in ids)
    deleted = await _delete_outbox(
        session,
        f"report_id IN ({marks}) AND (chat_id ="
        " (SELECT r.chat_id FROM reports AS r WHERE r.id = outbox.report_id)"
        " OR chat_id IN (SELECT f.user_id FROM report_followers AS f"
        " WHERE f.report_id = outbox.report_id))",
        ids,
    )
    followers = await session.execute(
        f"DELETE FROM report_followers WHERE report_id IN ({marks})", ids
    )
    emptied = await session.execute(
        "UPDATE outbox SET params = '{}', instead = NULL,"
        " status = CASE WHEN status = 'pending' THEN 'cancelled' ELSE status END,"
        " finished_at = CASE WHEN status = 'pending' THEN ? ELSE finished_at END"
        f" WHERE report_id IN ({marks}) AND (params <> '{{}}' OR status = 'pending')",
        (to_text(now), *ids),
    )
    anonymised = await session.execute(
        "UPDATE reports SET user_id = NULL, chat_id = NULL, contact_allowed = 0"
        f" WHERE id IN ({marks})",
        ids,
    )
    tally.add(RecordKind.REPORT, Removal.ANONYMISED, anonymised)
    tally.add(RecordKind.OUTBOX, Removal.DELETED, deleted)
    tally.add(RecordKind.OUTBOX, Removal.EMPTIED, emptied)
    tally.add(RecordKind.FOLLOWER, Removal.DELETED, followers)
    return tally


async def delete_reports(
    session: Session, status: ReportStatus, cutoff: datetime, limit: int
) -> Tally:
    """Delete reports in a final status since `cutoff` or before, with all that hangs off them.

    Photos, audit events, case messages, follow-ups, the survey (its anonymous answers too: they
    belong to the report) and the report's outbox rows go in the same transaction.
    """
    if status.value not in FINAL:
        raise ValueError(f"only final reports are deleted, not {status.value} ones")
    rows = await session.fetch_all(
        f"SELECT r.id FROM reports AS r WHERE r.status = ? AND {FINAL_AT} <= ?"
        " ORDER BY r.id LIMIT ?",
        (status.value, to_text(cutoff), limit),
    )
    ids = [int(row[0]) for row in rows]
    tally = Tally(handled=len(ids))
    if not ids:
        return tally
    marks = ", ".join("?" for _ in ids)
    for kind, table in _DEPENDENTS:
        where = f"report_id IN ({marks})"
        if table == "outbox":
            count = await _delete_outbox(session, where, ids)
        else:
            count = await session.execute(f"DELETE FROM {table} WHERE {where}", ids)
        tally.add(kind, Removal.DELETED, count)
    count = await session.execute(f"DELETE FROM reports WHERE id IN ({marks})", ids)
    tally.add(RecordKind.REPORT, Removal.DELETED, count)
    return tally


async def clean_outbox(session: Session, cutoff: datetime, limit: int) -> Tally:
    """Delete finished outbox rows of `cutoff` or before that nothing needs; empty the others.

    Touched are rows of no report, and rows of final reports except the messages partner chats
    received while the report still has its resident (see `_FINISHED`). Such a row is kept,
    with params emptied to {}, while a case message, follow-up, survey or reply refers to it,
    or while its dedupe key keeps a report's survey or follow-up from being queued a second
    time; it goes with its report. Rows of open reports are not touched.
    """
    stamp = to_text(cutoff)
    deleted = 0
    while deleted < limit:
        # Deleting a reply can free the row it replied to, so repeat until nothing goes.
        step = await session.execute(
            "DELETE FROM outbox WHERE id IN (SELECT o.id FROM outbox AS o"
            f" WHERE {_FINISHED} AND (o.dedupe_key IS NULL OR o.report_id IS NULL)"
            f" AND NOT {_REFERRED} LIMIT ?2)",
            (stamp, limit - deleted),
        )
        if not step:
            break
        deleted += step
    emptied = 0
    if deleted < limit:
        emptied = await session.execute(
            "UPDATE outbox SET params = '{}', instead = NULL"
            " WHERE id IN (SELECT o.id FROM outbox AS o"
            f" WHERE {_FINISHED} AND o.params <> '{{}}' LIMIT ?2)",
            (stamp, limit - deleted),
        )
    tally = Tally(handled=deleted + emptied)
    tally.add(RecordKind.OUTBOX, Removal.DELETED, deleted)
    tally.add(RecordKind.OUTBOX, Removal.EMPTIED, emptied)
    return tally


async def clean_inbox(session: Session, cutoff: datetime, limit: int) -> Tally:
    """Delete updates handled or parked at `cutoff` or before."""
    tally = Tally()
    deleted = await session.execute(
        "DELETE FROM inbox WHERE update_id IN (SELECT update_id FROM inbox"
        " WHERE finished_at IS NOT NULL AND finished_at <= ? LIMIT ?)",
        (to_text(cutoff), limit),
    )
    tally.handled = deleted
    tally.add(RecordKind.UPDATE, Removal.DELETED, deleted)
    return tally


async def write_log(
    session: Session,
    run_id: int,
    rule: RetentionRule,
    period: str,
    cutoff: datetime,
    tally: Tally,
    now: datetime,
) -> None:
    """Add a step's counts to the run's lines of the deletion log."""
    stamp = to_text(now)
    await session.execute_many(
        "INSERT INTO deletion_log (run_id, rule, record, removal, count, period, cutoff,"
        " logged_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
        " ON CONFLICT (run_id, rule, record, removal)"
        " DO UPDATE SET count = count + excluded.count, logged_at = excluded.logged_at",
        [
            (run_id, rule.value, kind.value, how.value, count, period, to_text(cutoff), stamp)
            for (kind, how), count in sorted(tally.counts.items())
        ],
    )


async def read_log(session: Session, *, since_run: int = 0) -> list[LogEntry]:
    """Return the deletion log of the runs after `since_run`, oldest first."""
    rows = await session.fetch_all(
        "SELECT l.run_id, r.started_at, r.finished_at, l.rule, l.record, l.removal, l.count,"
        " l.period, l.cutoff, l.logged_at FROM deletion_log AS l"
        " JOIN retention_runs AS r ON r.id = l.run_id WHERE l.run_id > ?"
        " ORDER BY l.run_id, l.rule, l.record, l.removal",
        (since_run,),
    )
    return [_entry(row) for row in rows]


async def runs(session: Session) -> list[tuple[int, datetime, datetime | None]]:
    """Return every retention run as (id, started, finished or None), oldest first."""
    rows = await session.fetch_all(
        "SELECT id, started_at, finished_at FROM retention_runs ORDER BY id"
    )
    return [
        (int(row[0]), from_text(row[1]), None if row[2] is None else from_text(row[2]))
        for row in rows
    ]


async def _delete_outbox(session: Session, where: str, params: Sequence[object]) -> int:
    """Delete the outbox rows matching `where`, replies first, and return how many went.

    SQLite does not count rows a cascade deletes, so rows that others reply to wait until their
    replies are gone; a reply outside `where` (of another report) still goes with its row.
    """
    total = 0
    while step := await session.execute(
        f"DELETE FROM outbox WHERE {where}"
        " AND NOT EXISTS (SELECT 1 FROM outbox AS x WHERE x.reply_to_row = outbox.id)",
        params,
    ):
        total += step
    return total + await session.execute(f"DELETE FROM outbox WHERE {where}", params)


def _entry(row: sqlite3.Row) -> LogEntry:
    """Return the LogEntry a database row describes."""
    finished = row["finished_at"]
    return LogEntry(
        run_id=row["run_id"],
        started_at=from_text(row["started_at"]),
        finished_at=None if finished is None else from_text(finished),
        rule=RetentionRule(row["rule"]),
        record=RecordKind(row["record"]),
        removal=Removal(row["removal"]),
        count=row["count"],
        period=row["period"],
        cutoff=from_text(row["cutoff"]),
        logged_at=from_text(row["logged_at"]),
    )
