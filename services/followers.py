""" "Already reported? Follow it": duplicate hints while reporting, and co-reporters.

After a resident gave the category and the place, `nearby_open` finds open reports of the
same category made in the last `[duplicates] window_days` within `distance_m` of their pin
(in the same buurt when they chose a buurt), at most `max_cards`. The hint never blocks
reporting. "This is it" (`follow`) makes the resident a co-reporter in one transaction: no
new report and no new notification; their draft is discarded; the lead notification's
"+N residents" is edited in place, at most once per `EDIT_EVERY`. A co-reporter sees the
report in /mijnmeldingen, gets its status updates (`services.chain.Chain.tell_resident`), and
for `ADDING_WINDOW` may add a text or photo that reaches the lead partner as an addition; they
are asked the follow-ups ("is it still going on?", from when they joined) and, once the report
is resolved, the survey, like the resident who made it (`services.scheduling.Respondent`).
Nothing about other reporters is shown to anyone: cards hold category, buurt, distance, age
and status, never a resident's text, photos or identity.
"""

from __future__ import annotations

import json
import logging
import math
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from reports.kinds import OutboxKind
from reports.models import Draft, Location, LocationSource, Report
from reports.records import RESIDENT
from reports.workflow import is_open
from services.chain import Chain
from services.container import Services
from services.followups import MAX_ADDITION_CHARS, relay_addition
from services.ports import Badge
from services.scheduling import Respondent, Scheduler
from storage import followers as store
from storage.drafts import delete_unchanged_draft
from storage.followups import add_to_report, lead_message
from storage.outbox import OutgoingMessage, Priority
from storage.uow import Work

log = logging.getLogger(__name__)

ADDING_WINDOW = timedelta(hours=1)
EDIT_EVERY = timedelta(minutes=10)
"""The lead notification's "+N residents" is edited at most this often (the latest count)."""
EARTH_M = 6_371_000.0
ERASED_USER = -1
"""No resident: partners' merges consider every report, whoever made it."""


@dataclass(frozen=True)
class Card:
    """One open report a resident may mean: what the card shows, nothing personal."""

    report: Report
    metres: int | None
    """How far from the resident's pin; None when either has no exact point."""


class FollowOutcome(StrEnum):
    """What became of "this is it"."""

    JOINED = "joined"
    GONE = "gone"
    """The report closed meanwhile, or is not one the resident was shown: report normally."""


@dataclass(frozen=True)
class FollowResult:
    """The outcome, with the report the resident now follows."""

    outcome: FollowOutcome
    report: Report | None = None


def distance_m(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Return the great-circle distance in metres between two (latitude, longitude) points."""
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return 2 * EARTH_M * math.asin(math.sqrt(h))


def card_for(svc: Services, draft: Draft, report: Report) -> Card | None:
    """Return the card when the report is near enough to the draft's place, else None."""
    place = draft.location
    if place is None:
        return None
    mine = (place.latitude, place.longitude)
    theirs = (report.location.latitude, report.location.longitude)
    if place.source is not LocationSource.CHOSEN and None not in mine and None not in theirs:
        metres = distance_m(mine, theirs)  # type: ignore[arg-type]
        if metres <= svc.config.duplicates.distance_m:
            return Card(report, round(metres))
        return None
    same_buurt = report.location.neighbourhood.buurt_code == place.neighbourhood.buurt_code
    return Card(report, None) if same_buurt else None


def search_area(
    svc: Services, place: Location
) -> tuple[str, tuple[float, float, float, float] | None]:
    """Return the buurt and the box (south, north, west, east) around a pin to search in."""
    if place.latitude is None or place.longitude is None:
        return place.neighbourhood.buurt_code, None
    metres = svc.config.duplicates.distance_m
    dlat = metres / 111_195
    dlon = dlat / max(math.cos(math.radians(place.latitude)), 0.01)
    box = (
        place.latitude - dlat,
        place.latitude + dlat,
        place.longitude - dlon,
        place.longitude + dlon,
    )
    return place.neighbourhood.buurt_code, box


async def nearby_open(svc: Services, draft: Draft) -> list[Card]:
    """Return the open reports the resident may mean, nearest (then newest) first."""
    rules = svc.config.duplicates
    if not rules.enabled or draft.category_id is None or draft.location is None:
        return []
    since = svc.clock.now() - timedelta(days=rules.window_days)
    found = await svc.followers.candidates(
        draft.category_id, since, draft.user_id, *search_area(svc, draft.location)
    )
    cards = [card for report in found if (card := card_for(svc, draft, report)) is not None]
    cards.sort(key=lambda c: (c.metres is None, c.metres or 0, -c.report.created_at.timestamp()))
    return cards[: rules.max_cards]


async def follow(svc: Services, draft: Draft, report_id: int) -> FollowResult:
    """Make the resident a co-reporter of a report they were shown; discard their draft."""
    now = svc.clock.now()
    async with svc.uow() as work:
        report = await work.cases.get(report_id)
        if (
            report is None
            or not is_open(report.status)
            or report.category_id != draft.category_id
            or card_for(svc, draft, report) is None
            or report.user_id == draft.user_id
        ):
            return FollowResult(FollowOutcome.GONE)
        if not await delete_unchanged_draft(work.session, draft.user_id, draft.updated_at):
            return FollowResult(FollowOutcome.GONE)  # sent or changed meanwhile: nothing written
        seat = await store.follow(
            work.session, report.id, draft.user_id, draft.language, now, now + ADDING_WINDOW
        )
        report = await work.cases.note(report.id, RESIDENT, "co_reporter", now)
        if seat is not None:
            who = Respondent(seat, draft.user_id, draft.language, now)
            await Scheduler(svc.config, svc.messages).after_joining(work, report, who)
            await show_count(svc, work, report, now)
    log.info("report %s: a resident joined as co-reporter", report.reference)
    return FollowResult(FollowOutcome.JOINED, report)


async def show_count(svc: Services, work: Work, report: Report, now: datetime) -> None:
    """Edit "+N residents" into the lead notification, at most once per EDIT_EVERY."""
    found = await lead_message(work.session, report.id)
    if found is None:
        return  # not sent yet: it is rendered with the count when it is
    _, chat_id, message_id = found
    chain = Chain(svc.config, svc.messages)
    language = chain.chat_language(chat_id, await work.cases.links())
    rendered = svc.messages.notification(report, Badge(), None, language)
    params = {**rendered.params, "message_id": message_id}
    bucket = int(now.timestamp() // EDIT_EVERY.total_seconds())
    for period in (bucket, bucket + 1):  # this period's edit, or the next one's if it went
        key = f"coreporters:{report.id}:{period}"
        if await store.refresh_pending(work.session, key, json.dumps(params)):
            return
        due = max(now, datetime.fromtimestamp(period * EDIT_EVERY.total_seconds(), now.tzinfo))
        edit = OutgoingMessage(
            chat_id=chat_id,
            method="editMessageText",
            params=params,
            priority=Priority.NOTIFICATION,
            due_at=due,
            kind=OutboxKind.CO_REPORTERS,
            report_id=report.id,
            dedupe_key=key,
        )
        if await work.outbox.enqueue(edit, now=now) is not None:
            return


async def add_information(
    svc: Services, user_id: int, text: str, photo_file_id: str | None
) -> Report | None:
    """Relay a co-reporter's text or photo to the lead partner as an addition, once, within
    ADDING_WINDOW of joining; None when no report awaits one from them."""
    text = text.strip()[:MAX_ADDITION_CHARS]
    now = svc.clock.now()
    if not text and photo_file_id is None:
        return None
    report_id = await svc.followers.adding_to(user_id, now)
    if report_id is None:
        return None  # the common case: one read, no write
    rules = svc.config.reports
    async with svc.uow() as work:
        if not await store.end_adding(work.session, report_id, user_id, now):
            return None
        await add_to_report(
            work.session,
            report_id,
            text=text or None,
            photo_file_id=photo_file_id,
            max_chars=rules.description_max_chars,
            max_photos=rules.max_photos,
        )
        report = await work.cases.note(report_id, RESIDENT, "co_reporter_addition", now)
        await relay_addition(svc, work, report, text, photo_file_id, now, co_reporter=True)
    return report
