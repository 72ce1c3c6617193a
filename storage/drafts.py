"""Keep each resident's report in progress: one draft per resident, stored as JSON."""

from __future__ import annotations

from datetime import datetime

from reports.models import Draft
from storage.database import Database, Session
from storage.handling import current
from storage.timestamps import as_utc, to_text


class DraftRepository:
    """Store, find and expire drafts.

    A draft's `updated_at` is its version: whoever changes a draft must move `updated_at`
    forward before saving it, because `delete_if_unchanged` and
    `ReportRepository.commit_draft` only act on the draft as it was at that `updated_at`.
    """

    def __init__(self, db: Database) -> None:
        self._db = db

    async def get(self, user_id: int) -> Draft | None:
        """Return the resident's draft, or None (as read with their choices, when it was)."""
        handling = current()
        if handling is not None and user_id in handling.drafts:
            data = handling.drafts.pop(user_id)
        else:
            data = await self._db.fetch_value(
                "SELECT data FROM drafts WHERE user_id = ?", (user_id,)
            )
        return None if data is None else load_draft(data)

    async def save(self, draft: Draft) -> None:
        """Insert or replace the resident's draft (not synced at once: see `transaction`)."""
        async with self._db.transaction(durable=False) as session:
            await save_draft(session, draft)

    async def delete(self, user_id: int) -> bool:
        """Delete the resident's draft; return whether there was one."""
        forget_draft(user_id)
        async with self._db.transaction() as session:
            return await session.execute("DELETE FROM drafts WHERE user_id = ?", (user_id,)) > 0

    async def expired(self, before: datetime) -> list[Draft]:
        """Return the drafts last changed before `before`, oldest first."""
        rows = await self._db.fetch_all(
            "SELECT data FROM drafts WHERE updated_at < ? ORDER BY updated_at, user_id",
            (to_text(before),),
        )
        return [load_draft(row["data"]) for row in rows]

    async def delete_if_unchanged(self, user_id: int, updated_at: datetime) -> bool:
        """Delete the draft only if it was not saved again since `updated_at`; return whether."""
        async with self._db.transaction() as session:
            return await delete_unchanged_draft(session, user_id, updated_at)


def dump_draft(draft: Draft) -> str:
    """Return the draft as JSON with its timestamps in UTC."""
    normalised = draft.model_copy(
        update={"created_at": as_utc(draft.created_at), "updated_at": as_utc(draft.updated_at)}
    )
    return normalised.model_dump_json()


def load_draft(data: str) -> Draft:
    """Return the draft a stored JSON document describes, timestamps in UTC."""
    draft = Draft.model_validate_json(data)
    draft.created_at = as_utc(draft.created_at)
    draft.updated_at = as_utc(draft.updated_at)
    return draft


def forget_draft(user_id: int) -> None:
    """Forget the draft read along with the resident's choices (`Handling.drafts`): it changes."""
    handling = current()
    if handling is not None:
        handling.drafts.pop(user_id, None)


async def save_draft(session: Session, draft: Draft) -> None:
    """Upsert the draft inside an open transaction."""
    forget_draft(draft.user_id)
    session.add(
        "INSERT INTO drafts (user_id, data, updated_at) VALUES (?, ?, ?)"
        " ON CONFLICT (user_id) DO UPDATE"
        " SET data = excluded.data, updated_at = excluded.updated_at",
        (draft.user_id, dump_draft(draft), to_text(draft.updated_at)),
    )


async def delete_unchanged_draft(session: Session, user_id: int, updated_at: datetime) -> bool:
    """Delete the draft inside an open transaction if it still has this `updated_at`."""
    forget_draft(user_id)
    changed = await session.execute(
        "DELETE FROM drafts WHERE user_id = ? AND updated_at = ?",
        (user_id, to_text(updated_at)),
    )
    return changed > 0
