"""Remember what each resident chose: their language, and whether Meldbot may write first."""

from __future__ import annotations

import json
from collections.abc import Collection
from datetime import datetime

from reports.models import Language
from reports.records import OptOut
from storage.database import Database, Later, Session
from storage.handling import Handling, current
from storage.outbox import OutboxStore
from storage.timestamps import to_text

_CHOICES = (
    "SELECT (SELECT language FROM residents WHERE user_id = ?1),"
    " (SELECT proactive_off FROM residents WHERE user_id = ?1),"
    " (SELECT data FROM drafts WHERE user_id = ?1)"
)
"""A resident's choices, and their draft along (most updates that need one need the other)."""
_CHOICES_OF_MANY = (
    "SELECT u.value, r.language, r.proactive_off, d.data FROM json_each(?) AS u"
    " LEFT JOIN residents AS r ON r.user_id = u.value"
    " LEFT JOIN drafts AS d ON d.user_id = u.value"
)
_LANGUAGE = "SELECT language FROM residents WHERE user_id = ?"
_PROACTIVE_OFF = "SELECT proactive_off FROM residents WHERE user_id = ?"


Known = tuple[Language | None, OptOut | None, str | None]
"""A resident's language, opt-out and draft (its JSON), as read at one moment."""


def read_choices_along(session: Session, user_ids: Collection[int]) -> Later:
    """Read these residents' choices and drafts with the transaction's next trip to SQLite
    (the inbox's store of their updates: `bot/intake.py`); `known_choices` reads the result."""
    return session.add(_CHOICES_OF_MANY, (json.dumps(sorted(user_ids)),))


def known_choices(read: Later) -> dict[int, Known]:
    """Return what `read_choices_along` read, by user id."""
    return {
        int(row[0]): (
            None if row[1] is None else Language(row[1]),
            None if row[2] is None else OptOut(row[2]),
            row[3],
        )
        for row in read.rows
    }


def know(handling: Handling, user_id: int, known: Known) -> None:
    """Let the handling of an update start with what was read of its resident as it was
    stored, so its first reads of their choices and draft take no trip to SQLite. Only for
    an update that starts at once: nothing of the resident's may have changed since."""
    language, off, draft = known
    handling.choices[user_id] = (language, off)
    handling.drafts[user_id] = draft


class ResidentRepository:
    """Store residents' explicit preferences, keyed by Telegram user id only."""

    def __init__(self, db: Database) -> None:
        self._db = db

    async def language(self, user_id: int) -> Language | None:
        """Return the language the resident chose, or None if they never chose one."""
        return (await self._choices(user_id))[0]

    async def _choices(self, user_id: int) -> tuple[Language | None, OptOut | None]:
        """Return the resident's language and opt-out, read once per update handled."""
        handling = current()
        if handling is not None and user_id in handling.choices:
            return handling.choices[user_id]
        row = await self._db.fetch_one(_CHOICES, (user_id,))
        language = None if row is None or row[0] is None else Language(row[0])
        off = None if row is None or row[1] is None else OptOut(row[1])
        if handling is not None:
            handling.choices[user_id] = (language, off)
            handling.drafts[user_id] = None if row is None else row[2]
        return language, off

    async def set_language(self, user_id: int, language: Language | None, now: datetime) -> None:
        """Record the resident's language choice (None: follow Telegram's language again)."""
        stamp = to_text(now)
        _forget(user_id)
        async with self._db.transaction() as session:
            await session.execute(
                "INSERT INTO residents (user_id, language, created_at, updated_at)"
                " VALUES (?, ?, ?, ?)"
                " ON CONFLICT (user_id) DO UPDATE"
                " SET language = excluded.language, updated_at = excluded.updated_at",
                (user_id, None if language is None else language.value, stamp, stamp),
            )

    async def opt_out(
        self, user_id: int, reason: OptOut, now: datetime
    ) -> tuple[OptOut | None, int]:
        """Turn proactive messages off and cancel the pending ones; return (earlier state, count).

        A resident who stopped them keeps the reason STOP when they later block the bot, so
        that writing again does not turn them back on.
        """
        async with self._db.transaction() as session:
            before = await turn_proactive_off(session, user_id, reason, now)
            cancelled = await OutboxStore(session).cancel_proactive(now, chat_id=user_id)
        return before, cancelled

    async def opt_in(
        self, user_id: int, now: datetime, *, only: OptOut | None = None
    ) -> OptOut | None:
        """Turn proactive messages on again; return why they were off, or None if unchanged.

        With `only`, they are turned on only when they were off for that reason.
        """
        async with self._db.transaction() as session:
            return await turn_proactive_on(session, user_id, now, only=only)

    async def proactive_off(self, user_id: int) -> OptOut | None:
        """Return why the resident gets no proactive messages, or None when they do."""
        return (await self._choices(user_id))[1]


async def proactive_off(session: Session, user_id: int) -> OptOut | None:
    """Return why the resident gets no proactive messages, within a transaction (read once
    per transaction: a report asks for each message it schedules)."""
    key = ("proactive_off", user_id)
    if key not in session.memo:
        value = await session.fetch_value(_PROACTIVE_OFF, (user_id,))
        session.memo[key] = None if value is None else OptOut(value)
    found: OptOut | None = session.memo[key]
    return found


async def chosen_language(session: Session, user_id: int) -> Language | None:
    """Return the language the resident chose, within a transaction; None if they never chose."""
    value = await session.fetch_value(_LANGUAGE, (user_id,))
    return None if value is None else Language(value)


async def turn_proactive_off(
    session: Session, user_id: int, reason: OptOut, now: datetime
) -> OptOut | None:
    """Record that a resident gets no proactive messages; return why they were off before.

    A resident who stopped them keeps the reason STOP when they later block the bot, so that
    writing again does not turn them back on. Cancelling the pending ones is the caller's.
    """
    stamp = to_text(now)
    _forget(user_id)
    before = await proactive_off(session, user_id)
    session.memo.pop(("proactive_off", user_id), None)
    kept = OptOut.STOP if OptOut.STOP in (before, reason) else reason
    await session.execute(
        "INSERT INTO residents (user_id, language, created_at, updated_at,"
        " proactive_off, proactive_off_at) VALUES (?, NULL, ?, ?, ?, ?)"
        " ON CONFLICT (user_id) DO UPDATE SET proactive_off = excluded.proactive_off,"
        " proactive_off_at = excluded.proactive_off_at, updated_at = excluded.updated_at",
        (user_id, stamp, stamp, kept.value, stamp),
    )
    return before


async def turn_proactive_on(
    session: Session, user_id: int, now: datetime, *, only: OptOut | None = None
) -> OptOut | None:
    """Let Meldbot write first again; return why it could not, or None if nothing changed.

    With `only`, proactive messages are turned on only when they were off for that reason.
    """
    _forget(user_id)
    before = await proactive_off(session, user_id)
    if before is None or (only is not None and before is not only):
        return None
    session.memo.pop(("proactive_off", user_id), None)
    await session.execute(
        "UPDATE residents SET proactive_off = NULL, proactive_off_at = NULL,"
        " updated_at = ? WHERE user_id = ?",
        (to_text(now), user_id),
    )
    return before


def _forget(user_id: int) -> None:
    """Forget what was read of the resident's choices while handling this update: they
    change now."""
    handling = current()
    if handling is not None:
        handling.choices.pop(user_id, None)
