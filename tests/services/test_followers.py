"""Duplicate hints and co-reporters: which open reports are shown, following, "+N" edits."""

from __future__ import annotations

from datetime import timedelta

from reports.insight import Period
from reports.kinds import OutboxKind
from reports.models import Draft, Location, LocationSource
from services import followers
from services.followers import FollowOutcome, distance_m
from services.insight import compute_insight
from tests.services.proactive_world import START, World, world
from tests.storage.builders import PIN_IN_CITY, empty_draft

__all__ = ["world"]


def draft_at(user_id: int, location: Location, category: str = "jongerenoverlast") -> Draft:
    """Return a draft that has its category and place."""
    draft = empty_draft(user_id, at=START)
    draft.category_id = category
    draft.location = location
    return draft


def moved(metres_north: float) -> Location:
    """Return a pin this many metres north of the Oude Markt."""
    assert PIN_IN_CITY.latitude is not None
    return PIN_IN_CITY.model_copy(
        update={"latitude": PIN_IN_CITY.latitude + metres_north / 111_195}
    )


async def test_only_open_reports_of_the_category_nearby_and_recent_are_shown(
    world: World,
) -> None:
    svc = world.svc
    first = await world.report(1001)
    await world.report(1002, at=START + timedelta(minutes=5))
    world.clock.set(START + timedelta(minutes=10))
    cards = await followers.nearby_open(svc, draft_at(1003, moved(100)))
    assert [c.report.id for c in cards] == [first.id + 1, first.id]
    assert all(95 <= (c.metres or 0) <= 105 for c in cards)
    assert await followers.nearby_open(svc, draft_at(1003, moved(200))) == []  # > 150 m
    assert await followers.nearby_open(svc, draft_at(1003, moved(50), "litter")) == []
    own = await followers.nearby_open(svc, draft_at(1001, moved(10)))
    assert [c.report.id for c in own] == [first.id + 1]  # never one's own report
    await world.resolve(first)
    left = await followers.nearby_open(svc, draft_at(1003, moved(10)))
    assert [c.report.id for c in left] == [first.id + 1]  # resolved: not shown
    world.clock.set(START + timedelta(days=15))
    assert await followers.nearby_open(svc, draft_at(1003, moved(10))) == []  # too old


async def test_a_chosen_buurt_is_matched_by_buurt(world: World) -> None:
    report = await world.report(1001)
    chosen = Location(neighbourhood=PIN_IN_CITY.neighbourhood, source=LocationSource.CHOSEN)
    [card] = await followers.nearby_open(world.svc, draft_at(1002, chosen))
    assert card.report.id == report.id and card.metres is None


async def test_following_counts_once_and_edits_the_notification_at_most_every_ten_minutes(
    world: World,
) -> None:
    svc = world.svc
    report = await world.report(1001)
    await world.deliver()  # the lead notification is sent: it has a message id
    for n, user_id in enumerate((1002, 1003, 1004)):
        world.clock.set(START + timedelta(minutes=1 + n))
        draft = draft_at(user_id, moved(20))
        await svc.drafts.save(draft)
        result = await followers.follow(svc, draft, report.id)
        assert result.outcome is FollowOutcome.JOINED
    again = draft_at(1002, moved(20))
    await svc.drafts.save(again)
    twice = await followers.follow(svc, again, report.id)  # already following: counted once
    assert twice.outcome is FollowOutcome.JOINED
    stored = await world.stored(report)
    assert stored.co_reporters == 3
    async with svc.uow() as work:
        rows = await work.session.fetch_all(
            "SELECT dedupe_key, status, params FROM outbox WHERE kind = ?",
            (OutboxKind.CO_REPORTERS.value,),
        )
    # Three joins within ten minutes: one edit, carrying the latest count.
    assert len(rows) <= 2 and "+3" in rows[-1]["params"]
    period = Period(START.date(), START.date())
    insight = await compute_insight(svc, period)
    assert insight.headline.reports == 1 and insight.headline.residents == 4


async def test_a_closed_report_or_a_stale_draft_cannot_be_followed(world: World) -> None:
    svc = world.svc
    report = await world.report(1001)
    draft = draft_at(1002, moved(20))
    await svc.drafts.save(draft)
    stale = draft.model_copy(update={"updated_at": draft.updated_at - timedelta(seconds=1)})
    assert (await followers.follow(svc, stale, report.id)).outcome is FollowOutcome.GONE
    await world.resolve(report)
    assert (await followers.follow(svc, draft, report.id)).outcome is FollowOutcome.GONE
    assert (await world.stored(report)).co_reporters == 0
    assert await svc.drafts.get(1002) is not None  # nothing was discarded


def test_distance_is_in_metres() -> None:
    assert abs(distance_m((52.22, 6.89), (52.221, 6.89)) - 111.2) < 0.5
