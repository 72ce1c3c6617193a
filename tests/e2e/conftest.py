"""Fixtures for end-to-end tests against the local fake Telegram Bot API."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from tests.e2e.harness import Harness
from tests.fakes.geocoder import FakeNominatim, FakePlace
from tests.fakes.telegram import FakeBotApi, problems


@pytest.fixture
async def bot_api() -> AsyncIterator[FakeBotApi]:
    """Run a fake Bot API; fail the test on refusals or unanswered button presses."""
    api = FakeBotApi()
    await api.start()
    try:
        yield api
    finally:
        await api.stop()
    found = problems(api)
    if found:
        pytest.fail("the fake Bot API saw problems:\n  " + "\n  ".join(found), pytrace=False)


@pytest.fixture
async def geocoder() -> AsyncIterator[FakeNominatim]:
    """Run a fake Nominatim that knows a few Enschede addresses."""
    async with FakeNominatim(
        places={
            "oude markt 1": [FakePlace(52.2196, 6.8937, "Oude Markt 1, Enschede")],
            "7511 ab 12": [FakePlace(52.2205, 6.8990, "7511 AB 12, Enschede")],
            "hengelosestraat 500": [FakePlace(52.2380, 6.8440, "Hengelosestraat 500")],
        }
    ) as server:
        yield server


@pytest.fixture
async def harness(
    bot_api: FakeBotApi, geocoder: FakeNominatim, tmp_path: Path
) -> AsyncIterator[Harness]:
    """Run Meldbot against the fakes; stop it after the test."""
    run = Harness(api=bot_api, geocoder=geocoder, workdir=tmp_path)
    try:
        yield run
    finally:
        await run.stop()


@pytest.fixture
async def meldbot(harness: Harness) -> Harness:
    """A started Meldbot."""
    await harness.start()
    return harness
