"""With no partner group linked, a report is saved and held, and goes out once a group links."""

from __future__ import annotations

from tests.e2e.harness import Harness
from tests.e2e.steps.chain import COORDINATOR, LINK_CODE
from tests.e2e.steps.residents import choose_category, finish_after_location


async def test_a_held_report_is_told_truthfully_and_delivered_when_a_group_links(
    harness: Harness,
) -> None:
    harness.link_code = LINK_CODE
    await harness.start()
    api = harness.api
    nina = api.user(1401, "Nina")
    await choose_category(harness, nina, "❓ Overig")
    await harness.say(nina, "Boddenkamp", expect="Plek:")
    summary = await finish_after_location(harness, nina)
    confirmed = await harness.tap(nina, summary, "✅ Versturen", expect="Dank u wel")
    assert "opgeslagen onder nummer ENS-2026-0001." in confirmed.text
    assert "doorgestuurd zodra het team is aangesloten" in confirmed.text
    assert "partner die erover gaat" not in confirmed.text
    listing = await harness.say(nina, "/mijnmeldingen", expect="Uw meldingen")
    assert "doorgestuurd naar de juiste partner" not in listing.text
    assert "wordt doorgestuurd zodra het team is aangesloten" in listing.text

    group = api.group(COORDINATOR, "Coördinatie veiligheid")
    cora = api.user(509, "Cora")
    api.add_bot_to_group(cora, group)
    await api.wait_idle()
    api.drain(nina.id)
    api.send_text(cora, f"/koppel coordinator {LINK_CODE}", group)
    notification = await api.wait_for_message(group.id, contains="ENS-2026-0001", timeout=10)
    assert "🙋 Oppakken" in notification.button_texts
    told = await api.wait_for_message(nina.id, contains="is nu doorgestuurd", timeout=10)
    assert "ENS-2026-0001" in told.text
    listing = await harness.say(nina, "/mijnmeldingen", expect="Uw meldingen")
    assert "doorgestuurd naar de juiste partner" in listing.text
