"""A person tries Meldbot in the browser: reports as a resident, handles it as a caseworker,
skips a day and answers the survey, only by clicking and typing on the sandbox page.

Screenshots of every step go to test-artifacts/sandbox/ (or $MELDBOT_ARTIFACTS).
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from playwright.async_api import Locator, Page, expect

from tests.browser import chromium
from tests.sandbox.conftest import ROOT, RunningSandbox, stop_sandbox

ARTIFACTS = Path(os.environ.get("MELDBOT_ARTIFACTS", ROOT / "test-artifacts")) / "sandbox"
REFERENCE = re.compile(r"ENS-\d{4}-\d{4}")
DESCRIPTION = "Elke avond hangen jongeren rond bij het bankje en gooien ze flessen kapot."


class Steps:
    """The page and a numbered screenshot after each step."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.number = 0
        ARTIFACTS.mkdir(parents=True, exist_ok=True)

    async def shot(self, name: str) -> None:
        self.number += 1
        await self.page.screenshot(path=ARTIFACTS / f"{self.number:02d}-{name}.png")

    @property
    def resident_chat(self) -> Locator:
        return self.page.get_by_test_id("resident-chat")

    @property
    def group_chat(self) -> Locator:
        return self.page.get_by_test_id("group-chat")

    async def resident_says(self, text: str) -> None:
        await self.page.get_by_test_id("resident-text").fill(text)
        await self.page.get_by_test_id("resident-send").click()

    async def resident_taps(self, label: str) -> None:
        """Tap the newest inline button with this label in the resident's chat."""
        await self.resident_chat.get_by_role("button", name=label).last.click()

    async def resident_taps_key(self, label: str) -> None:
        """Tap the key with this label on the reply keyboard under the resident's chat."""
        keyboard = self.page.get_by_test_id("reply-keyboard")
        await keyboard.get_by_role("button", name=label).click()

    async def caseworker_taps(self, label: str) -> None:
        await self.group_chat.get_by_role("button", name=label).last.click()

    async def resident_sees(self, text: str | re.Pattern[str]) -> None:
        await expect(self.resident_chat.get_by_test_id("bot-message").last).to_contain_text(
            text, timeout=15_000
        )

    async def group_sees(self, text: str | re.Pattern[str]) -> None:
        await expect(self.group_chat).to_contain_text(text, timeout=15_000)


async def test_a_report_made_handled_and_surveyed_only_by_clicking_and_typing(
    sandbox: RunningSandbox,
) -> None:
    async with chromium() as browser:
        page = await browser.new_page(viewport={"width": 1280, "height": 860})
        errors: list[str] = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        await page.goto(sandbox.url)
        steps = Steps(page)
        await expect(page.get_by_test_id("resident")).to_contain_text("Anna")
        await steps.shot("start")

        await steps.resident_says("/melden")
        await steps.resident_sees("Waarover gaat uw melding")
        await steps.resident_taps_key("Jongerenoverlast")
        await steps.resident_sees("Waar is het")
        await steps.shot("category")

        await (
            page.get_by_test_id("reply-keyboard")
            .get_by_role("button", name="Deel mijn locatie")
            .click()
        )
        await expect(page.get_by_test_id("map")).to_be_visible()
        await steps.shot("map")
        await page.locator('#map path[data-name="Boddenkamp"]').click()
        await steps.resident_sees("Wat is er aan de hand")
        await steps.shot("place")

        await steps.resident_says(DESCRIPTION)
        await steps.resident_sees("Foto's")
        await steps.resident_taps("Geen foto's")
        await steps.resident_sees("Wanneer speelt het")
        await steps.resident_taps("Het komt steeds terug")
        await steps.resident_sees("Mogen we contact")
        await steps.resident_taps("Nee, liever niet")
        await steps.resident_sees("Controleer uw melding")
        await steps.shot("summary")
        await steps.resident_taps("✅ Versturen")
        await steps.resident_sees(REFERENCE)
        confirmation = await steps.resident_chat.get_by_test_id("bot-message").last.inner_text()
        found = REFERENCE.search(confirmation)
        assert found is not None, confirmation
        reference = found.group(0)
        await steps.shot("sent")

        # The police group (the first group) gets the notification; Kees claims and resolves.
        await expect(page.get_by_test_id("team")).to_have_value("politie")
        await steps.group_sees(reference)
        await steps.caseworker_taps("🙋 Oppakken")
        await steps.group_sees("Kees")
        await steps.resident_sees("is opgepakt door")
        await steps.shot("claimed")
        await steps.caseworker_taps("✅ Afhandelen")
        await steps.caseworker_taps("Gesprek gevoerd")
        await steps.resident_sees("is afgehandeld")
        await steps.shot("resolved")

        # A day later the survey comes; the resident answers it.
        await page.get_by_test_id("skip-day").click()
        await steps.resident_sees("Hoe vond u de afhandeling?")
        await steps.shot("survey")
        await steps.resident_taps("👍 Ja, tevreden")
        await steps.resident_sees("Wat was vooral goed")
        await steps.shot("answered")
        assert errors == []
    stderr = stop_sandbox(sandbox)
    assert sandbox.process.returncode == 0, stderr[-3000:]
    assert "Traceback" not in stderr, stderr[-3000:]
