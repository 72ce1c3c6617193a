"""Name buurten as people call them, and list a period's hotspots for the council report."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from reports.hotspots import HotspotFigures
from services.container import Services
from storage.timestamps import from_text


def place_name(svc: Services, buurt_code: str) -> str:
    """Name a buurt with its wijk: "Boddenkamp (Binnensingelgebied)"; the code if unknown."""
    buurt = svc.locations.neighbourhoods.buurt(buurt_code)
    return f"{buurt.buurt_name} ({buurt.wijk_name})" if buurt is not None else buurt_code


def hotspot_figures(
    svc: Services, rows: Sequence[tuple[Any, ...]], wijk: str | None
) -> tuple[HotspotFigures, ...]:
    """The hotspots of a period (`InsightRepository.hotspots`), in the wijk when given."""
    found = []
    for buurt_code, category, first, ended, observed, expected, decision in rows:
        buurt = svc.locations.neighbourhoods.buurt(str(buurt_code))
        if wijk is not None and (buurt is None or buurt.wijk_code != wijk):
            continue
        found.append(
            HotspotFigures(
                str(buurt_code),
                place_name(svc, str(buurt_code)),
                str(category),
                from_text(first),
                from_text(ended) if ended else None,
                int(observed),
                float(expected),
                decision,
            )
        )
    return tuple(found)
