"""Each failure gets its own exit code and one plain line; 409s stop only the newcomer."""

from __future__ import annotations

import errno
import sqlite3
from pathlib import Path

import pytest

from bot.failures import ConflictWatch, ExitCode, Setting, explain

SETTING = Setting("https://api.telegram.org/bot", Path("/srv/meldbot/meldbot.sqlite3"))


class Ticks:
    """A monotonic clock moved by hand."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_a_409_right_after_polling_began_stops_the_newcomer() -> None:
    clock = Ticks()
    watch = ConflictWatch(clock=clock)
    clock.now += 2
    assert watch.conflict()


def test_a_running_bot_outlasts_a_newcomer_but_not_a_rival_that_keeps_polling() -> None:
    clock = Ticks()
    watch = ConflictWatch(clock=clock)
    clock.now += 3600
    assert not watch.conflict()  # the newcomer's first poll ends ours
    clock.now += 1
    assert not watch.conflict()  # its last poll on the way out
    clock.now += 600
    decisions = []
    for _ in range(6):
        clock.now += 30  # a rival backing off to 30 s keeps ending our polls
        decisions.append(watch.conflict())
    assert decisions == [False] * 5 + [True]


def test_newcomers_far_apart_never_add_up_to_a_stop() -> None:
    clock = Ticks()
    watch = ConflictWatch(clock=clock)
    clock.now += 3600
    for _ in range(20):
        clock.now += 120
        assert not watch.conflict()


@pytest.mark.parametrize(
    ("number", "code"),
    [
        (errno.ENOSPC, ExitCode.DISK_FULL),
        (errno.EDQUOT, ExitCode.DISK_FULL),
        (errno.EROFS, ExitCode.DATABASE_UNWRITABLE),
        (errno.EACCES, ExitCode.DATABASE_UNWRITABLE),
        (errno.ENOTDIR, ExitCode.DATABASE_UNWRITABLE),
    ],
)
def test_file_system_errors_are_named_by_their_kind(number: int, code: ExitCode) -> None:
    failure = explain(OSError(number, "reason", "/srv/meldbot"), SETTING)
    assert failure.code == code
    assert "/srv/meldbot" in failure.line()
    assert "\n" not in failure.line()


def test_a_folder_where_the_database_should_be_cannot_be_used(tmp_path: Path) -> None:
    with pytest.raises(sqlite3.Error) as raised:
        sqlite3.connect(tmp_path).execute("CREATE TABLE t (x)")
    failure = explain(raised.value, Setting(SETTING.base_url, tmp_path))
    assert failure.code == ExitCode.DATABASE_UNWRITABLE
    assert f"cannot write the database {tmp_path} (unable to open database file)" in failure.line()


def test_an_unexpected_error_says_how_to_see_its_traceback() -> None:
    failure = explain(KeyError("x"), SETTING)
    assert failure.code == ExitCode.UNEXPECTED
    assert failure.line().startswith("Meldbot cannot start: unexpected error: KeyError: 'x'")
    assert "meldbot --debug" in failure.line()
    failure.running = True
    assert failure.line().startswith("Meldbot stopped: ")


def test_every_exit_code_is_in_the_readme() -> None:
    readme = (Path(__file__).parents[2] / "README.md").read_text(encoding="utf-8")
    for code in ExitCode:
        assert f"| {code.value} |" in readme, code
