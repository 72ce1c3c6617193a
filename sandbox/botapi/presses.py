"""Simulate button presses on the bot's inline keyboards."""

from __future__ import annotations

from .models import CallbackRecord, FakeGroup, FakeUser, JSONDict, SentMessage
from .residents import Residents


class Presses(Residents):
    """Simulation API for callback queries and the bot's answers to them."""

    def press(
        self,
        user: FakeUser,
        message: JSONDict | SentMessage,
        *,
        text: str | None = None,
        data: str | None = None,
    ) -> str:
        """Press the button labelled text (or carrying data) on a bot message; return the id."""
        assert (text is None) != (data is None), "give exactly one of text= or data="
        chat_id = message.chat_id if isinstance(message, SentMessage) else message["chat"]["id"]
        current = self._resolve(int(chat_id), message)
        rows = (current.get("reply_markup") or {}).get("inline_keyboard", [])
        buttons = [button for row in rows for button in row]
        for button in buttons:
            if (text is not None and button["text"] == text) or (
                data is not None and button.get("callback_data") == data
            ):
                if "callback_data" not in button:
                    raise AssertionError(f"button {button['text']!r} is not a callback button")
                return self._callback(user, current, str(button["callback_data"]))
        labels = [(b["text"], b.get("callback_data")) for b in buttons]
        raise AssertionError(
            f"no button text={text!r} data={data!r} on the message; it has {labels}"
        )

    def press_forged(
        self, user: FakeUser, chat: FakeUser | FakeGroup | int, message_id: int, data: str
    ) -> str:
        """Send a callback query with arbitrary data, as a modified client could."""
        chat_id = chat if isinstance(chat, int) else chat.id
        current = self.world.message(chat_id, message_id)
        if current is None:
            chat_dict = self.world.chat_dict(self.world.find_chat(chat_id))
            current = {"chat": chat_dict, "message_id": message_id, "date": 0}
        return self._callback(user, current, data)

    def _callback(self, user: FakeUser, message: JSONDict, data: str) -> str:
        """Queue a callback_query update and start tracking its answer."""
        query_id = self.world.unique("4242")
        chat_id = int(message["chat"]["id"])
        self.world.callbacks[query_id] = CallbackRecord(
            query_id, user.id, chat_id, int(message["message_id"]), data, self.world.clock()
        )
        payload: JSONDict = {
            "id": query_id,
            "from": user.as_dict(),
            "message": message,
            "chat_instance": f"-{abs(chat_id) * 7 + 13}",
            "data": data,
        }
        self._push("callback_query", payload)
        return query_id

    def answered(self, callback_id: str) -> JSONDict | None:
        """Return the bot's answerCallbackQuery parameters for a press, or None if unanswered."""
        return self.world.callbacks[callback_id].answer

    def unanswered_callbacks(self) -> list[str]:
        """Return the ids of button presses the bot has not answered (nor tried to, too late)."""
        return [
            r.id
            for r in self.world.callbacks.values()
            if r.answer is None and not r.answered_too_late
        ]
