"""Read the CBS inhabitants per buurt once: rates per 1,000, hotspot baselines, panel weights."""

from __future__ import annotations

import csv
from collections.abc import Mapping
from functools import cache
from pathlib import Path

from services.container import Services


@cache
def _inhabitants(path: Path) -> Mapping[str, int | None]:
    with path.open(encoding="utf-8", newline="") as rows:
        return {
            row["buurtcode"]: int(row["inwoners"]) if row["inwoners"].strip() else None
            for row in csv.DictReader(rows)
        }


def inhabitants(svc: Services) -> Mapping[str, int | None]:
    """Return the CBS inhabitants per buurt code (None: no figure); empty when not configured."""
    path = svc.config.neighbourhoods.inhabitants
    return _inhabitants(path) if path is not None else {}
