"""Storing residents' drafts and sweeping the expired ones."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from pydantic import ValidationError

from reports.models import Step
from storage.database import Database
from storage.drafts import DraftRepository
from storage.handling import HANDLING, Handling
from storage.residents import ResidentRepository
from tests.storage.builders import POSTCODE_IN_ROOMBEEK, START, complete_draft, empty_draft


async def test_a_missing_draft_is_none(drafts: DraftRepository) -> None:
    assert await drafts.get(1001) is None


async def test_a_draft_with_a_pinned_point_round_trips(drafts: DraftRepository) -> None:
    draft = complete_draft()
    await drafts.save(draft)
    loaded = await drafts.get(draft.user_id)
    assert loaded == draft
    assert loaded is not None
    assert loaded.location is not None
    assert loaded.location.has_point
    assert loaded.next_step() is Step.CONFIRM


async def test_a_draft_located_without_a_point_round_trips(drafts: DraftRepository) -> None:
    draft = complete_draft(location=POSTCODE_IN_ROOMBEEK, photos=())
    await drafts.save(draft)
    loaded = await drafts.get(draft.user_id)
    assert loaded == draft
    assert loaded is not None
    assert loaded.location is not None
    assert not loaded.location.has_point


async def test_a_just_started_draft_round_trips(drafts: DraftRepository) -> None:
    draft = empty_draft()
    await drafts.save(draft)
    assert await drafts.get(draft.user_id) == draft


async def test_timestamps_come_back_as_the_same_instant_in_utc(drafts: DraftRepository) -> None:
    amsterdam = timezone(timedelta(hours=1))
    draft = empty_draft(at=datetime(2026, 3, 1, 10, 30, 0, 123456, tzinfo=amsterdam))
    await drafts.save(draft)
    loaded = await drafts.get(draft.user_id)
    assert loaded is not None
    assert loaded.updated_at == draft.updated_at
    assert loaded.updated_at.tzinfo is UTC
    assert loaded.created_at.tzinfo is UTC


async def test_a_naive_timestamp_is_refused(drafts: DraftRepository) -> None:
    with pytest.raises(ValueError, match="aware"):
        await drafts.save(empty_draft(at=datetime(2026, 3, 1, 9, 30)))


async def test_saving_again_replaces_the_draft(drafts: DraftRepository) -> None:
    draft = empty_draft()
    await drafts.save(draft)
    draft.category_id = "litter"
    draft.updated_at += timedelta(seconds=5)
    await drafts.save(draft)
    loaded = await drafts.get(draft.user_id)
    assert loaded is not None
    assert loaded.category_id == "litter"


async def test_each_resident_has_their_own_draft(drafts: DraftRepository) -> None:
    await drafts.save(empty_draft(1))
    await drafts.save(complete_draft(2))
    first, second = await drafts.get(1), await drafts.get(2)
    assert first is not None
    assert second is not None
    assert first.category_id is None
    assert second.category_id == "litter"


async def test_delete_removes_the_draft_and_says_whether_there_was_one(
    drafts: DraftRepository,
) -> None:
    await drafts.save(empty_draft())
    assert await drafts.delete(1001) is True
    assert await drafts.get(1001) is None
    assert await drafts.delete(1001) is False


async def test_expired_returns_drafts_untouched_since_the_cutoff_oldest_first(
    drafts: DraftRepository,
) -> None:
    await drafts.save(empty_draft(1, at=START + timedelta(hours=2)))
    await drafts.save(empty_draft(2, at=START))
    await drafts.save(empty_draft(3, at=START + timedelta(hours=5)))
    await drafts.save(empty_draft(4, at=START + timedelta(hours=3)))
    cutoff = START + timedelta(hours=3)
    expired = await drafts.expired(before=cutoff)
    assert [draft.user_id for draft in expired] == [2, 1]


async def test_expiry_compares_instants_not_text_across_offsets(drafts: DraftRepository) -> None:
    plus_two = timezone(timedelta(hours=2))
    await drafts.save(empty_draft(1, at=datetime(2026, 3, 1, 11, 0, tzinfo=plus_two)))
    assert await drafts.expired(before=datetime(2026, 3, 1, 9, 0, 1, tzinfo=UTC)) != []
    assert await drafts.expired(before=datetime(2026, 3, 1, 9, 0, tzinfo=UTC)) == []


async def test_delete_if_unchanged_deletes_a_draft_nobody_touched(
    drafts: DraftRepository,
) -> None:
    draft = empty_draft()
    await drafts.save(draft)
    assert await drafts.delete_if_unchanged(draft.user_id, draft.updated_at) is True
    assert await drafts.get(draft.user_id) is None


async def test_delete_if_unchanged_spares_a_draft_the_resident_touched_meanwhile(
    drafts: DraftRepository,
) -> None:
    draft = empty_draft()
    await drafts.save(draft)
    (seen_by_sweep,) = await drafts.expired(before=START + timedelta(days=1))
    draft.category_id = "litter"
    draft.updated_at = START + timedelta(hours=23)
    await drafts.save(draft)
    assert await drafts.delete_if_unchanged(draft.user_id, seen_by_sweep.updated_at) is False
    assert await drafts.get(draft.user_id) == draft


async def test_delete_if_unchanged_on_a_missing_draft_deletes_nothing(
    drafts: DraftRepository,
) -> None:
    assert await drafts.delete_if_unchanged(1001, START) is False


async def test_a_draft_read_along_with_the_choices_serves_one_read_and_a_write_forgets_it(
    db: Database, drafts: DraftRepository, residents: ResidentRepository
) -> None:
    """While an update is handled, the sender's draft comes with their choices (one trip to
    SQLite); the first read takes it, and any write of the draft makes reads go to SQLite."""
    draft = empty_draft(1001)
    await drafts.save(draft)
    token = HANDLING.set(Handling(update_id=1))
    try:
        await residents.language(1001)
        await drafts.save(draft.model_copy(update={"description": "Nieuw"}))
        loaded = await drafts.get(1001)
        assert loaded is not None and loaded.description == "Nieuw", "the write forgot it"
        HANDLING.set(Handling(update_id=2))
        await residents.language(1001)
        async with db.transaction() as session:
            await session.execute("UPDATE drafts SET data = ? WHERE user_id = 1001", ("{}",))
        assert await drafts.get(1001) == loaded, "read along with the choices, before"
        with pytest.raises(ValidationError):
            await drafts.get(1001)  # the second read goes to SQLite and finds the change
        HANDLING.set(Handling(update_id=3))
        await residents.language(1001)
        assert await drafts.delete(1001)
        assert await drafts.get(1001) is None, "the delete forgot it"
    finally:
        HANDLING.reset(token)
