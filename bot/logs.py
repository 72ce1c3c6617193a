"""Keep secrets out of every output: log records, tracebacks, stdout and stderr.

A `Redactor` knows the secrets (the bot token, its secret half, the link code). It cleans the
log handler's records (message, traceback and stack), the formatter's whole output, and
everything written to stdout and stderr while `Redactor.installed()` is active, including
tracebacks printed by `sys.excepthook`, `threading.excepthook` and `sys.unraisablehook`.
Without `debug`, a log record with an exception is one line: the exception and where it was
raised, no traceback.
"""

from __future__ import annotations

import io
import logging
import sys
import sysconfig
import threading
import traceback
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import TracebackType
from typing import Any, TextIO

MASK = "<token>"
_STDLIB = sysconfig.get_paths()["stdlib"]
_MIN_SECRET = 8


class Redactor:
    """Replace every known secret in a text with a mask."""

    def __init__(self, *secrets: str | None) -> None:
        self._secrets: list[str] = []
        for secret in secrets:
            self.protect(secret)

    def protect(self, secret: str | None) -> None:
        """Add a secret: the token also in URL-encoded form, and its part after the colon."""
        if not secret:
            return
        variants = {secret, secret.replace(":", "%3A"), secret.replace(":", "%3a")}
        _, colon, tail = secret.partition(":")
        if colon and len(tail) >= _MIN_SECRET:
            variants.add(tail)
        for variant in variants:
            if variant not in self._secrets:
                self._secrets.append(variant)
        self._secrets.sort(key=len, reverse=True)

    def clean(self, text: str) -> str:
        """Return the text with every secret masked."""
        for secret in self._secrets:
            if secret in text:
                text = text.replace(secret, MASK)
        return text

    @contextmanager
    def installed(self) -> Iterator[None]:
        """Clean stdout, stderr and the exception hooks until the block ends."""
        saved = (sys.stdout, sys.stderr, sys.excepthook, threading.excepthook)
        saved_unraisable = sys.unraisablehook
        out, err = RedactingStream(sys.stdout, self), RedactingStream(sys.stderr, self)
        sys.stdout, sys.stderr = out, err

        def excepthook(
            kind: type[BaseException], error: BaseException, tb: TracebackType | None
        ) -> None:
            sys.stderr.write(self.clean("".join(traceback.format_exception(kind, error, tb))))

        def thread_hook(args: threading.ExceptHookArgs) -> None:
            if args.exc_value is not None:
                excepthook(args.exc_type, args.exc_value, args.exc_traceback)

        def unraisable(args: Any) -> None:
            message = args.err_msg or "Exception ignored in"
            detail = "".join(
                traceback.format_exception(args.exc_type, args.exc_value, args.exc_traceback)
            )
            sys.stderr.write(self.clean(f"{message}: {args.object!r}\n{detail}"))

        sys.excepthook, threading.excepthook, sys.unraisablehook = (
            excepthook,
            thread_hook,
            unraisable,
        )
        try:
            yield
        finally:
            out.flush()
            err.flush()
            sys.stdout, sys.stderr, sys.excepthook, threading.excepthook = saved
            sys.unraisablehook = saved_unraisable


class RedactingStream(io.TextIOBase):
    """A text stream that masks secrets line by line before writing to the wrapped stream."""

    def __init__(self, target: TextIO, redactor: Redactor) -> None:
        super().__init__()
        self._target = target
        self._redactor = redactor
        self._pending = ""

    @property
    def encoding(self) -> str:  # type: ignore[override]
        return self._target.encoding

    def writable(self) -> bool:
        return True

    def isatty(self) -> bool:
        return self._target.isatty()

    def fileno(self) -> int:
        return self._target.fileno()

    def write(self, text: str) -> int:
        """Pass on complete lines, masked; keep a partial line until its end arrives."""
        self._pending += text
        if "\n" in self._pending:
            complete, _, self._pending = self._pending.rpartition("\n")
            self._target.write(self._redactor.clean(complete + "\n"))
        return len(text)

    def flush(self) -> None:
        """Write the partial line too, then flush the wrapped stream."""
        if self._pending:
            self._target.write(self._redactor.clean(self._pending))
            self._pending = ""
        self._target.flush()


class RedactToken(logging.Filter):
    """Mask the secrets in a record's message, traceback and stack before any handler sees it."""

    def __init__(self, token: str | Redactor) -> None:
        super().__init__()
        self._redactor = token if isinstance(token, Redactor) else Redactor(token)

    def filter(self, record: logging.LogRecord) -> bool:
        clean = self._redactor.clean
        message = record.getMessage()
        cleaned = clean(message)
        if cleaned != message:
            record.msg = cleaned
            record.args = None
        if record.exc_info and not record.exc_text:
            record.exc_text = "".join(traceback.format_exception(*record.exc_info)).rstrip("\n")
        if record.exc_text:
            record.exc_text = clean(record.exc_text)
        if record.stack_info:
            record.stack_info = clean(record.stack_info)
        return True


class Formatter(logging.Formatter):
    """One line per record (exception and where it was raised); tracebacks only in debug."""

    def __init__(self, redactor: Redactor, *, debug: bool = False) -> None:
        super().__init__("%(asctime)s %(levelname)s %(name)s: %(message)s")
        self._redactor = redactor
        self._debug = debug

    def format(self, record: logging.LogRecord) -> str:
        if self._debug:
            return self._redactor.clean(super().format(record))
        saved = record.exc_info, record.exc_text, record.stack_info
        record.exc_info = record.exc_text = record.stack_info = None
        try:
            text = super().format(record)
        finally:
            record.exc_info, record.exc_text, record.stack_info = saved
        error = saved[0][1] if saved[0] else None
        if error is not None:
            text = f"{text} ({summary(error)})"
        return self._redactor.clean(text.replace("\r", "").replace("\n", "\\n "))


class DropRaisedAgain(logging.Filter):
    """Drop python-telegram-bot's log of an answer that is not JSON: it raises the error too,
    and the caller explains it in one line (the record would carry the whole web page)."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not (
            record.name.startswith("telegram.request")
            and str(record.msg).startswith("Can not load invalid JSON data")
        )


def summary(error: BaseException) -> str:
    """Return "Kind: message, at file:line" for an exception, on one line."""
    text = f"{type(error).__name__}: {error}" if str(error) else type(error).__name__
    frames = traceback.extract_tb(error.__traceback__)
    ours = [frame for frame in frames if _is_ours(frame.filename)]
    if frames:
        last = (ours or frames)[-1]
        text += f", at {_short(last.filename)}:{last.lineno}"
    return text


def _is_ours(filename: str) -> bool:
    """Return whether a source file is Meldbot's, not the standard library's or a package's."""
    return "site-packages" not in filename and not filename.startswith(_STDLIB)


def _short(filename: str) -> str:
    """Return the last parts of a source path: enough to find it, not the whole machine path."""
    parts = Path(filename).parts
    if "site-packages" in parts:
        return "/".join(parts[parts.index("site-packages") + 1 :])
    return "/".join(parts[-3:])


def configure(
    token: str | Redactor, level: int = logging.INFO, *, debug: bool = False
) -> logging.Handler:
    """Log to stderr with secrets masked, one line per record, and quiet the HTTP client."""
    redactor = token if isinstance(token, Redactor) else Redactor(token)
    handler = logging.StreamHandler()
    handler.setFormatter(Formatter(redactor, debug=debug))
    handler.addFilter(RedactToken(redactor))
    if not debug:
        handler.addFilter(DropRaisedAgain())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    for noisy in ("httpx", "httpcore", "apscheduler"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    return handler
