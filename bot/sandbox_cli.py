"""The command line of `meldbot sandbox`: options, the run until Ctrl+C, opening the browser."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import signal
import sys
import webbrowser
from pathlib import Path

from bot import logs
from bot.failures import ExitCode, Failure
from bot.logs import Redactor
from bot.sandbox import DEFAULT_DIRECTORY, DEFAULT_PORT, Sandbox, SandboxOptions
from handlers.texts import load_texts


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Add the options of `meldbot sandbox`."""
    group = parser.add_argument_group("sandbox options (meldbot sandbox)")
    group.add_argument(
        "--port", type=int, default=None, help=f"the page's port (default {DEFAULT_PORT}; 0: any)"
    )
    group.add_argument(
        "--host", default=None, help="the address to listen on (default 127.0.0.1, loopback only)"
    )
    group.add_argument(
        "--no-browser", action="store_true", help="do not open the page in a browser"
    )
    group.add_argument("--reset", action="store_true", help="start from an empty sandbox database")
    group.add_argument(
        "--dir",
        type=Path,
        default=None,
        help=f"the sandbox's folder, with its database (default {DEFAULT_DIRECTORY}/)",
    )
    group.add_argument(
        "--geocoder",
        action="store_true",
        help="look typed addresses up online (OpenStreetMap); off: pins, postcodes and names",
    )


def used(args: argparse.Namespace) -> bool:
    """Whether any sandbox option was given."""
    return any(
        (
            args.port is not None,
            args.host is not None,
            args.no_browser,
            args.reset,
            args.dir is not None,
            args.geocoder,
        )
    )


def options_from(args: argparse.Namespace) -> SandboxOptions:
    """Turn parsed arguments into options."""
    port = DEFAULT_PORT if args.port is None else args.port
    if not 0 <= port <= 65535:
        raise Failure(ExitCode.CONFIGURATION, f"--port {port} is not a port (0 to 65535)")
    return SandboxOptions(
        directory=args.dir or DEFAULT_DIRECTORY,
        host=args.host or "127.0.0.1",
        port=port,
        browser=not args.no_browser,
        reset=args.reset,
        geocoder=args.geocoder,
    )


def command(args: argparse.Namespace, redactor: Redactor, *, debug: bool) -> int:
    """Run `meldbot sandbox` until Ctrl+C; return the exit code."""
    try:
        options = options_from(args)
        load_texts()
        logs.configure(redactor, debug=debug)
        asyncio.run(serve(options))
    except Failure as failure:
        print(failure.line(), file=sys.stderr)
        return failure.code
    return ExitCode.OK


async def serve(options: SandboxOptions) -> None:
    """Start the sandbox, print where it is, wait for SIGINT or SIGTERM, stop it."""
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    sandbox = Sandbox(options)
    try:
        await sandbox.start()
        print(
            f"Meldbot sandbox is running: open {sandbox.url} in your browser "
            f"(database {options.database}; stop with Ctrl+C).",
            flush=True,
        )
        if options.browser:
            _open_browser(sandbox.url)
        assert sandbox.meldbot is not None
        halted = await sandbox.meldbot.until_stopped(stop)
        if halted is not None:
            raise Failure(ExitCode.UNEXPECTED, f"the bot stopped: {halted}", running=True)
    finally:
        await sandbox.stop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.remove_signal_handler(sig)


def _open_browser(url: str) -> None:
    """Open the page where a desktop browser exists; never a text browser in the terminal."""
    desktop = sys.platform in ("darwin", "win32") or bool(
        os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")
    )
    if not desktop:
        return
    with contextlib.suppress(webbrowser.Error):
        webbrowser.open(url)
