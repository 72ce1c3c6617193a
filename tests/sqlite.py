"""Open an SQLite file for a test's own look or write, and always close it again.

`with sqlite3.connect(path) as c:` only commits; the connection stays open until the garbage
collector finds it, which Python 3.13 reports as an unclosed database (an error under our
warning filter).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any


@contextmanager
def opened(database: str | Path, **options: Any) -> Iterator[sqlite3.Connection]:
    """Yield a connection in a transaction (committed on success), closed afterwards."""
    connection = sqlite3.connect(database, **options)
    try:
        with connection:
            yield connection
    finally:
        connection.close()
