"""Build domain objects for the storage tests."""

from __future__ import annotations

from datetime import UTC, datetime

from reports.models import Draft, Language, Location, LocationSource, Neighbourhood, Timing

START = datetime(2026, 3, 1, 9, 30, tzinfo=UTC)

CITY = Neighbourhood(
    buurt_code="BU01530000",
    buurt_name="City",
    wijk_code="WK015300",
    wijk_name="Wijk 00 Binnensingelgebied",
)
ROOMBEEK = Neighbourhood(
    buurt_code="BU01530402",
    buurt_name="Roombeek-Roomveldje",
    wijk_code="WK015304",
    wijk_name="Wijk 04 Enschede-Noord",
)

PIN_IN_CITY = Location(
    neighbourhood=CITY,
    latitude=52.220288,
    longitude=6.893882,
    source=LocationSource.PIN,
    label="Oude Markt",
)
POSTCODE_IN_ROOMBEEK = Location(neighbourhood=ROOMBEEK, source=LocationSource.POSTCODE)


def empty_draft(user_id: int = 1001, *, at: datetime = START) -> Draft:
    """Return a draft that has only just been started."""
    return Draft(
        user_id=user_id,
        chat_id=user_id,
        token="t0k3n",
        language=Language.NL,
        created_at=at,
        updated_at=at,
    )


def complete_draft(
    user_id: int = 1001,
    *,
    at: datetime = START,
    location: Location = PIN_IN_CITY,
    photos: tuple[str, ...] = ("photo-a", "photo-b"),
) -> Draft:
    """Return a draft with every question answered, ready to confirm."""
    draft = empty_draft(user_id, at=at)
    draft.category_id = "litter"
    draft.location = location
    draft.description = "Volle afvalbak, zakken ernaast."
    draft.photo_file_ids = list(photos)
    draft.photos_done = True
    draft.timing = Timing.RECURRING
    draft.contact_allowed = True
    return draft
