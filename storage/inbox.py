"""Store updates from Telegram before acknowledging them, and track their handling.

An update's life::

    (fetched) ──store──▶ new ──a write commits while handling it──▶ applied
                          │                                            │
                          └──────────────finish────────────────────────┴──▶ done
    new/applied ──fail (attempts < limit): tried again later──▶ new/applied
    new/applied ──fail at the limit, or unreadable──▶ parked

`store` runs before the offset that acknowledges the updates is sent, so an update Telegram
forgets is always in here. A row that is not done after a crash is handled again. Done rows
lose their JSON at once; parked rows keep it for inspection until the retention job removes
them. Logging here never includes an update's content.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from storage.database import Database, Session
from storage.timestamps import from_text, to_text

MAX_ATTEMPTS = 3
"""Handling attempts before an update is parked."""
MAX_ATTEMPTS_UNREACHABLE = 12
"""Attempts when every failure was Telegram being unreachable (about 47 minutes in all)."""
RETRY_AFTER = (
    timedelta(seconds=1),
    timedelta(seconds=2),
    timedelta(seconds=5),
    timedelta(seconds=10),
    timedelta(seconds=30),
    timedelta(minutes=1),
    timedelta(minutes=5),
    timedelta(minutes=10),
)
"""Wait before the second, the third, ... attempt (the last one repeats). The first waits
are short: a resident is waiting for the answer, and most failures are a single lost call."""


_STORE_CHUNK = 100
"""Updates stored by one statement (getUpdates returns at most 100)."""

_DUE = (
    "WITH open AS ("
    " SELECT update_id, chat_id, state, next_try_at,"
    " row_number() OVER (PARTITION BY chat_id ORDER BY update_id) AS place,"
    " count(*) OVER (PARTITION BY chat_id) AS queued"
    " FROM inbox WHERE state IN ('new', 'applied'))"
    " SELECT i.update_id, i.body, i.chat_id, i.state, i.attempts,"
    " open.chat_id IS NOT NULL AND open.state = 'applied' AND open.queued > 1 AS superseded"
    " FROM open JOIN inbox AS i USING (update_id)"
    " WHERE (open.chat_id IS NULL OR open.place = 1)"
    " AND (open.next_try_at IS NULL OR open.next_try_at <= ?"
    " OR (open.chat_id IS NOT NULL AND open.state = 'applied' AND open.queued > 1))"
    " ORDER BY open.update_id LIMIT ?"
)
"""Each chat's oldest open update when it is due (or superseded), and every due update without
a chat."""


_FINISH = (
    "UPDATE inbox SET state = 'done', body = NULL, next_try_at = NULL,"
    " finished_at = ?, attempts = attempts + ?, last_error = coalesce(?, last_error)"
    " WHERE update_id = ? AND state IN ('new', 'applied')"
)


@dataclass(frozen=True)
class InboxRow:
    """One update still to handle."""

    update_id: int
    text: str | None
    """The update's JSON as stored; decoded only for the update that is handled (`body`):
    the intake reads the due rows every time a handler finishes, most of them running."""
    chat_id: int | None
    applied: bool
    attempts: int
    superseded: bool = False
    """Applied (only its answer may be missing) and its chat sent more since: the answer to
    the newer update says where the resident is, so this one needs no answer of its own."""
    parsed: dict[str, Any] | None = field(default=None, compare=False, repr=False)
    """The update as it came, for a row made from an update just stored (no `text`)."""

    @property
    def body(self) -> dict[str, Any] | None:
        """Return the update as a JSON object; None when it is not one (or not readable)."""
        if self.parsed is not None:
            return self.parsed
        if self.text is None:
            return None
        try:
            body = json.loads(self.text)
        except ValueError:
            return None
        return body if isinstance(body, dict) else None


@dataclass(frozen=True)
class InboxCounts:
    """How many updates are in each state."""

    open: int
    done: int
    parked: int


def chat_of(update: dict[str, Any]) -> int | None:
    """Return the chat an update's message or button press belongs to, if it names one."""
    for key, value in update.items():
        if key == "update_id" or not isinstance(value, dict):
            continue
        message = value.get("message") if key == "callback_query" else value
        if isinstance(message, dict):
            chat = message.get("chat")
            if isinstance(chat, dict) and isinstance(chat.get("id"), int):
                return int(chat["id"])
        sender = value.get("from")
        if isinstance(sender, dict) and isinstance(sender.get("id"), int):
            return int(sender["id"])
    return None


class Inbox:
    """The inbox table of one database."""

    def __init__(self, database: Database) -> None:
        self._db = database

    async def store(
        self,
        updates: Sequence[dict[str, Any]],
        now: datetime,
        *,
        along: Callable[[Session], object] | None = None,
    ) -> list[int]:
        """Store updates (in one transaction); a known update_id is ignored. Return the ids of
        the new ones. `along` may add statements (reads) to the same trip to SQLite."""
        rows = [
            (
                int(update["update_id"]),
                json.dumps(update, ensure_ascii=False, separators=(",", ":")),
                chat_of(update),
                to_text(now),
            )
            for update in updates
        ]
        async with self._db.transaction() as session:
            inserts = [
                session.add(
                    "INSERT INTO inbox (update_id, body, chat_id, received_at) VALUES "
                    + ", ".join(["(?, ?, ?, ?)"] * len(chunk))
                    + " ON CONFLICT (update_id) DO NOTHING RETURNING update_id",
                    [value for row in chunk for value in row],
                )
                for chunk in (
                    rows[start : start + _STORE_CHUNK]
                    for start in range(0, len(rows), _STORE_CHUNK)
                )
            ]
            if along is not None:
                along(session)
        return [int(row[0]) for insert in inserts for row in insert.rows]

    async def next_offset(self) -> int | None:
        """Return the getUpdates offset that acknowledges every stored update."""
        async with self._db.read() as session:
            last = await session.fetch_value("SELECT max(update_id) FROM inbox")
        return None if last is None else int(last) + 1

    async def due(self, now: datetime, limit: int = 200) -> list[InboxRow]:
        """Return the updates to handle now, oldest first: per chat only its oldest open update,
        and only once that one is due.

        A chat's updates are handled in the order they were sent. An update that failed and
        waits for its retry holds back the later ones of its chat until it is done or parked:
        otherwise a "/melden" that failed would be handled again after the "Send" that
        followed it, and start a second report the resident never asked for. An *applied*
        one (its effects are stored, only its answer is missing) holds back nothing: with
        later updates of its chat waiting it is returned at once as `superseded`.
        """
        rows = await self._db.fetch_all(_DUE, (to_text(now), limit))
        found: list[InboxRow] = []
        for row in rows:
            found.append(
                InboxRow(
                    int(row["update_id"]),
                    row["body"],
                    row["chat_id"],
                    row["state"] == "applied",
                    int(row["attempts"]),
                    bool(row["superseded"]),
                )
            )
        return found

    async def open_chats(self) -> set[int]:
        """Return the chats that have an update not yet done (or parked)."""
        rows = await self._db.fetch_all(
            "SELECT DISTINCT chat_id FROM inbox"
            " WHERE state IN ('new', 'applied') AND chat_id IS NOT NULL"
        )
        return {int(row[0]) for row in rows}

    async def next_retry(self) -> datetime | None:
        """Return when the earliest update waiting for another attempt is due."""
        value = await self._db.fetch_value(
            "SELECT min(next_try_at) FROM inbox WHERE state IN ('new', 'applied')"
        )
        return None if value is None else from_text(value)

    async def finish(self, update_id: int, now: datetime, *, error: str | None = None) -> None:
        """Mark an update done and forget its content (not synced at once: after a power
        cut the update is answered again, which is harmless). With `error`, its handling
        failed and its sender was told so: the attempt is counted and the error kept."""
        async with self._db.transaction(durable=False) as session:
            session.add(
                _FINISH, (to_text(now), int(error is not None), error and error[:200], update_id)
            )

    def finish_soon(self, update_id: int, now: datetime) -> None:
        """Mark an update done with the next write transaction (`Database.ride`): until then
        the inbox still shows it open, and after a crash it is answered again (harmless, as
        after a power cut for `finish`). Read `due` after `write_pending`."""
        self._db.ride(_FINISH, (to_text(now), 0, None, update_id))

    async def write_pending(self) -> None:
        """Write the updates marked done with `finish_soon` that are not written yet."""
        await self._db.write_riders()

    async def fail(
        self, update_id: int, error: str, now: datetime, *, limit: int = MAX_ATTEMPTS
    ) -> bool:
        """Count a failed attempt; park the update at `limit`. Return whether it is parked."""
        async with self._db.transaction() as session:
            attempts = await session.fetch_value(
                "UPDATE inbox SET attempts = attempts + 1, last_error = ?"
                " WHERE update_id = ? RETURNING attempts",
                (error[:200], update_id),
            )
            if attempts is None:
                return False
            if int(attempts) >= limit:
                await session.execute(
                    "UPDATE inbox SET state = 'parked', next_try_at = NULL, finished_at = ?"
                    " WHERE update_id = ?",
                    (to_text(now), update_id),
                )
                return True
            wait = RETRY_AFTER[min(int(attempts), len(RETRY_AFTER)) - 1]
            await session.execute(
                "UPDATE inbox SET next_try_at = ? WHERE update_id = ?",
                (to_text(now + wait), update_id),
            )
        return False

    async def park(self, update_id: int, error: str, now: datetime) -> None:
        """Park an update that cannot be handled at all (it cannot be read)."""
        async with self._db.transaction() as session:
            await session.execute(
                "UPDATE inbox SET state = 'parked', attempts = attempts + 1, last_error = ?,"
                " next_try_at = NULL, finished_at = ? WHERE update_id = ?",
                (error[:200], to_text(now), update_id),
            )

    async def counts(self) -> InboxCounts:
        """Return how many updates are open, done and parked."""
        async with self._db.read() as session:
            rows = await session.fetch_all("SELECT state, count(*) AS n FROM inbox GROUP BY state")
        by_state = {row["state"]: int(row["n"]) for row in rows}
        return InboxCounts(
            open=by_state.get("new", 0) + by_state.get("applied", 0),
            done=by_state.get("done", 0),
            parked=by_state.get("parked", 0),
        )
