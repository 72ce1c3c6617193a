"""Explain why Meldbot cannot start or had to stop: one plain line and an exit code per case."""

from __future__ import annotations

import errno
import re
import sqlite3
import time
from collections.abc import Callable
from dataclasses import dataclass
from enum import IntEnum
from pathlib import Path

import httpx
from telegram.error import Conflict, InvalidToken, NetworkError, TelegramError, TimedOut

from bot.logs import MASK, summary
from bot.request import BAD_URL
from storage.database import SchemaTooNewError, is_disk_full


class ExitCode(IntEnum):
    """The exit status of `meldbot`, one per kind of failure (README lists them)."""

    OK = 0
    UNEXPECTED = 1
    CONFIGURATION = 2
    ALREADY_RUNNING = 3
    TOKEN_REJECTED = 4
    BASE_URL = 5
    UNREACHABLE = 6
    DATABASE_UNWRITABLE = 7
    DISK_FULL = 8
    DATABASE_TOO_NEW = 9
    TOKEN_IN_USE = 10
    PORT_IN_USE = 11
    SANDBOX_REFUSED = 12


class Failure(Exception):
    """A failure Meldbot explains in one line and exits with its own code."""

    def __init__(self, code: ExitCode, reason: str, *, running: bool = False) -> None:
        super().__init__(reason)
        self.code = code
        self.reason = reason
        self.running = running

    def line(self) -> str:
        """Return the one line to print: whether Meldbot could not start or had to stop, why."""
        return f"Meldbot {'stopped' if self.running else 'cannot start'}: {self.reason}"


class BotApiCallFailed(Exception):
    """A Bot API call made while starting failed; remembers which method it was."""

    def __init__(self, method: str, error: TelegramError) -> None:
        super().__init__(f"{method}: {error}")
        self.method = method
        self.error = error


@dataclass(frozen=True)
class Setting:
    """What an explanation may name: the Bot API base URL and the database file."""

    base_url: str
    database: Path

    def url(self, method: str) -> str:
        """Return the URL of a Bot API method with the token masked."""
        return f"{self.base_url}{MASK}/{method}"


_UNWRITABLE_ERRNOS = frozenset(
    {
        errno.EACCES,
        errno.EPERM,
        errno.EROFS,
        errno.ENOTDIR,
        errno.EEXIST,
        errno.EISDIR,
        errno.ENOENT,
        errno.ELOOP,
        errno.ENAMETOOLONG,
    }
)
_FULL_ERRNOS = frozenset({errno.ENOSPC, errno.EDQUOT})
_UNWRITABLE_SQLITE = frozenset(
    {
        sqlite3.SQLITE_CANTOPEN,
        sqlite3.SQLITE_READONLY,
        sqlite3.SQLITE_PERM,
        sqlite3.SQLITE_NOTADB,
        sqlite3.SQLITE_AUTH,
    }
)
_STATUS = re.compile(r"\((\d{3})\)")


def explain(error: BaseException, setting: Setting) -> Failure:
    """Return the one-line explanation and exit code of an error that stops Meldbot."""
    if isinstance(error, Failure):
        return error
    if isinstance(error, BotApiCallFailed):
        return _bot_api(error.error, setting.url(error.method))
    if isinstance(error, TelegramError):
        return _bot_api(error, setting.url("getUpdates"))
    if isinstance(error, SchemaTooNewError):
        return Failure(
            ExitCode.DATABASE_TOO_NEW,
            f"the database {error.path} comes from a newer Meldbot (schema version "
            f"{error.found}; this Meldbot knows up to {error.known}). Run the newer Meldbot, "
            "or point MELDBOT_DB to a backup made by this version.",
        )
    if isinstance(error, sqlite3.Error | OSError):
        return storage_failure(error, setting.database)
    return Failure(
        ExitCode.UNEXPECTED,
        f"unexpected error: {summary(error)}. Run `meldbot --debug` to see the traceback.",
    )


def storage_failure(error: sqlite3.Error | OSError, database: Path) -> Failure:
    """Explain a failure to create, open or write the database (or the files beside it)."""
    if is_disk_full(error) or (isinstance(error, OSError) and error.errno in _FULL_ERRNOS):
        return Failure(
            ExitCode.DISK_FULL,
            f"the disk is full: the database {database} cannot grow (no space left, or "
            "MELDBOT_DB_MAX_MB reached). Free some space, then start Meldbot again.",
        )
    if isinstance(error, OSError):
        unwritable = error.errno in _UNWRITABLE_ERRNOS
    else:
        unwritable = (getattr(error, "sqlite_errorcode", 0) or 0) & 0xFF in _UNWRITABLE_SQLITE
    reason = error.strerror if isinstance(error, OSError) and error.strerror else str(error)
    if unwritable:
        what = (
            f"the folder {database.parent} of the database"
            if isinstance(error, OSError)
            else f"the database {database}"
        )
        return Failure(
            ExitCode.DATABASE_UNWRITABLE,
            f"cannot write {what} ({reason}). Set MELDBOT_DB to a file in a folder "
            "Meldbot may write to.",
        )
    return Failure(
        ExitCode.UNEXPECTED,
        f"the database {database} failed: {type(error).__name__}: {reason}. "
        "Run `meldbot --debug` to see the traceback.",
    )


def _bot_api(error: TelegramError, url: str) -> Failure:
    """Explain a failed Bot API call: token, base URL, network or another instance."""
    cause = error.__cause__ if isinstance(error.__cause__, TelegramError) else error
    if _not_a_bot_api(error):
        status = _STATUS.search(cause.message)
        answer = f"HTTP {status.group(1)}" if status else "an answer"
        return Failure(
            ExitCode.BASE_URL,
            f"TELEGRAM_API_BASE_URL does not lead to a Bot API: {url} gave {answer} that is "
            "not a Bot API response. Use https://api.telegram.org/bot or your own Bot API "
            "server's URL ending in /bot.",
        )
    if isinstance(error, InvalidToken):
        return Failure(
            ExitCode.TOKEN_REJECTED,
            f"Telegram rejected the bot token ({cause.message} from {url}). Check "
            "TELEGRAM_BOT_TOKEN; @BotFather shows the bot's current token (/mybots, API Token).",
        )
    if isinstance(error, Conflict):
        return Failure(
            ExitCode.TOKEN_IN_USE,
            "another program is polling Telegram with this bot token "
            f"(409 Conflict: {error.message.removeprefix('Conflict: ')}). Stop the other "
            "Meldbot first: one bot token "
            "serves one Meldbot.",
        )
    if isinstance(error, NetworkError | TimedOut):
        if isinstance(error.__cause__, (httpx.InvalidURL, httpx.UnsupportedProtocol, *BAD_URL)):
            return Failure(
                ExitCode.BASE_URL,
                f"TELEGRAM_API_BASE_URL is malformed ({error.__cause__}); give an http(s) "
                "URL ending in /bot, such as https://api.telegram.org/bot.",
            )
        return Failure(
            ExitCode.UNREACHABLE,
            f"cannot reach the Telegram Bot API at {url} ({error.message}). Check the "
            "network connection, proxy and firewall, and TELEGRAM_API_BASE_URL.",
        )
    return Failure(
        ExitCode.UNEXPECTED,
        f"the Bot API refused {url}: {type(error).__name__}: {error.message}. "
        "Run `meldbot --debug` to see the traceback.",
    )


def _not_a_bot_api(error: BaseException) -> bool:
    """Return whether the server's answer was not Bot API JSON (a web page, a proxy's error)."""
    seen: BaseException | None = error
    while seen is not None:
        if isinstance(seen, TelegramError) and seen.message == "Invalid server response":
            return True
        seen = seen.__cause__
    return False


class ConflictWatch:
    """Decide when Telegram's 409 Conflict (another getUpdates on this token) means: stop.

    Telegram ends the older long poll when a newer one arrives, so each instance sees 409s
    in turn. The instance that just started yields: a 409 within `grace` seconds of polling
    stops it at once. An instance that has been running stops only when 409s keep coming
    (`limit` of them, each within `gap` seconds of the one before), so a newcomer that
    yields never takes the running bot down with it.
    """

    def __init__(
        self,
        *,
        grace: float = 60.0,
        gap: float = 60.0,
        limit: int = 6,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._clock = clock
        self._grace = grace
        self._gap = gap
        self._limit = limit
        self._started = clock()
        self._last: float | None = None
        self._streak = 0

    def conflict(self) -> bool:
        """Count one 409 and return whether this instance should stop now."""
        now = self._clock()
        if now - self._started < self._grace:
            return True
        if self._last is None or now - self._last > self._gap:
            self._streak = 0
        self._last = now
        self._streak += 1
        return self._streak >= self._limit
