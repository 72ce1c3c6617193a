"""The neighbourhood panel: join, one question per member per round, anonymous answers, leave."""

from __future__ import annotations

import asyncio
import random
from datetime import UTC, datetime, timedelta

from reports.kinds import OutboxKind
from reports.models import Language
from reports.panel import Cause, InvitationState, round_at
from reports.survey import FeelsUnsafe
from services import panel, panel_answers, preferences
from services.panel import JoinOutcome
from services.panel_answers import AnswerOutcome, TypedOutcome
from services.panel_figures import figures
from services.residents import forget_resident
from storage import panel as store
from tests.services.proactive_world import START, World, text_of, world

__all__ = ["world"]

BODDENKAMP = "BU01530008"
CITY_CENTRE = "WK015300"
ZONE_Q4 = "2026-10-01"


async def rows(world: World, sql: str, *params: object) -> list[tuple[object, ...]]:
    """Return the rows of a query on the test's database."""
    async with world.svc.uow() as work:
        found = await work.session.fetch_all(sql, params)
    return [tuple(row) for row in found]


async def questions(world: World, user_id: int) -> list[tuple[object, ...]]:
    """Return the panel questions ever queued for a resident: (dedupe key, due, status)."""
    return await rows(
        world,
        "SELECT dedupe_key, due_at, status FROM outbox WHERE chat_id = ? AND kind = ?",
        user_id,
        OutboxKind.PANEL_QUESTION.value,
    )


async def member_answers(world: World, user_id: int, given: FeelsUnsafe) -> AnswerOutcome:
    """Queue and deliver the member's question, then answer it."""
    await panel.queue_due_questions(world.svc, random.Random(user_id))
    return await panel_answers.answer(world.svc, user_id, ZONE_Q4, given)


async def test_joining_needs_a_known_buurt_and_moves_a_member(world: World) -> None:
    svc = world.svc
    assert await panel.join(svc, 1001, "BU01539999", Language.NL) is JoinOutcome.UNKNOWN
    assert await panel.join(svc, 1001, BODDENKAMP, Language.NL) is JoinOutcome.JOINED
    assert await panel.join(svc, 1001, "BU01530100", Language.EN) is JoinOutcome.MOVED
    member = await svc.panel.member(1001)
    assert member is not None and member.buurt_code == "BU01530100"
    assert member.wijk_code == "WK015301" and member.language == "en"
    status = await panel.status(svc, 1001)
    assert status is not None and status.next_round.key == ZONE_Q4
    assert await panel.status(svc, 1002) is None


async def test_a_stopped_resident_is_told_to_start_first(world: World) -> None:
    await preferences.stop(world.svc, 1001)
    assert await panel.join(world.svc, 1001, BODDENKAMP, Language.NL) is JoinOutcome.STOPPED
    assert await world.svc.panel.member(1001) is None


async def test_the_question_is_queued_once_per_round_at_a_random_moment_outside_quiet_hours(
    world: World,
) -> None:
    svc = world.svc
    for user_id in range(2001, 2041):
        await panel.join(svc, user_id, BODDENKAMP, Language.NL)
    world.clock.set(START + timedelta(hours=2))
    # Two sweeps at the same moment (two processes): still one question per member.
    first, second = await asyncio.gather(
        panel.queue_due_questions(svc), panel.queue_due_questions(svc)
    )
    assert first + second == 40
    assert await panel.queue_due_questions(svc) == 0
    q4 = round_at(START, svc.config.municipality.zone, 4)
    zone = svc.config.municipality.zone
    moments = []
    for user_id in range(2001, 2041):
        [(key, due, status)] = await questions(world, user_id)
        assert key == f"panel:{ZONE_Q4}:{user_id}" and status == "pending"
        moment = datetime.fromisoformat(str(due))
        local = moment.astimezone(zone)
        assert START + timedelta(hours=1) <= moment < q4.end  # not before joining + 1 h
        assert 9 <= local.hour < 21, local  # quiet hours 21:00-09:00
        moments.append(moment)
    assert len({m.date() for m in moments}) > 5  # spread over the round, not one moment
    # The next round: one more each, no second in this one.
    world.clock.set(q4.end + timedelta(hours=1))
    assert await panel.queue_due_questions(svc) == 40
    assert len(await questions(world, 2001)) == 2


async def test_a_member_who_joins_in_the_last_days_is_asked_next_round(world: World) -> None:
    svc = world.svc
    late = datetime(2026, 12, 30, 12, tzinfo=UTC)
    world.clock.set(late)
    await panel.join(svc, 1001, BODDENKAMP, Language.NL)
    assert await panel.queue_due_questions(svc) == 0
    assert await questions(world, 1001) == []
    world.clock.set(datetime(2027, 1, 1, 8, tzinfo=UTC))
    assert await panel.queue_due_questions(svc) == 1
    [(key, _, _)] = await questions(world, 1001)
    assert key == "panel:2027-01-01:1001"


async def test_an_answer_is_stored_without_the_member_and_counts_once(world: World) -> None:
    svc = world.svc
    await panel.join(svc, 1001, BODDENKAMP, Language.NL)
    assert await member_answers(world, 1001, FeelsUnsafe.SOMETIMES) is AnswerOutcome.ASK_CAUSE
    again = await panel_answers.answer(svc, 1001, ZONE_Q4, FeelsUnsafe.NEVER)
    assert again is AnswerOutcome.STALE
    assert await rows(world, "SELECT round, buurt_code, wijk_code, answer FROM panel_answers") == [
        (ZONE_Q4, BODDENKAMP, CITY_CENTRE, "sometimes")
    ]
    columns = await rows(world, "SELECT name FROM pragma_table_info('panel_answers')")
    assert {name for (name,) in columns} == {"id", "round", "buurt_code", "wijk_code", "answer"}
    given = await panel_answers.give_cause(svc, 1001, ZONE_Q4, Cause.DARK)
    assert given is AnswerOutcome.THANKS
    assert await panel_answers.give_cause(svc, 1001, ZONE_Q4, Cause.DRUGS) is AnswerOutcome.STALE
    assert await rows(world, "SELECT cause, typed FROM panel_causes") == [("dark", None)]


async def test_a_typed_cause_is_taken_once_and_a_too_long_one_refused(world: World) -> None:
    svc = world.svc
    await panel.join(svc, 1001, BODDENKAMP, Language.NL)
    await member_answers(world, 1001, FeelsUnsafe.OFTEN)
    assert await panel_answers.take_typed_cause(svc, 1001, "donker") is None  # not asked for
    other = await panel_answers.give_cause(svc, 1001, ZONE_Q4, Cause.OTHER)
    assert other is AnswerOutcome.TYPE_CAUSE
    too_long = await panel_answers.take_typed_cause(svc, 1001, "x" * 201)
    assert too_long is TypedOutcome.TOO_LONG
    typed = await panel_answers.take_typed_cause(svc, 1001, "Scooters op de stoep")
    assert typed is TypedOutcome.STORED
    assert await panel_answers.take_typed_cause(svc, 1001, "nog iets") is None
    assert await rows(world, "SELECT cause, typed FROM panel_causes") == [
        ("other", "Scooters op de stoep")
    ]


async def test_never_asks_no_cause_and_a_closed_round_refuses(world: World) -> None:
    svc = world.svc
    await panel.join(svc, 1001, BODDENKAMP, Language.NL)
    assert await member_answers(world, 1001, FeelsUnsafe.NEVER) is AnswerOutcome.THANKS
    assert await panel_answers.give_cause(svc, 1001, ZONE_Q4, Cause.DARK) is AnswerOutcome.STALE
    await panel.join(svc, 1002, BODDENKAMP, Language.NL)
    await panel.queue_due_questions(svc)
    world.clock.set(datetime(2027, 1, 15, 12, tzinfo=UTC))  # the round ended 14 days ago
    late = await panel_answers.answer(svc, 1002, ZONE_Q4, FeelsUnsafe.OFTEN)
    assert late is AnswerOutcome.CLOSED
    forged = await panel_answers.answer(svc, 1002, "2026-11-01", FeelsUnsafe.OFTEN)
    assert forged is AnswerOutcome.STALE
    stranger = await panel_answers.answer(svc, 1003, ZONE_Q4, FeelsUnsafe.OFTEN)
    assert stranger in (AnswerOutcome.CLOSED, AnswerOutcome.NOT_MEMBER)


async def test_leaving_erases_the_link_and_a_rejoin_is_not_asked_twice_in_a_round(
    world: World,
) -> None:
    svc = world.svc
    await panel.join(svc, 1001, BODDENKAMP, Language.NL)
    await member_answers(world, 1001, FeelsUnsafe.NEVER)
    assert await panel.leave(svc, 1001)
    assert not await panel.leave(svc, 1001)
    assert await svc.panel.member(1001) is None
    assert await rows(world, "SELECT state, outbox_id FROM panel_invitations") == [
        (InvitationState.LEFT.value, None)
    ]
    assert len(await rows(world, "SELECT * FROM panel_answers")) == 1  # anonymous, kept
    await panel.join(svc, 1001, BODDENKAMP, Language.NL)
    assert await panel.queue_due_questions(svc) == 0
    assert len(await questions(world, 1001)) == 1


async def test_stop_a_block_and_erasure_end_the_membership(world: World) -> None:
    svc = world.svc
    for user_id in (1001, 1002, 1003):
        await panel.join(svc, user_id, BODDENKAMP, Language.NL)
    await panel.queue_due_questions(svc)
    await preferences.stop(svc, 1001)
    await preferences.resident_unreachable(svc, 1002)
    await forget_resident(svc, 1003)
    for user_id in (1001, 1002, 1003):
        assert await svc.panel.member(user_id) is None
        [(_, _, status)] = await questions(world, user_id) or [(None, None, "gone")]
        assert status in ("cancelled", "gone")
    assert await rows(world, "SELECT * FROM panel_invitations WHERE user_id = 1003") == []
    assert await rows(world, "SELECT * FROM panel_contacts WHERE user_id = 1003") == []


async def test_a_member_whose_buurt_disappeared_is_asked_to_choose_again(world: World) -> None:
    svc = world.svc
    await panel.join(svc, 1001, BODDENKAMP, Language.NL)
    async with svc.uow() as work:  # a boundary update renamed the buurt
        await work.session.execute(
            "UPDATE panel_members SET buurt_code = 'BU01530999' WHERE user_id = 1001"
        )
    assert await panel.queue_due_questions(svc) == 0
    await world.deliver()
    [asked] = world.in_chat(1001, OutboxKind.PANEL_REBUURT)
    assert "/panel" in text_of(asked)
    assert await questions(world, 1001) == []
    assert await panel.queue_due_questions(svc) == 0  # asked once, not every sweep
    await panel.join(svc, 1001, BODDENKAMP, Language.NL)
    assert await panel.queue_due_questions(svc) == 1


async def test_the_sweep_on_an_empty_database_does_nothing(world: World) -> None:
    assert await panel.queue_due_questions(world.svc) == 0
    shown = await figures(world.svc, round_at(START, world.svc.config.municipality.zone, 4))
    assert shown.city.answers == 0 and shown.weighted is None and shown.members == 0
    assert all(w.safety.too_few for w in shown.wijken)


async def test_the_offer_comes_once_after_a_report_and_never_after_no(world: World) -> None:
    svc = world.svc
    await world.report(1001)
    await world.report(1001, at=START + timedelta(hours=1))
    await world.deliver(START + timedelta(hours=3))
    [offer] = world.in_chat(1001, OutboxKind.PANEL_OFFER)
    assert "buurtpanel" in text_of(offer)
    await panel.decline_offer(svc, 1001)
    await world.report(1001, at=START + timedelta(days=2))
    await world.deliver(START + timedelta(days=3))
    assert len(world.in_chat(1001, OutboxKind.PANEL_OFFER)) == 1
    await panel.join(svc, 1002, BODDENKAMP, Language.NL)  # a member is not offered
    await world.report(1002, at=START + timedelta(days=3))
    await world.deliver(START + timedelta(days=4))
    assert world.in_chat(1002, OutboxKind.PANEL_OFFER) == []


async def test_figures_per_wijk_and_the_city_weighted_by_inhabitants(world: World) -> None:
    svc = world.svc
    zone = svc.config.municipality.zone
    q4 = round_at(START, zone, 4)
    async with svc.uow() as work:
        for i in range(12):  # city centre: 6 of 12 feel unsafe
            answer = "sometimes" if i % 2 else "never"
            await store.add_answer(work.session, q4.key, BODDENKAMP, CITY_CENTRE, answer)
        for _ in range(30):  # Enschede-Noord: nobody
            await store.add_answer(work.session, q4.key, "BU01530100", "WK015301", "never")
    shown = await figures(svc, q4)
    by_code = {w.code: w for w in shown.wijken}
    centre, noord = by_code[CITY_CENTRE], by_code["WK015301"]
    assert (centre.safety.answers, centre.safety.share) == (12, 0.5)
    assert (noord.safety.answers, noord.safety.share) == (30, 0.0)
    assert shown.city.answers == 42 and shown.city.unsafe.k == 6
    weighted = shown.weighted
    assert weighted is not None and centre.inhabitants and noord.inhabitants
    part = centre.inhabitants / (centre.inhabitants + noord.inhabitants)
    assert abs(weighted.share - 0.5 * part) < 1e-9
    assert weighted.interval[0] < weighted.share < weighted.interval[1]
    assert 0 < weighted.coverage < 1
    assert centre not in shown.recruit and any(w.safety.answers == 0 for w in shown.recruit)
