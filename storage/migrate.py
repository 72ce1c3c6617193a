"""Find the schema migrations shipped with the package and split them into statements."""

from __future__ import annotations

import re
import sqlite3
from dataclasses import dataclass
from importlib.resources import files

_NAME = re.compile(r"(?P<version>\d{4})_(?P<name>[a-z0-9_]+)\.sql")


@dataclass(frozen=True)
class Migration:
    """One numbered step of the schema; version N leaves PRAGMA user_version at N."""

    version: int
    name: str
    sql: str

    def statements(self) -> list[str]:
        """Return the migration's SQL statements in order."""
        return split_statements(self.sql)


def split_statements(script: str) -> list[str]:
    """Split a SQL script into complete statements (triggers stay whole)."""
    statements: list[str] = []
    pending = ""
    for line in script.splitlines(keepends=True):
        pending += line
        if sqlite3.complete_statement(pending):
            statements.append(pending.strip())
            pending = ""
    if _strip_comments(pending):
        raise ValueError(f"incomplete SQL statement at end of script: {pending.strip()[:80]!r}")
    return statements


def _strip_comments(text: str) -> str:
    """Return the text without `--` line comments and surrounding whitespace."""
    return "\n".join(line.split("--", 1)[0] for line in text.splitlines()).strip()


def load_migrations() -> list[Migration]:
    """Return the migrations in `storage/migrations/`, checked to be numbered 1, 2, 3, …."""
    folder = files("storage").joinpath("migrations")
    found: list[Migration] = []
    for entry in folder.iterdir():
        match = _NAME.fullmatch(entry.name)
        if match is None:
            continue
        found.append(
            Migration(
                version=int(match["version"]),
                name=match["name"],
                sql=entry.read_text(encoding="utf-8"),
            )
        )
    found.sort(key=lambda migration: migration.version)
    check_sequence(found)
    return found


def check_sequence(migrations: list[Migration]) -> None:
    """Refuse migrations that are not numbered 1, 2, 3, … without gaps."""
    versions = [migration.version for migration in migrations]
    if versions != list(range(1, len(versions) + 1)):
        raise ValueError(f"migrations must be numbered 1, 2, 3, … without gaps; found {versions}")
