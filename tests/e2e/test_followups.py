"""Residents are asked whether a problem is still going on: once, on time, at day, until /stop."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from reports.followup import FollowupAnswer, followup_key
from reports.models import ReportStatus
from reports.records import OptOut
from sandbox.botapi import FakeUser, SentMessage
from storage.outbox import OutboxRow, OutboxStatus
from tests.e2e.harness import START
from tests.e2e.steps.chain import Chain, reported, running, stored
from tests.e2e.steps.clock import move_to

QUESTION = "Speelt het nog?"
ONGOING, SOLVED = "🔁 Speelt nog steeds", "✅ Opgelost"
MORE = "➕ Informatie toevoegen"  # noqa: RUF001
STOP = "🔕 Stuur mij zulke berichten niet meer"
DUE = START + timedelta(days=3)  # START is Saturday 11:00 in Enschede; DUE Tuesday 11:00


async def question_row(chain: Chain, reference: str, number: int = 1) -> OutboxRow | None:
    """Return the outbox row of a report's n-th follow-up, if it was ever scheduled."""
    report = await stored(chain, reference)
    return await running(chain).outbox.get_by_dedupe_key(followup_key(report.id, number))


def questions(chain: Chain, resident: FakeUser) -> list[SentMessage]:
    """Return the follow-up questions the resident received (not their later edits)."""
    return [m for m in chain.run.api.messages(resident.id) if QUESTION in m.text and not m.edited]


async def asked(chain: Chain, resident: FakeUser, at: datetime) -> SentMessage:
    """Move to the moment a follow-up is due and return the question the resident gets."""
    chain.run.api.drain(resident.id)
    chain.run.clock.set(at)
    running(chain).dispatcher.wake()
    return await chain.run.api.wait_for_message(resident.id, contains=QUESTION)


def partner_said(chain: Chain, contains: str) -> list[SentMessage]:
    """Return the new messages in the police chat that contain a text."""
    return [m for m in chain.run.api.messages(chain.police.id) if contains in m.text]


async def test_the_follow_up_comes_exactly_once_at_its_time_and_not_before(chain: Chain) -> None:
    anna, reference, _ = await reported(chain, "Anna", 1401)
    row = await question_row(chain, reference)
    assert row is not None and row.due_at == DUE and row.status is OutboxStatus.PENDING
    await move_to(chain, DUE - timedelta(minutes=1))
    assert questions(chain, anna) == []
    question = await asked(chain, anna, DUE)
    assert reference in question.text and "Jongerenoverlast" in question.text
    assert question.button_texts == [ONGOING, SOLVED, MORE, STOP]
    assert all(len((data or "").encode()) <= 64 for _, data in question.buttons)
    await move_to(chain, DUE + timedelta(days=1))
    assert len(questions(chain, anna)) == 1


async def test_still_going_on_reaches_the_lead_partner_and_repeats_up_to_the_maximum(
    chain: Chain,
) -> None:
    api = chain.run.api
    bram, reference, lead = await reported(chain, "Bram", 1402)
    due = DUE
    for number in (1, 2, 3):
        question = await asked(chain, bram, due)
        api.press(bram, question, text=ONGOING)
        thanks = await api.wait_for_message(bram.id, contains="nog speelt")
        told = await api.wait_for_message(chain.police.id, contains="Speelt nog", timeout=10)
        assert reference in told.text and f"{number}×" in told.text  # noqa: RUF001
        assert told.params["reply_parameters"]["message_id"] == lead.message_id
        if number < 3:
            due += timedelta(days=7)
            assert f"{due:%d-%m-%Y}" in thanks.text
        else:
            assert "nog eens" not in thanks.text
    assert (await stored(chain, reference)).recurrence_count == 3
    await move_to(chain, due + timedelta(days=8))
    assert len(questions(chain, bram)) == 3
    assert await question_row(chain, reference, 4) is None


async def test_solved_asks_the_partner_to_close_and_leaves_the_status_to_the_caseworker(
    chain: Chain,
) -> None:
    api = chain.run.api
    cato, reference, lead = await reported(chain, "Cato", 1403)
    question = await asked(chain, cato, DUE)
    api.press(cato, question, text=SOLVED)
    await api.wait_for_message(cato.id, contains="gevraagd melding")
    told = await api.wait_for_message(chain.police.id, contains="Opgelost volgens", timeout=10)
    assert reference in told.text and "Afhandelen" in told.text
    assert told.params["reply_parameters"]["message_id"] == lead.message_id
    answered = api.current(cato.id, question.message_id)
    assert answered is not None and not answered.get("reply_markup")
    assert (await stored(chain, reference)).status is ReportStatus.ROUTED
    data = question.button_data(ONGOING)
    assert data is not None
    again = api.press_forged(cato, cato, question.message_id, data)
    await api.wait_idle()
    alert = api.answered(again)
    assert alert is not None and alert.get("show_alert") and "al beantwoord" in str(alert["text"])
    assert partner_said(chain, "Speelt nog") == []
    assert await question_row(chain, reference, 2) is None


async def test_added_information_joins_the_report_and_reaches_the_partner_once(
    chain: Chain,
) -> None:
    api = chain.run.api
    dirk, reference, lead = await reported(chain, "Dirk", 1404)
    question = await asked(chain, dirk, DUE)
    api.press(dirk, question, text=MORE)
    await api.wait_for_message(dirk.id, contains="Stuur nu een bericht of een foto")
    await chain.run.say(dirk, "Vannacht weer, om 02:00 <glas> op straat.", expect="doorgegeven")
    told = await api.wait_for_message(chain.police.id, contains="Aanvulling van de melder")
    assert "Vannacht weer, om 02:00 <glas> op straat." in told.text
    assert told.params["reply_parameters"]["message_id"] == lead.message_id
    report = await stored(chain, reference)
    assert report.description.endswith("[01-12-2026] Vannacht weer, om 02:00 <glas> op straat.")
    later = await chain.run.say(dirk, "En nog iets.")
    assert "doorgegeven" not in later.text
    await api.wait_idle()
    assert len(partner_said(chain, "Aanvulling van de melder")) == 1


async def test_a_photo_with_a_caption_is_added_to_the_report_and_relayed(chain: Chain) -> None:
    api = chain.run.api
    eva, reference, lead = await reported(chain, "Eva", 1405)
    question = await asked(chain, eva, DUE)
    api.press(eva, question, text=MORE)
    await api.wait_for_message(eva.id, contains="Stuur nu een bericht of een foto")
    api.drain(eva.id)
    api.send_photo(eva, caption="Zo ziet het er nu uit.")
    await api.wait_for_message(eva.id, contains="doorgegeven")
    photo = await api.wait_for_message(chain.police.id, contains="Aanvulling van de melder")
    assert photo.method == "sendPhoto" and "Zo ziet het er nu uit." in photo.text
    assert photo.params["reply_parameters"]["message_id"] == lead.message_id
    report = await stored(chain, reference)
    assert len(report.photo_file_ids) == 1
    assert report.description.endswith("Zo ziet het er nu uit.")


async def test_only_the_reporter_may_answer_and_only_while_the_report_is_open(
    chain: Chain,
) -> None:
    api = chain.run.api
    fleur, reference, lead = await reported(chain, "Fleur", 1406)
    api.press(chain.kees, lead, text="🙋 Oppakken")  # claimed: no reminder comes in between
    await api.wait_for_message(chain.police.id, contains="in behandeling bij Kees")
    question = await asked(chain, fleur, DUE)
    data = question.button_data(ONGOING)
    assert data is not None
    outsider = api.user(1499, "Ongenode")
    forged = api.press_forged(outsider, outsider, 1, data)
    await api.wait_idle()
    refused = api.answered(forged)
    assert refused is not None and refused.get("show_alert")
    api.drain(chain.police.id)
    api.press(chain.kees, lead, text="✅ Afhandelen")
    menu = await api.wait_for_message(chain.police.id)
    api.press(chain.kees, menu, text="Gesprek gevoerd")
    await api.wait_for_message(fleur.id, contains="is afgehandeld", timeout=10)
    late = api.press(fleur, question, text=ONGOING)
    await api.wait_idle()
    closed = api.answered(late)
    assert closed is not None and "al afgesloten" in str(closed.get("text"))
    report = await stored(chain, reference)
    assert report.status is ReportStatus.RESOLVED and report.recurrence_count == 0
    assert partner_said(chain, "Speelt nog") == []


async def test_a_report_resolved_before_its_follow_up_gets_none(chain: Chain) -> None:
    api = chain.run.api
    gert, reference, lead = await reported(chain, "Gert", 1407)
    api.press(chain.kees, lead, text="✅ Afhandelen")
    menu = await api.wait_for_message(chain.police.id)
    api.press(chain.kees, menu, text="Gesprek gevoerd")
    await api.wait_for_message(gert.id, contains="is afgehandeld", timeout=10)
    row = await question_row(chain, reference)
    assert row is not None and row.status is OutboxStatus.CANCELLED
    await move_to(chain, DUE + timedelta(hours=1))
    assert questions(chain, gert) == []


async def test_at_night_replies_go_at_once_and_the_follow_up_waits_for_the_morning(
    chain: Chain,
) -> None:
    api = chain.run.api
    chain.run.clock.set(datetime(2026, 11, 28, 21, 30, tzinfo=UTC))  # 22:30 in Enschede
    hans = api.user(1408, "Hans")
    reference = await chain.report(hans)
    lead = await chain.notification(chain.enforcement, reference)  # the night team leads
    api.press(chain.bas, lead, text="🙋 Oppakken")
    await api.wait_for_message(hans.id, contains="is opgepakt door", timeout=5)
    row = await question_row(chain, reference)
    morning = datetime(2026, 12, 2, 8, 0, tzinfo=UTC)  # Wednesday 09:00 in Enschede
    assert row is not None and row.due_at == morning
    await move_to(chain, morning - timedelta(minutes=1))
    assert questions(chain, hans) == []
    await asked(chain, hans, morning)
    assert len(questions(chain, hans)) == 1


async def test_a_follow_up_falling_due_at_night_after_a_change_of_quiet_hours_waits(
    chain: Chain,
) -> None:
    run = chain.run
    run.schedule = 'quiet_hours = ""'
    await run.restart()
    run.clock.set(datetime(2026, 11, 28, 21, 30, tzinfo=UTC))  # 22:30 in Enschede
    iris, reference, _ = await reported(chain, "Iris", 1409)
    row = await question_row(chain, reference)
    evening = datetime(2026, 12, 1, 21, 30, tzinfo=UTC)
    assert row is not None and row.due_at == evening
    run.schedule = ""  # back to the shipped 21:00-09:00
    await run.restart()
    await move_to(chain, evening + timedelta(minutes=1))
    assert questions(chain, iris) == []
    postponed = await question_row(chain, reference)
    morning = datetime(2026, 12, 2, 8, 0, tzinfo=UTC)
    assert postponed is not None and postponed.due_at == morning
    await run.restart()
    await asked(chain, iris, morning)
    await move_to(chain, morning + timedelta(hours=1))
    assert len(questions(chain, iris)) == 1


async def test_a_follow_up_that_fell_due_during_a_restart_is_sent_once_afterwards(
    chain: Chain,
) -> None:
    run = chain.run
    jan, reference, _ = await reported(chain, "Jan", 1410)
    await run.stop()
    run.clock.set(DUE + timedelta(hours=5))
    await run.start()
    await run.api.wait_for_message(jan.id, contains=QUESTION)
    await run.restart()
    await move_to(chain, DUE + timedelta(hours=6))
    assert len(questions(chain, jan)) == 1
    row = await question_row(chain, reference)
    assert row is not None and row.status is OutboxStatus.SENT


async def test_a_follow_up_past_the_grace_period_expires_and_is_never_sent(chain: Chain) -> None:
    run = chain.run
    karin, reference, _ = await reported(chain, "Karin", 1411)
    await run.stop()
    run.clock.set(DUE + timedelta(days=2, hours=1))
    await run.start()
    await move_to(chain, DUE + timedelta(days=2, hours=2))
    assert questions(chain, karin) == []
    row = await question_row(chain, reference)
    assert row is not None and row.status is OutboxStatus.EXPIRED


async def test_stop_turns_follow_ups_off_and_start_turns_them_on_again(chain: Chain) -> None:
    run = chain.run
    lies, first, _ = await reported(chain, "Lies", 1412)
    done = await run.say(lies, "/stop", expect="geen vervolgvragen")
    assert "/start" in done.text
    await run.say(lies, "/stop", expect="U krijgt al geen")
    row = await question_row(chain, first)
    assert row is not None and row.status is OutboxStatus.CANCELLED
    await move_to(chain, DUE + timedelta(hours=1))
    assert questions(chain, lies) == []
    await run.say(lies, "/start", expect="staan weer aan")
    await run.api.wait_for_message(lies.id, contains="Welkom")
    assert await running(chain).services.residents.proactive_off(lies.id) is None
    second = await chain.report(lies)
    await asked(chain, lies, DUE + timedelta(hours=1, days=3))
    assert (await question_row(chain, second)) is not None
    assert len(questions(chain, lies)) == 1
    commands = [p for m, p in run.api.requests if m == "setMyCommands"]
    assert all("stop" in str(p["commands"]) for p in commands)


async def test_the_stop_button_under_a_follow_up_turns_off_the_next_ones(chain: Chain) -> None:
    run, api = chain.run, chain.run.api
    mark, first, _ = await reported(chain, "Mark", 1413)
    run.clock.set(START + timedelta(days=1))
    second = await chain.report(mark)
    question = await asked(chain, mark, DUE)
    api.press(mark, question, text=STOP)
    await api.wait_for_message(mark.id, contains="geen vervolgvragen")
    closed = api.current(mark.id, question.message_id)
    assert closed is not None and not closed.get("reply_markup")
    row = await question_row(chain, second)
    assert row is not None and row.status is OutboxStatus.CANCELLED
    await move_to(chain, DUE + timedelta(days=2))
    assert len(questions(chain, mark)) == 1
    assert await running(chain).services.residents.proactive_off(mark.id) is OptOut.STOP
    followups = await running(chain).services.followups.for_report((await stored(chain, first)).id)
    assert [f.answer for f in followups] == [None]


async def test_a_resident_who_blocked_the_bot_gets_nothing_more_until_writing_again(
    chain: Chain,
) -> None:
    run, api = chain.run, chain.run.api
    nina, first, _ = await reported(chain, "Nina", 1414)
    run.clock.set(START + timedelta(days=1))
    second = await chain.report(nina)
    api.block(nina)
    await move_to(chain, DUE)
    # The first proactive row to reach Telegram meets the 403; every other one is cancelled.
    failed = await question_row(chain, first)
    assert failed is not None and failed.status in (OutboxStatus.FAILED, OutboxStatus.CANCELLED)
    residents = running(chain).services.residents
    assert await residents.proactive_off(nina.id) is OptOut.BLOCKED
    pending = await question_row(chain, second)
    assert pending is not None and pending.status is OutboxStatus.CANCELLED
    await move_to(chain, DUE + timedelta(days=1, hours=1))
    assert questions(chain, nina) == []
    await run.say(nina, "/mijnmeldingen", expect="Uw meldingen")
    assert await residents.proactive_off(nina.id) is None
    third = await chain.report(nina)
    row = await question_row(chain, third)
    assert row is not None and row.status is OutboxStatus.PENDING


async def test_answers_are_stored_for_the_report(chain: Chain) -> None:
    api = chain.run.api
    olga, reference, _ = await reported(chain, "Olga", 1415)
    question = await asked(chain, olga, DUE)
    api.press(olga, question, text=ONGOING)
    await api.wait_for_message(olga.id, contains="nog speelt")
    report = await stored(chain, reference)
    followups = await running(chain).services.followups.for_report(report.id)
    assert [(f.number, f.answer) for f in followups] == [
        (1, FollowupAnswer.ONGOING),
        (2, None),
    ]
    events = [e.action for e in await running(chain).services.cases.events(report.id)]
    assert "followup_ongoing" in events
