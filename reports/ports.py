"""Declare what the domain needs from the outside world."""

from __future__ import annotations

from typing import Protocol

from pydantic import BaseModel, ConfigDict


class GeocodeResult(BaseModel):
    """A point a geocoder found for a typed address."""

    model_config = ConfigDict(frozen=True)

    latitude: float
    longitude: float
    label: str


class GeocoderUnavailable(Exception):
    """The geocoder failed, timed out or refused; offer the resident another way."""


class Geocoder(Protocol):
    """Turn a typed street address into a point inside the municipality."""

    async def geocode(self, query: str) -> GeocodeResult | None:
        """Return the best match or None; raise GeocoderUnavailable on failure."""
        ...
