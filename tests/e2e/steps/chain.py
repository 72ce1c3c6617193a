"""The partner chain a running Meldbot works with, and what it has stored.

The `chain` fixture in tests/e2e/conftest.py starts Meldbot with these groups and caseworkers.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

from bot.app import Meldbot
from reports.models import Report, ReportStatus
from sandbox.botapi import FakeGroup, FakeUser, SentMessage
from tests.e2e.harness import Harness
from tests.e2e.steps.residents import choose_category, finish_after_location

POLICE, ENFORCEMENT, FIRE, COORDINATOR, WASTE = -1001, -1002, -1003, -1009, -1004
LINK_CODE = "geheim-koppel-2026"


@dataclass
class Chain:
    """A running Meldbot with linked partner groups and their caseworkers."""

    run: Harness
    police: FakeGroup
    enforcement: FakeGroup
    coordinator: FakeGroup
    kees: FakeUser  # police caseworker
    lotte: FakeUser  # police caseworker
    otto: FakeUser  # member of the police group, not a caseworker
    bas: FakeUser  # enforcement caseworker
    cora: FakeUser  # coordinator

    async def report(
        self,
        resident: FakeUser,
        category: str = "🧑‍🤝‍🧑 Jongerenoverlast",
        *,
        contact: bool = False,
        confirmed: bool = True,
    ) -> str:
        """Make a complete report in Boddenkamp and return its reference.

        With `confirmed=False` the resident does not wait for the confirmation (the outbox
        dispatcher may be stopped); the reference is read from the database instead.
        """
        run = self.run
        await choose_category(run, resident, category)
        await run.say(resident, "Boddenkamp", expect="Plek:")
        summary = await finish_after_location(run, resident)
        if contact:
            menu = await run.tap(resident, summary, "✏️ Wijzigen", expect="Wat wilt u wijzigen")
            question = await run.tap(resident, menu, "Contact", expect="Mogen we contact")
            summary = await run.tap(resident, question, "Ja, dat mag", expect="Controleer")
        if not confirmed:
            # The reference comes as an edit of the summary through the outbox: with the
            # dispatcher stopped, the press being answered says that the report is stored.
            pressed = run.api.press(resident, summary, text="✅ Versturen")
            for _ in range(100):
                if run.api.answered(pressed) is not None:
                    break
                await asyncio.sleep(0.05)
            assert run.bot is not None
            [latest, *_] = await run.bot.services.reports.list_for_user(resident.id)
            return latest.reference
        done = await run.tap(resident, summary, "✅ Versturen", expect="Dank u wel")
        return done.text.split("nummer ")[1].split(".")[0]

    async def notification(self, group: FakeGroup, reference: str) -> SentMessage:
        """Wait for the notification of a report in a partner group."""
        return await self.run.api.wait_for_message(group.id, contains=reference, timeout=10)


def running(chain: Chain) -> Meldbot:
    """Return the running Meldbot."""
    assert chain.run.bot is not None
    return chain.run.bot


async def stored(chain: Chain, reference: str) -> Report:
    """Return the report with this reference as stored now."""
    report = await running(chain).services.reports.get_by_reference(reference)
    assert report is not None
    return report


async def reported(chain: Chain, name: str, user_id: int) -> tuple[FakeUser, str, SentMessage]:
    """Make a report; return the resident, the reference and the police notification."""
    resident = chain.run.api.user(user_id, name)
    reference = await chain.report(resident)
    return resident, reference, await chain.notification(chain.police, reference)


async def status_of(chain: Chain, reference: str) -> ReportStatus:
    """Return where a report stands now."""
    assert chain.run.bot is not None
    report = await chain.run.bot.services.reports.get_by_reference(reference)
    assert report is not None
    return report.status
