"""/stop cancels what is pending and schedules nothing more; /start or writing again undo it."""

from __future__ import annotations

from reports.followup import followup_key
from reports.records import OptOut
from services import preferences
from services.preferences import StopOutcome
from storage.outbox import OutboxStatus
from tests.services.proactive_world import World, world

__all__ = ["world"]


async def status(world: World, key: str) -> OutboxStatus | None:
    """Return the status of the outbox row with a dedupe key, None when there is none."""
    row = await world.outbox.get_by_dedupe_key(key)
    return None if row is None else row.status


async def test_stop_cancels_the_pending_proactive_rows_and_nothing_else(world: World) -> None:
    report = await world.report(1001)
    assert await preferences.stop(world.svc, 1001) is StopOutcome.STOPPED
    assert await status(world, followup_key(report.id, 1)) is OutboxStatus.CANCELLED
    assert await status(world, f"tip:{report.id}") is OutboxStatus.CANCELLED
    assert await world.outbox.pending_count() > 0  # the partner's notification still goes
    assert await preferences.stop(world.svc, 1001) is StopOutcome.ALREADY
    later = await world.report(1001)
    assert await status(world, followup_key(later.id, 1)) is None


async def test_start_turns_proactive_messages_on_again_and_writing_does_not(
    world: World,
) -> None:
    await preferences.stop(world.svc, 1001)
    assert await preferences.welcome_back(world.svc, 1001, starting=False) is None
    assert await world.svc.residents.proactive_off(1001) is OptOut.STOP
    assert await preferences.welcome_back(world.svc, 1001, starting=True) is OptOut.STOP
    assert await world.svc.residents.proactive_off(1001) is None
    assert await preferences.welcome_back(world.svc, 1001, starting=True) is None
    report = await world.report(1001)
    assert await status(world, followup_key(report.id, 1)) is OutboxStatus.PENDING


async def test_a_blocked_resident_gets_nothing_until_writing_again(world: World) -> None:
    report = await world.report(1001)
    await preferences.resident_unreachable(world.svc, 1001)
    assert await world.svc.residents.proactive_off(1001) is OptOut.BLOCKED
    assert await status(world, followup_key(report.id, 1)) is OutboxStatus.CANCELLED
    assert await preferences.welcome_back(world.svc, 1001, starting=False) is OptOut.BLOCKED
    assert await world.svc.residents.proactive_off(1001) is None


async def test_a_stopped_resident_who_blocks_stays_stopped_after_writing(world: World) -> None:
    await preferences.stop(world.svc, 1001)
    await preferences.resident_unreachable(world.svc, 1001)
    assert await preferences.welcome_back(world.svc, 1001, starting=False) is None
    assert await world.svc.residents.proactive_off(1001) is OptOut.STOP


async def test_an_unreachable_group_is_no_resident(world: World) -> None:
    report = await world.report(1001)
    await preferences.resident_unreachable(world.svc, -1001)
    assert await world.svc.residents.proactive_off(-1001) is None
    assert await status(world, followup_key(report.id, 1)) is OutboxStatus.PENDING
