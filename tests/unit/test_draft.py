"""A draft asks its questions in order, and changing an answer asks only that one again."""

from __future__ import annotations

from datetime import UTC, datetime

from reports.models import (
    MAX_PHOTOS,
    Draft,
    Language,
    Location,
    LocationSource,
    Neighbourhood,
    Step,
    Timing,
)

NOW = datetime(2026, 11, 28, 12, 0, tzinfo=UTC)
CITY = Neighbourhood(
    buurt_code="BU01530000", buurt_name="City", wijk_code="WK015300", wijk_name="Centrum"
)


def empty() -> Draft:
    return Draft(
        user_id=1, chat_id=1, token="abc123", language=Language.NL, created_at=NOW, updated_at=NOW
    )


def test_the_questions_come_in_order_until_the_summary() -> None:
    draft = empty()
    seen = [draft.next_step()]
    draft.category_id = "overig"
    seen.append(draft.next_step())
    draft.location = Location(neighbourhood=CITY, source=LocationSource.CHOSEN)
    seen.append(draft.next_step())
    draft.description = "Kapotte lantaarnpaal"
    seen.append(draft.next_step())
    draft.photos_done = True
    seen.append(draft.next_step())
    draft.timing = Timing.NOW
    seen.append(draft.next_step())
    draft.contact_allowed = False
    seen.append(draft.next_step())
    assert seen == list(Step)


def test_the_photo_question_ends_by_itself_at_the_maximum() -> None:
    draft = empty()
    draft.category_id = "overig"
    draft.location = Location(neighbourhood=CITY, source=LocationSource.CHOSEN)
    draft.description = "Kapotte lantaarnpaal"
    draft.photo_file_ids = [f"p{i}" for i in range(MAX_PHOTOS)]
    assert draft.next_step() is Step.TIMING


def test_clearing_one_answer_asks_that_question_and_then_the_summary_again() -> None:
    draft = empty()
    draft.category_id = "overig"
    draft.location = Location(neighbourhood=CITY, source=LocationSource.CHOSEN)
    draft.description = "Kapotte lantaarnpaal"
    draft.photo_file_ids = ["p1"]
    draft.photos_done = True
    draft.timing = Timing.RECURRING
    draft.contact_allowed = True
    draft.clear(Step.PHOTOS)
    assert draft.next_step() is Step.PHOTOS and draft.photo_file_ids == []
    draft.photos_done = True
    assert draft.next_step() is Step.CONFIRM
    draft.clear(Step.LOCATION)
    assert draft.next_step() is Step.LOCATION
