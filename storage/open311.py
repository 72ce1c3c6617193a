"""Store service requests posted through Open311 as reports, and find reports for its GETs.

A posted request becomes a report without a resident (user_id and chat_id NULL) whose
`channel` names the client; it is numbered like every report. The searches read on the read
connection, newest first, one page at a time, through the `reports_by_created` index.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from reports.models import Report
from storage.database import Database, Session
from storage.reports import _COLUMNS, _insert, _next_number, _with_photos
from storage.timestamps import to_text


async def commit_request(session: Session, report: Report, *, prefix: str, now: datetime) -> Report:
    """Number and store a posted request as a report; return it with its id and reference."""
    number = await _next_number(session, prefix, now.year)
    numbered = report.model_copy(update={"reference": f"{prefix}-{now.year}-{number:04d}"})
    return numbered.model_copy(update={"id": await _insert(session, numbered)})


@dataclass(frozen=True)
class RequestQuery:
    """The filters of `GET requests`: a window of creation times, codes, open or closed."""

    since: datetime
    until: datetime
    categories: Sequence[str] = ()
    statuses: Sequence[str] = ()
    """Stored statuses to keep (empty: all)."""
    limit: int = 50
    offset: int = 0


class Open311Reads:
    """Find reports for the GET calls."""

    def __init__(self, db: Database) -> None:
        self._db = db

    async def search(self, query: RequestQuery) -> list[Report]:
        """Return the reports created in the window that pass the filters, newest first."""
        where = ["created_at >= ?", "created_at < ?"]
        params: list[object] = [to_text(query.since), to_text(query.until)]
        for column, values in (("category_id", query.categories), ("status", query.statuses)):
            if values:
                where.append(f"{column} IN ({', '.join('?' for _ in values)})")
                params.extend(values)
        sql = (
            f"SELECT {_COLUMNS} FROM reports INDEXED BY reports_by_created"
            f" WHERE {' AND '.join(where)} ORDER BY created_at DESC, id DESC LIMIT ? OFFSET ?"
        )
        async with self._db.read() as session:
            rows = await session.fetch_all(sql, (*params, query.limit, query.offset))
            return await _with_photos(session, rows)

    async def by_references(self, references: Sequence[str]) -> list[Report]:
        """Return the reports with these references (unknown ones are left out)."""
        if not references:
            return []
        marks = ", ".join("?" for _ in references)
        sql = f"SELECT {_COLUMNS} FROM reports WHERE reference IN ({marks}) ORDER BY id DESC"
        async with self._db.read() as session:
            rows = await session.fetch_all(sql, tuple(references))
            return await _with_photos(session, rows)
