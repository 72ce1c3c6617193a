"""Load the municipality configuration: the shipped TOML with a deployment's overrides on top."""

from __future__ import annotations

import tomllib
from collections.abc import Collection
from pathlib import Path
from typing import Any

from pydantic import (
    ValidationError,
)

from config.errors import ConfigError
from config.municipality import SHIPPED_CONFIG, CrossReferenceError, MunicipalityConfig
from reports.models import Language


def merge(base: dict[str, Any], override: dict[str, Any]) -> dict[str, Any]:
    """Merge override over base, table by table and key by key; arrays are replaced whole."""
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
    for key in ("buurten", "centroids", "aliases", "postcodes", "inhabitants"):
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


_LISTS_WITH_IDS = (
    ("categories",),
    ("partners",),
    ("closing_texts",),
    ("routing", "rules"),
    ("survey", "reasons"),
)


def _key(shaped: dict[str, Any], loc: tuple[int | str, ...]) -> str:
    """Name the TOML key of a validation error (`categories.brandgevaar.name_nl`, not `.8.`)."""
    parts = [str(p) for p in loc]
    for path in _LISTS_WITH_IDS:
        depth = len(path)
        if tuple(loc[:depth]) != path or len(loc) <= depth or not isinstance(loc[depth], int):
            continue
        entries: Any = shaped
        for step in path:
            entries = entries.get(step) if isinstance(entries, dict) else None
        index = loc[depth]
        if isinstance(entries, list) and isinstance(index, int) and index < len(entries):
            entry = entries[index]
            if isinstance(entry, dict) and isinstance(entry.get("id"), str):
                parts[depth] = entry["id"]
    return ".".join(parts)


def _problems(shaped: dict[str, Any], exc: ValidationError) -> list[str]:
    problems: list[str] = []
    for error in exc.errors():
        cause = error.get("ctx", {}).get("error")
        if isinstance(cause, CrossReferenceError):
            problems += cause.problems
        else:
            key = _key(shaped, error["loc"])
            key = key.replace(".names.", ".name_").replace(".labels.", ".label_")
            key = key.replace(".translations.", ".")
            problems.append(f"{key}: {error['msg']}")
    return problems


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
        raise ConfigError(_problems(shaped, exc)) from None
    missing = [
        f"neighbourhoods.{key}: no such file: {path}"
        for key, path in config.neighbourhoods.model_dump(
            exclude={"attribution", "inhabitants_attribution"}
        ).items()
        if path is not None and not Path(path).is_file()
    ]
    if missing:
        raise ConfigError(missing)
    return config


def untranslated(config: MunicipalityConfig, language: Language) -> list[str]:
    """Return the keys of municipality texts that have no translation in a language."""
    if language in (Language.NL, Language.EN):
        return []
    code = language.value
    missing = [f"categories.{c.id}.name_{code}" for c in config.categories if code not in c.names]
    missing += [f"partners.{p.id}.name_{code}" for p in config.partners if code not in p.names]
    missing += [
        f"closing_texts.{c.id}.{code}" for c in config.closing_texts if code not in c.translations
    ]
    missing += [
        f"closing_texts.{c.id}.label_{code}" for c in config.closing_texts if code not in c.labels
    ]
    missing += [
        f"survey.reasons.{r.id}.{code}" for r in config.survey.reasons if code not in r.translations
    ]
    missing += [
        f"tips.{c}.{code}" for c, tips in config.tips.items() if code not in tips.translations
    ]
    return missing


def check_languages(config: MunicipalityConfig, available: Collection[Language]) -> None:
    """Raise ConfigError naming every partner whose language has no texts (no .po file)."""
    problems = [
        f"partners.{p.id}.language: no texts in {p.language.value!r}"
        f" (config/locale/{p.language.value}.po)"
        for p in config.partners
        if p.language not in available
    ]
    if problems:
        raise ConfigError(problems)
