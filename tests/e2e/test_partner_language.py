"""A partner group configured in English handles a report in English; the others stay Dutch."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from reports.models import ReportStatus
from tests.e2e.harness import Harness
from tests.e2e.steps.chain import COORDINATOR, ENFORCEMENT, POLICE, Chain, status_of


@pytest.fixture
async def chain(harness: Harness) -> AsyncIterator[Chain]:
    """Start Meldbot with an English-speaking police group and Dutch enforcement and coordinator."""
    harness.overrides = (
        f'[partners.politie]\nchat_id = {POLICE}\ncaseworkers = [501, 502]\nlanguage = "en"\n'
        f"[partners.handhaving]\nchat_id = {ENFORCEMENT}\n"
        f"[partners.coordinator]\nchat_id = {COORDINATOR}\n"
    )
    api = harness.api
    police = api.group(POLICE, "Neighbourhood police")
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


async def test_an_english_partner_group_claims_asks_and_resolves_a_report_in_english(
    chain: Chain,
) -> None:
    api = chain.run.api
    carl = api.user(1203, "Carl")
    reference = await chain.report(carl)
    lead = await chain.notification(chain.police, reference)
    assert f"Report {reference}" in lead.text and "Youth nuisance" in lead.text
    assert "new, not yet claimed" in lead.text and "the reporter stays anonymous" in lead.text
    assert {"🙋 Claim", "✅ Resolve", "↪️ Forward", "🚫 Not ours"} <= set(lead.button_texts)
    info = await chain.notification(chain.enforcement, reference)
    assert "Ter informatie" in info.text and "Politie (wijkagent) pakt dit op" in info.text

    pressed = api.press(chain.kees, lead, text="🙋 Claim")
    claimed = await api.wait_for_message(chain.police.id, contains="being handled by Kees")
    assert "🙋 Claim" not in claimed.button_texts
    await api.wait_idle()
    assert (api.answered(pressed) or {}).get("text") == "Done."
    told = await api.wait_for_message(carl.id, contains="is opgepakt door", timeout=10)
    assert "Politie (wijkagent)" in told.text  # the resident reads Dutch

    api.press(chain.kees, claimed, text="❓ Ask reporter")
    prompt = await api.wait_for_message(chain.police.id, contains="reply to this message")
    api.send_text(chain.kees, "When does it usually start?", chain.police, reply_to=prompt)
    sent = await api.wait_for_message(chain.police.id, contains="question to the reporter")
    assert "When does it usually start?" in sent.text
    await api.wait_for_message(carl.id, contains="heeft een vraag", timeout=10)
    await chain.run.say(carl, "Meestal rond tien uur 's avonds.", expect="is doorgegeven")
    answer = await api.wait_for_message(
        chain.police.id, contains="Answer from the reporter", timeout=10
    )
    assert "Meestal rond tien uur" in answer.text

    await api.wait_idle()
    api.drain(chain.police.id)
    api.press(chain.kees, claimed, text="✅ Resolve")
    menu = await api.wait_for_message(chain.police.id)
    assert {"Solved", "Spoke with those involved", "✏️ Own text", "⬅️ Back"} <= set(menu.button_texts)
    api.press(chain.kees, menu, text="Spoke with those involved")
    done = await api.wait_for_message(chain.police.id, contains="resolved by Kees")
    assert "met de betrokkenen gesproken" in done.text  # the closing text is the resident's
    await api.wait_for_message(carl.id, contains="is afgehandeld", timeout=10)
    assert await status_of(chain, reference) is ReportStatus.RESOLVED
