"""Fixtures for end-to-end tests against the local fake Telegram Bot API.

The fixtures live here so that every test module gets them without importing another test
module; shared steps live in tests/e2e/steps/.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from sandbox.botapi import FakeBotApi, problems
from tests.e2e.harness import Harness
from tests.e2e.steps.chain import COORDINATOR, ENFORCEMENT, LINK_CODE, POLICE, Chain
from tests.fakes.geocoder import FakeNominatim, FakePlace


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


@pytest.fixture
async def chain(harness: Harness) -> AsyncIterator[Chain]:
    """Start Meldbot with police, enforcement and coordinator groups linked by configuration."""
    harness.overrides = (
        f"[partners.politie]\nchat_id = {POLICE}\ncaseworkers = [501, 502]\n"
        f"[partners.handhaving]\nchat_id = {ENFORCEMENT}\n"
        f"[partners.coordinator]\nchat_id = {COORDINATOR}\n"
    )
    harness.link_code = LINK_CODE
    api = harness.api
    police = api.group(POLICE, "Wijkagenten Enschede")
    enforcement = api.group(ENFORCEMENT, "Handhaving Enschede")
    coordinator = api.group(COORDINATOR, "Coördinatie veiligheid")
    cora = api.user(509, "Cora")
    kees, lotte, otto = api.user(501, "Kees"), api.user(502, "Lotte"), api.user(503, "Otto")
    bas = api.user(511, "Bas")
    for group, admin in ((police, kees), (enforcement, bas), (coordinator, cora)):
        api.add_bot_to_group(admin, group)
    for user in (lotte, otto):
        api.set_member_status(police, user, "member")
    await harness.start()
    yield Chain(harness, police, enforcement, coordinator, kees, lotte, otto, bas, cora)
