"""Load the boundaries the report's maps and the /stats picture are drawn from, once."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

Collection = dict[str, Any]


@cache
def load_maps(buurten_path: Path) -> tuple[Collection, Collection | None]:
    """Return the buurten GeoJSON and the wijken GeoJSON shipped beside it (None if absent)."""
    buurten = json.loads(buurten_path.read_text(encoding="utf-8"))
    wijken_path = buurten_path.with_name("wijken.geojson")
    wijken = json.loads(wijken_path.read_text(encoding="utf-8")) if wijken_path.exists() else None
    return buurten, wijken
