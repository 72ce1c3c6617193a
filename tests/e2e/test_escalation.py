"""Unclaimed reports are brought up once, then shown to the coordinator, who has an overview."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import pytest

from bot.ratelimit import PriorityRateLimiter
from handlers.coordinator.format import MAX_PAGES, MESSAGE_LIMIT
from reports.kinds import ActorKind
from reports.models import (
    Draft,
    Language,
    Location,
    LocationSource,
    Neighbourhood,
    Report,
    Timing,
)
from reports.records import Actor
from reports.workflow import CaseAction
from sandbox.botapi import FakeGroup, FakeUser, RateLimits, SentMessage
from services.chain import Chain as Routing
from services.escalation import escalate_overdue
from services.holding import route
from storage.reports import commit_draft
from tests.e2e.steps.chain import Chain, running, stored

BODDENKAMP = Neighbourhood(
    buurt_code="BU01530008",
    buurt_name="Boddenkamp",
    wijk_code="WK015300",
    wijk_name="Binnensingelgebied",
)
REMINDER = "Herinnering"
NOTICE = "Niet opgepakt"
COORDINATOR_ONLY = "alleen in de chat van de coördinator"


async def sweep(chain: Chain, times: int = 1) -> None:
    """Run the escalation sweep now, as the job would (several at once when times > 1)."""
    svc = running(chain).services
    await asyncio.gather(*(escalate_overdue(svc) for _ in range(times)))
    await chain.run.api.wait_idle(quiet=0.3)


def sent(group: FakeGroup, chain: Chain, contains: str) -> list[SentMessage]:
    """Return the new (not edited) messages in a group that contain a text."""
    return [m for m in chain.run.api.messages(group.id) if contains in m.text and not m.edited]


async def reported_and_notified(chain: Chain, name: str, user_id: int) -> tuple[str, SentMessage]:
    """Make a youth-nuisance report and return its reference and the police notification."""
    resident = chain.run.api.user(user_id, name)
    reference = await chain.report(resident)
    return reference, await chain.notification(chain.police, reference)


async def insert_reports(
    chain: Chain,
    count: int,
    *,
    notify: bool = False,
    category: str | None = None,
    description: str | None = None,
) -> list[Report]:
    """Store reports through the storage layer, a minute apart, the last one now.

    With notify they are routed and notified as a confirmed report is; otherwise they are only
    routed, to partners in turn, without notifications.
    """
    svc = running(chain).services
    leads = ["politie", "handhaving", "twente-milieu", "coordinator"]
    categories = ["jongerenoverlast", "geluidsoverlast", "zwerfvuil-dumping", "verkeersonveilig"]
    made: list[Report] = []
    fresh = svc.clock.now()  # the drafts are new: the expiry sweep must not take them meanwhile
    for n in range(count):
        at = svc.clock.now() - timedelta(minutes=count - 1 - n)
        resident = 800_000 + n
        category_id = category or categories[n % 4]
        draft = Draft(
            user_id=resident,
            chat_id=resident,
            token="ins",
            language=Language.NL,
            category_id=category_id,
            location=Location(neighbourhood=BODDENKAMP, source=LocationSource.CHOSEN),
            description=description or f"Overlast nummer {n} bij het speelveld.",
            photos_done=True,
            timing=Timing.RECURRING,
            contact_allowed=False,
            created_at=fresh,
            updated_at=fresh,
        )
        await svc.drafts.save(draft)
        local = at.astimezone(svc.config.municipality.zone)
        if notify:
            async with svc.uow() as work:
                stored = await commit_draft(work.session, draft, prefix="ENS", now=local)
                made.append(await route(work, Routing(svc.config, svc.messages), stored, None))
            continue
        report = await svc.reports.commit_draft(draft, prefix="ENS", now=local)
        lead = leads[n % 4]
        partner = svc.config.partner(lead)
        assert partner is not None
        due = svc.config.working_calendar().deadline(at, partner.response_target(category_id))
        changes = {"lead_partner": lead, "routing_rule": "test", "due_at": due}
        made.append(
            await svc.cases.act(
                report.id, CaseAction.ROUTE, Actor(ActorKind.SYSTEM), at, changes=changes
            )
        )
    return made


async def command(
    chain: Chain, user: FakeUser, text: str, group: FakeGroup | None = None
) -> list[str]:
    """Send a command (in a group, or privately) and return the texts of every answer."""
    api = chain.run.api
    chat_id = group.id if group is not None else user.id
    before = len(api.messages(chat_id))
    if group is None:
        api.send_text(user, text)
    else:
        api.send_text(user, text, group)
    await api.wait_for_message(chat_id, timeout=10)
    await api.wait_idle(quiet=0.5)
    return [m.text for m in api.messages(chat_id)[before:]]


# --- reminders and notices ------------------------------------------------------------------


async def test_an_unclaimed_report_past_its_deadline_is_brought_up_once_in_the_partner_chat(
    chain: Chain,
) -> None:
    api = chain.run.api
    reference, lead = await reported_and_notified(chain, "Anna", 1401)
    report = await stored(chain, reference)
    assert report.due_at == datetime(2026, 11, 30, 16, 0, tzinfo=UTC)  # Monday 17:00 local
    chain.run.clock.set(report.due_at - timedelta(minutes=1))
    await sweep(chain)
    assert sent(chain.police, chain, REMINDER) == []
    chain.run.clock.set(report.due_at + timedelta(minutes=1))
    reminder = await api.wait_for_message(chain.police.id, contains=REMINDER, timeout=10)
    assert reference in reminder.text
    assert "Jongerenoverlast" in reminder.text and "Boddenkamp" in reminder.text
    assert "wacht al 2 d 6 u" in reminder.text  # Saturday 11:00 to Monday 17:01
    assert reminder.params["reply_parameters"]["message_id"] == lead.message_id
    assert (await stored(chain, reference)).reminded_at == chain.run.clock.now()
    chain.run.clock.advance(timedelta(hours=3))
    await sweep(chain, times=2)
    await asyncio.sleep(1.5)  # the job's own sweeps, every second
    assert len(sent(chain.police, chain, REMINDER)) == 1
    assert sent(chain.coordinator, chain, NOTICE) == []


async def test_the_coordinator_hears_once_when_a_second_equal_period_passes_unclaimed(
    chain: Chain,
) -> None:
    api = chain.run.api
    reference, _ = await reported_and_notified(chain, "Bert", 1402)
    report = await stored(chain, reference)
    assert report.due_at is not None
    chain.run.clock.set(report.due_at + timedelta(minutes=1))
    await api.wait_for_message(chain.police.id, contains=REMINDER, timeout=10)
    second = datetime(2026, 12, 1, 16, 0, tzinfo=UTC)  # one working day later: Tuesday 17:00
    chain.run.clock.set(second - timedelta(minutes=1))
    await sweep(chain)
    assert sent(chain.coordinator, chain, NOTICE) == []
    chain.run.clock.set(second)
    notice = await api.wait_for_message(chain.coordinator.id, contains=NOTICE, timeout=10)
    assert reference in notice.text and "Politie (wijkagent)" in notice.text
    assert "Boddenkamp" in notice.text and "/melding" in notice.text
    assert (await stored(chain, reference)).escalated_at == second
    chain.run.clock.advance(timedelta(days=2))
    await sweep(chain, times=3)
    await asyncio.sleep(1.5)
    assert len(sent(chain.coordinator, chain, NOTICE)) == 1
    assert len(sent(chain.police, chain, REMINDER)) == 1


async def test_a_claimed_report_gets_no_reminder_and_no_notice(chain: Chain) -> None:
    api = chain.run.api
    reference, lead = await reported_and_notified(chain, "Carla", 1403)
    api.press(chain.kees, lead, text="🙋 Oppakken")
    await api.wait_for_message(chain.police.id, contains="in behandeling bij Kees")
    chain.run.clock.advance(timedelta(days=10))
    await sweep(chain, times=2)
    await asyncio.sleep(1.5)
    assert sent(chain.police, chain, REMINDER) == []
    assert sent(chain.coordinator, chain, NOTICE) == []
    report = await stored(chain, reference)
    assert report.reminded_at is None and report.escalated_at is None


async def test_a_restart_sends_no_reminder_or_notice_a_second_time(chain: Chain) -> None:
    api = chain.run.api
    reference, _ = await reported_and_notified(chain, "Daan", 1404)
    report = await stored(chain, reference)
    assert report.due_at is not None
    chain.run.clock.set(report.due_at + timedelta(minutes=5))
    await api.wait_for_message(chain.police.id, contains=REMINDER, timeout=10)
    await chain.run.restart()
    chain.run.clock.advance(timedelta(hours=1))
    await sweep(chain, times=2)
    assert len(sent(chain.police, chain, REMINDER)) == 1
    chain.run.clock.advance(timedelta(days=1))
    await api.wait_for_message(chain.coordinator.id, contains=NOTICE, timeout=10)
    await chain.run.restart()
    chain.run.clock.advance(timedelta(days=1))
    await sweep(chain, times=2)
    await asyncio.sleep(1.5)
    assert len(sent(chain.police, chain, REMINDER)) == 1
    assert len(sent(chain.coordinator, chain, NOTICE)) == 1
    steps = [e.action for e in await running(chain).services.cases.events(report.id)]
    assert steps.count("reminder") == 1 and steps.count("escalation") == 1


async def test_a_forwarded_report_is_reminded_again_in_the_new_partner_chat(
    chain: Chain,
) -> None:
    api = chain.run.api
    reference, lead = await reported_and_notified(chain, "Eva", 1405)
    report = await stored(chain, reference)
    assert report.due_at is not None
    chain.run.clock.set(report.due_at + timedelta(minutes=1))
    await api.wait_for_message(chain.police.id, contains=REMINDER, timeout=10)
    api.press(chain.kees, lead, text="↪️ Doorzetten")
    menu = await api.wait_for_message(chain.police.id)
    api.press(chain.kees, menu, text="Handhaving (BOA) gemeente Enschede")
    fresh = await api.wait_for_message(chain.enforcement.id, contains="Doorgezet", timeout=10)
    forwarded = await stored(chain, reference)
    assert forwarded.due_at is not None and forwarded.reminded_at is None
    chain.run.clock.set(forwarded.due_at + timedelta(minutes=1))
    reminder = await api.wait_for_message(chain.enforcement.id, contains=REMINDER, timeout=10)
    assert reminder.params["reply_parameters"]["message_id"] == fresh.message_id
    assert len(sent(chain.police, chain, REMINDER)) == 1


# --- the coordinator's commands -------------------------------------------------------------


async def test_open_lists_open_reports_per_partner_oldest_first_in_the_coordinator_chat(
    chain: Chain,
) -> None:
    api = chain.run.api
    first, lead = await reported_and_notified(chain, "Fenna", 1406)
    second, _ = await reported_and_notified(chain, "Gert", 1407)
    api.press(chain.kees, lead, text="🙋 Oppakken")
    await api.wait_for_message(chain.police.id, contains="in behandeling bij Kees")
    chain.run.clock.advance(timedelta(days=3, hours=4, minutes=10))
    [answer] = await command(chain, chain.cora, "/open", chain.coordinator)
    assert "Open meldingen: 2" in answer
    assert "Politie (wijkagent) (2)" in answer
    assert answer.index(first) < answer.index(second)
    first_line = next(line for line in answer.splitlines() if first in line)
    assert "Jongerenoverlast" in first_line and "Boddenkamp" in first_line
    assert "3 d 4 u" in first_line and "in behandeling bij Kees" in first_line
    second_line = next(line for line in answer.splitlines() if second in line)
    assert "nog niet opgepakt" in second_line


async def test_the_coordinator_commands_are_refused_outside_the_coordinator_chat(
    chain: Chain,
) -> None:
    hans = chain.run.api.user(1408, "Hans")
    reference = await chain.report(hans)
    await chain.notification(chain.police, reference)
    for text in ("/open", f"/melding {reference}"):
        in_police = await command(chain, chain.kees, text, chain.police)
        assert len(in_police) == 1 and COORDINATOR_ONLY in in_police[0]
        assert reference not in in_police[0]
        in_private = await command(chain, hans, text)
        assert len(in_private) == 1 and COORDINATOR_ONLY in in_private[0]


async def test_open_says_so_when_nothing_is_open(chain: Chain) -> None:
    [answer] = await command(chain, chain.cora, "/open", chain.coordinator)
    assert "geen open meldingen" in answer


async def test_melding_shows_details_and_history_without_the_resident_identity(
    chain: Chain,
) -> None:
    api = chain.run.api
    reference, lead = await reported_and_notified(chain, "Ilse", 1409)
    report = await stored(chain, reference)
    assert report.due_at is not None
    chain.run.clock.set(report.due_at + timedelta(minutes=1))
    await api.wait_for_message(chain.police.id, contains=REMINDER, timeout=10)
    api.press(chain.lotte, lead, text="🙋 Oppakken")
    await api.wait_for_message(chain.police.id, contains="in behandeling bij Lotte")
    [answer] = await command(chain, chain.cora, f"/melding {reference.lower()}", chain.coordinator)
    assert f"Melding {reference}" in answer and "Jongerenoverlast" in answer
    assert "Boddenkamp (Binnensingelgebied)" in answer
    assert "Behandelaar: Politie (wijkagent)" in answer
    assert "in behandeling bij Lotte" in answer and "Opgepakt door: Lotte" in answer
    assert "Oppakken vóór: 30-11-2026 17:00" in answer  # Europe/Amsterdam
    assert report.description in answer
    assert "melder blijft anoniem" in answer
    assert "Ilse" not in answer and "1409" not in answer
    history = answer.split("Verloop", 1)[1].strip().splitlines()
    assert history == [
        "28-11-2026 11:00 · Meldbot · toegewezen volgens regel: jongerenoverlast",
        "30-11-2026 17:01 · Meldbot · herinnering gestuurd aan: Politie (wijkagent)",
        "30-11-2026 17:01 · behandelaar van Politie (wijkagent) · opgepakt",
    ]


async def test_melding_names_the_resident_only_when_they_agreed_to_be_contacted(
    chain: Chain,
) -> None:
    api = chain.run.api
    jan = api.user(1410, "Jan", username="jan_enschede")
    reference = await chain.report(jan, contact=True)
    await chain.notification(chain.police, reference)
    before = len(api.messages(chain.coordinator.id))
    await command(chain, chain.cora, f"/melding {reference}", chain.coordinator)
    [answer] = api.messages(chain.coordinator.id)[before:]
    assert "melder mag benaderd worden: melder" in answer.text
    assert answer.html is not None and 'href="tg://user?id=1410"' in answer.html


async def test_melding_answers_an_unknown_reference_and_a_missing_one_clearly(
    chain: Chain,
) -> None:
    [unknown] = await command(chain, chain.cora, "/melding ENS-2099-9999", chain.coordinator)
    assert "geen melding met kenmerk ENS-2099-9999" in unknown
    [odd] = await command(chain, chain.cora, "/melding <b>x</b>", chain.coordinator)
    assert "geen melding met kenmerk <B>X</B>" in odd
    [usage] = await command(chain, chain.cora, "/melding", chain.coordinator)
    assert "Gebruik: /melding <kenmerk>" in usage and "ENS-2026-0042" in usage


async def test_melding_escapes_what_residents_and_caseworkers_typed(chain: Chain) -> None:
    [report] = await insert_reports(chain, 1, description="Ze roepen <b>kom dan</b> & gooien")
    [answer] = await command(chain, chain.cora, f"/melding {report.reference}", chain.coordinator)
    assert "Ze roepen <b>kom dan</b> & gooien" in answer


def listed_and_left_out(pages: list[str], made: list[Report]) -> tuple[list[str], int]:
    """Check the pages of /open and return the references listed and the number left out."""
    assert all(len(page.encode("utf-16-le")) // 2 <= MESSAGE_LIMIT for page in pages)
    assert f"Open meldingen: {len(made)}" in pages[0]
    listed = [
        line.split(" · ")[0].removeprefix("• ")
        for page in pages
        for line in page.splitlines()
        if line.startswith("• ")
    ]
    assert len(listed) == len(set(listed)), "no report twice"
    for lead in ("politie", "handhaving", "twente-milieu", "coordinator"):
        ours = [r.reference for r in made if r.lead_partner == lead]
        shown = [reference for reference in listed if reference in ours]
        assert shown == ours[: len(shown)], f"{lead}: oldest first, none skipped"
    left_out = 0
    if "… en nog" in pages[-1]:
        left_out = int(pages[-1].split("… en nog ")[1].split(" ")[0])
    return listed, left_out


async def test_two_hundred_open_reports_are_split_over_messages_within_telegrams_limit(
    chain: Chain,
) -> None:
    made = await insert_reports(chain, 200)
    pages = await command(chain, chain.cora, "/open", chain.coordinator)
    assert 1 < len(pages) <= MAX_PAGES
    listed, left_out = listed_and_left_out(pages, made)
    assert (len(listed), left_out) == (200, 0)


async def test_more_open_reports_than_fit_end_with_how_many_were_left_out(chain: Chain) -> None:
    made = await insert_reports(chain, 320)
    pages = await command(chain, chain.cora, "/open", chain.coordinator)
    assert len(pages) == MAX_PAGES
    listed, left_out = listed_and_left_out(pages, made)
    assert left_out > 0 and len(listed) + left_out == 320


# --- the outbox under restarts and Telegram's limits ------------------------------------------


async def test_a_restart_with_notifications_pending_delivers_each_exactly_once(
    chain: Chain,
) -> None:
    api = chain.run.api
    await running(chain).dispatcher.stop()
    residents = [api.user(1420 + n, f"Bewoner {n}") for n in range(3)]
    references = [await chain.report(resident, confirmed=False) for resident in residents]
    await api.wait_idle()
    assert not [m for m in api.messages(chain.police.id) if "Melding ENS" in m.text]
    assert not [m for r in residents for m in api.messages(r.id) if "ENS-" in m.text]
    await chain.run.restart()
    for reference in references:
        await chain.notification(chain.police, reference)
        await chain.notification(chain.enforcement, reference)
    await api.wait_idle(quiet=1.0)
    for reference in references:
        for group in (chain.police, chain.enforcement):
            assert len(sent(group, chain, reference)) == 1, (reference, group.title)
    for resident, reference in zip(residents, references, strict=True):
        # (It closes the summary: an edit of it, or a message of its own if that was refused.)
        told = [m for m in api.messages(resident.id) if reference in m.text]
        assert len(told) == 1, (reference, "the reference reaches the resident after the restart")


GROUP_WINDOW = 3.0
"""Telegram allows 20 messages a minute per group; the test keeps the 20 but scales the minute."""


@pytest.mark.timeout(60)
async def test_a_burst_of_twenty_five_notifications_to_one_group_never_breaks_its_limit(
    chain: Chain,
) -> None:
    api = chain.run.api
    chain.run.rate_limiter = lambda: PriorityRateLimiter(group=(20, GROUP_WINDOW), max_retries=3)
    api.rate_limits(enabled=True, limits=RateLimits(group=(20, GROUP_WINDOW)))
    bot = await chain.run.restart()
    await bot.dispatcher.stop()
    made = await insert_reports(chain, 25, notify=True, category="jongerenoverlast")
    loop = asyncio.get_running_loop()
    began = loop.time()
    await bot.dispatcher.start(bot.application.job_queue)
    for _ in range(300):
        if len(sent(chain.police, chain, "Melding ENS")) == len(made):
            break
        await asyncio.sleep(0.1)
    took = loop.time() - began
    await api.wait_idle(quiet=0.5)
    assert api.too_many_requests == 0
    for report in made:
        for group in (chain.police, chain.enforcement):
            assert len(sent(group, chain, report.reference)) == 1, (report.reference, group.title)
    assert took >= GROUP_WINDOW * 0.9, "the five beyond twenty waited for the window"
