"""/tips subscribes to a wijk's digest, which is queued once per period with counts only."""

from __future__ import annotations

from datetime import timedelta

from reports.kinds import OutboxKind
from services import preferences, tips
from storage.outbox import OutboxStatus
from tests.services.proactive_world import START, World, text_of, world

__all__ = ["world"]

CITY_CENTRE = "WK015300"


async def test_tips_subscribes_to_the_wijk_of_the_latest_report_and_none_without_one(
    world: World,
) -> None:
    assert await tips.subscribe_to_latest(world.svc, 1001) is None
    assert await world.svc.digests.get(1001) is None
    await world.report(1001)
    subscription = await tips.subscribe_to_latest(world.svc, 1001)
    assert subscription is not None and subscription.wijk_code == CITY_CENTRE
    assert subscription.next_at == START + timedelta(days=30)  # P1M from 28 November
    assert await world.svc.digests.get(1001) == subscription


async def test_a_picked_wijk_is_subscribed_to_and_an_unknown_one_refused(world: World) -> None:
    assert await tips.subscribe_to(world.svc, 1001, "WK015399") is None
    assert await world.svc.digests.get(1001) is None
    subscription = await tips.subscribe_to(world.svc, 1001, "WK015304")
    assert subscription is not None and subscription.wijk_code == "WK015304"
    assert await tips.unsubscribe_from(world.svc, 1001)
    assert not await tips.unsubscribe_from(world.svc, 1001)
    assert await world.svc.digests.get(1001) is None


async def test_a_digest_is_queued_once_per_period_with_counts_and_no_details(
    world: World,
) -> None:
    await world.report(1001)
    world.clock.set(START + timedelta(minutes=1))  # the subscriber's own report is before it
    subscription = await tips.subscribe_to_latest(world.svc, 1001)
    assert subscription is not None
    first = await world.report(1002, at=START + timedelta(hours=1))
    second = await world.report(1002, at=START + timedelta(hours=2))
    await world.resolve(first)
    world.clock.set(subscription.next_at - timedelta(seconds=1))
    assert await tips.queue_due_digests(world.svc) == 0
    world.clock.set(subscription.next_at)
    world.wakes.clear()
    assert await tips.queue_due_digests(world.svc) == 1
    assert await tips.queue_due_digests(world.svc) == 0
    assert world.wakes == [subscription.next_at]
    await world.deliver()
    [digest] = world.in_chat(1001, OutboxKind.DIGEST)
    text = text_of(digest)
    assert "Jongerenoverlast: 2" in text and "Afgehandeld: 1 van 2" in text
    assert first.reference not in text and second.reference not in text
    assert "Oude Markt" not in text and "<b>Tip</b>" in text
    assert digest.dedupe_key == "digest:1001:20261228T110100"
    moved = await world.svc.digests.get(1001)
    assert moved is not None and moved.since == subscription.next_at
    assert moved.next_at == subscription.next_at + timedelta(days=31)  # P1M: to 28 January


async def test_a_stopped_resident_gets_no_digest_but_the_period_moves_on(world: World) -> None:
    subscription = await tips.subscribe_to(world.svc, 1001, CITY_CENTRE)
    assert subscription is not None
    await preferences.stop(world.svc, 1001)
    world.clock.set(subscription.next_at)
    assert await tips.queue_due_digests(world.svc) == 0
    moved = await world.svc.digests.get(1001)
    assert moved is not None and moved.since == subscription.next_at
    await world.deliver()
    assert world.in_chat(1001) == []


async def test_the_tip_after_a_report_is_queued_once_with_its_report(world: World) -> None:
    report = await world.report(1001)
    tip = await world.outbox.get_by_dedupe_key(f"tip:{report.id}")
    assert tip is not None and tip.status is OutboxStatus.PENDING
    assert tip.due_at == START + timedelta(hours=2)
    await world.deliver(START + timedelta(hours=2))
    [sent] = world.in_chat(1001, OutboxKind.TIP)
    assert report.reference in text_of(sent)
