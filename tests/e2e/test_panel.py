"""The neighbourhood panel through the validating Bot API: join with buttons or a pin, one
question per round across a restart, answer and cause, /stats beside the reporters' survey,
the offer once after a report, and leaving."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from reports.panel import round_at
from sandbox.botapi import FakeUser, SentMessage
from sandbox.botapi.models import JSONDict
from storage.outbox import OutboxRow
from tests.e2e.harness import START
from tests.e2e.steps.chain import Chain, running
from tests.e2e.steps.clock import move_to

Q4 = "2026-10-01"
QUESTION = "Hoe vaak voelt u zich onveilig in uw eigen buurt?"
JOIN = "✅ Ja, ik doe mee"


async def answer_of(chain: Chain, query_id: str) -> JSONDict:
    """Wait until the bot answered a button press and return its answer."""
    for _ in range(250):
        answer = chain.run.api.answered(query_id)
        if answer is not None:
            return answer
        await asyncio.sleep(0.02)
    raise AssertionError(f"button press {query_id} was not answered")


async def question_row(chain: Chain, user_id: int, round_key: str = Q4) -> OutboxRow:
    """Wait until the sweep queued the member's question of a round; return its row."""
    outbox = running(chain).outbox
    for _ in range(100):
        row = await outbox.get_by_dedupe_key(f"panel:{round_key}:{user_id}")
        if row is not None:
            return row
        await asyncio.sleep(0.1)
    raise AssertionError("no panel question was queued")


def received(chain: Chain, user: FakeUser, contains: str) -> list[SentMessage]:
    """Return the messages (not edits) the resident got that contain a text."""
    return [m for m in chain.run.api.messages(user.id) if contains in m.text and not m.edited]


async def join_with_buttons(chain: Chain, user: FakeUser) -> SentMessage:
    """Join the panel for Boddenkamp with /panel and the wijk and buurt buttons."""
    run = chain.run
    intro = await run.say(user, "/panel", expect="Het buurtpanel")
    assert "Binnensingelgebied" in intro.button_texts and "/panel uit" in intro.text
    buurten = await run.tap(user, intro, "Binnensingelgebied", expect=None)
    assert "Boddenkamp" in buurten.button_texts and "⬅️ Terug" in " ".join(buurten.button_texts)
    run.api.drain(user.id)
    run.api.press(user, buurten, text="Boddenkamp")
    confirm = await run.api.wait_for_message(user.id, contains="Doet u mee")
    assert "Boddenkamp" in confirm.text and "Binnensingelgebied" in confirm.text
    return await run.tap(user, confirm, JOIN, expect="U doet mee met het buurtpanel voor")


async def test_a_resident_joins_answers_once_across_a_restart_and_stats_show_the_panel(
    chain: Chain,
) -> None:
    run, api = chain.run, chain.run.api
    petra = api.user(1801, "Petra")
    joined = await join_with_buttons(chain, petra)
    assert "Boddenkamp" in joined.text and "Q4 2026" in joined.text
    row = await question_row(chain, petra.id)
    assert (
        START
        < row.due_at
        < round_at(START, running(chain).services.config.municipality.zone, 4).end
    )
    await run.restart()  # the question is stored, not held in memory
    await move_to(chain, row.due_at - timedelta(minutes=1))
    assert received(chain, petra, QUESTION) == []
    run.clock.set(row.due_at)
    running(chain).dispatcher.wake()
    question = await api.wait_for_message(petra.id, contains=QUESTION, timeout=10)
    assert question.button_texts == ["Vaak", "Soms", "(Bijna) nooit", "Stoppen met het panel"]
    assert all(len((data or "").encode()) <= 64 for _, data in question.buttons)
    cause = await run.tap(petra, question, "Soms", expect="Wat maakt dat u zich onveilig voelt")
    assert "Donkere plekken" in cause.button_texts and "Overslaan" in cause.button_texts
    await run.tap(petra, cause, "Donkere plekken", expect="Dank u wel")
    # A second answer to the same round (its buttons are gone: a forged or late press).
    again = api.press_forged(petra, petra, question.message_id, f"pq:{Q4}:o")
    refused = await answer_of(chain, again)
    assert refused.get("show_alert") is True and "al beantwoord" in str(refused.get("text"))
    await run.restart()
    await move_to(chain, row.due_at + timedelta(days=2))
    assert len(received(chain, petra, QUESTION)) == 1

    api.drain(chain.coordinator.id)
    api.send_text(chain.cora, "/stats 2026-12-01 2026-12-31", chain.coordinator)
    stats = await api.wait_for_message(chain.coordinator.id, contains="Buurtpanel", timeout=10)
    assert "Buurtpanel Q4 2026" in stats.text and "1 antwoorden" in stats.text
    assert "te weinig antwoorden" in stats.text and "enquête onder melders" in stats.text


async def test_a_pin_finds_the_buurt_and_one_outside_the_city_is_refused(chain: Chain) -> None:
    run, api = chain.run, chain.run.api
    ruud = api.user(1802, "Ruud")
    await run.say(ruud, "/panel", expect="Het buurtpanel")
    api.drain(ruud.id)
    api.send_location(ruud, 52.3676, 4.9041)  # Amsterdam
    outside = await api.wait_for_message(ruud.id, contains="ligt niet in Enschede")
    assert "Binnensingelgebied" in outside.button_texts
    api.send_location(ruud, 52.220288, 6.893882)  # the Oude Markt
    confirm = await api.wait_for_message(ruud.id, contains="Doet u mee")
    assert "City" in confirm.text
    joined = await run.tap(ruud, confirm, JOIN, expect="U doet mee")
    assert "City" in joined.text
    member = await running(chain).services.panel.member(ruud.id)
    assert member is not None and member.buurt_code.startswith("BU0153")
    status = await run.say(ruud, "/panel", expect="U doet mee met het buurtpanel voor")
    assert status.button_texts == ["Buurt wijzigen", "Stoppen met het panel"]
    left = await run.say(ruud, "/panel uit", expect="niet meer mee")
    assert "/panel" in left.text
    assert await running(chain).services.panel.member(ruud.id) is None
    await run.say(ruud, "/panel off", expect="U doet niet mee")


async def test_the_panel_is_offered_once_after_a_report_and_no_means_no(chain: Chain) -> None:
    run, api = chain.run, chain.run.api
    sanne = api.user(1803, "Sanne")
    await chain.report(sanne)
    await move_to(chain, START + timedelta(hours=2))
    offer = await api.wait_for_message(sanne.id, contains="buurtpanel", timeout=10)
    assert offer.button_texts == ["Vertel meer", "Nee, dank u"]
    await run.tap(sanne, offer, "Nee, dank u", expect="we vragen het niet opnieuw")
    run.clock.set(START + timedelta(days=1))
    await chain.report(sanne)
    await move_to(chain, START + timedelta(days=1, hours=3))
    assert len(received(chain, sanne, "Wilt u helpen meten")) == 1
    intro = await run.say(sanne, "/panel", expect="Het buurtpanel")  # /panel stays open
    assert intro.button_texts


async def test_help_lists_the_panel_and_forged_presses_change_nothing(chain: Chain) -> None:
    run, api = chain.run, chain.run.api
    tom = api.user(1804, "Tom")
    help_text = await run.say(tom, "/help", expect="/panel")
    assert "buurtpanel" in help_text.text
    intro = await run.say(tom, "/panel", expect="Het buurtpanel")
    forged = ("pn:j:BU01539999", f"pq:{Q4}:o", f"pc:{Q4}:dark", "pn:w:WK999999", "pq:x")
    for data in forged:
        answer = await answer_of(chain, api.press_forged(tom, tom, intro.message_id, data))
        assert answer.get("show_alert") is True, data
    await api.wait_idle()
    assert await running(chain).services.panel.member(tom.id) is None


async def test_a_member_who_blocked_the_bot_is_removed_when_the_question_bounces(
    chain: Chain,
) -> None:
    api = chain.run.api
    vera = api.user(1805, "Vera")
    await join_with_buttons(chain, vera)
    row = await question_row(chain, vera.id)
    api.block(vera)
    await move_to(chain, row.due_at)
    for _ in range(100):
        if await running(chain).services.panel.member(vera.id) is None:
            break
        await asyncio.sleep(0.05)
    assert await running(chain).services.panel.member(vera.id) is None
    assert received(chain, vera, QUESTION) == []
