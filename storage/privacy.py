"""Erase a resident's personal data on request (AVG article 17)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from storage.database import Database, Session
from storage.digests import unsubscribe
from storage.outbox import erase_resident as erase_outbox
from storage.surveys import forget_comments


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
        deleted. Follow-up
        answers (table followups) hold neither: they stay as anonymous counts of the report,
        and what a resident added after a follow-up lives in the description and photos. The
        opt-out from proactive messages goes with the preferences row.
        """
        async with self._db.transaction() as session:
            return await erase_resident(session, user_id, now or datetime.now(UTC))


async def erase_resident(session: Session, user_id: int, now: datetime) -> ErasureResult:
    """Erase a resident inside the caller's transaction (see `PrivacyRepository`)."""
    await erase_outbox(session, user_id, now)
    drafts = await session.execute("DELETE FROM drafts WHERE user_id = ?", (user_id,))
    preferences = await session.execute("DELETE FROM residents WHERE user_id = ?", (user_id,))
    await forget_comments(session, user_id)
    await unsubscribe(session, user_id)
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
