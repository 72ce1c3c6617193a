"""Read the `[open311]` table: the Open311 GeoReport v2 endpoint and its clients."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

Access = Literal["read", "write"]


class Open311Client(BaseModel):
    """One client of the endpoint: its name and the SHA-256 of its api_key (never the key)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str = Field(min_length=1, max_length=60, pattern=r"^[A-Za-z0-9 ._-]+$")
    """Shown to partners on the reports the client posts ("via Open311: <name>")."""
    key_sha256: str = Field(pattern=r"^[0-9a-f]{64}$")
    """The SHA-256 hex digest of the client's api_key: `printf %s KEY | sha256sum`."""
    methods: tuple[Access, ...] = ("read", "write")
    """What the key may do: "read" (GET with a key: descriptions when configured) and "write"
    (POST requests)."""
    per_minute: int = Field(default=60, ge=1, le=10_000)
    """Calls per minute this key may make; more get 429."""


class Open311Config(BaseModel):
    """The `[open311]` table: off by default."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    enabled: bool = False
    host: str = "127.0.0.1"
    port: int = Field(default=8311, ge=0, le=65535)
    """0: any free port (tests)."""
    clients: tuple[Open311Client, ...] = ()
    show_descriptions: bool = False
    """GET requests show the residents' descriptions (off: they may hold personal details)."""
    anonymous_per_minute: int = Field(default=60, ge=1, le=10_000)
    """Calls per minute per address for GET without a key."""
    max_description: int = Field(default=2000, ge=10, le=10_000)
    """The longest description a POST may carry; longer ones get 400."""
