"""Tell a sandbox database from a real one, so the sandbox never runs on residents' reports.

A database the sandbox made carries SQLite's `application_id` SANDBOX_ID in its header; a real
Meldbot database leaves it 0.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from pathlib import Path

SANDBOX_ID = 0x4D42_5342  # "MBSB": Meldbot sandbox


@dataclass(frozen=True)
class DatabaseKind:
    """What a database file holds, as far as the sandbox cares."""

    exists: bool
    sandbox: bool
    reports: int

    @property
    def real_reports(self) -> bool:
        """Whether it holds reports that were not made in a sandbox."""
        return self.reports > 0 and not self.sandbox


def inspect_database(path: Path) -> DatabaseKind:
    """Read the marker and count the reports without changing the file."""
    if not path.exists():
        return DatabaseKind(exists=False, sandbox=False, reports=0)
    connection = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        application_id = int(connection.execute("PRAGMA application_id").fetchone()[0])
        has_reports = connection.execute(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'reports'"
        ).fetchone()
        reports = (
            int(connection.execute("SELECT count(*) FROM reports").fetchone()[0])
            if has_reports
            else 0
        )
    finally:
        connection.close()
    return DatabaseKind(exists=True, sandbox=application_id == SANDBOX_ID, reports=reports)


def mark_sandbox(path: Path) -> None:
    """Stamp a (new or sandbox) database as the sandbox's."""
    path.parent.mkdir(parents=True, exist_ok=True)
    connection = sqlite3.connect(path)
    try:
        connection.execute(f"PRAGMA application_id = {SANDBOX_ID}")
        connection.commit()
    finally:
        connection.close()
