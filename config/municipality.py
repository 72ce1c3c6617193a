"""Load the municipality configuration: the shipped TOML with a deployment's overrides on top."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from config.errors import ConfigError
from reports.categories import Category

SHIPPED_CONFIG = Path(__file__).resolve().parent / "enschede.toml"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class MunicipalityInfo(_Strict):
    """Who runs this Meldbot."""

    code: str = Field(pattern=r"^GM\d{4}$")
    name: str = Field(min_length=1)
    reference_prefix: str = Field(pattern=r"^[A-Z]{2,5}$")
    timezone: str = "Europe/Amsterdam"

    @field_validator("timezone")
    @classmethod
    def _known_timezone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"unknown time zone {value!r}") from None
        return value

    @property
    def zone(self) -> ZoneInfo:
        """Return the municipality's time zone."""
        return ZoneInfo(self.timezone)


class ReportRules(_Strict):
    """Limits on what a report holds."""

    description_min_chars: int = Field(default=10, ge=1, le=500)
    description_max_chars: int = Field(default=2000, ge=20, le=3000)
    max_photos: int = Field(default=3, ge=0, le=3)

    @model_validator(mode="after")
    def _min_below_max(self) -> ReportRules:
        if self.description_min_chars >= self.description_max_chars:
            raise ValueError("description_min_chars must be below description_max_chars")
        return self


class Timings(_Strict):
    """How long things take."""

    draft_expiry_minutes: int = Field(default=30, ge=1, le=24 * 60)
    draft_sweep_seconds: int = Field(default=60, ge=1, le=3600)


class Urgency(_Strict):
    """Words that make the bot point to 112."""

    keywords: list[str] = Field(default_factory=list)


class GeocoderConfig(_Strict):
    """Where typed street addresses are looked up."""

    provider: Literal["nominatim", "none"] = "nominatim"
    domain: str = "nominatim.openstreetmap.org"
    scheme: Literal["http", "https"] = "https"
    user_agent: str = Field(min_length=8)
    timeout_seconds: float = Field(default=5.0, gt=0, le=30)
    min_delay_seconds: float = Field(default=1.0, ge=1.0)


class NeighbourhoodFiles(_Strict):
    """The boundary and lookup files, resolved to absolute paths."""

    buurten: Path
    centroids: Path
    aliases: Path
    postcodes: Path
    attribution: str = Field(min_length=1)


class Partner(_Strict):
    """A chain partner that handles or is informed of reports."""

    id: str = Field(pattern=r"^[a-z0-9-]{1,32}$")
    name_nl: str = Field(min_length=1)
    name_en: str = Field(min_length=1)
    chat_id: int | None = None


class MunicipalityConfig(_Strict):
    """Everything a municipality decides about its Meldbot."""

    municipality: MunicipalityInfo
    reports: ReportRules = ReportRules()
    timings: Timings = Timings()
    urgency: Urgency = Urgency()
    geocoder: GeocoderConfig
    neighbourhoods: NeighbourhoodFiles
    categories: list[Category] = Field(min_length=1)
    partners: list[Partner] = Field(default_factory=list)

    def category(self, category_id: str) -> Category | None:
        """Return the category with this id, if it exists."""
        return next((c for c in self.categories if c.id == category_id), None)


def merge(base: dict[str, Any], override: dict[str, Any]) -> dict[str, Any]:
    """Merge override over base, table by table and key by key."""
    merged = dict(base)
    for key, value in override.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = merge(merged[key], value)
        else:
            merged[key] = value
    return merged


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except OSError as exc:
        raise ConfigError([f"{path}: cannot be read ({exc.strerror})"]) from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError([f"{path}: not valid TOML ({exc})"]) from None


def _resolve_paths(raw: dict[str, Any], base_dir: Path) -> None:
    files = raw.get("neighbourhoods")
    if not isinstance(files, dict):
        return
    for key in ("buurten", "centroids", "aliases", "postcodes"):
        value = files.get(key)
        if isinstance(value, str):
            files[key] = str((base_dir / value).resolve())


def _tables_to_lists(raw: dict[str, Any]) -> dict[str, Any]:
    shaped = dict(raw)
    for table in ("categories", "partners"):
        entries = shaped.get(table)
        if isinstance(entries, dict):
            shaped[table] = [
                {"id": key, **value} if isinstance(value, dict) else value
                for key, value in entries.items()
            ]
    return shaped


def _key(shaped: dict[str, Any], loc: tuple[int | str, ...]) -> str:
    """Name the TOML key of a validation error (`categories.brandgevaar.name_nl`, not `.8.`)."""
    parts = [str(p) for p in loc]
    if len(loc) >= 2 and loc[0] in ("categories", "partners") and isinstance(loc[1], int):
        entries = shaped.get(str(loc[0]))
        if isinstance(entries, list) and loc[1] < len(entries):
            entry = entries[loc[1]]
            if isinstance(entry, dict) and "id" in entry:
                parts[1] = str(entry["id"])
    return ".".join(parts)


def load_municipality(override: Path | None = None) -> MunicipalityConfig:
    """Load the shipped configuration, merge the override over it, and validate the result."""
    raw = _read_toml(SHIPPED_CONFIG)
    _resolve_paths(raw, SHIPPED_CONFIG.parent)
    if override is not None:
        extra = _read_toml(override)
        _resolve_paths(extra, override.resolve().parent)
        raw = merge(raw, extra)
    shaped = _tables_to_lists(raw)
    try:
        config = MunicipalityConfig.model_validate(shaped)
    except ValidationError as exc:
        raise ConfigError([f"{_key(shaped, e['loc'])}: {e['msg']}" for e in exc.errors()]) from None
    missing = [
        f"neighbourhoods.{key}: no such file: {path}"
        for key, path in config.neighbourhoods.model_dump(exclude={"attribution"}).items()
        if not Path(path).is_file()
    ]
    if missing:
        raise ConfigError(missing)
    return config
