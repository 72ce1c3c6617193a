"""Open311 GeoReport v2: the categories as services, reports as service requests.

The endpoint (bot/open311.py) calls these use cases. A posted request becomes a report like one
from Telegram: located in its buurt (refused outside the municipality), numbered, routed and
notified in one transaction, with its channel ("open311:<client>") for partners to see. It
has no resident chat, so it gets no confirmation, follow-ups, tip or survey. What GET
returns holds nothing personal: no identity, no description unless `[open311]
show_descriptions`, pins rounded to three decimals (about 100 m), and a status note from the
workflow (a standard closing text, never a caseworker's own words).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from reports.locating import Found, Outside, Resolution
from reports.models import Language, Location, LocationSource, Report, ReportStatus, Timing
from reports.workflow import FINAL_STATUSES
from services.chain import Chain
from services.container import Services
from services.holding import route
from services.scheduling import Scheduler
from storage.open311 import RequestQuery, commit_request

MAX_WINDOW = timedelta(days=90)
"""GET requests covers at most 90 days, as the standard says (default: the last 90)."""
PAGE_SIZE = 50
MAX_IDS = 50
MAX_MEDIA_URL = 500
_MEDIA_URL = re.compile(r"https?://[^\s<>\"']+", re.ASCII)
_NOTES = {
    ReportStatus.NEW: "Received",
    ReportStatus.ROUTED: "Passed to {agency}",
    ReportStatus.IN_PROGRESS: "Being handled by {agency}",
    ReportStatus.WAITING_FOR_RESIDENT: "Waiting for more information",
    ReportStatus.REJECTED: "Being passed on to the right partner",
    ReportStatus.REOPENED: "Reopened: being handled again",
    ReportStatus.RESOLVED: "Resolved",
    ReportStatus.CANCELLED: "Cancelled",
}
OPEN = tuple(status.value for status in ReportStatus if status not in FINAL_STATUSES)
CLOSED = tuple(status.value for status in FINAL_STATUSES)


class Open311Error(Exception):
    """A request the standard answers with an error: its HTTP code and description."""

    def __init__(self, code: int, description: str) -> None:
        super().__init__(description)
        self.code = code
        self.description = description


@dataclass(frozen=True)
class ServiceInfo:
    """One category as an Open311 service."""

    code: str
    name: str
    description: str
    keywords: str
    group: str


@dataclass(frozen=True)
class RequestView:
    """One report as an Open311 service request: nothing personal."""

    service_request_id: str
    status: str
    status_notes: str
    service_name: str
    service_code: str
    description: str | None
    agency_responsible: str
    requested_datetime: str
    updated_datetime: str | None
    expected_datetime: str | None
    address: str
    zipcode: str
    lat: float | None
    long: float | None
    service_notice: str = ""
    address_id: str = ""
    media_url: str | None = None


@dataclass(frozen=True)
class NewRequest:
    """The fields of a POST, as sent (strings); what they mean is checked in `create`."""

    service_code: str | None = None
    lat: str | None = None
    long: str | None = None
    address_string: str | None = None
    description: str | None = None
    media_url: str | None = None


def services_of(svc: Services) -> list[ServiceInfo]:
    """Return every category as a service, in the configured order (Dutch names)."""
    return [
        ServiceInfo(
            code=category.id,
            name=category.name(Language.NL),
            description=category.name(Language.EN),
            keywords=category.signalen_slug or "",
            group="overlast" if not category.urgent else "spoed",
        )
        for category in svc.config.categories
    ]


def service(svc: Services, code: str) -> ServiceInfo | None:
    """Return one service by its code, or None."""
    return next((s for s in services_of(svc) if s.code == code), None)


def _moment(svc: Services, moment: datetime | None) -> str | None:
    if moment is None:
        return None
    return moment.astimezone(svc.config.municipality.zone).isoformat(timespec="seconds")


def view(svc: Services, report: Report, *, with_description: bool) -> RequestView:
    """Return a report as a service request."""
    config = svc.config
    lead = config.partner(report.lead_partner or "")
    agency = lead.name(Language.EN) if lead else ""
    note = _NOTES[report.status].format(agency=agency or "the chain partner")
    if report.status is ReportStatus.RESOLVED and report.closing_text:
        known = next(
            (c for c in config.closing_texts if report.closing_text in (c.id, c.label, c.nl, c.en)),
            None,
        )
        if known is not None:
            note = f"Resolved: {known.button(Language.EN)}"
    category = config.category(report.category_id)
    hood = report.location.neighbourhood
    point = report.location.has_point and report.location.latitude is not None
    return RequestView(
        service_request_id=report.reference,
        status="closed" if report.status in FINAL_STATUSES else "open",
        status_notes=note,
        service_name=category.name(Language.NL) if category else report.category_id,
        service_code=report.category_id,
        description=report.description if with_description and not report.erased else None,
        agency_responsible=agency,
        requested_datetime=_moment(svc, report.created_at) or "",
        updated_datetime=_moment(svc, report.resolved_at or report.claimed_at),
        expected_datetime=_moment(svc, report.due_at),
        address=f"{hood.buurt_name}, {hood.wijk_name}",
        zipcode="",
        lat=round(report.location.latitude, 3) if point and report.location.latitude else None,
        long=round(report.location.longitude, 3) if point and report.location.longitude else None,
    )


def window(
    svc: Services, start: datetime | None, end: datetime | None
) -> tuple[datetime, datetime]:
    """Return the creation window of a search: at most 90 days, by default the last 90."""
    now = svc.clock.now()
    until = end or (start + MAX_WINDOW if start else now + timedelta(seconds=1))
    since = start or until - MAX_WINDOW
    if since > until:
        raise Open311Error(400, "start_date is after end_date")
    if until - since > MAX_WINDOW:
        raise Open311Error(400, "start_date and end_date may not span more than 90 days")
    return since, until


async def find_requests(
    svc: Services,
    *,
    ids: list[str],
    codes: list[str],
    statuses: list[str],
    start: datetime | None,
    end: datetime | None,
    page: int,
    with_descriptions: bool,
) -> list[RequestView]:
    """Return the requests that pass the filters, newest first; ids override the rest."""
    reads = svc.open311
    if ids:
        if len(ids) > MAX_IDS:
            raise Open311Error(400, f"at most {MAX_IDS} service_request_id values")
        found = await reads.by_references(ids)
    else:
        unknown = [code for code in codes if svc.config.category(code) is None]
        if unknown:
            raise Open311Error(400, "unknown service_code")
        wanted: tuple[str, ...] = ()
        for status in statuses:
            if status not in ("open", "closed"):
                raise Open311Error(400, "status must be open or closed")
            wanted += OPEN if status == "open" else CLOSED
        since, until = window(svc, start, end)
        query = RequestQuery(
            since, until, tuple(codes), wanted, limit=PAGE_SIZE, offset=(page - 1) * PAGE_SIZE
        )
        found = await reads.search(query)
    return [view(svc, report, with_description=with_descriptions) for report in found]


async def _locate(svc: Services, new: NewRequest) -> Location:
    """Return where a posted request is, or raise a 400."""
    found: Resolution
    if new.lat or new.long:
        try:
            latitude, longitude = float(new.lat or ""), float(new.long or "")
        except ValueError:
            raise Open311Error(400, "lat and long must be numbers") from None
        if not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
            raise Open311Error(400, "lat and long are out of range")
        found = svc.locations.from_point(latitude, longitude, LocationSource.PIN)
    elif new.address_string and new.address_string.strip():
        found = await svc.locations.from_text(new.address_string[:200])
    else:
        raise Open311Error(400, "a location is required: lat and long, or address_string")
    if isinstance(found, Outside):
        raise Open311Error(400, f"the location is outside {svc.config.municipality.name}")
    if not isinstance(found, Found):
        raise Open311Error(400, "the address was not found in the municipality; send lat and long")
    return found.location


async def create_request(svc: Services, client: str, new: NewRequest) -> Report:
    """Store, route and notify a posted request as a report in one transaction; return it."""
    code = (new.service_code or "").strip()
    if not code:
        raise Open311Error(400, "service_code is required")
    if svc.config.category(code) is None:
        raise Open311Error(400, "unknown service_code")
    description = (new.description or "").strip()
    limit = svc.config.open311.max_description
    if not description:
        raise Open311Error(400, "description is required")
    if len(description) > limit:
        raise Open311Error(400, f"description is longer than {limit} characters")
    media = (new.media_url or "").strip()
    if media and (len(media) > MAX_MEDIA_URL or _MEDIA_URL.fullmatch(media) is None):
        raise Open311Error(400, "media_url must be an http(s) URL")
    location = await _locate(svc, new)
    municipality = svc.config.municipality
    now = svc.clock.now().astimezone(municipality.zone)
    text = f"{description}\n{media}" if media else description
    draft = Report(
        id=0,
        reference="",
        user_id=None,
        chat_id=None,
        language=Language.NL,
        category_id=code,
        location=location,
        description=text,
        photo_file_ids=[],
        timing=Timing.NOW,
        contact_allowed=False,
        status=ReportStatus.NEW,
        created_at=now.astimezone(UTC),
        channel=f"open311:{client}",
    )
    async with svc.uow() as work:
        report = await commit_request(
            work.session, draft, prefix=municipality.reference_prefix, now=now
        )
        report = await route(work, Chain(svc.config, svc.messages), report, None)
        await Scheduler(svc.config, svc.messages).after_report(work, report)
    return report
