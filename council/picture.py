"""Draw the /stats picture: the buurten coloured by reports per 1,000 inhabitants, the wijk
borders, a legend and the key figures, as one PNG a phone shows well.

The same classes and colours as the council report's map (council/charts.py); the figures come
from the same `Insight`. Drawn with Pillow in well under a second.
"""

from __future__ import annotations

import io
from collections.abc import Mapping
from typing import Any

from PIL import Image, ImageDraw, ImageFont

from council.charts import NO_DATA, Classes, nice_classes
from council.words import ReportLanguage
from council.writing import Writer
from reports.insight import Insight
from reports.map_svg import Projection, fit, rings

WIDTH, HEIGHT = 1000, 620
MAP_WIDTH = 600
MARGIN = 20
INK = "#1d2730"
GREY = "#5a6772"
NO_DATA_FILL = "#eeeeee"
OTHER_WIJK = "#f6f7f8"

LABELS = {
    "nl": {
        "reports": "meldingen",
        "previous": "vorige periode",
        "resolved": "afgehandeld",
        "open": "open",
        "safety": "voelt zich weleens onveilig",
        "target": "doel max. 15%",
        "legend": "meldingen per 1.000 inwoners",
        "no_data": "geen gegevens",
    },
    "en": {
        "reports": "reports",
        "previous": "previous period",
        "resolved": "resolved",
        "open": "open",
        "safety": "sometimes feel unsafe",
        "target": "target max. 15%",
        "legend": "reports per 1,000 inhabitants",
        "no_data": "no data",
    },
}


def _plain(text: str) -> str:
    """The bundled font has no en dash: draw a hyphen instead."""
    return text.replace("\u2013", "-")


def _font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    return ImageFont.load_default(size=size)


def _polygon(
    draw: ImageDraw.ImageDraw,
    geometry: Mapping[str, Any],
    projection: Projection,
    offset: tuple[float, float],
    **style: Any,
) -> None:
    for ring in rings(geometry):
        points = [projection.xy(point[0], point[1]) for point in ring]
        draw.polygon([(x + offset[0], y + offset[1]) for x, y in points], **style)


def stats_picture(
    insight: Insight,
    language: ReportLanguage,
    title: str,
    buurten: Mapping[str, Any],
    wijken: Mapping[str, Any] | None,
) -> bytes:
    """Return the PNG of one period's figures for the municipality or one wijk."""
    words = LABELS[language]
    write = Writer(language)
    image = Image.new("RGB", (WIDTH, HEIGHT), "white")
    draw = ImageDraw.Draw(image)
    projection, map_height = fit(buurten, MAP_WIDTH - 2 * MARGIN)
    scale = min(1.0, (HEIGHT - 90) / map_height)
    if scale < 1.0:
        projection, map_height = fit(buurten, (MAP_WIDTH - 2 * MARGIN) * scale)
    offset = (MARGIN, MARGIN)
    rates = {b.code: b.per_thousand for b in insight.buurten}
    classes = nice_classes(list(rates.values()))
    for feature in buurten["features"]:
        properties = feature["properties"]
        code = str(properties["buurtcode"])
        if insight.wijk is not None and properties.get("wijkcode") != insight.wijk:
            fill = OTHER_WIJK
        else:
            colour = classes.colour(rates.get(code))
            fill = NO_DATA_FILL if colour == NO_DATA else colour
        _polygon(draw, feature["geometry"], projection, offset, fill=fill, outline="#9aa7b1")
    if wijken is not None:
        for feature in wijken["features"]:
            _polygon(draw, feature["geometry"], projection, offset, outline=INK, width=2)
    _legend(draw, classes, words, (MARGIN, int(MARGIN + map_height + 14)))
    _figures(draw, insight, write, words, title)
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()


def _legend(
    draw: ImageDraw.ImageDraw, classes: Classes, words: Mapping[str, str], at: tuple[int, int]
) -> None:
    x, y = at
    draw.text((x, y), words["legend"], fill=GREY, font=_font(15))
    y += 22
    low = 0.0
    for limit, colour in zip(classes.limits, classes.colours, strict=True):
        draw.rectangle((x, y, x + 16, y + 14), fill=colour, outline="#777777")
        draw.text((x + 21, y - 1), f"{low:g}-{limit:g}", fill=INK, font=_font(13))
        x += 92
        low = limit
    draw.rectangle((x, y, x + 16, y + 14), fill=NO_DATA_FILL, outline="#777777")
    draw.text((x + 21, y - 1), words["no_data"], fill=INK, font=_font(13))


def _figures(
    draw: ImageDraw.ImageDraw,
    insight: Insight,
    write: Writer,
    words: Mapping[str, str],
    title: str,
) -> None:
    x, y = MAP_WIDTH + 10, MARGIN
    draw.text((x, y), title, fill="#1a5a96", font=_font(26))
    y += 36
    draw.text((x, y), _plain(write.period(insight.period)), fill=GREY, font=_font(16))
    y += 44
    head = insight.headline
    safety = insight.wijken[0].safety if insight.wijk else insight.city_safety
    share = write.safety(safety)[0]
    rows = [
        (
            write.number(head.reports),
            f"{words['reports']} ({words['previous']}: {insight.previous.reports})",
        ),
        (write.number(head.resolved), words["resolved"]),
        (write.number(head.open), words["open"]),
        (share, f"{words['safety']} ({words['target']})"),
    ]
    for value, label in rows:
        draw.text((x, y), _plain(value), fill=INK, font=_font(34))
        y += 42
        draw.text((x, y), label, fill=GREY, font=_font(15))
        y += 40
