"""Erasing a resident's personal data."""

from __future__ import annotations

from reports.models import Language
from storage.drafts import DraftRepository
from storage.privacy import ErasureResult, PrivacyRepository
from storage.reports import ERASED_USER_ID, ReportRepository
from storage.residents import ResidentRepository
from tests.storage.builders import CITY, START, complete_draft, empty_draft


async def test_erasure_removes_the_draft_preferences_and_everything_the_resident_wrote(
    drafts: DraftRepository,
    reports: ReportRepository,
    residents: ResidentRepository,
    privacy: PrivacyRepository,
) -> None:
    sent = complete_draft(1)
    await drafts.save(sent)
    report = await reports.commit_draft(sent, prefix="ENS", now=START)
    await drafts.save(empty_draft(1))
    await residents.set_language(1, Language.EN, START)

    result = await privacy.erase_resident(1)

    assert result == ErasureResult(
        drafts_deleted=1, preferences_deleted=1, reports_anonymised=1, photos_deleted=2
    )
    assert await drafts.get(1) is None
    assert await residents.language(1) is None
    assert await reports.list_for_user(1) == []
    erased = await reports.get_by_reference(report.reference)
    assert erased is not None
    assert erased.user_id == erased.chat_id == ERASED_USER_ID
    assert erased.description == ""
    assert erased.photo_file_ids == []
    assert erased.location.neighbourhood == CITY
    assert not erased.location.has_point
    assert erased.location.label is None
    assert erased.contact_allowed is False


async def test_erasure_keeps_the_anonymous_statistics(
    drafts: DraftRepository, reports: ReportRepository, privacy: PrivacyRepository
) -> None:
    sent = complete_draft(1)
    await drafts.save(sent)
    report = await reports.commit_draft(sent, prefix="ENS", now=START)
    await privacy.erase_resident(1)
    erased = await reports.get_by_reference(report.reference)
    assert erased is not None
    assert (erased.category_id, erased.status, erased.timing, erased.created_at) == (
        report.category_id,
        report.status,
        report.timing,
        report.created_at,
    )
    assert erased.location.source is report.location.source
    assert await reports.count() == 1


async def test_erasure_leaves_other_residents_alone(
    drafts: DraftRepository,
    reports: ReportRepository,
    residents: ResidentRepository,
    privacy: PrivacyRepository,
) -> None:
    for user_id in (1, 2):
        draft = complete_draft(user_id)
        await drafts.save(draft)
        await reports.commit_draft(draft, prefix="ENS", now=START)
    await drafts.save(empty_draft(2))
    await residents.set_language(2, Language.EN, START)

    await privacy.erase_resident(1)

    (kept,) = await reports.list_for_user(2)
    assert kept.description == complete_draft(2).description
    assert kept.photo_file_ids == ["photo-a", "photo-b"]
    assert await drafts.get(2) is not None
    assert await residents.language(2) == Language.EN


async def test_erasing_twice_erases_nothing_the_second_time(
    drafts: DraftRepository, reports: ReportRepository, privacy: PrivacyRepository
) -> None:
    draft = complete_draft(1)
    await drafts.save(draft)
    await reports.commit_draft(draft, prefix="ENS", now=START)
    await privacy.erase_resident(1)
    assert await privacy.erase_resident(1) == ErasureResult(0, 0, 0, 0)
