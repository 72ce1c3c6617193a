"""Erase a resident's personal data on request (AVG article 17)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime

from storage.database import Database, Session
from storage.digests import unsubscribe
from storage.drafts import forget_draft
from storage.followers import erase as erase_following
from storage.handling import current
from storage.outbox import erase_resident as erase_outbox
from storage.panel import erase as erase_panel
from storage.surveys import forget_comments

VIEW_KIND = "case.view"
"""The kind of a trace that is a page of /melding in the coordinator's chat."""


@dataclass(frozen=True)
class PartnerTrace:
    """A message the bot posted in a partner chat about one of a resident's reports."""

    report_id: int
    chat_id: int
    kind: str
    """The outbox kind (notification.lead, notification.inform and their attachments, relay.*),
    or "case.view" for the report's details shown in the coordinator's chat (sent directly)."""
    method: str
    """How it was sent: sendMessage, sendPhoto, sendLocation, sendMediaGroup, ..."""
    outbox_id: int | None
    """The outbox row that sent it; None for a message sent directly."""
    message_ids: tuple[int, ...]
    """Its message (every message of an album); empty while the row is still being sent."""
    captioned: bool = False
    """Whether it carries a caption (a photo the resident added later, with their text)."""


@dataclass(frozen=True)
class ErasureResult:
    """What one erasure removed."""

    drafts_deleted: int
    preferences_deleted: int
    reports_anonymised: int
    photos_deleted: int


class PrivacyRepository:
    """Carry out residents' data-protection requests."""

    def __init__(self, db: Database) -> None:
        self._db = db

    async def erase_resident(self, user_id: int, now: datetime | None = None) -> ErasureResult:
        """Erase everything that ties data to this resident, in one transaction.

        Deleted: the resident's draft and preferences row. Their reports are kept as anonymous
        statistics and stripped of everything a resident wrote, sent or pointed at: user_id and
        chat_id become NULL (a Report then shows ERASED_USER_ID, 0), the description becomes
        "", the photos are deleted, the point (latitude/longitude) and the location label are
        removed, and contact_allowed becomes false. What stays: reference, language, category,
        buurt and wijk, location source, timing, status and created_at. This applies to open
        reports too, so a caseworker keeps the reference, category and buurt only. Erasing
        twice is harmless; the second time erases nothing.

        The outbox loses the rows to the resident's chat, and rows about their reports lose
        their text (unsent ones are cancelled). Every table added later that holds a user id,
        chat id or resident text (follow-ups, surveys) must be erased here as well. Survey free
        texts are removed; the rest of a survey (satisfied, reasons, how unsafe the resident
        feels, buurt and wijk) stays as anonymous statistics; the digest subscription is
        deleted, and so is everything of the neighbourhood panel that holds the resident's id
        (membership, their rows per round, the offer); the panel's answers never held it. The
        resident stops following the reports they joined as a co-reporter (their count stays;
        the free texts of their surveys as a co-reporter go first, the seat their other answers
        are kept under no longer points to anyone).
        Follow-up answers (table followups) hold neither: they stay as anonymous counts of the
        report, and what a resident added after a follow-up lives in the description and photos. The
        opt-out from proactive messages goes with the preferences row.

        What partner chats received is not here: `services.residents.forget_resident` reads it
        first (`partner_traces`) and queues its clean-up in the same unit of work.
        """
        async with self._db.transaction() as session:
            return await erase_resident(session, user_id, now or datetime.now(UTC))


async def partner_traces(session: Session, user_id: int) -> list[PartnerTrace]:
    """Return what partner chats received about the resident's reports, oldest first.

    Read before `erase_resident`, which removes the tie between the resident and their reports:
    every notification (with its pin and photos) and every relayed message that Telegram
    accepted or that is being sent right now, then the pages of /melding that showed one of
    the reports in the coordinator's chat. Rows never sent hold nothing to clean up; erasure
    cancels the pending ones.
    """
    rows = await session.fetch_all(
        "SELECT o.id, o.report_id, o.chat_id, o.kind, o.method, o.message_id, o.album_ids,"
        " json_extract(o.params, '$.caption') IS NOT NULL AS captioned"
        " FROM outbox AS o JOIN reports AS r ON r.id = o.report_id"
        " WHERE r.user_id = ? AND o.chat_id IS NOT r.chat_id"
        " AND o.status IN ('sent', 'sending') AND o.method GLOB 'send*'"
        " AND (o.kind GLOB 'notification.*' OR o.kind GLOB 'relay.*')"
        " ORDER BY o.id",
        (user_id,),
    )
    traces = []
    for row in rows:
        if row["album_ids"] is not None:
            ids = tuple(int(i) for i in json.loads(row["album_ids"]))
        else:
            ids = () if row["message_id"] is None else (int(row["message_id"]),)
        traces.append(
            PartnerTrace(
                report_id=row["report_id"],
                chat_id=row["chat_id"],
                kind=row["kind"],
                method=row["method"],
                outbox_id=row["id"],
                message_ids=ids,
                captioned=bool(row["captioned"]),
            )
        )
    views = await session.fetch_all(
        "SELECT c.report_id, c.chat_id, c.message_id FROM case_messages AS c"
        " JOIN reports AS r ON r.id = c.report_id"
        " WHERE r.user_id = ? AND c.role = 'view' AND c.message_id IS NOT NULL ORDER BY c.id",
        (user_id,),
    )
    traces += [
        PartnerTrace(
            report_id=row["report_id"],
            chat_id=row["chat_id"],
            kind=VIEW_KIND,
            method="sendMessage",
            outbox_id=None,
            message_ids=(int(row["message_id"]),),
        )
        for row in views
    ]
    return traces


async def resident_report_ids(session: Session, user_id: int) -> list[int]:
    """Return the ids of the resident's reports, oldest first."""
    rows = await session.fetch_all(
        "SELECT id FROM reports WHERE user_id = ? ORDER BY id", (user_id,)
    )
    return [int(row[0]) for row in rows]


async def erase_resident(session: Session, user_id: int, now: datetime) -> ErasureResult:
    """Erase a resident inside the caller's transaction (see `PrivacyRepository`)."""
    handling = current()
    if handling is not None:
        handling.choices.pop(user_id, None)  # their choices go with them
    await erase_outbox(session, user_id, now)
    forget_draft(user_id)
    drafts = await session.execute("DELETE FROM drafts WHERE user_id = ?", (user_id,))
    session.memo.pop(("proactive_off", user_id), None)
    preferences = await session.execute("DELETE FROM residents WHERE user_id = ?", (user_id,))
    await forget_comments(session, user_id)
    await unsubscribe(session, user_id)
    await erase_panel(session, user_id)
    await erase_following(session, user_id)
    photos = await session.execute(
        "DELETE FROM report_photos WHERE report_id IN (SELECT id FROM reports WHERE user_id = ?)",
        (user_id,),
    )
    reports = await session.execute(
        "UPDATE reports SET user_id = NULL, chat_id = NULL, description = '',"
        " latitude = NULL, longitude = NULL, location_label = NULL, contact_allowed = 0"
        " WHERE user_id = ?",
        (user_id,),
    )
    return ErasureResult(
        drafts_deleted=drafts,
        preferences_deleted=preferences,
        reports_anonymised=reports,
        photos_deleted=photos,
    )
