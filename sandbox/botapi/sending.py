"""Behaviour of the send methods: messages, photos, albums, locations, venues, contacts."""

from __future__ import annotations

from typing import Any

from .errors import bad_request
from .models import JSONDict, Upload
from .outgoing import bot_message, formatted, record_sent
from .validate import Validated
from .world import World

_SIZES = ((90, 67), (320, 240), (1280, 960))


def photo_sizes(world: World, source: Upload | str) -> list[JSONDict]:
    """Return the PhotoSize list Telegram makes of an upload, a known file_id or a URL."""
    if isinstance(source, str) and source in world.files:
        return [dict(size) for size in world.photo_sizes.get(source, [])] or [
            _size(world, source, 1280, 960)
        ]
    if isinstance(source, str) and not source.startswith(("http://", "https://")):
        raise bad_request("wrong file identifier/HTTP URL specified")
    data = source.data if isinstance(source, Upload) else source.encode()
    sizes = []
    for width, height in _SIZES:
        stored = world.add_file("photo", data, "jpg")
        sizes.append(_size(world, stored.file_id, width, height))
    for size in sizes:
        world.photo_sizes[size["file_id"]] = sizes
    return sizes


def _size(world: World, file_id: str, width: int, height: int) -> JSONDict:
    """Return one PhotoSize for a stored file."""
    stored = world.file(file_id)
    return {
        "file_id": stored.file_id,
        "file_unique_id": stored.file_unique_id,
        "width": width,
        "height": height,
        "file_size": len(stored.data),
    }


def document(world: World, source: Upload | str) -> JSONDict:
    """Return the Document Telegram makes of an upload, a known file_id or a URL."""
    if isinstance(source, str) and source in world.files:
        stored = world.files[source]
        name = stored.file_path.rsplit("/", 1)[-1]
    elif isinstance(source, str) and source.startswith(("http://", "https://")):
        name = source.rsplit("/", 1)[-1] or "file"
        stored = world.add_file("document", source.encode(), "bin")
    elif isinstance(source, Upload):
        name = source.filename
        stored = world.add_file("document", source.data, name.rsplit(".", 1)[-1] or "bin")
    else:
        raise bad_request("wrong file identifier/HTTP URL specified")
    return {
        "file_id": stored.file_id,
        "file_unique_id": stored.file_unique_id,
        "file_name": name,
        "file_size": len(stored.data),
    }


async def send_message(world: World, v: Validated) -> JSONDict:
    """Send a text message."""
    chat = world.writable_chat(v.params["chat_id"])
    content = formatted(v, "text", "entities")
    message = bot_message(world, chat, v.params, content)
    record_sent(world, "sendMessage", message, v)
    return message


async def send_photo(world: World, v: Validated) -> JSONDict:
    """Send a photo by upload, file_id or URL."""
    chat = world.writable_chat(v.params["chat_id"])
    content: JSONDict = {"photo": photo_sizes(world, v.params["photo"])}
    content.update(formatted(v, "caption", "caption_entities"))
    message = bot_message(world, chat, v.params, content)
    record_sent(world, "sendPhoto", message, v)
    return message


async def send_document(world: World, v: Validated) -> JSONDict:
    """Send a document by upload, file_id or URL."""
    chat = world.writable_chat(v.params["chat_id"])
    content: JSONDict = {"document": document(world, v.params["document"])}
    content.update(formatted(v, "caption", "caption_entities"))
    message = bot_message(world, chat, v.params, content)
    record_sent(world, "sendDocument", message, v)
    return message


async def send_media_group(world: World, v: Validated) -> list[JSONDict]:
    """Send an album of photos or documents that share a media_group_id."""
    chat = world.writable_chat(v.params["chat_id"])
    group_id = world.unique("1300")
    messages = []
    for index, item in enumerate(v.params["media"]):
        media: Any = item["media"]
        if isinstance(media, str) and media.startswith("attach://"):
            media = v.uploads[media.removeprefix("attach://")]
        if item["type"] == "photo":
            content: JSONDict = {"photo": photo_sizes(world, media)}
        elif item["type"] == "document":
            content = {"document": document(world, media)}
        else:
            raise bad_request(f"fake has no behaviour for sendMediaGroup of {item['type']}")
        content["media_group_id"] = group_id
        parsed = v.texts.get(f"media[{index}].caption")
        if parsed is not None and parsed.text:
            content["caption"] = parsed.text
            if parsed.entities:
                content["caption_entities"] = parsed.entities
        message = bot_message(world, chat, v.params, content)
        record_sent(world, "sendMediaGroup", message, v)
        messages.append(message)
    return messages


def _location(params: JSONDict) -> JSONDict:
    """Return the Location object of location parameters."""
    keys = ("latitude", "longitude", "horizontal_accuracy", "live_period", "heading")
    location = {k: params[k] for k in keys if k in params}
    location["latitude"] = float(location["latitude"])
    location["longitude"] = float(location["longitude"])
    return location


async def send_location(world: World, v: Validated) -> JSONDict:
    """Send a location point."""
    chat = world.writable_chat(v.params["chat_id"])
    message = bot_message(world, chat, v.params, {"location": _location(v.params)})
    record_sent(world, "sendLocation", message, v)
    return message


async def send_venue(world: World, v: Validated) -> JSONDict:
    """Send a venue: a named place with an address."""
    chat = world.writable_chat(v.params["chat_id"])
    location = _location(v.params)
    venue = {"location": location, "title": v.params["title"], "address": v.params["address"]}
    message = bot_message(world, chat, v.params, {"venue": venue, "location": location})
    record_sent(world, "sendVenue", message, v)
    return message


async def send_contact(world: World, v: Validated) -> JSONDict:
    """Send a phone contact."""
    chat = world.writable_chat(v.params["chat_id"])
    keys = ("phone_number", "first_name", "last_name", "vcard")
    contact = {k: v.params[k] for k in keys if k in v.params}
    message = bot_message(world, chat, v.params, {"contact": contact})
    record_sent(world, "sendContact", message, v)
    return message


async def send_chat_action(world: World, v: Validated) -> bool:
    """Show a chat action such as typing."""
    chat = world.writable_chat(v.params["chat_id"])
    world.chat_actions.append((chat.id, str(v.params["action"])))
    return True
