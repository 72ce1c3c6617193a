"""Turn complete drafts into numbered reports and find them again."""

from __future__ import annotations

import re
import sqlite3
from datetime import datetime

from reports.models import (
    Draft,
    IncompleteDraftError,
    Language,
    Location,
    LocationSource,
    Neighbourhood,
    Report,
    ReportStatus,
    StaleDraftError,
    Step,
    Timing,
)
from storage.database import Database, Session
from storage.drafts import delete_unchanged_draft
from storage.timestamps import as_utc, from_text, to_text

ERASED_USER_ID = 0
"""The user_id and chat_id a Report carries once its resident had their data erased."""

_PREFIX = re.compile(r"[A-Z][A-Z0-9]{0,15}")

_COLUMNS = (
    "id, reference, user_id, chat_id, language, category_id,"
    " buurt_code, buurt_name, wijk_code, wijk_name, latitude, longitude,"
    " location_source, location_label, description, timing, contact_allowed, status, created_at,"
    " lead_partner, routing_rule, claimed_by, claimed_by_name, claimed_at, due_at, reminded_at,"
    " escalated_at, resolved_at, closing_text, recurrence_count, channel,"
    " co_reporters"
)

FOR_USER = (
    f"SELECT {_COLUMNS} FROM reports WHERE user_id = ?1 ORDER BY created_at DESC, id DESC LIMIT ?2"
)
"""A resident's latest reports, newest first (/mijnmeldingen)."""
PHOTOS = (
    "SELECT report_id, file_id FROM report_photos WHERE report_id IN ({marks})"
    " ORDER BY report_id, position"
)
"""The photos of some reports, in order; {marks} stands for one ? per report."""


class ReportRepository:
    """Commit drafts as reports and look reports up."""

    def __init__(self, db: Database) -> None:
        self._db = db

    async def commit_draft(
        self,
        draft: Draft,
        *,
        prefix: str,
        now: datetime,
    ) -> Report:
        """Commit a draft in its own transaction (see `commit_draft`); prefer a unit of work."""
        async with self._db.transaction() as session:
            return await commit_draft(session, draft, prefix=prefix, now=now)

    async def get_by_reference(self, reference: str) -> Report | None:
        """Return the report with this reference, or None."""
        async with self._db.read() as session:
            rows = await session.fetch_all(
                f"SELECT {_COLUMNS} FROM reports WHERE reference = ?", (reference,)
            )
            reports = await _with_photos(session, rows)
        return reports[0] if reports else None

    async def list_for_user(self, user_id: int, limit: int = 20) -> list[Report]:
        """Return the resident's latest reports, newest first."""
        async with self._db.read() as session:
            rows = await session.fetch_all(FOR_USER, (user_id, limit))
            return await _with_photos(session, rows)

    async def count(self) -> int:
        """Return how many reports exist (erased residents' reports included)."""
        async with self._db.read() as session:
            return int(await session.fetch_value("SELECT count(*) FROM reports"))


async def commit_draft(session: Session, draft: Draft, *, prefix: str, now: datetime) -> Report:
    """Number the draft, store it as a report with its photos and delete the draft.

    The stored draft must still be this one (same user_id and updated_at), so a double tap
    on "send" makes one report and raises StaleDraftError for the second. The reference is
    `{prefix}-{year}-{n:04d}`, counted per prefix and per year of `now` as given (pass a
    local time to number by the local calendar year); created_at is stored in UTC.
    """
    if _PREFIX.fullmatch(prefix) is None:
        raise ValueError(f"reference prefix must be capitals and digits, got {prefix!r}")
    step = draft.next_step()
    if (
        step is not Step.CONFIRM
        or draft.category_id is None
        or draft.location is None
        or draft.description is None
        or draft.timing is None
        or draft.contact_allowed is None
    ):
        raise IncompleteDraftError(
            f"draft of user {draft.user_id} is not ready to send: it still needs {step.value}"
        )
    if not await delete_unchanged_draft(session, draft.user_id, draft.updated_at):
        raise StaleDraftError(
            f"draft of user {draft.user_id} was sent, changed or deleted meanwhile"
        )
    number = await _next_number(session, prefix, now.year)
    report = Report(
        id=0,
        reference=f"{prefix}-{now.year}-{number:04d}",
        user_id=draft.user_id,
        chat_id=draft.chat_id,
        language=draft.language,
        category_id=draft.category_id,
        location=draft.location,
        description=draft.description,
        photo_file_ids=list(draft.photo_file_ids),
        timing=draft.timing,
        contact_allowed=draft.contact_allowed,
        status=ReportStatus.NEW,
        created_at=as_utc(now),
    )
    return report.model_copy(update={"id": await _insert(session, report)})


async def _next_number(session: Session, prefix: str, year: int) -> int:
    """Allocate the next reference number for this prefix and year."""
    number = await session.fetch_value(
        "INSERT INTO reference_counters (prefix, year, last_number) VALUES (?, ?, 1)"
        " ON CONFLICT (prefix, year) DO UPDATE SET last_number = last_number + 1"
        " RETURNING last_number",
        (prefix, year),
    )
    return int(number)


async def _insert(session: Session, report: Report) -> int:
    """Insert the report and its photos; return the new id."""
    where = report.location
    report_id = await session.fetch_value(
        "INSERT INTO reports (reference, user_id, chat_id, language, category_id,"
        " buurt_code, buurt_name, wijk_code, wijk_name, latitude, longitude,"
        " location_source, location_label, description, timing, contact_allowed, status,"
        " created_at, channel) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
        " RETURNING id",
        (
            report.reference,
            report.user_id,
            report.chat_id,
            report.language.value,
            report.category_id,
            where.neighbourhood.buurt_code,
            where.neighbourhood.buurt_name,
            where.neighbourhood.wijk_code,
            where.neighbourhood.wijk_name,
            where.latitude,
            where.longitude,
            where.source.value,
            where.label,
            report.description,
            report.timing.value,
            int(report.contact_allowed),
            report.status.value,
            to_text(report.created_at),
            report.channel,
        ),
    )
    for position, file_id in enumerate(report.photo_file_ids):
        session.add(
            "INSERT INTO report_photos (report_id, position, file_id) VALUES (?, ?, ?)",
            (report_id, position, file_id),
        )
    return int(report_id)


async def _with_photos(session: Session, rows: list[sqlite3.Row]) -> list[Report]:
    """Return the rows as reports, each with its photos in order."""
    if not rows:
        return []
    ids = [row["id"] for row in rows]
    placeholders = ", ".join("?" for _ in ids)
    photo_rows = await session.fetch_all(PHOTOS.format(marks=placeholders), ids)
    photos: dict[int, list[str]] = {report_id: [] for report_id in ids}
    for photo in photo_rows:
        photos[photo["report_id"]].append(photo["file_id"])
    return [_report(row, photos[row["id"]]) for row in rows]


def _report(row: sqlite3.Row, photo_file_ids: list[str]) -> Report:
    """Return the report a row describes."""
    return Report(
        id=row["id"],
        reference=row["reference"],
        user_id=ERASED_USER_ID if row["user_id"] is None else row["user_id"],
        chat_id=ERASED_USER_ID if row["chat_id"] is None else row["chat_id"],
        language=Language(row["language"]),
        category_id=row["category_id"],
        location=Location(
            neighbourhood=Neighbourhood(
                buurt_code=row["buurt_code"],
                buurt_name=row["buurt_name"],
                wijk_code=row["wijk_code"],
                wijk_name=row["wijk_name"],
            ),
            latitude=row["latitude"],
            longitude=row["longitude"],
            source=LocationSource(row["location_source"]),
            label=row["location_label"],
        ),
        description=row["description"],
        photo_file_ids=photo_file_ids,
        timing=Timing(row["timing"]),
        contact_allowed=bool(row["contact_allowed"]),
        status=ReportStatus(row["status"]),
        created_at=from_text(row["created_at"]),
        lead_partner=row["lead_partner"],
        routing_rule=row["routing_rule"],
        claimed_by=row["claimed_by"],
        claimed_by_name=row["claimed_by_name"],
        claimed_at=_moment(row["claimed_at"]),
        due_at=_moment(row["due_at"]),
        reminded_at=_moment(row["reminded_at"]),
        escalated_at=_moment(row["escalated_at"]),
        resolved_at=_moment(row["resolved_at"]),
        closing_text=row["closing_text"],
        recurrence_count=row["recurrence_count"],
        channel=row["channel"],
        co_reporters=row["co_reporters"],
    )


def _moment(text: str | None) -> datetime | None:
    """Return the stored instant, or None."""
    return None if text is None else from_text(text)
