"""The database lock admits one Meldbot; a failed start leaves nothing it created."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from bot.failures import ExitCode, Failure
from bot.instance import Footprint, InstanceLock, lock_path


def test_a_second_lock_on_the_same_database_names_the_holder(tmp_path: Path) -> None:
    database = tmp_path / "meldbot.sqlite3"
    first, second = InstanceLock(database), InstanceLock(database)
    first.acquire()
    with pytest.raises(Failure) as refused:
        second.acquire()
    assert refused.value.code == ExitCode.ALREADY_RUNNING
    assert f"another Meldbot (pid {os.getpid()}) is running" in refused.value.line()
    assert lock_path(database).read_text(encoding="ascii") == f"{os.getpid()}\n"
    first.release()
    second.acquire()
    second.release()
    assert lock_path(database).is_file(), "a lock file stays between runs"


def test_a_lock_removed_by_a_failed_start_is_taken_again_on_a_new_file(tmp_path: Path) -> None:
    database = tmp_path / "meldbot.sqlite3"
    failed = InstanceLock(database)
    failed.acquire()
    failed.release(remove=True)
    assert not lock_path(database).exists()
    again = InstanceLock(database)
    again.acquire()
    assert lock_path(database).is_file()
    again.release()


def test_a_failed_fresh_start_removes_the_database_and_the_folders_it_made(
    tmp_path: Path,
) -> None:
    database = tmp_path / "a" / "b" / "meldbot.sqlite3"
    footprint = Footprint.prepare(database)
    footprint.note_fresh()
    for suffix in ("", "-wal", "-shm"):
        database.with_name(database.name + suffix).write_bytes(b"x")
    footprint.undo()
    assert list(tmp_path.iterdir()) == []


def test_an_existing_database_is_never_removed(tmp_path: Path) -> None:
    database = tmp_path / "meldbot.sqlite3"
    database.write_bytes(b"reports")
    footprint = Footprint.prepare(database)
    footprint.note_fresh()
    footprint.undo()
    assert database.read_bytes() == b"reports"


def test_a_start_that_succeeded_keeps_what_it_created(tmp_path: Path) -> None:
    database = tmp_path / "data" / "meldbot.sqlite3"
    footprint = Footprint.prepare(database)
    footprint.note_fresh()
    database.write_bytes(b"x")
    footprint.keep()
    footprint.undo()
    assert database.is_file()
