"""A report in progress keeps its answers, its rules and its expiry without any chat."""

from __future__ import annotations

from datetime import timedelta

from reports.clock import ManualClock
from reports.models import Draft, Language, Step
from services.container import Services
from services.drafting import CaptionOutcome, DescriptionOutcome, Drafting
from services.reporting import submit_report
from services.residents import forget_resident
from tests.services.conftest import START, complete_draft

NL = Language.NL


async def started(svc: Services) -> Draft:
    """Return a new draft of resident 501 that reached the description."""
    drafting = Drafting(svc)
    draft = await drafting.start(501, 501, NL)
    draft.category_id = "overig"
    draft.location = complete_draft().location
    await drafting.save(draft, NL)
    return draft


async def test_a_new_draft_asks_for_the_category_first(svc: Services) -> None:
    draft = await Drafting(svc).start(501, 501, NL)

    assert draft.next_step() is Step.CATEGORY
    assert (await Drafting(svc).current(501)).draft == draft


async def test_an_untouched_draft_expires_once_and_says_so(
    svc: Services, clock: ManualClock
) -> None:
    await Drafting(svc).start(501, 501, NL)
    clock.advance(timedelta(minutes=svc.config.timings.draft_expiry_minutes))

    first = await Drafting(svc).current(501)
    second = await Drafting(svc).current(501)

    assert (first.draft, first.expired) == (None, True)
    assert (second.draft, second.expired) == (None, False)


async def test_the_sweep_erases_only_drafts_past_their_expiry(
    svc: Services, clock: ManualClock
) -> None:
    drafting = Drafting(svc)
    await drafting.start(501, 501, NL)
    clock.advance(timedelta(minutes=20))
    await drafting.start(502, 502, NL)
    clock.advance(timedelta(minutes=15))

    erased = await drafting.expire()

    assert [draft.user_id for draft in erased] == [501]
    assert await svc.drafts.get(502) is not None


async def test_a_description_must_fit_between_the_limits(svc: Services) -> None:
    draft = await started(svc)
    drafting = Drafting(svc)
    rules = svc.config.reports

    short = await drafting.describe(draft, "kort", START, NL)
    long = await drafting.describe(draft, "x" * (rules.description_max_chars + 1), START, NL)
    fits = await drafting.describe(draft, "  Een bank op de stoep, al dagen.  ", START, NL)

    assert (short, long, fits) == (
        DescriptionOutcome.TOO_SHORT,
        DescriptionOutcome.TOO_LONG,
        DescriptionOutcome.ACCEPTED,
    )
    stored = (await drafting.current(501)).draft
    assert stored is not None and stored.description == "Een bank op de stoep, al dagen."


async def test_the_typed_place_again_is_not_taken_as_the_description(svc: Services) -> None:
    drafting = Drafting(svc)
    draft = await started(svc)
    assert draft.location is not None
    draft.location = draft.location.model_copy(update={"label": "Boddenkamp"})

    again = await drafting.describe(draft, "  boddenkamp ", START, NL)
    meant = await drafting.describe(draft, "Boddenkamp, bij het bankje: flessen kapot.", START, NL)

    assert (again, meant) == (DescriptionOutcome.REPEATED_PLACE, DescriptionOutcome.ACCEPTED)
    stored = (await drafting.current(501)).draft
    assert stored is not None and stored.description == "Boddenkamp, bij het bankje: flessen kapot."


async def test_the_rest_of_a_text_telegram_split_is_not_a_new_answer(svc: Services) -> None:
    draft = await started(svc)
    drafting = Drafting(svc)

    first = await drafting.describe(draft, "x" * 4096, START, NL)
    rest = await drafting.describe(draft, "en dan nog dit stuk", START + timedelta(seconds=1), NL)
    later = await drafting.describe(
        draft, "Een nieuwe, goede tekst.", START + timedelta(minutes=1), NL
    )

    assert (first, rest, later) == (
        DescriptionOutcome.TOO_LONG,
        DescriptionOutcome.CONTINUATION,
        DescriptionOutcome.ACCEPTED,
    )


async def test_a_caption_joins_the_description_only_when_it_fits(svc: Services) -> None:
    draft = await started(svc)
    drafting = Drafting(svc)
    await drafting.describe(draft, "Een bank op de stoep.", START, NL)

    added = await drafting.add_photo(draft, "photo-1", "naast de lantaarnpaal", NL)
    too_long = await drafting.add_photo(draft, "photo-2", "y" * 3000, NL)

    assert (added, too_long) == (CaptionOutcome.ADDED, CaptionOutcome.TOO_LONG)
    assert draft.description == "Een bank op de stoep.\nnaast de lantaarnpaal"
    assert draft.photo_file_ids == ["photo-1", "photo-2"]


async def test_the_last_allowed_photo_ends_the_photo_step(svc: Services) -> None:
    draft = await started(svc)
    drafting = Drafting(svc)
    await drafting.describe(draft, "Een bank op de stoep.", START, NL)

    for n in range(svc.config.reports.max_photos):
        await drafting.add_photo(draft, f"photo-{n}", None, NL)

    assert draft.photos_done and draft.next_step() is Step.TIMING


async def test_danger_words_warn_once_per_draft(svc: Services) -> None:
    draft = await started(svc)
    drafting = Drafting(svc)
    await drafting.describe(draft, "Iemand loopt hier met een mes rond", START, NL)

    assert await drafting.needs_urgent_warning(draft, NL)
    assert not await drafting.needs_urgent_warning(draft, NL)


async def test_forgetting_a_resident_strips_their_reports_and_drops_their_draft(
    svc: Services,
) -> None:
    draft = complete_draft()
    await svc.drafts.save(draft)
    report = await submit_report(svc, draft, None)
    await Drafting(svc).start(501, 501, NL)

    result = await forget_resident(svc, 501)

    assert (result.reports_anonymised, result.drafts_deleted) == (1, 1)
    stored = await svc.reports.get_by_reference(report.reference)
    assert stored is not None and stored.description == ""
    assert await svc.reports.list_for_user(501) == []
