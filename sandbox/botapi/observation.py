"""Observe what the bot sent, edited and asked of the fake."""

from __future__ import annotations

import asyncio

from .models import JSONDict, SentMessage
from .residents import Residents


class Observation(Residents):
    """Observation API over the bot's sent and edited messages."""

    refusals: list[str]
    requests: list[tuple[str, JSONDict]]

    def messages(self, chat_id: int) -> list[SentMessage]:
        """Return everything the bot sent to or edited in chat_id, oldest first."""
        return [m for m in self.world.sent if m.chat_id == chat_id]

    def drain(self, chat_id: int) -> int:
        """Mark everything sent to chat_id so far as seen; return how many were unseen."""
        unseen = [
            index
            for index, sent in enumerate(self.world.sent)
            if sent.chat_id == chat_id and index not in self.world.consumed
        ]
        self.world.consumed.update(unseen)
        return len(unseen)

    def current(self, chat_id: int, message_id: int) -> JSONDict | None:
        """Return a message as the chat shows it now (after edits), or None if deleted."""
        return self.world.message(chat_id, message_id)

    def reply_keyboard(self, chat_id: int) -> list[list[str]] | None:
        """Return the labels of the reply keyboard the bot shows in chat_id, if any."""
        markup = self.world.reply_keyboards.get(chat_id)
        if not markup:
            return None
        return [
            [b if isinstance(b, str) else str(b["text"]) for b in row] for row in markup["keyboard"]
        ]

    def _take(self, chat_id: int, contains: str | None) -> SentMessage | None:
        """Consume and return the first unconsumed matching message to chat_id."""
        for index, sent in enumerate(self.world.sent):
            if index in self.world.consumed or sent.chat_id != chat_id:
                continue
            if contains is None or contains in sent.text:
                self.world.consumed.add(index)
                return sent
        return None

    async def wait_for_message(
        self,
        chat_id: int,
        *,
        contains: str | None = None,
        timeout: float = 5.0,  # noqa: ASYNC109
    ) -> SentMessage:
        """Return the next message (or edit) to chat_id not returned before, waiting for it."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while True:
            found = self._take(chat_id, contains)
            if found is not None:
                return found
            remaining = deadline - loop.time()
            if remaining <= 0:
                break
            await self.world.sent_changed(remaining)
        seen = [f"{m.method}: {m.text!r}" for m in self.messages(chat_id)]
        raise AssertionError(
            f"no message to {chat_id} containing {contains!r} within {timeout}s; "
            f"the chat has {seen}; refusals: {self.refusals}"
        )

    async def wait_idle(self, quiet: float = 0.2, timeout: float = 5.0) -> None:  # noqa: ASYNC109
        """Wait until the bot has sent nothing for quiet seconds and all updates are fetched."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        count = -1
        while loop.time() < deadline:
            if count == len(self.world.sent) and not self.world.updates.pending:
                return
            count = len(self.world.sent)
            await asyncio.sleep(quiet)
        raise AssertionError(f"the bot did not go idle within {timeout}s")
