"""Plain records shared by the fake's modules: users, groups, uploads, sent messages."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

JSONDict = dict[str, Any]


@dataclass
class FakeUser:
    """A simulated Telegram user; the id of their private chat with the bot equals their id."""

    id: int
    first_name: str = "Anna"
    language_code: str | None = "nl"
    username: str | None = None
    last_name: str | None = None
    is_bot: bool = False
    started: bool = False
    blocked: bool = False

    def as_dict(self) -> JSONDict:
        """Return this user as a Bot API User object."""
        user: JSONDict = {"id": self.id, "is_bot": self.is_bot, "first_name": self.first_name}
        if self.last_name:
            user["last_name"] = self.last_name
        if self.username:
            user["username"] = self.username
        if self.language_code:
            user["language_code"] = self.language_code
        return user

    def private_chat(self) -> JSONDict:
        """Return the private chat of this user with the bot as a Bot API Chat object."""
        chat: JSONDict = {"id": self.id, "type": "private", "first_name": self.first_name}
        if self.last_name:
            chat["last_name"] = self.last_name
        if self.username:
            chat["username"] = self.username
        return chat


@dataclass
class FakeGroup:
    """A simulated group (id above -10**12) or supergroup (id like -100...)."""

    id: int
    title: str
    username: str | None = None
    members: dict[int, str] = field(default_factory=dict)
    bot_status: str = "left"

    @property
    def type(self) -> str:
        """Return "supergroup" for -100... ids and "group" otherwise, like Telegram."""
        return "supergroup" if self.id <= -1_000_000_000_000 else "group"

    def as_dict(self) -> JSONDict:
        """Return this group as a Bot API Chat object."""
        chat: JSONDict = {"id": self.id, "type": self.type, "title": self.title}
        if self.username:
            chat["username"] = self.username
        return chat


@dataclass(frozen=True)
class Upload:
    """A file part of a multipart request."""

    name: str
    filename: str
    content_type: str
    data: bytes


@dataclass
class StoredFile:
    """A file the fake can hand out through getFile and the file URL."""

    file_id: str
    file_unique_id: str
    file_path: str
    data: bytes


@dataclass
class CallbackRecord:
    """A button press and what the bot answered, if anything."""

    id: str
    user_id: int
    chat_id: int | None
    message_id: int | None
    data: str | None
    created: float = 0.0
    answer: JSONDict | None = None
    answered_too_late: bool = False
    """The bot tried to answer after Telegram's lifetime of a press; it was refused."""


@dataclass
class SentMessage:
    """One message the bot sent or edited, as the resident would see it."""

    chat_id: int
    message_id: int
    method: str
    text: str
    html: str | None
    reply_markup: JSONDict | None
    buttons: list[tuple[str, str | None]]
    params: JSONDict
    message: JSONDict
    kind: str = "text"
    edited: bool = False
    entities: list[JSONDict] = field(default_factory=list)

    @property
    def button_texts(self) -> list[str]:
        """Return the labels of all buttons, in reading order."""
        return [text for text, _ in self.buttons]

    def button_data(self, text: str) -> str | None:
        """Return the callback data or URL of the button labelled text."""
        for label, value in self.buttons:
            if label == text:
                return value
        raise AssertionError(f"no button {text!r} in {self.button_texts}")


def flat_buttons(markup: JSONDict | None) -> list[tuple[str, str | None]]:
    """Return (text, callback_data or url) of every button of a keyboard markup."""
    if not markup:
        return []
    rows = markup.get("inline_keyboard") or markup.get("keyboard") or []
    buttons: list[tuple[str, str | None]] = []
    for row in rows:
        for button in row:
            if isinstance(button, str):
                buttons.append((button, None))
            else:
                value = button.get("callback_data", button.get("url"))
                buttons.append((str(button["text"]), value))
    return buttons
