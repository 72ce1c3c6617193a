"""Keep track of sends whose outcome is unknown, so that a repeat is marked, audited and counted.

The Bot API has no idempotency key and a bot cannot read a chat's history. When a request may
have reached Telegram but no answer says what became of it (the process died mid-request, the
answer timed out, the connection dropped, Telegram answered 5xx), nobody can know whether the
message arrived. Such a row becomes *uncertain*: it is sent again, each later copy marked by the
dispatcher as a possible repeat and counted in `uncertain_resends`, and when the row belongs to a
report, the report's audit trail records the uncertainty. Only calls that make a new message
count: an edit, a deletion or a pin repeated changes nothing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from reports.kinds import ActorKind, CaseNote
from storage.database import Session
from storage.timestamps import to_text

_CREATES = re.compile(r"send(?!ChatAction$)[A-Z][A-Za-z]*|forwardMessages?|copyMessages?")
_DETAIL_CHARS = 200


def creates_message(method: str) -> bool:
    """Return whether a Bot API call makes a new message, so that repeating it shows twice."""
    return _CREATES.fullmatch(method) is not None


@dataclass(frozen=True)
class DeliveryCounts:
    """How the outbox's rows fared, for measuring how often a copy may have arrived twice."""

    sent: int
    failed: int
    uncertain_rows: int
    """Rows with at least one attempt whose outcome stayed unknown."""
    uncertain_resends: int
    """Copies sent (requests started) while an earlier copy may have arrived."""


async def note_uncertain(session: Session, row_id: int, now: datetime, cause: str) -> bool:
    """Mark a row uncertain if its call makes a message and audit it; return whether it did."""
    row = await session.fetch_one(
        "SELECT method, kind, report_id FROM outbox WHERE id = ?", (row_id,)
    )
    if row is None or not creates_message(row["method"]):
        return False
    await session.execute("UPDATE outbox SET uncertain = 1 WHERE id = ?", (row_id,))
    if row["report_id"] is not None:
        detail = f"{row['kind']}: {cause}"
        if len(detail) > _DETAIL_CHARS:
            detail = detail[: _DETAIL_CHARS - 1] + "…"
        await session.execute(
            "INSERT INTO report_events (report_id, at, actor, action, from_status, detail)"
            " SELECT id, ?, ?, ?, status, ? FROM reports WHERE id = ?",
            (
                to_text(now),
                ActorKind.SYSTEM.value,
                CaseNote.DELIVERY_UNCERTAIN.value,
                detail,
                row["report_id"],
            ),
        )
    return True


async def reader_language(session: Session, chat_id: int, report_id: int | None) -> str | None:
    """Return the language code a resident's chat is written to in, if one is stored.

    A message about a report speaks the report's language; any other the resident's choice.
    """
    value = await session.fetch_value(
        "SELECT COALESCE("
        " (SELECT language FROM reports WHERE id = ?2 AND chat_id = ?1),"
        " (SELECT language FROM residents WHERE user_id = ?1))",
        (chat_id, report_id),
    )
    return None if value is None else str(value)


async def delivery_counts(session: Session) -> DeliveryCounts:
    """Return how many rows were sent and failed, and how many were uncertain and resent."""
    row = await session.fetch_one(
        "SELECT count(*) FILTER (WHERE status = 'sent') AS sent,"
        " count(*) FILTER (WHERE status = 'failed') AS failed,"
        " count(*) FILTER (WHERE uncertain = 1) AS uncertain_rows,"
        " COALESCE(sum(uncertain_resends), 0) AS uncertain_resends FROM outbox"
    )
    assert row is not None
    return DeliveryCounts(
        sent=int(row["sent"]),
        failed=int(row["failed"]),
        uncertain_rows=int(row["uncertain_rows"]),
        uncertain_resends=int(row["uncertain_resends"]),
    )
