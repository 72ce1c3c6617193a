"""Run the real `python -m bot` as a child process and read what it prints."""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import sys
from dataclasses import dataclass, field
from pathlib import Path

TOKEN = "123456:AAE-meldbot-test-secret-0123456789"
SECRET = TOKEN.split(":", 1)[1]


@dataclass
class Outcome:
    """How a finished Meldbot process ended and what it printed."""

    code: int
    out: str
    err: str

    @property
    def lines(self) -> list[str]:
        """Return the non-empty lines printed on stderr."""
        return [line for line in self.err.splitlines() if line.strip()]

    def leaks(self, *secrets: str) -> list[str]:
        """Return the secrets (the test token and its secret half by default) found in output."""
        found = secrets or (TOKEN, SECRET)
        return [secret for secret in found if secret in self.out or secret in self.err]


@dataclass
class MeldbotProcess:
    """Environment for one Meldbot child process: token, Bot API URL, database, override."""

    workdir: Path
    base_url: str
    token: str = TOKEN
    database: Path | None = None
    extra: dict[str, str] = field(default_factory=dict)
    overrides: str = ""
    """More TOML for the override file, after the offline geocoder."""

    @property
    def db_path(self) -> Path:
        return self.database or self.workdir / "data" / "meldbot.sqlite3"

    def env(self) -> dict[str, str]:
        """Return the child's environment: ours without Meldbot's keys, plus the test's."""
        override = self.workdir / "meldbot.toml"
        override.write_text('[geocoder]\nprovider = "none"\n' + self.overrides, encoding="utf-8")
        inherited = {
            k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "MELDBOT_"))
        }
        return {
            **inherited,
            "TELEGRAM_BOT_TOKEN": self.token,
            "TELEGRAM_API_BASE_URL": self.base_url,
            "MELDBOT_DB": str(self.db_path),
            "MELDBOT_CONFIG": str(override),
            **self.extra,
        }

    async def spawn(self, *args: str) -> asyncio.subprocess.Process:
        """Start `python -m bot` with the given arguments."""
        return await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "bot",
            *args,
            cwd=self.workdir,
            env=self.env(),
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
        )

    async def run(self, *args: str, timeout: float = 30.0) -> Outcome:  # noqa: ASYNC109
        """Run Meldbot until it exits by itself and return how it ended."""
        process = await self.spawn(*args)
        return await finish(process, timeout=timeout)


async def finish(
    process: asyncio.subprocess.Process,
    *,
    timeout: float = 30.0,  # noqa: ASYNC109
) -> Outcome:
    """Wait for a child to end (killing it after `timeout`) and collect its output."""
    try:
        out, err = await asyncio.wait_for(process.communicate(), timeout)
    except TimeoutError:
        process.kill()
        out, err = await process.communicate()
    assert process.returncode is not None
    return Outcome(process.returncode, out.decode(), err.decode())


async def wait_for_line(
    process: asyncio.subprocess.Process,
    text: str,
    timeout: float = 20.0,  # noqa: ASYNC109
) -> str:
    """Read stderr until a line contains `text`; return what was read."""
    assert process.stderr is not None
    seen = ""
    async with asyncio.timeout(timeout):
        while text not in seen:
            line = await process.stderr.readline()
            if not line:
                raise AssertionError(f"the process ended before printing {text!r}:\n{seen}")
            seen += line.decode()
    return seen


async def terminate(process: asyncio.subprocess.Process) -> Outcome:
    """Stop a running child with SIGTERM and collect the rest of its output."""
    if process.returncode is None:
        process.send_signal(signal.SIGTERM)
    return await finish(process, timeout=20)


def closed_port() -> int:
    """Return a local port nothing listens on."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])
