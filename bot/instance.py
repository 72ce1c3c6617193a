"""One Meldbot per database, and no trace left of a start that failed.

The running Meldbot holds an exclusive `flock` on `<database>.lock`, a file beside the database
that holds its pid. The operating system releases the lock when the process ends in any way,
`kill -9` included, so a crash never blocks the next start.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
from pathlib import Path

from bot.failures import ExitCode, Failure, storage_failure

_COMPANIONS = ("", "-wal", "-shm", "-journal")


def lock_path(database: Path) -> Path:
    """Return the lock file that belongs to a database file."""
    return database.with_name(database.name + ".lock")


class InstanceLock:
    """The exclusive lock on a database's lock file, with the owner's pid in it."""

    def __init__(self, database: Path) -> None:
        self.database = database
        self.path = lock_path(database)
        self._fd: int | None = None

    def acquire(self) -> None:
        """Take the lock, or raise Failure naming the pid of the Meldbot that holds it."""
        while True:
            try:
                fd = os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
            except OSError as error:
                raise storage_failure(error, self.database) from error
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                pid = _read_pid(fd)
                os.close(fd)
                raise Failure(
                    ExitCode.ALREADY_RUNNING,
                    f"another Meldbot (pid {pid}) is running on the database {self.database}. "
                    "Stop that one first: one database serves one Meldbot.",
                ) from None
            if _still_the_file(fd, self.path):
                break
            os.close(fd)  # a failed start removed the file after we opened it: try again
        try:
            os.ftruncate(fd, 0)
            os.write(fd, f"{os.getpid()}\n".encode())
        except OSError as error:
            os.close(fd)
            raise storage_failure(error, self.database) from error
        self._fd = fd

    def release(self, *, remove: bool = False) -> None:
        """Give the lock up; `remove` deletes the file first (only after a start that failed)."""
        if self._fd is None:
            return
        if remove:
            with contextlib.suppress(OSError):
                self.path.unlink()
        os.close(self._fd)
        self._fd = None


def _read_pid(fd: int) -> str:
    """Return the pid written in a lock file, or "unknown" while it is being written."""
    try:
        text = os.pread(fd, 32, 0).decode("ascii", "replace").strip()
    except OSError:
        return "unknown"
    return text if text.isdigit() else "unknown"


def _still_the_file(fd: int, path: Path) -> bool:
    """Return whether the open file is still the one at `path`."""
    try:
        on_disk = path.stat()
    except FileNotFoundError:
        return False
    held = os.fstat(fd)
    return (held.st_dev, held.st_ino) == (on_disk.st_dev, on_disk.st_ino)


class Footprint:
    """The folders and database files a start creates, removed again if that start fails."""

    def __init__(self, database: Path, folders: list[Path]) -> None:
        self.database = database
        self._folders = folders
        self._fresh = False
        self.kept = False

    @classmethod
    def prepare(cls, database: Path) -> Footprint:
        """Create the database's folder (and its parents), or raise Failure if that fails."""
        folders = (database.parent, *database.parent.parents)
        footprint = cls(database, [folder for folder in folders if not folder.exists()])
        try:
            database.parent.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            footprint.undo()
            raise storage_failure(error, database) from error
        return footprint

    def note_fresh(self) -> None:
        """Remember whether the database file is new (call while holding the lock)."""
        self._fresh = not self.database.exists()

    @property
    def fresh(self) -> bool:
        """Return whether this start creates the database."""
        return self._fresh

    def keep(self) -> None:
        """The start succeeded: keep everything it created."""
        self.kept = True

    def undo(self) -> None:
        """Remove a database this start created, and the folders it made, unless kept."""
        if self.kept:
            return
        if self._fresh:
            for suffix in _COMPANIONS:
                with contextlib.suppress(OSError):
                    self.database.with_name(self.database.name + suffix).unlink()
        for folder in self._folders:  # deepest first
            with contextlib.suppress(OSError):
                folder.rmdir()
