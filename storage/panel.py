"""Keep the neighbourhood panel: members, their question per round, and anonymous answers.

Tables (migration 0015): `panel_members` (what the next question needs), `panel_invitations`
(one row per member and round: the question goes once), `panel_answers` and `panel_causes`
(no user id, no time), `panel_contacts` (the one offer after a report, and a pending /panel
that waits for a pin). The session functions run inside the caller's unit of work;
`PanelReads` reads on the read connection.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from reports.panel import InvitationState
from storage.database import Database, Session
from storage.timestamps import from_text, to_text

_OPEN_CAUSE = (InvitationState.CAUSE.value, InvitationState.CAUSE_TEXT.value)


@dataclass(frozen=True)
class Member:
    """A panel member as kept."""

    user_id: int
    buurt_code: str
    wijk_code: str
    language: str
    joined_at: datetime


def _member(row: sqlite3.Row) -> Member:
    return Member(
        int(row["user_id"]),
        str(row["buurt_code"]),
        str(row["wijk_code"]),
        str(row["language"]),
        from_text(row["joined_at"]),
    )


class PanelReads:
    """Read the panel on the read connection: the common cases need no write."""

    def __init__(self, db: Database) -> None:
        self._db = db

    async def member(self, user_id: int) -> Member | None:
        """Return a resident's membership, or None."""
        async with self._db.read() as session:
            return await member(session, user_id)

    async def anyone_uninvited(self, round_key: str) -> bool:
        """Return whether some member has no row for this round yet (the sweep's fast path)."""
        async with self._db.read() as session:
            found = await session.fetch_value(
                "SELECT 1 FROM panel_members m WHERE NOT EXISTS (SELECT 1 FROM panel_invitations"
                " i WHERE i.round = ? AND i.user_id = m.user_id) LIMIT 1",
                (round_key,),
            )
        return found is not None

    async def answers(self, round_key: str) -> list[tuple[str, str, int]]:
        """Return (wijk_code, answer, count) of a round's answers."""
        async with self._db.read() as session:
            rows = await session.fetch_all(
                "SELECT wijk_code, answer, COUNT(*) FROM panel_answers WHERE round = ?"
                " GROUP BY 1, 2",
                (round_key,),
            )
        return [(str(r[0]), str(r[1]), int(r[2])) for r in rows]

    async def causes(self, round_key: str) -> dict[str, int]:
        """Return how often each cause was given in a round (typed ones count as "other")."""
        async with self._db.read() as session:
            rows = await session.fetch_all(
                "SELECT cause, COUNT(*) FROM panel_causes WHERE round = ? GROUP BY 1",
                (round_key,),
            )
        return {str(r[0]): int(r[1]) for r in rows}

    async def members_per_wijk(self) -> dict[str, int]:
        """Return how many members each wijk has now."""
        async with self._db.read() as session:
            rows = await session.fetch_all(
                "SELECT wijk_code, COUNT(*) FROM panel_members GROUP BY 1"
            )
        return {str(r[0]): int(r[1]) for r in rows}

    async def pending_until(self, user_id: int) -> datetime | None:
        """Return until when the resident's /panel waits for a pin, or None."""
        async with self._db.read() as session:
            found = await session.fetch_value(
                "SELECT pending_until FROM panel_contacts WHERE user_id = ?", (user_id,)
            )
        return None if found is None else from_text(str(found))

    async def open_cause(self, user_id: int) -> tuple[str, InvitationState] | None:
        """Return (round, state) of the resident's open follow-up, if any (newest round)."""
        async with self._db.read() as session:
            row = await session.fetch_one(
                "SELECT round, state FROM panel_invitations WHERE user_id = ? AND state IN"
                " (?, ?) ORDER BY round DESC LIMIT 1",
                (user_id, *_OPEN_CAUSE),
            )
        return None if row is None else (str(row[0]), InvitationState(row[1]))


async def member(session: Session, user_id: int) -> Member | None:
    """Return a resident's membership inside a transaction, or None."""
    row = await session.fetch_one("SELECT * FROM panel_members WHERE user_id = ?", (user_id,))
    return None if row is None else _member(row)


async def join(
    session: Session, user_id: int, buurt_code: str, wijk_code: str, language: str, now: datetime
) -> bool:
    """Make the resident a member of this buurt (or move them); True when they were not yet."""
    before = await member(session, user_id)
    await session.execute(
        "INSERT INTO panel_members (user_id, buurt_code, wijk_code, language, joined_at)"
        " VALUES (?, ?, ?, ?, ?) ON CONFLICT (user_id) DO UPDATE SET"
        " buurt_code = excluded.buurt_code, wijk_code = excluded.wijk_code,"
        " language = excluded.language",
        (user_id, buurt_code, wijk_code, language, to_text(now)),
    )
    await session.execute(
        "UPDATE panel_contacts SET pending_until = NULL WHERE user_id = ?", (user_id,)
    )
    return before is None


async def leave(session: Session, user_id: int, round_key: str) -> bool:
    """End a membership and erase its links; True when the resident was a member.

    The rows of earlier rounds go; this round's row stays as 'left' (nothing else in it), so
    joining again in the same round does not bring a second question.
    """
    gone = await session.execute("DELETE FROM panel_members WHERE user_id = ?", (user_id,))
    await session.execute(
        "DELETE FROM panel_invitations WHERE user_id = ? AND round <> ?", (user_id, round_key)
    )
    await session.execute(
        "UPDATE panel_invitations SET state = ?, outbox_id = NULL WHERE user_id = ?",
        (InvitationState.LEFT.value, user_id),
    )
    return gone == 1


async def erase(session: Session, user_id: int) -> None:
    """Remove every panel row that holds the resident's id (erasure)."""
    for table in ("panel_members", "panel_invitations", "panel_contacts"):
        await session.execute(f"DELETE FROM {table} WHERE user_id = ?", (user_id,))


async def uninvited(session: Session, round_key: str, limit: int) -> list[Member]:
    """Return members with no row for this round yet, the longest-standing first."""
    rows = await session.fetch_all(
        "SELECT m.* FROM panel_members m WHERE NOT EXISTS (SELECT 1 FROM panel_invitations i"
        " WHERE i.round = ? AND i.user_id = m.user_id) ORDER BY m.joined_at, m.user_id LIMIT ?",
        (round_key, limit),
    )
    return [_member(row) for row in rows]


async def invite(
    session: Session,
    round_key: str,
    user_id: int,
    state: InvitationState,
    outbox_id: int | None = None,
) -> bool:
    """Record the member's row of a round; False when it was there already."""
    changed = await session.execute(
        "INSERT OR IGNORE INTO panel_invitations (round, user_id, state, outbox_id)"
        " VALUES (?, ?, ?, ?)",
        (round_key, user_id, state.value, outbox_id),
    )
    return changed == 1


async def invitation(session: Session, round_key: str, user_id: int) -> InvitationState | None:
    """Return the state of the member's row of a round, or None."""
    found = await session.fetch_value(
        "SELECT state FROM panel_invitations WHERE round = ? AND user_id = ?",
        (round_key, user_id),
    )
    return None if found is None else InvitationState(found)


async def move(
    session: Session,
    round_key: str,
    user_id: int,
    before: Iterable[InvitationState],
    after: InvitationState,
) -> bool:
    """Move the member's row of a round to `after` if it is in one of `before`."""
    states = [state.value for state in before]
    marks = ", ".join("?" for _ in states)
    changed = await session.execute(
        f"UPDATE panel_invitations SET state = ? WHERE round = ? AND user_id = ?"
        f" AND state IN ({marks})",
        (after.value, round_key, user_id, *states),
    )
    return changed == 1


async def forget_invitation(session: Session, round_key: str, user_id: int) -> None:
    """Drop the member's row of a round (after choosing a buurt again: ask this round)."""
    await session.execute(
        "DELETE FROM panel_invitations WHERE round = ? AND user_id = ? AND state = ?",
        (round_key, user_id, InvitationState.REBUURT.value),
    )


async def close_open_causes(session: Session, round_key: str) -> int:
    """Close the follow-ups still open from rounds before this one; return how many."""
    return await session.execute(
        "UPDATE panel_invitations SET state = ? WHERE round < ? AND state IN (?, ?)",
        (InvitationState.DONE.value, round_key, *_OPEN_CAUSE),
    )


async def add_answer(
    session: Session, round_key: str, buurt_code: str, wijk_code: str, answer: str
) -> None:
    """Store one anonymous answer."""
    await session.execute(
        "INSERT INTO panel_answers (round, buurt_code, wijk_code, answer) VALUES (?, ?, ?, ?)",
        (round_key, buurt_code, wijk_code, answer),
    )


async def add_cause(
    session: Session,
    round_key: str,
    buurt_code: str,
    wijk_code: str,
    cause: str,
    typed: str | None = None,
) -> None:
    """Store one anonymous cause (typed: in the member's words)."""
    await session.execute(
        "INSERT INTO panel_causes (round, buurt_code, wijk_code, cause, typed)"
        " VALUES (?, ?, ?, ?, ?)",
        (round_key, buurt_code, wijk_code, cause, typed),
    )


async def contacted(session: Session, user_id: int) -> bool:
    """Return whether the resident has a contacts row (offered, or opened /panel)."""
    found = await session.fetch_value("SELECT 1 FROM panel_contacts WHERE user_id = ?", (user_id,))
    return found is not None


async def set_offer(session: Session, user_id: int, offer: str) -> None:
    """Record the offer's state ('offered', 'declined' or 'interested')."""
    session.add(
        "INSERT INTO panel_contacts (user_id, offer) VALUES (?, ?)"
        " ON CONFLICT (user_id) DO UPDATE SET offer = excluded.offer",
        (user_id, offer),
    )


async def set_pending(session: Session, user_id: int, until: datetime | None) -> None:
    """Let a pin find the resident's buurt until `until` (None: no longer)."""
    session.add(
        "INSERT INTO panel_contacts (user_id, pending_until) VALUES (?, ?)"
        " ON CONFLICT (user_id) DO UPDATE SET pending_until = excluded.pending_until",
        (user_id, None if until is None else to_text(until)),
    )
