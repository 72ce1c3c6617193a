"""Telegram's update queue: offsets confirm, long polls wait, allowed_updates filter."""

from __future__ import annotations

import asyncio
import contextlib
from collections import Counter

from .errors import ApiError
from .models import JSONDict

_NOT_BY_DEFAULT = frozenset({"chat_member", "message_reaction", "message_reaction_count"})
_FIRST_UPDATE_ID = 700_000_001


class UpdateQueue:
    """Pending updates of one bot, delivered through getUpdates."""

    def __init__(self) -> None:
        self.pending: list[JSONDict] = []
        self.allowed: frozenset[str] | None = None
        self.dropped: list[JSONDict] = []
        self.deliveries: Counter[int] = Counter()
        self.confirmed: list[int] = []
        self.unreadable: set[int] = set()
        """Updates a test made invalid on purpose; the fake does not check them as its bugs."""
        self._next_id = _FIRST_UPDATE_ID
        self._changed = asyncio.Event()
        self._poll = 0
        self._closed = False

    def _wake(self) -> None:
        """Wake every waiting long poll."""
        self._changed.set()
        self._changed = asyncio.Event()

    def accepts(self, kind: str) -> bool:
        """Return whether the current allowed_updates lets an update of this kind through."""
        if self.allowed is None:
            return kind not in _NOT_BY_DEFAULT
        return kind in self.allowed

    def push(self, kind: str, payload: JSONDict) -> JSONDict:
        """Queue an update of kind (e.g. "message") unless allowed_updates filters it out."""
        update: JSONDict = {"update_id": self._next_id, kind: payload}
        self._next_id += 1
        if not self.accepts(kind):
            self.dropped.append(update)
            return update
        self.pending.append(update)
        self._wake()
        return update

    def push_unreadable(self, kind: str, payload: JSONDict) -> JSONDict:
        """Queue an update that breaks the Bot API's schema, like one a library cannot parse."""
        update = self.push(kind, payload)
        self.unreadable.add(update["update_id"])
        return update

    async def changed(self, wait: float) -> None:
        """Wait up to wait seconds for an update to be queued."""
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._changed.wait(), wait)

    def set_allowed(self, kinds: list[str]) -> None:
        """Remember allowed_updates; an empty list means Telegram's default set."""
        self.allowed = frozenset(kinds) if kinds else None

    def confirm(self, offset: int) -> None:
        """Forget updates below offset, or all but the last -offset ones for a negative offset."""
        if offset > 0:
            keep = [u for u in self.pending if u["update_id"] >= offset]
        elif offset < 0:
            keep = self.pending[offset:]
        else:
            return
        kept = {u["update_id"] for u in keep}
        self.confirmed.extend(u["update_id"] for u in self.pending if u["update_id"] not in kept)
        self.pending = keep

    def drop_pending(self) -> None:
        """Confirm every pending update without delivering it, like drop_pending_updates."""
        self.confirm(self._next_id)

    async def get(self, offset: int, limit: int, wait: float) -> list[JSONDict]:
        """Answer getUpdates: confirm, then return up to limit updates, waiting wait seconds."""
        self.confirm(offset)
        self._poll += 1
        mine = self._poll
        self._wake()
        loop = asyncio.get_running_loop()
        deadline = loop.time() + wait
        while not self.pending and not self._closed:
            remaining = deadline - loop.time()
            if remaining <= 0:
                break
            changed = self._changed
            try:
                await asyncio.wait_for(changed.wait(), remaining)
            except TimeoutError:
                break
            if self._poll != mine:
                raise ApiError(
                    409,
                    "Conflict: terminated by other getUpdates request; "
                    "make sure that only one bot instance is running",
                )
        batch = self.pending[:limit]
        self.deliveries.update(u["update_id"] for u in batch)
        return batch

    def close(self) -> None:
        """Release every waiting long poll; used when the server stops."""
        self._closed = True
        self._wake()
