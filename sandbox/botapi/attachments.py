"""Simulate people sending photos, files, contacts, polls and dice to the bot."""

from __future__ import annotations

from .models import FakeUser, JSONDict, Upload
from .outgoing import spec_object
from .residents import ChatRef, MessageRef, Residents
from .sending import photo_sizes

_JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00\xff\xd9"
_FILE_KINDS: dict[str, tuple[str, str, JSONDict]] = {
    "sticker": ("Sticker", "webp", {"type": "regular", "width": 512, "height": 512, "emoji": "👍"}),
    "voice": ("Voice", "ogg", {"duration": 3, "mime_type": "audio/ogg"}),
    "video": ("Video", "mp4", {"width": 640, "height": 360, "duration": 5}),
    "video_note": ("VideoNote", "mp4", {"length": 240, "duration": 5}),
    "audio": ("Audio", "mp3", {"duration": 30, "mime_type": "audio/mpeg"}),
    "document": ("Document", "pdf", {"file_name": "melding.pdf", "mime_type": "application/pdf"}),
    "animation": ("Animation", "mp4", {"width": 320, "height": 240, "duration": 2}),
}


class Attachments(Residents):
    """Simulation API for messages with attachments."""

    def send_photo(
        self,
        user: FakeUser,
        caption: str | None = None,
        chat: ChatRef = None,
        *,
        content: bytes = _JPEG,
        reply_to: MessageRef | None = None,
    ) -> JSONDict:
        """Let user send a photo; its sizes get fresh file_ids that getFile knows."""
        upload = Upload("photo", "photo.jpg", "image/jpeg", content)
        fields: JSONDict = {"photo": photo_sizes(self.world, upload)}
        if caption is not None:
            fields["caption"] = caption
        return self._incoming(user, chat, fields, reply_to)

    def _send_file(self, user: FakeUser, kind: str, chat: ChatRef, extra: JSONDict) -> JSONDict:
        """Let user send a file of a given kind with plausible metadata."""
        type_name, extension, defaults = _FILE_KINDS[kind]
        stored = self.world.add_file(kind, b"fake " + kind.encode(), extension)
        values: JSONDict = {"file_id": stored.file_id, "file_unique_id": stored.file_unique_id}
        values.update(defaults)
        values["file_size"] = len(stored.data)
        content: JSONDict = {kind: spec_object(self.world.spec, type_name, values), **extra}
        return self._incoming(user, chat, content)

    def send_sticker(self, user: FakeUser, chat: ChatRef = None) -> JSONDict:
        """Let user send a sticker."""
        return self._send_file(user, "sticker", chat, {})

    def send_voice(self, user: FakeUser, chat: ChatRef = None) -> JSONDict:
        """Let user send a voice note."""
        return self._send_file(user, "voice", chat, {})

    def send_video(
        self, user: FakeUser, caption: str | None = None, chat: ChatRef = None
    ) -> JSONDict:
        """Let user send a video."""
        return self._send_file(user, "video", chat, {"caption": caption} if caption else {})

    def send_video_note(self, user: FakeUser, chat: ChatRef = None) -> JSONDict:
        """Let user send a round video note."""
        return self._send_file(user, "video_note", chat, {})

    def send_audio(self, user: FakeUser, chat: ChatRef = None) -> JSONDict:
        """Let user send an audio file."""
        return self._send_file(user, "audio", chat, {})

    def send_document(
        self, user: FakeUser, caption: str | None = None, chat: ChatRef = None
    ) -> JSONDict:
        """Let user send a document."""
        return self._send_file(user, "document", chat, {"caption": caption} if caption else {})

    def send_animation(self, user: FakeUser, chat: ChatRef = None) -> JSONDict:
        """Let user send a GIF animation."""
        return self._send_file(user, "animation", chat, {})

    def send_contact(
        self, user: FakeUser, phone_number: str = "+31612345678", chat: ChatRef = None
    ) -> JSONDict:
        """Let user share their own phone number."""
        contact = {"phone_number": phone_number, "first_name": user.first_name, "user_id": user.id}
        return self._incoming(user, chat, {"contact": contact})

    def send_poll(
        self,
        user: FakeUser,
        question: str = "Wat vind je?",
        options: tuple[str, ...] = ("Ja", "Nee"),
        chat: ChatRef = None,
    ) -> JSONDict:
        """Let user send a poll."""
        spec = self.world.spec
        poll_options = [
            spec_object(spec, "PollOption", {"persistent_id": str(i), "text": text})
            for i, text in enumerate(options)
        ]
        values = {
            "id": self.world.unique("5"),
            "question": question,
            "options": poll_options,
            "is_anonymous": True,
            "type": "regular",
        }
        return self._incoming(user, chat, {"poll": spec_object(spec, "Poll", values)})

    def send_dice(
        self, user: FakeUser, emoji: str = "🎲", value: int = 3, chat: ChatRef = None
    ) -> JSONDict:
        """Let user throw a dice."""
        return self._incoming(user, chat, {"dice": {"emoji": emoji, "value": value}})
