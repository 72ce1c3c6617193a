"""Load the machine-readable Bot API description and answer questions about it."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

SPEC_PATH = Path(__file__).parent / "data" / "api-10.0.json"

_LIMIT = re.compile(r"(\d+)-(\d+) (characters|bytes)")
_CONSTANT = re.compile(r'(?:, must be|always) "?([a-z_]+)"?\.?$')


@dataclass(frozen=True)
class Limit:
    """A length range taken from a field description."""

    low: int
    high: int
    unit: str

    def measure(self, value: str) -> int:
        """Return the length of value in this limit's unit."""
        return len(value.encode()) if self.unit == "bytes" else len(value)


@dataclass(frozen=True)
class FieldSpec:
    """One parameter of a method or one field of a type."""

    name: str
    types: tuple[str, ...]
    required: bool
    description: str
    limit: Limit | None
    constant: str | None


@dataclass(frozen=True)
class ObjectSpec:
    """A method or a type: a name and its fields."""

    name: str
    fields: dict[str, FieldSpec]
    subtypes: tuple[str, ...] = ()
    returns: tuple[str, ...] = ()

    def parse_mode_field(self, name: str) -> str | None:
        """Return the sibling field that sets the parse mode of field name, if any."""
        own = f"{name}_parse_mode"
        if own in self.fields:
            return own
        if name in ("text", "caption", "title") and "parse_mode" in self.fields:
            return "parse_mode"
        return None


@dataclass(frozen=True)
class ApiSpec:
    """The whole Bot API: methods by lower-case name and types by name."""

    version: str
    methods: dict[str, ObjectSpec] = field(default_factory=dict)
    types: dict[str, ObjectSpec] = field(default_factory=dict)

    def method(self, name: str) -> ObjectSpec | None:
        """Return the method called name, ignoring case like Telegram does."""
        return self.methods.get(name.lower())


def _field(raw: dict[str, Any], is_subtype: bool) -> FieldSpec:
    """Build a FieldSpec from its JSON description."""
    description = str(raw.get("description", ""))
    match = _LIMIT.search(description)
    limit = Limit(int(match[1]), int(match[2]), match[3]) if match else None
    constant = _CONSTANT.search(description) if is_subtype else None
    return FieldSpec(
        name=str(raw["name"]),
        types=tuple(str(t) for t in raw["types"]),
        required=bool(raw["required"]),
        description=description,
        limit=limit,
        constant=constant[1] if constant else None,
    )


def _object(raw: dict[str, Any]) -> ObjectSpec:
    """Build an ObjectSpec from a method or type description."""
    is_subtype = bool(raw.get("subtype_of"))
    fields = {str(f["name"]): _field(f, is_subtype) for f in raw.get("fields", [])}
    return ObjectSpec(
        name=str(raw["name"]),
        fields=fields,
        subtypes=tuple(str(s) for s in raw.get("subtypes", [])),
        returns=tuple(str(r) for r in raw.get("returns", [])),
    )


@cache
def load_spec(path: Path = SPEC_PATH) -> ApiSpec:
    """Read and index the Bot API description at path."""
    raw = json.loads(path.read_text(encoding="utf-8"))
    return ApiSpec(
        version=str(raw["version"]),
        methods={name.lower(): _object(m) for name, m in raw["methods"].items()},
        types={name: _object(t) for name, t in raw["types"].items()},
    )
