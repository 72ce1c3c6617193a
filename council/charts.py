"""Inline SVG charts for the council report: bars, a 12-month trend, colour classes, legends.

No library and no script: each chart is a string of SVG that prints as sharply as the text.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

BLUES = ("#eff6fb", "#c6dbef", "#85bcdb", "#3f8fc4", "#1a5a96")
"""Five classes from few to many (ColorBrewer Blues, colour-blind safe)."""
REDS = ("#fdf0e8", "#f9c8ad", "#f28d6b", "#d6473b", "#99132a")
NO_DATA = "url(#no-data)"
NO_DATA_PATTERN = (
    '<defs><pattern id="no-data" width="6" height="6" patternUnits="userSpaceOnUse"'
    ' patternTransform="rotate(45)"><rect width="6" height="6" fill="#f2f2f2"/>'
    '<line x1="0" y1="0" x2="0" y2="6" stroke="#b5b5b5" stroke-width="2"/></pattern></defs>'
)


@dataclass(frozen=True)
class Classes:
    """Value classes with their colours: class i holds values up to `limits[i]`."""

    limits: tuple[float, ...]
    colours: tuple[str, ...]

    def colour(self, value: float | None) -> str:
        """Return the fill of a value; the hatched "no data" fill for None."""
        if value is None:
            return NO_DATA
        for limit, colour in zip(self.limits, self.colours, strict=True):
            if value <= limit:
                return colour
        return self.colours[-1]


def nice_classes(values: Sequence[float | None], colours: Sequence[str] = BLUES) -> Classes:
    """Split 0..max into equal classes with round limits (1, 2, 2.5 or 5 times a power of ten)."""
    known = [v for v in values if v is not None]
    top = max(known, default=0.0)
    count = len(colours)
    raw = top / count if top > 0 else 1.0
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)
    return Classes(tuple(step * (i + 1) for i in range(count)), tuple(colours))


def share_classes() -> Classes:
    """Classes for the unsafe share: the last two are above the 15% target."""
    return Classes((0.05, 0.10, 0.15, 0.25, 1.0), REDS)


def legend(classes: Classes, *, percent: bool, no_data: str, width: int = 640) -> str:
    """A horizontal legend: one swatch per class with its range, then "no data"."""
    items: list[tuple[str, str]] = []
    low = 0.0
    for limit, colour in zip(classes.limits, classes.colours, strict=True):
        items.append((colour, f"{_number(low, percent)}\u2013{_number(limit, percent)}"))
        low = limit
    items.append((NO_DATA, no_data))
    step = width / len(items)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="legend" viewBox="0 0 {width} 22"'
        f' width="{width}" height="22">{NO_DATA_PATTERN}'
    ]
    for index, (colour, label) in enumerate(items):
        x = index * step
        parts.append(
            f'<rect x="{x:.0f}" y="3" width="16" height="14" fill="{colour}" stroke="#777"'
            f' stroke-width=".5"/><text x="{x + 21:.0f}" y="15" font-size="11">'
            f"{escape(label)}</text>"
        )
    parts.append("</svg>")
    return "".join(parts)


def _number(value: float, percent: bool) -> str:
    if percent:
        return f"{value * 100:.0f}%"
    return f"{value:g}"


def bar_chart(
    items: Sequence[tuple[str, int]], *, width: int = 640, colour: str = "#3f8fc4"
) -> str:
    """Horizontal bars, one per item, labelled on the left, the count at the bar's end."""
    if not items:
        return ""
    row = 20
    label_width = 230
    top = max(value for _, value in items) or 1
    room = width - label_width - 50
    height = row * len(items) + 4
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {width} {height}"'
        f' width="{width}" height="{height}" role="img">'
    ]
    for index, (label, value) in enumerate(items):
        y = index * row + 2
        length = room * value / top
        parts.append(
            f'<text x="{label_width - 6}" y="{y + 14}" font-size="12" text-anchor="end">'
            f"{escape(label)}</text>"
            f'<rect x="{label_width}" y="{y + 3}" width="{length:.1f}" height="{row - 6}"'
            f' fill="{colour}"/>'
            f'<text x="{label_width + length + 4:.1f}" y="{y + 14}" font-size="12">{value}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


def trend_chart(
    months: Sequence[tuple[str, int, int]],
    labels: tuple[str, str],
    *,
    width: int = 640,
    height: int = 200,
) -> str:
    """Paired columns per month: made (dark) and resolved (light), with a value axis."""
    if not months:
        return ""
    left, bottom, top_margin = 36, 34, 22
    plot_height = height - bottom - top_margin
    top = max(max(made, resolved) for _, made, resolved in months) or 1
    axis = nice_classes([float(top)], ("",) * 4).limits[-1]
    slot = (width - left - 8) / len(months)
    bar = slot * 0.36
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {width} {height}"'
        f' width="{width}" height="{height}" role="img">'
    ]
    for step in range(5):
        value = axis * step / 4
        y = top_margin + plot_height * (1 - step / 4)
        parts.append(
            f'<line x1="{left}" x2="{width - 8}" y1="{y:.1f}" y2="{y:.1f}" stroke="#ddd"/>'
            f'<text x="{left - 4}" y="{y + 4:.1f}" font-size="10" text-anchor="end">'
            f"{value:g}</text>"
        )
    for index, (label, made, resolved) in enumerate(months):
        x = left + index * slot + slot * 0.12
        for offset, value, colour in ((0.0, made, "#1a5a96"), (bar, resolved, "#85bcdb")):
            h = plot_height * value / axis
            parts.append(
                f'<rect x="{x + offset:.1f}" y="{top_margin + plot_height - h:.1f}"'
                f' width="{bar:.1f}" height="{h:.1f}" fill="{colour}"><title>{value}</title></rect>'
            )
        parts.append(
            f'<text x="{x + bar:.1f}" y="{height - bottom + 14}" font-size="10"'
            f' text-anchor="middle">{escape(label)}</text>'
        )
    for index, (label, colour) in enumerate(zip(labels, ("#1a5a96", "#85bcdb"), strict=True)):
        x = left + index * 140
        parts.append(
            f'<rect x="{x}" y="4" width="12" height="12" fill="{colour}"/>'
            f'<text x="{x + 16}" y="14" font-size="11">{escape(label)}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)
