"""Routing picks the first matching rule by category, area, weekday and hour, else the fallback."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
from pydantic import ValidationError

from reports.routing import HourWindow, RoutingDecision, RoutingRule, route

ZONE = ZoneInfo("Europe/Amsterdam")
CITY, CITY_WIJK = "BU01530000", "WK015300"
STROINKSLANDEN, ZUID_WIJK = "BU01530601", "WK015306"

RULES = [
    RoutingRule(
        id="jongeren-binnenstad-nacht",
        categories=["jongerenoverlast"],
        wijken=[CITY_WIJK],
        weekdays=["fri", "sat"],
        hours="22:00-04:00",
        lead="handhaving",
        inform=["politie"],
    ),
    RoutingRule(
        id="geluid-stroinkslanden",
        categories=["geluidsoverlast"],
        buurten=[STROINKSLANDEN],
        lead="buurtbemiddeling",
    ),
    RoutingRule(
        id="geluid-kantoortijd",
        categories=["geluidsoverlast"],
        weekdays=["mon", "tue", "wed", "thu", "fri"],
        hours="08:30-17:00",
        lead="handhaving",
    ),
    RoutingRule(
        id="jongerenoverlast",
        categories=["jongerenoverlast"],
        lead="politie",
        inform=["handhaving"],
    ),
    RoutingRule(
        id="vuil",
        categories=["zwerfvuil-dumping", "fiets-autowrak"],
        lead="twente-milieu",
        inform=["handhaving", "coordinator"],
    ),
    RoutingRule(id="zondag", weekdays=["sun"], lead="politie"),
]


def local(text: str) -> datetime:
    """Return an aware datetime for a local Enschede time like '2026-05-08 23:00' (a Friday)."""
    return datetime.fromisoformat(text).replace(tzinfo=ZONE)


# 2026-05-04 is a Monday, 2026-05-08 a Friday, 2026-05-09 a Saturday, 2026-05-10 a Sunday.
CASES = [
    # category, buurt, wijk, local time, expected rule, lead, inform
    ("jongerenoverlast", CITY, CITY_WIJK, "2026-05-08 23:00", "jongeren-binnenstad-nacht",
     "handhaving", ("politie",)),
    ("jongerenoverlast", CITY, CITY_WIJK, "2026-05-08 22:00", "jongeren-binnenstad-nacht",
     "handhaving", ("politie",)),
    ("jongerenoverlast", CITY, CITY_WIJK, "2026-05-09 02:30", "jongeren-binnenstad-nacht",
     "handhaving", ("politie",)),
    ("jongerenoverlast", CITY, CITY_WIJK, "2026-05-10 03:59", "jongeren-binnenstad-nacht",
     "handhaving", ("politie",)),
    ("jongerenoverlast", CITY, CITY_WIJK, "2026-05-10 04:00", "jongerenoverlast", "politie",
     ("handhaving",)),
    ("jongerenoverlast", CITY, CITY_WIJK, "2026-05-08 02:00", "jongerenoverlast", "politie",
     ("handhaving",)),
    ("jongerenoverlast", CITY, CITY_WIJK, "2026-05-08 21:59", "jongerenoverlast", "politie",
     ("handhaving",)),
    ("jongerenoverlast", CITY, CITY_WIJK, "2026-05-10 22:30", "jongerenoverlast", "politie",
     ("handhaving",)),
    ("jongerenoverlast", STROINKSLANDEN, ZUID_WIJK, "2026-05-08 23:00", "jongerenoverlast",
     "politie", ("handhaving",)),
    ("geluidsoverlast", STROINKSLANDEN, ZUID_WIJK, "2026-05-04 10:00", "geluid-stroinkslanden",
     "buurtbemiddeling", ()),
    ("geluidsoverlast", CITY, CITY_WIJK, "2026-05-04 10:00", "geluid-kantoortijd", "handhaving",
     ()),
    ("geluidsoverlast", CITY, CITY_WIJK, "2026-05-04 08:30", "geluid-kantoortijd", "handhaving",
     ()),
    ("geluidsoverlast", CITY, CITY_WIJK, "2026-05-04 17:00", None, "coordinator", ()),
    ("geluidsoverlast", CITY, CITY_WIJK, "2026-05-09 10:00", None, "coordinator", ()),
    ("geluidsoverlast", CITY, CITY_WIJK, "2026-05-10 10:00", "zondag", "politie", ()),
    ("zwerfvuil-dumping", CITY, CITY_WIJK, "2026-05-04 10:00", "vuil", "twente-milieu",
     ("handhaving", "coordinator")),
    ("fiets-autowrak", STROINKSLANDEN, ZUID_WIJK, "2026-05-09 03:00", "vuil", "twente-milieu",
     ("handhaving", "coordinator")),
    ("overig", CITY, CITY_WIJK, "2026-05-04 10:00", None, "coordinator", ()),
    ("overig", CITY, CITY_WIJK, "2026-05-10 10:00", "zondag", "politie", ()),
    ("brandgevaar", STROINKSLANDEN, ZUID_WIJK, "2026-05-06 12:00", None, "coordinator", ()),
]  # fmt: skip


@pytest.mark.parametrize(("category", "buurt", "wijk", "when", "rule_id", "lead", "inform"), CASES)
def test_the_first_matching_rule_decides_who_leads_and_who_is_informed(
    category: str,
    buurt: str,
    wijk: str,
    when: str,
    rule_id: str | None,
    lead: str,
    inform: tuple[str, ...],
) -> None:
    decision = route(
        RULES,
        category_id=category,
        buurt_code=buurt,
        wijk_code=wijk,
        at=local(when),
        zone=ZONE,
        fallback="coordinator",
    )
    assert decision == RoutingDecision(rule_id=rule_id, lead=lead, inform=inform)


def test_the_time_is_read_in_the_municipalitys_zone_not_in_utc() -> None:
    friday_2330_local = datetime(2026, 5, 8, 21, 30, tzinfo=UTC)
    decision = route(
        RULES,
        category_id="jongerenoverlast",
        buurt_code=CITY,
        wijk_code=CITY_WIJK,
        at=friday_2330_local,
        zone=ZONE,
        fallback="coordinator",
    )
    assert decision.rule_id == "jongeren-binnenstad-nacht"


def test_no_rules_at_all_means_the_fallback_partner_leads_and_the_rule_is_called_fallback() -> None:
    decision = route(
        [],
        category_id="overig",
        buurt_code=CITY,
        wijk_code=CITY_WIJK,
        at=local("2026-05-04 10:00"),
        zone=ZONE,
        fallback="coordinator",
    )
    assert decision == RoutingDecision(rule_id=None, lead="coordinator", inform=())
    assert decision.rule_label == "fallback"


def test_a_rule_decision_is_labelled_with_its_rule_id() -> None:
    assert RoutingDecision(rule_id="vuil", lead="twente-milieu").rule_label == "vuil"


def test_a_naive_time_is_refused() -> None:
    with pytest.raises(ValueError, match="aware"):
        route(
            RULES,
            category_id="overig",
            buurt_code=CITY,
            wijk_code=CITY_WIJK,
            at=datetime(2026, 5, 4, 10, 0),
            zone=ZONE,
            fallback="coordinator",
        )


def test_a_rule_that_names_a_wijk_and_a_buurt_covers_both_areas() -> None:
    rule = RoutingRule(id="beide", wijken=[CITY_WIJK], buurten=[STROINKSLANDEN], lead="politie")
    moment = local("2026-05-04 10:00")
    assert rule.matches(category_id="x", buurt_code=CITY, wijk_code=CITY_WIJK, local=moment)
    assert rule.matches(
        category_id="x", buurt_code=STROINKSLANDEN, wijk_code=ZUID_WIJK, local=moment
    )
    assert not rule.matches(
        category_id="x", buurt_code="BU01530800", wijk_code="WK015308", local=moment
    )


@pytest.mark.parametrize(
    ("hours", "clock", "inside"),
    [
        ("22:00-04:00", "22:00", True),
        ("22:00-04:00", "23:59", True),
        ("22:00-04:00", "00:00", True),
        ("22:00-04:00", "03:59", True),
        ("22:00-04:00", "04:00", False),
        ("22:00-04:00", "12:00", False),
        ("22:00-04:00", "21:59", False),
        ("08:30-17:00", "08:29", False),
        ("08:30-17:00", "08:30", True),
        ("08:30-17:00", "16:59", True),
        ("08:30-17:00", "17:00", False),
        ("18:00-24:00", "23:59", True),
        ("18:00-24:00", "00:00", False),
        ("00:00-24:00", "00:00", True),
    ],
)
def test_an_hour_window_includes_its_start_and_excludes_its_end(
    hours: str, clock: str, inside: bool
) -> None:
    window = HourWindow.parse(hours)
    assert (window.opened_on(local(f"2026-05-06 {clock}")) is not None) is inside


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("hours", "22-04", "not a time window"),
        ("hours", "25:00-04:00", "not a time window"),
        ("hours", "22:00-22:00", "empty"),
        ("hours", "22:00-24:30", "ends after 24:00"),
        ("wijken", ["WK15300"], "not a CBS wijk code"),
        ("buurten", ["BU015300"], "not a CBS buurt code"),
        ("weekdays", ["friday"], "Input should be"),
        ("inform", ["politie"], "must not name the lead"),
        ("inform", ["handhaving", "handhaving"], "names a partner twice"),
        ("id", "fallback", "reserved"),
        ("lead", "Politie!", "String should match pattern"),
        ("wijk", ["WK015300"], "Extra inputs are not permitted"),
    ],
)
def test_a_malformed_rule_is_refused_with_a_reason(field: str, value: object, message: str) -> None:
    raw: dict[str, object] = {"id": "regel", "lead": "politie", field: value}
    with pytest.raises(ValidationError, match=message):
        RoutingRule.model_validate(raw)
