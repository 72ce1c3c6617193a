"""Remember what each resident chose: for now, the language they read Meldbot in."""

from __future__ import annotations

from datetime import datetime

from reports.models import Language
from storage.database import Database
from storage.timestamps import to_text


class ResidentRepository:
    """Store residents' explicit preferences, keyed by Telegram user id only."""

    def __init__(self, db: Database) -> None:
        self._db = db

    async def language(self, user_id: int) -> Language | None:
        """Return the language the resident chose, or None if they never chose one."""
        async with self._db.read() as session:
            value = await session.fetch_value(
                "SELECT language FROM residents WHERE user_id = ?", (user_id,)
            )
        return None if value is None else Language(value)

    async def set_language(self, user_id: int, language: Language | None, now: datetime) -> None:
        """Record the resident's language choice (None: follow Telegram's language again)."""
        stamp = to_text(now)
        async with self._db.transaction() as session:
            await session.execute(
                "INSERT INTO residents (user_id, language, created_at, updated_at)"
                " VALUES (?, ?, ?, ?)"
                " ON CONFLICT (user_id) DO UPDATE"
                " SET language = excluded.language, updated_at = excluded.updated_at",
                (user_id, None if language is None else language.value, stamp, stamp),
            )
