"""After a resolved report the resident gets one survey; after a report one tip; /tips a digest."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from reports.models import ReportStatus
from reports.survey import FeelsUnsafe, SurveyState, survey_key, tip_key
from sandbox.botapi import FakeUser, SentMessage
from storage.outbox import OutboxRow, OutboxStatus
from storage.surveys import Survey
from tests.e2e.harness import START
from tests.e2e.steps.caseworkers import resolve
from tests.e2e.steps.chain import Chain, reported, running, stored
from tests.e2e.steps.clock import move_to

SURVEY = "Hoe vond u de afhandeling?"
YES, NO = "👍 Ja, tevreden", "👎 Nee, niet tevreden"
STOP = "🔕 Stuur mij zulke berichten niet meer"
UNSAFE = "Hoe vaak voelt u zich onveilig"
COMMENT = "Wilt u nog iets kwijt?"
SKIP = "⏭️ Overslaan"
DUE = START + timedelta(days=1)  # resolved at START (Saturday 11:00): Sunday 11:00
TIP = "Tip</b> bij uw melding"


async def survey_row(chain: Chain, reference: str) -> OutboxRow | None:
    """Return the outbox row of a report's survey, if one was ever queued."""
    report = await stored(chain, reference)
    return await running(chain).outbox.get_by_dedupe_key(survey_key(report.id))


async def answers(chain: Chain, reference: str) -> Survey:
    """Return the survey of a report as stored now."""
    report = await stored(chain, reference)
    survey = await running(chain).services.surveys.get(report.id)
    assert survey is not None
    return survey


def received(chain: Chain, resident: FakeUser, contains: str) -> list[SentMessage]:
    """Return the messages (not their edits) the resident got that contain a text."""
    return [m for m in chain.run.api.messages(resident.id) if contains in m.text and not m.edited]


async def surveyed(chain: Chain, name: str, user_id: int) -> tuple[FakeUser, str, SentMessage]:
    """Make and resolve a report, move to the survey and return resident, reference, survey."""
    resident, reference, lead = await reported(chain, name, user_id)
    await resolve(chain, resident, lead)
    chain.run.api.drain(resident.id)
    chain.run.clock.set(DUE)
    running(chain).dispatcher.wake()
    survey = await chain.run.api.wait_for_message(resident.id, contains=SURVEY)
    return resident, reference, survey


async def test_the_survey_comes_once_after_resolution_and_not_before(chain: Chain) -> None:
    anna, reference, lead = await reported(chain, "Anna", 1601)
    await resolve(chain, anna, lead)
    row = await survey_row(chain, reference)
    assert row is not None and row.due_at == DUE and row.status is OutboxStatus.PENDING
    await move_to(chain, DUE - timedelta(minutes=1))
    assert received(chain, anna, SURVEY) == []
    chain.run.clock.set(DUE)
    running(chain).dispatcher.wake()
    survey = await chain.run.api.wait_for_message(anna.id, contains=SURVEY)
    assert reference in survey.text and "Boddenkamp" in survey.text
    assert survey.button_texts == [YES, NO, STOP]
    assert all(len((data or "").encode()) <= 64 for _, data in survey.buttons)
    await move_to(chain, DUE + timedelta(days=1))
    assert len(received(chain, anna, SURVEY)) == 1


async def test_a_satisfied_resident_answers_every_step_and_it_is_stored_with_buurt_and_wijk(
    chain: Chain,
) -> None:
    run = chain.run
    bram, reference, survey = await surveyed(chain, "Bram", 1602)
    reasons = await run.tap(bram, survey, YES, expect="Wat was vooral goed")
    assert reasons.button_texts[:2] == ["Snel opgepakt", "Probleem is opgelost"]
    assert "Er is niets gedaan" not in reasons.button_texts and STOP in reasons.button_texts
    unsafe = await run.tap(bram, reasons, "Snel opgepakt", expect=UNSAFE)
    assert unsafe.button_texts == ["Vaak", "Soms", "(Bijna) nooit", STOP]
    comment = await run.tap(bram, unsafe, "Soms", expect=COMMENT)
    assert SKIP in comment.button_texts
    thanks = await run.say(bram, "Prima <b>geholpen</b>, dank!", expect="Dank u wel")
    assert "Prima <b>geholpen</b>, dank!" in thanks.text  # escaped: shown as typed
    report = await stored(chain, reference)
    stored_survey = await answers(chain, reference)
    assert stored_survey.state is SurveyState.DONE and stored_survey.satisfied is True
    assert stored_survey.reasons == ("snel-opgepakt",)
    assert stored_survey.feels_unsafe is FeelsUnsafe.SOMETIMES
    assert stored_survey.comment == "Prima <b>geholpen</b>, dank!"
    assert stored_survey.buurt_code == report.location.neighbourhood.buurt_code
    assert stored_survey.wijk_code == report.location.neighbourhood.wijk_code
    assert stored_survey.sent_at is not None and stored_survey.answered_at == DUE
    assert report.status is ReportStatus.RESOLVED
    later = await run.say(bram, "Nog iets")
    assert "Dank u wel" not in later.text


async def test_a_dissatisfied_resident_can_skip_the_text_and_a_plain_reason_reopens_nothing(
    chain: Chain,
) -> None:
    run = chain.run
    cato, reference, survey = await surveyed(chain, "Cato", 1603)
    reasons = await run.tap(cato, survey, NO, expect="Wat ging er vooral mis")
    assert "Er is niets gedaan" in reasons.button_texts and "Snel opgepakt" not in (
        reasons.button_texts
    )
    unsafe = await run.tap(cato, reasons, "Duurde te lang", expect=UNSAFE)
    comment = await run.tap(cato, unsafe, "Vaak", expect=COMMENT)
    await run.tap(cato, comment, SKIP, expect="Dank u wel")
    stored_survey = await answers(chain, reference)
    assert (stored_survey.satisfied, stored_survey.reasons) == (False, ("duurde-te-lang",))
    assert stored_survey.feels_unsafe is FeelsUnsafe.OFTEN and stored_survey.comment is None
    assert stored_survey.state is SurveyState.DONE
    assert (await stored(chain, reference)).status is ReportStatus.RESOLVED


async def test_a_reopen_reason_reopens_the_report_and_the_lead_partner_is_told(
    chain: Chain,
) -> None:
    run, api = chain.run, chain.run.api
    dirk, reference, survey = await surveyed(chain, "Dirk", 1604)
    lead = next(m for m in api.messages(chain.police.id) if reference in m.text and m.buttons)
    reasons = await run.tap(dirk, survey, NO, expect="Wat ging er vooral mis")
    api.drain(chain.police.id)
    api.drain(dirk.id)
    api.press(dirk, reasons, text="Er is niets gedaan")
    await api.wait_for_message(dirk.id, contains="heropend")
    await api.wait_for_message(dirk.id, contains=UNSAFE)
    told = await api.wait_for_message(chain.police.id, contains="Heropend door de melder")
    assert reference in told.text and "Er is niets gedaan" in told.text
    assert told.params["reply_parameters"]["message_id"] == lead.message_id
    report = await stored(chain, reference)
    assert report.status is ReportStatus.REOPENED and report.claimed_by is None
    assert report.due_at is not None and report.due_at > DUE
    assert report.reminded_at is None and report.escalated_at is None
    assert (await answers(chain, reference)).reasons == ("niets-gedaan",)
    events = [e.action for e in await running(chain).services.cases.events(report.id)]
    assert "reopen" in events


async def test_presses_of_others_or_twice_change_nothing(chain: Chain) -> None:
    api = chain.run.api
    eva, reference, survey = await surveyed(chain, "Eva", 1605)
    data = survey.button_data(YES)
    assert data is not None
    outsider = api.user(1699, "Ongenode")
    forged = api.press_forged(outsider, outsider, 1, data)
    await api.wait_idle()
    refused = api.answered(forged)
    assert refused is not None and refused.get("show_alert")
    await chain.run.tap(eva, survey, NO, expect="Wat ging er vooral mis")
    again = api.press_forged(eva, eva, survey.message_id, data)
    await api.wait_idle()
    stale = api.answered(again)
    assert stale is not None and "al beantwoord" in str(stale.get("text"))
    assert (await answers(chain, reference)).satisfied is False


async def test_the_survey_expires_after_its_window_and_then_changes_nothing(
    chain: Chain,
) -> None:
    api = chain.run.api
    fleur, reference, survey = await surveyed(chain, "Fleur", 1606)
    stored_survey = await answers(chain, reference)
    assert stored_survey.expires_at == DUE + timedelta(days=14)
    chain.run.clock.set(stored_survey.expires_at + timedelta(minutes=1))
    late = api.press(fleur, survey, text=YES)
    await api.wait_idle()
    alert = api.answered(late)
    assert alert is not None and alert.get("show_alert") and "verlopen" in str(alert["text"])
    assert await running(chain).services.surveys.expire(chain.run.clock.now()) == 1
    expired = await answers(chain, reference)
    assert expired.state is SurveyState.EXPIRED and expired.satisfied is None


async def test_a_survey_falling_due_at_night_waits_for_the_morning(chain: Chain) -> None:
    gert, reference, lead = await reported(chain, "Gert", 1607)
    chain.run.clock.set(datetime(2026, 11, 28, 21, 30, tzinfo=UTC))  # 22:30 in Enschede
    await resolve(chain, gert, lead)
    morning = datetime(2026, 11, 30, 8, 0, tzinfo=UTC)  # Monday 09:00 in Enschede
    row = await survey_row(chain, reference)
    assert row is not None and row.due_at == morning
    await move_to(chain, morning - timedelta(minutes=1))
    assert received(chain, gert, SURVEY) == []
    chain.run.clock.set(morning)
    running(chain).dispatcher.wake()
    await chain.run.api.wait_for_message(gert.id, contains=SURVEY)


async def test_no_survey_after_stop(chain: Chain) -> None:
    run = chain.run
    hans, first, lead = await reported(chain, "Hans", 1608)
    await resolve(chain, hans, lead)
    run.clock.set(START + timedelta(minutes=10))
    await run.say(hans, "/stop", expect="geen vervolgvragen")
    row = await survey_row(chain, first)
    assert row is not None and row.status is OutboxStatus.CANCELLED
    second = await chain.report(hans)
    lead = await chain.notification(chain.police, second)
    await resolve(chain, hans, lead)
    assert await survey_row(chain, second) is None
    await move_to(chain, DUE + timedelta(hours=1))
    assert received(chain, hans, SURVEY) == []


async def test_the_tip_arrives_once_after_tips_after_report(chain: Chain) -> None:
    iris, reference, _ = await reported(chain, "Iris", 1609)
    report = await stored(chain, reference)
    row = await running(chain).outbox.get_by_dedupe_key(tip_key(report.id))
    assert row is not None and row.due_at == START + timedelta(hours=2)
    await move_to(chain, START + timedelta(hours=2) - timedelta(minutes=1))
    assert received(chain, iris, "Tip") == []
    chain.run.clock.set(START + timedelta(hours=2))
    running(chain).dispatcher.wake()
    tip = await chain.run.api.wait_for_message(iris.id, contains="Tip")
    assert reference in tip.text and "wijkagent" in tip.text and tip.button_texts == [STOP]
    await move_to(chain, START + timedelta(hours=4))
    assert len(received(chain, iris, "Tip")) == 1


async def test_tips_subscribes_and_a_digest_follows_with_counts_and_no_details(
    chain: Chain,
) -> None:
    run, api = chain.run, chain.run.api
    jan, _, _ = await reported(chain, "Jan", 1610)
    run.clock.set(START + timedelta(minutes=1))  # Jan's own report is before the first period
    done = await run.say(jan, "/tips", expect="U krijgt voortaan een overzicht")
    assert "28-12-2026" in done.text
    run.clock.set(START + timedelta(hours=1))
    karin = api.user(1611, "Karin")
    first = await chain.report(karin)
    second = await chain.report(karin)
    lead = await chain.notification(chain.police, first)
    await chain.notification(chain.police, second)
    await resolve(chain, karin, lead)
    subscription = await running(chain).services.digests.get(jan.id)
    assert subscription is not None
    api.drain(jan.id)
    await move_to(chain, subscription.next_at - timedelta(minutes=1))
    assert received(chain, jan, "Overzicht") == []
    run.clock.set(subscription.next_at)
    digest = await api.wait_for_message(jan.id, contains="Overzicht", timeout=10)
    assert "Jongerenoverlast: 2" in digest.text and "Afgehandeld: 1 van 2" in digest.text
    assert first not in digest.text and second not in digest.text
    assert "Boddenkamp" not in digest.text and "Tip" in digest.text
    assert digest.button_texts == [STOP]
    await move_to(chain, subscription.next_at + timedelta(days=1))
    assert len(received(chain, jan, "Overzicht")) == 1
    moved = await running(chain).services.digests.get(jan.id)
    assert moved is not None and moved.since == subscription.next_at


async def test_tips_off_unsubscribes_and_no_digest_comes(chain: Chain) -> None:
    run = chain.run
    lies, _, _ = await reported(chain, "Lies", 1612)
    await run.say(lies, "/tips", expect="U krijgt voortaan")
    await run.say(lies, "/tips uit", expect="geen overzicht van uw wijk meer")
    await run.say(lies, "/tips off", expect="U krijgt geen overzicht")
    assert await running(chain).services.digests.get(lies.id) is None
    await move_to(chain, START + timedelta(days=32))
    assert received(chain, lies, "Overzicht") == []


async def test_tips_without_a_report_offers_the_wijk_list(chain: Chain) -> None:
    run = chain.run
    mark = run.api.user(1613, "Mark")
    question = await run.say(mark, "/tips", expect="Van welke wijk")
    assert len(question.button_texts) > 3
    choice = question.button_texts[0]
    done = await run.tap(mark, question, choice, expect="U krijgt voortaan")
    assert choice in done.text
    subscription = await running(chain).services.digests.get(mark.id)
    assert subscription is not None and subscription.wijk_code.startswith("WK0153")
    commands = [p for m, p in run.api.requests if m == "setMyCommands"]
    assert all("tips" in str(p["commands"]) for p in commands)
