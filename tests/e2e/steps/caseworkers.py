"""A caseworker's steps in a partner chat."""

from __future__ import annotations

from sandbox.botapi import FakeUser, SentMessage
from tests.e2e.steps.chain import Chain


async def resolve(chain: Chain, resident: FakeUser, lead: SentMessage) -> None:
    """Let the police caseworker resolve the report and wait until the resident hears it."""
    api = chain.run.api
    api.drain(chain.police.id)
    api.press(chain.kees, lead, text="✅ Afhandelen")
    menu = await api.wait_for_message(chain.police.id)
    api.press(chain.kees, menu, text="Gesprek gevoerd")
    await api.wait_for_message(resident.id, contains="is afgehandeld", timeout=10)
