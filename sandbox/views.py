"""What the page draws of a chat: messages as a Telegram client shows them, and the keyboard."""

from __future__ import annotations

from typing import Any

from sandbox.botapi.world import World
from sandbox.render import render_text

JSONDict = dict[str, Any]


def keyboard_view(world: World, chat_id: int) -> list[list[JSONDict]]:
    """Return the reply keyboard the bot shows in a chat: labels and what a key shares."""
    markup = world.reply_keyboards.get(chat_id) or {}
    return [
        [
            {"text": key, "shares": None}
            if isinstance(key, str)
            else {
                "text": str(key["text"]),
                "shares": "location"
                if key.get("request_location")
                else ("contact" if key.get("request_contact") else None),
            }
            for key in row
        ]
        for row in markup.get("keyboard", [])
    ]


def message_view(message: JSONDict) -> JSONDict:
    """Return one message as the page draws it."""
    sender = message.get("from") or {}
    text = message.get("text")
    entities = message.get("entities")
    if text is None and message.get("caption") is not None:
        text, entities = message["caption"], message.get("caption_entities")
    view: JSONDict = {
        "id": message["message_id"],
        "from": sender.get("first_name", ""),
        "by_bot": bool(sender.get("is_bot")),
        "date": message.get("date", 0),
        "html": render_text(str(text), entities) if text is not None else "",
        "edited": "edit_date" in message,
    }
    markup = message.get("reply_markup") or {}
    rows = markup.get("inline_keyboard") or []
    view["buttons"] = [
        [{"text": b["text"], "data": b.get("callback_data"), "url": b.get("url")} for b in row]
        for row in rows
    ]
    if message.get("photo"):
        view["photo"] = message["photo"][-1]["file_id"]
    if message.get("location"):
        location = message["location"]
        view["location"] = [location["latitude"], location["longitude"]]
    for kind in ("sticker", "voice", "video", "document", "audio", "contact", "poll"):
        if kind in message:
            view["attachment"] = kind
    reply = message.get("reply_to_message")
    if reply:
        quoted = str(reply.get("text") or reply.get("caption") or "")
        view["reply_to"] = {"id": reply["message_id"], "text": quoted[:80]}
    return view
