"""Draw the pictures the outbox sends by name: rows keep JSON, the picture is made when sent.

A `sendPhoto` row whose `photo` is "meldbot-picture:<kind>:<id>" (`GENERATED_PICTURE`) gets
its picture here, just before the call: "hotspot:<id>" is the hotspot's buurt among its
neighbours with the located reports of its last 28 days as a blurred density, never pins
(council/hotspot_picture.py). Drawn from what is stored at that moment, so a retry after a
restart draws it again; None when there is nothing to draw (the row then goes as text).
"""

from __future__ import annotations

import asyncio
import logging

from council.hotspot_picture import hotspot_picture
from council.maps import load_maps
from handlers.coordinator.views import coordinator_language, texts_of
from services.container import Services
from services.hotspots import hotspot_area
from services.ports import GENERATED_PICTURE

log = logging.getLogger(__name__)


async def draw_picture(svc: Services, name: str) -> bytes | None:
    """Return the PNG a generated picture name stands for, or None."""
    kind, _, key = name.removeprefix(GENERATED_PICTURE).partition(":")
    if kind != "hotspot" or not key.isdigit():
        log.warning("unknown generated picture %r", name)
        return None
    area = await hotspot_area(svc, int(key))
    if area is None:
        return None
    language = coordinator_language(svc)
    category = texts_of(svc).category_name(area.category_id, language)
    buurten, _ = load_maps(svc.config.neighbourhoods.buurten)
    title = f"{category}: {area.place}"
    return await asyncio.to_thread(hotspot_picture, area.buurt_code, area.points, title, buurten)
