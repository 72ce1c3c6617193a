"""Print what one resident's full report looks like on the wire: every Bot API call into their
chat, step by step, and the calls per update (issue 12's "before/after transcripts").

Meldbot runs in this process (tests/e2e/harness.py) against the local fake Bot API, with the
script bench/updates.py uses (tests/e2e/chaos_people.REPORT): /melden, the category, a typed
place, the description, no photos, the timing, no contact, Send.

    .venv/bin/python -m bench.transcript
"""

from __future__ import annotations

import asyncio
import json
import tempfile
from pathlib import Path
from typing import Any

import storage.database
from sandbox.botapi import FakeBotApi, SentMessage
from tests.e2e.chaos_people import REPORT
from tests.e2e.harness import Harness
from tests.fakes.geocoder import FakeNominatim

POLICE = "[partners.politie]\nchat_id = -1001\n"


def describe(method: str, params: dict[str, object]) -> str:
    """Return one call as a transcript line: method, the start of its text, its buttons."""
    text = str(params.get("text") or params.get("caption") or "")
    shown = " / ".join(part for part in text.splitlines() if part)[:100]
    markup = params.get("reply_markup")
    if isinstance(markup, str):
        markup = json.loads(markup)
    labels: list[str] = []
    if isinstance(markup, dict):
        for key in ("inline_keyboard", "keyboard"):
            for row in markup.get(key, []):
                labels.extend(b["text"] if isinstance(b, dict) else str(b) for b in row)
    buttons = f"  [{' | '.join(labels)[:60]}]" if labels else ""
    return f"    {method}: {shown}{buttons}".rstrip()


def ours(params: dict[str, object], user_id: int) -> bool:
    """Return whether a call goes into the resident's chat (an answer to their press counts)."""
    return "callback_query_id" in params or str(params.get("chat_id")) == str(user_id)


class HandOffs:
    """Count the hand-offs to SQLite's threads (`storage.database._on_thread`): every one is
    a trip to a connection's thread and back, Meldbot's largest cost per update after HTTP."""

    def __init__(self) -> None:
        self.count = 0
        self._real = storage.database._on_thread

    async def _counted(self, *args: Any) -> Any:
        self.count += 1
        return await self._real(*args)

    def __enter__(self) -> HandOffs:
        storage.database._on_thread = self._counted  # type: ignore[assignment]
        return self

    def __exit__(self, *exc: object) -> None:
        storage.database._on_thread = self._real


async def transcript() -> tuple[list[str], int, int]:
    """Make one report; return the transcript, the updates and the calls into the chat."""
    api = FakeBotApi()
    await api.start()
    lines: list[str] = []
    calls = sql_trips = 0
    try:
        async with FakeNominatim(places={}) as geocoder:
            with tempfile.TemporaryDirectory() as workdir:
                run = Harness(api=api, geocoder=geocoder, workdir=Path(workdir), overrides=POLICE)
                await run.start()
                trips = HandOffs().__enter__()
                try:
                    user = api.user(4242, "Anna")
                    last: SentMessage | None = None
                    for kind, value, expect in REPORT:
                        mark, trips_before = len(api.requests), trips.count
                        if kind == "say":
                            lines.append(f"resident types {value[:60]!r}")
                            api.send_text(user, value)
                        elif kind == "key":
                            lines.append(f"resident taps the key {value!r}")
                            api.tap_key(user, value)
                        else:
                            assert last is not None
                            lines.append(f"resident presses {value!r}")
                            api.press(user, last, text=value)
                        await api.wait_for_message(user.id, contains=expect, timeout=10)
                        await api.wait_idle(quiet=0.3)
                        fresh = [
                            (method, params)
                            for method, params in api.requests[mark:]
                            if method != "getUpdates" and ours(params, user.id)
                        ]
                        calls += len(fresh)
                        lines.extend(describe(method, params) for method, params in fresh)
                        lines.append(f"    ({trips.count - trips_before} SQLite round trips)")
                        sql_trips += trips.count - trips_before
                        last = next(m for m in reversed(api.messages(user.id)) if expect in m.text)
                finally:
                    trips.__exit__()
                    await run.stop()
    finally:
        await api.stop()
    lines.append(f"\n{sql_trips} SQLite round trips (background jobs during the steps included)")
    return lines, len(REPORT), calls


def main() -> None:
    """Print the transcript and the calls per update."""
    lines, updates, calls = asyncio.run(transcript())
    print("\n".join(lines))
    print(
        f"\n{updates} updates, {calls} Bot API calls into the resident's chat: "
        f"{calls / updates:.2f} per update"
    )


if __name__ == "__main__":
    main()
