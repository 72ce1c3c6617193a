"""Check a request against the Bot API description and convert its values to Python."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from .errors import ApiError, bad_request
from .html_mode import EntityParseError, ParsedText, parse_html, parse_plain
from .models import JSONDict, Upload
from .rules import limit_reason, prose_rule_violation
from .spec import ApiSpec, FieldSpec, ObjectSpec

_INTEGER = re.compile(r"-?\d+")
_FLOAT = re.compile(r"-?\d+(\.\d+)?([eE][-+]?\d+)?")
_SCALARS = ("Integer", "Float", "Boolean", "String", "InputFile")
_ATTACH = "attach://"


class Invalid(Exception):
    """A value that breaks the spec; reason is what the fake answers after "Bad Request: "."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass
class Validated:
    """A request's converted parameters, the texts it formats and lint about them."""

    params: JSONDict
    texts: dict[str, ParsedText] = field(default_factory=dict)
    lint: list[str] = field(default_factory=list)
    uploads: dict[str, Upload] = field(default_factory=dict)


def _entities_field(name: str) -> str:
    """Return the field that carries explicit entities for the text field name."""
    return "entities" if name == "text" else f"{name}_entities"


class _Checker:
    """Validate one request; collects parsed texts, lint and the uploads it used."""

    def __init__(self, spec: ApiSpec, uploads: Mapping[str, Upload]) -> None:
        self.spec = spec
        self.uploads = uploads
        self.used: set[str] = set()
        self.texts: dict[str, ParsedText] = {}
        self.lint: list[str] = []

    def upload(self, reference: str, path: str) -> Upload:
        """Resolve attach://name to the uploaded part called name."""
        name = reference.removeprefix(_ATTACH)
        if name not in self.uploads:
            raise Invalid(f"{path}: no file part {name!r} for {reference}")
        self.used.add(name)
        return self.uploads[name]

    def from_form(self, raw: str, spec: FieldSpec, path: str) -> Any:
        """Convert a form value, where strings are raw and everything else is JSON."""
        for type_name in spec.types:
            if type_name == "Integer" and _INTEGER.fullmatch(raw):
                return int(raw)
            if type_name == "Boolean" and raw in ("true", "false"):
                return raw == "true"
            if type_name == "Float" and _FLOAT.fullmatch(raw):
                return float(raw)
        if raw.startswith(_ATTACH) and "InputFile" in spec.types:
            return self.upload(raw, path)
        if "String" in spec.types:
            return raw
        structured = tuple(t for t in spec.types if t not in _SCALARS)
        if structured:
            try:
                value = json.loads(raw)
            except ValueError as error:
                raise Invalid(f"can't parse {path} JSON object") from error
            return self.check_union(value, structured, path)
        raise Invalid(f"{path} must be of type {' or '.join(spec.types)}, got {raw!r}")

    def check_union(self, value: Any, types: tuple[str, ...], path: str) -> Any:
        """Check value against any of types; report the most plausible failure."""
        failures: list[tuple[int, Invalid]] = []
        for type_name in types:
            try:
                return self.check(value, type_name, path)
            except Invalid as error:
                failures.append((self.closeness(value, type_name), error))
        failures.sort(key=lambda f: -f[0])
        raise failures[0][1]

    def closeness(self, value: Any, type_name: str) -> int:
        """Return how many keys of value are fields of type_name, to pick the best error."""
        if type_name.startswith("Array of ") and isinstance(value, list) and value:
            return self.closeness(value[0], type_name.removeprefix("Array of "))
        spec = self.spec.types.get(type_name)
        if spec is None or not isinstance(value, dict):
            return 0
        names = set(spec.fields)
        for subtype in spec.subtypes:
            names |= set(self.spec.types[subtype].fields)
        return len(names & set(value))

    def check(self, value: Any, type_name: str, path: str) -> Any:
        """Check a JSON value against one type of the spec."""
        if type_name.startswith("Array of "):
            if not isinstance(value, list):
                raise Invalid(f"{path} must be an Array")
            item_type = type_name.removeprefix("Array of ")
            return [self.check(item, item_type, f"{path}[{i}]") for i, item in enumerate(value)]
        if type_name in _SCALARS:
            return self.scalar(value, type_name, path)
        spec = self.spec.types.get(type_name)
        if spec is None:
            raise Invalid(f"{path}: the spec has no type {type_name}")
        if spec.subtypes:
            return self.abstract(value, spec, path)
        return self.object(value, spec, path)

    def scalar(self, value: Any, type_name: str, path: str) -> Any:
        """Check a JSON scalar."""
        ok = {
            "Integer": isinstance(value, int) and not isinstance(value, bool),
            "Float": isinstance(value, int | float) and not isinstance(value, bool),
            "Boolean": isinstance(value, bool),
            "String": isinstance(value, str),
            "InputFile": isinstance(value, str) and value.startswith(_ATTACH),
        }[type_name]
        if not ok:
            raise Invalid(f"{path} must be of type {type_name}, got {json.dumps(value)}")
        if isinstance(value, str) and value.startswith(_ATTACH):
            self.upload(value, path)
        return value

    def abstract(self, value: Any, spec: ObjectSpec, path: str) -> Any:
        """Check a value of an abstract type against the subtype its discriminator names."""
        if not isinstance(value, dict):
            raise Invalid(f"{path} must be a JSON object ({spec.name})")
        subtypes = [self.spec.types[name] for name in spec.subtypes]
        for subtype in subtypes:
            constants = [f for f in subtype.fields.values() if f.constant]
            if constants and value.get(constants[0].name) == constants[0].constant:
                return self.object(value, subtype, path)
        if any(f.constant for s in subtypes for f in s.fields.values()):
            raise Invalid(f"{path}: unsupported {spec.name} {json.dumps(value)}")
        return self.check_union(value, spec.subtypes, path)

    def object(self, value: Any, spec: ObjectSpec, path: str) -> JSONDict:
        """Check a JSON object field by field."""
        if not isinstance(value, dict):
            raise Invalid(f"{path} must be a JSON object ({spec.name})")
        return self.fields(value, spec, path, json_values=True)

    def fields(
        self, values: Mapping[str, Any], spec: ObjectSpec, path: str, *, json_values: bool
    ) -> JSONDict:
        """Check the fields of a method call or an object, then its text and prose rules."""
        prefix = f"{path}." if path else ""
        for name in values:
            if name not in spec.fields:
                raise Invalid(f'unknown parameter "{prefix}{name}" for {spec.name}')
        for f in spec.fields.values():
            if f.required and f.name not in values:
                raise Invalid(self.missing(spec, f, prefix))
        result: JSONDict = {}
        for name, raw in values.items():
            f = spec.fields[name]
            where = f"{prefix}{name}"
            if isinstance(raw, Upload):
                if "InputFile" not in f.types:
                    raise Invalid(f"{where} can't be a file upload")
                result[name] = raw
            elif isinstance(raw, str) and not json_values:
                result[name] = self.from_form(raw, f, where)
            else:
                result[name] = self.check_union(raw, f.types, where)
            if f.constant and result[name] != f.constant:
                raise Invalid(f"{where} must be {f.constant!r}")
        self.texts_and_limits(result, spec, prefix)
        reason = prose_rule_violation(spec.name, result)
        if reason:
            raise Invalid(reason)
        return result

    def missing(self, spec: ObjectSpec, f: FieldSpec, prefix: str) -> str:
        """Return Telegram's wording for a missing required parameter."""
        if not prefix and f.name == "text" and spec.name in ("sendMessage", "editMessageText"):
            return "message text is empty"
        if not prefix:
            return f"{f.name} is empty (required parameter of {spec.name})"
        return f'field "{prefix}{f.name}" of {spec.name} is required'

    def texts_and_limits(self, values: JSONDict, spec: ObjectSpec, prefix: str) -> None:
        """Parse formatted texts and check length limits on what the reader will see."""
        for name, value in values.items():
            f = spec.fields[name]
            if not isinstance(value, str):
                continue
            mode_field = spec.parse_mode_field(name)
            measured = value
            if mode_field is not None:
                parsed = self.format(value, values.get(mode_field), f"{prefix}{name}")
                explicit = values.get(_entities_field(name))
                if isinstance(explicit, list) and mode_field not in values:
                    parsed.entities = explicit
                self.texts[f"{prefix}{name}"] = parsed
                measured = parsed.text
            if f.limit is not None:
                length = f.limit.measure(measured)
                if not f.limit.low <= length <= f.limit.high:
                    raise Invalid(limit_reason(spec.name, name, length, f.limit))

    def format(self, text: str, mode: Any, path: str) -> ParsedText:
        """Apply a parse mode to text like Telegram; refuse modes the fake cannot check."""
        kind = str(mode or "").lower()
        if kind == "":
            return parse_plain(text)
        if kind == "html":
            try:
                parsed = parse_html(text)
            except EntityParseError as error:
                raise Invalid(f"can't parse entities: {error}") from error
            self.lint.extend(f"{path}: {note}" for note in parsed.lint)
            return parsed
        if kind in ("markdown", "markdownv2"):
            raise Invalid(f"fake does not support parse_mode {mode}; the bot uses HTML")
        raise Invalid("unsupported parse_mode")


def validate_call(
    spec: ApiSpec, method: ObjectSpec, raw: Mapping[str, Any], uploads: Mapping[str, Upload]
) -> Validated:
    """Validate a method call; raise ApiError 400 in Telegram's words if it breaks the spec."""
    checker = _Checker(spec, uploads)
    values: dict[str, Any] = dict(raw)
    for name, upload in uploads.items():
        if name in method.fields and name not in values:
            values[name] = upload
            checker.used.add(name)
    try:
        params = checker.fields(values, method, "", json_values=False)
        unused = set(uploads) - checker.used
        if unused:
            raise Invalid(f"file parts {sorted(unused)} are not referenced by any parameter")
    except Invalid as error:
        raise bad_request(error.reason) from error
    return Validated(params, checker.texts, checker.lint, dict(uploads))


def check_value(spec: ApiSpec, value: Any, type_name: str) -> None:
    """Check a value the fake produces (an Update, a Message) against a spec type."""
    try:
        _Checker(spec, {}).check(value, type_name, type_name)
    except Invalid as error:
        raise ApiError(500, f"fake produced an invalid {type_name}: {error.reason}") from error
