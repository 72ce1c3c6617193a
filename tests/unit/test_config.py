"""Settings and the municipality configuration load, merge and fail with named keys."""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bot.__main__ import main
from config.errors import BaseUrlError, ConfigError
from config.loading import check_languages, load_municipality, untranslated
from config.municipality import MunicipalityConfig
from config.settings import file_base_url, load_settings
from handlers.texts import languages
from reports.deadlines import ResponseTarget
from reports.models import Language
from reports.routing import RoutingDecision, route

REQUIRED_CATEGORIES = {
    "jongerenoverlast",
    "drank-en-drugsoverlast",
    "woonoverlast",
    "geluidsoverlast",
    "vandalisme-graffiti",
    "zwerfvuil-dumping",
    "verkeersonveilig",
    "onveilige-plek",
    "brandgevaar",
    "verward-gedrag",
    "fiets-autowrak",
    "overig",
}


def test_the_shipped_configuration_is_enschede_with_every_category() -> None:
    config = load_municipality()
    assert config.municipality.code == "GM0153"
    assert {c.id for c in config.categories} == REQUIRED_CATEGORIES
    assert config.category("brandgevaar") is not None
    assert config.category("brandgevaar").urgent  # type: ignore[union-attr]
    assert "coordinator" in {p.id for p in config.partners}
    assert all(p.chat_id is None for p in config.partners)


def test_an_override_is_merged_key_by_key(tmp_path: Path) -> None:
    override = tmp_path / "meldbot.toml"
    override.write_text(
        "[timings]\ndraft_expiry_minutes = 45\n"
        '[categories.overig]\nname_en = "Something else"\n'
        "[partners.politie]\nchat_id = -1001234\n",
        encoding="utf-8",
    )
    config = load_municipality(override)
    assert config.timings.draft_expiry_minutes == 45
    assert config.timings.draft_sweep_seconds == 60
    assert config.timings.escalation_sweep_seconds == 60
    other = config.category("overig")
    assert other is not None and other.name_en == "Something else" and other.name_nl == "Overig"
    police = next(p for p in config.partners if p.id == "politie")
    assert police.chat_id == -1001234


def test_a_wrong_value_names_its_key(tmp_path: Path) -> None:
    override = tmp_path / "bad.toml"
    override.write_text(
        '[categories.brandgevaar]\nname_nl = ""\n[municipality]\ntimezone = "Mars/Base"\n',
        encoding="utf-8",
    )
    with pytest.raises(ConfigError) as caught:
        load_municipality(override)
    text = str(caught.value)
    assert "categories.brandgevaar.name_nl" in text
    assert "municipality.timezone" in text


def test_an_unknown_key_is_refused(tmp_path: Path) -> None:
    override = tmp_path / "typo.toml"
    override.write_text("[timings]\ndraft_expiry_minuts = 5\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"timings\.draft_expiry_minuts"):
        load_municipality(override)


def test_invalid_toml_is_reported_with_the_file(tmp_path: Path) -> None:
    override = tmp_path / "broken.toml"
    override.write_text("[timings\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"broken\.toml"):
        load_municipality(override)


def test_a_missing_token_says_how_to_get_one(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("TELEGRAM_BOT_TOKEN", raising=False)
    with pytest.raises(ConfigError, match="@BotFather"):
        load_settings(env_file=None)


def test_settings_come_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", "123456:ABC-def_ghi")
    monkeypatch.setenv("TELEGRAM_API_BASE_URL", "http://127.0.0.1:8081/bot")
    monkeypatch.setenv("MELDBOT_DB", "/tmp/x.sqlite3")
    settings = load_settings(env_file=None)
    assert settings.token == "123456:ABC-def_ghi"
    assert settings.file_base_url == "http://127.0.0.1:8081/file/bot"
    assert str(settings.meldbot_db) == "/tmp/x.sqlite3"


def test_settings_come_from_a_dotenv_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("TELEGRAM_BOT_TOKEN", raising=False)
    env = tmp_path / ".env"
    env.write_text("TELEGRAM_BOT_TOKEN=42:fromfile\n", encoding="utf-8")
    assert load_settings(env_file=env).token == "42:fromfile"


@pytest.mark.parametrize(
    ("base", "why"),
    [
        ("api.telegram.org/bot", "http(s) URL with a host"),
        ("ftp://api.telegram.org/bot", "http(s) URL with a host"),
        ("https://api.telegram.org/bot/", "must end in /bot"),
        ("https://api.telegram.org/", "must end in /bot"),
        ("https://api.telegram.org:99999/bot", "invalid port"),
        ("https://api.telegram.org/bot?x=1", "query or fragment"),
        ("https://api.telegram .org/bot", "spaces"),
    ],
)
def test_a_malformed_base_url_is_its_own_error(
    monkeypatch: pytest.MonkeyPatch, base: str, why: str
) -> None:
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", "123456:ABC-def_ghi")
    monkeypatch.setenv("TELEGRAM_API_BASE_URL", base)
    with pytest.raises(BaseUrlError) as raised:
        load_settings(env_file=None)
    assert raised.value.line().startswith(f"TELEGRAM_API_BASE_URL {base!r} is malformed: it ")
    assert why in raised.value.line()


def test_a_malformed_base_url_beside_another_problem_is_a_configuration_error(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", "no token")
    monkeypatch.setenv("TELEGRAM_API_BASE_URL", "https://api.telegram.org/")
    with pytest.raises(ConfigError) as raised:
        load_settings(env_file=None)
    assert not isinstance(raised.value, BaseUrlError)
    assert len(raised.value.problems) == 2


@pytest.mark.parametrize(
    ("base", "files"),
    [
        ("https://api.telegram.org/bot", "https://api.telegram.org/file/bot"),
        ("http://127.0.0.1:9000/bot", "http://127.0.0.1:9000/file/bot"),
        ("https://proxy.example/tg/bot/", "https://proxy.example/tg/file/bot"),
    ],
)
def test_the_file_url_is_derived_from_the_base_url(base: str, files: str) -> None:
    assert file_base_url(base) == files


def test_check_config_prints_json_with_the_token_masked(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", "987654:SECRETSECRET")
    assert main(["check-config"]) == 0
    out = capsys.readouterr().out
    assert "SECRETSECRET" not in out
    assert '"987654:***"' in out
    assert '"id": "coordinator"' in out
    holidays = json.loads(out)["public_holidays"]
    assert holidays["source"].startswith("holidays ")
    assert holidays["source"].endswith(": NL, public, optional")
    this_year = datetime.now(ZoneInfo("Europe/Amsterdam")).year
    assert len(holidays[str(this_year)]) == len(holidays[str(this_year + 1)]) == 11


def test_check_config_says_which_partner_groups_are_ready(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", "987654:SECRETSECRET")
    override = write_override(tmp_path, "[partners.politie]\nchat_id = -1001\n")
    monkeypatch.setenv("MELDBOT_CONFIG", str(override))
    assert main(["check-config"]) == 0
    ready = json.loads(capsys.readouterr().out)["readiness"]
    assert ready["partners"]["politie"] == "ready"
    assert ready["partners"]["brandweer"] == "not ready, because no group is linked"
    assert ready["coordinator"] == "not ready, because no group is linked"
    assert ready["verdict"].startswith("not ready, because no group is linked for handhaving")
    assert "the coordinator group is not linked" in ready["verdict"]
    assert "/koppel" in ready["note"]


def test_check_config_fails_with_a_message_when_the_token_is_missing(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("TELEGRAM_BOT_TOKEN", raising=False)
    assert main(["check-config"]) == 2
    assert "@BotFather" in capsys.readouterr().err


EXPECTED_LEADS = {
    "jongerenoverlast": ("politie", ("handhaving",)),
    "drank-en-drugsoverlast": ("politie", ("handhaving",)),
    "woonoverlast": ("buurtbemiddeling", ()),
    "geluidsoverlast": ("handhaving", ()),
    "vandalisme-graffiti": ("handhaving", ()),
    "zwerfvuil-dumping": ("twente-milieu", ("handhaving",)),
    "verkeersonveilig": ("coordinator", ()),
    "onveilige-plek": ("coordinator", ("politie",)),
    "brandgevaar": ("brandweer", ("handhaving",)),
    "verward-gedrag": ("ggd", ("politie",)),
    "fiets-autowrak": ("handhaving", ()),
    "overig": ("coordinator", ()),
}
CITY, CITY_WIJK = "BU01530000", "WK015300"
GLANERVELD, GLANERBRUG_WIJK = "BU01530800", "WK015308"


def _route(
    config: MunicipalityConfig, category: str, buurt: str, wijk: str, when: datetime
) -> RoutingDecision:
    return route(
        config.routing.rules,
        category_id=category,
        buurt_code=buurt,
        wijk_code=wijk,
        at=when,
        zone=config.municipality.zone,
        fallback=config.routing.fallback,
    )


@pytest.mark.parametrize("category", sorted(EXPECTED_LEADS))
def test_every_shipped_category_has_its_own_rule_and_lead_partner(category: str) -> None:
    config = load_municipality()
    tuesday_noon = datetime(2026, 5, 12, 12, 0, tzinfo=config.municipality.zone)
    decision = _route(config, category, GLANERVELD, GLANERBRUG_WIJK, tuesday_noon)
    assert decision.rule_id == category
    assert (decision.lead, decision.inform) == EXPECTED_LEADS[category]


@pytest.mark.parametrize(
    ("buurt", "wijk", "when", "lead"),
    [
        (CITY, CITY_WIJK, "2026-05-08 23:30", "handhaving"),  # Friday night in the centre
        (CITY, CITY_WIJK, "2026-05-10 01:00", "handhaving"),  # still Saturday night
        (CITY, CITY_WIJK, "2026-05-10 23:30", "politie"),  # Sunday night
        (CITY, CITY_WIJK, "2026-05-08 15:00", "politie"),  # Friday afternoon
        (GLANERVELD, GLANERBRUG_WIJK, "2026-05-08 23:30", "politie"),  # outside the centre
    ],
)
def test_shipped_youth_nuisance_in_the_centre_on_weekend_nights_goes_to_the_night_team(
    buurt: str, wijk: str, when: str, lead: str
) -> None:
    config = load_municipality()
    moment = datetime.fromisoformat(when).replace(tzinfo=config.municipality.zone)
    assert _route(config, "jongerenoverlast", buurt, wijk, moment).lead == lead


def test_the_shipped_fallback_is_the_coordinator_and_every_rule_names_known_partners() -> None:
    config = load_municipality()
    assert config.routing.fallback == "coordinator"
    partners = {p.id for p in config.partners}
    for rule in config.routing.rules:
        assert {rule.lead, *rule.inform} <= partners
        assert rule.lead not in rule.inform


@pytest.mark.parametrize(
    ("partner", "category", "target"),
    [
        ("brandweer", "brandgevaar", "2h"),
        ("ggd", "verward-gedrag", "4h"),
        ("handhaving", "jongerenoverlast", "2h"),
        ("handhaving", "geluidsoverlast", "1wd"),
        ("politie", "jongerenoverlast", "1wd"),
        ("buurtbemiddeling", "woonoverlast", "2wd"),
        ("coordinator", "overig", "1wd"),
        ("domijn", "woonoverlast", "1wd"),
    ],
)
def test_shipped_response_targets_per_partner_and_category(
    partner: str, category: str, target: str
) -> None:
    found = load_municipality().partner(partner)
    assert found is not None
    assert found.response_target(category) == ResponseTarget.parse(target)


def test_shipped_partners_have_no_caseworkers_so_every_chat_member_may_act() -> None:
    config = load_municipality()
    assert all(p.caseworkers == [] and p.may_act(42) for p in config.partners)


def test_a_partner_with_caseworkers_lets_only_them_act(tmp_path: Path) -> None:
    override = tmp_path / "caseworkers.toml"
    override.write_text("[partners.politie]\ncaseworkers = [111, 222]\n", encoding="utf-8")
    police = load_municipality(override).partner("politie")
    assert police is not None and police.may_act(111) and not police.may_act(333)


def _easter_sunday(year: int) -> date:
    """Compute Easter Sunday (the Meeus/Jones/Butcher Gregorian algorithm)."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = divmod(b, 4)
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    shift = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * shift) // 451
    month, day = divmod(h + shift - 7 * m + 114, 31)
    return date(year, month, day + 1)


def _dutch_public_holidays(year: int) -> set[date]:
    easter = _easter_sunday(year)
    kings_day = date(year, 4, 27)
    if kings_day.weekday() == 6:
        kings_day = date(year, 4, 26)
    return {
        date(year, 1, 1),
        easter - timedelta(days=2),
        easter,
        easter + timedelta(days=1),
        kings_day,
        date(year, 5, 5),
        easter + timedelta(days=39),
        easter + timedelta(days=49),
        easter + timedelta(days=50),
        date(year, 12, 25),
        date(year, 12, 26),
    }


def test_easter_is_computed_right_for_the_shipped_years() -> None:
    assert _easter_sunday(2026) == date(2026, 4, 5)
    assert _easter_sunday(2027) == date(2027, 3, 28)
    assert _easter_sunday(2031) == date(2031, 4, 13)


# The dates Enschede kept by hand in enschede.toml before the holidays library counted them.
FORMER_HAND_KEPT_HOLIDAYS = {
    date(2026, 1, 1),  # Nieuwjaarsdag
    date(2026, 4, 3),  # Goede Vrijdag
    date(2026, 4, 5),  # Eerste Paasdag
    date(2026, 4, 6),  # Tweede Paasdag
    date(2026, 4, 27),  # Koningsdag
    date(2026, 5, 5),  # Bevrijdingsdag
    date(2026, 5, 14),  # Hemelvaartsdag
    date(2026, 5, 24),  # Eerste Pinksterdag
    date(2026, 5, 25),  # Tweede Pinksterdag
    date(2026, 12, 25),  # Eerste Kerstdag
    date(2026, 12, 26),  # Tweede Kerstdag
    date(2027, 1, 1),  # Nieuwjaarsdag
    date(2027, 3, 26),  # Goede Vrijdag
    date(2027, 3, 28),  # Eerste Paasdag
    date(2027, 3, 29),  # Tweede Paasdag
    date(2027, 4, 27),  # Koningsdag
    date(2027, 5, 5),  # Bevrijdingsdag
    date(2027, 5, 6),  # Hemelvaartsdag
    date(2027, 5, 16),  # Eerste Pinksterdag
    date(2027, 5, 17),  # Tweede Pinksterdag
    date(2027, 12, 25),  # Eerste Kerstdag
    date(2027, 12, 26),  # Tweede Kerstdag
}


def _public_holidays_between(config: MunicipalityConfig, first: date, last: date) -> set[date]:
    """Return every day from first to last that the office calendar counts as public holiday."""
    public = config.working_calendar().public_holidays
    days = (first + timedelta(days=n) for n in range((last - first).days + 1))
    return {day for day in days if day in public}


def test_the_public_holidays_of_2026_and_2027_are_the_former_hand_kept_list() -> None:
    config = load_municipality()
    assert config.office.holidays == []
    found = _public_holidays_between(config, date(2026, 1, 1), date(2027, 12, 31))
    assert found == FORMER_HAND_KEPT_HOLIDAYS


def test_the_public_holidays_follow_the_dutch_rules_every_year() -> None:
    config = load_municipality()
    for year in range(2026, 2046):
        found = _public_holidays_between(config, date(year, 1, 1), date(year, 12, 31))
        assert found == _dutch_public_holidays(year), year


def test_each_year_of_public_holidays_is_computed_once_and_shared() -> None:
    public = load_municipality().office.public_holiday_calendar()
    assert public is not None
    assert public is load_municipality().working_calendar().public_holidays
    assert public.of_year(2031) is public.of_year(2031)
    assert public.of_year(2031)[date(2031, 4, 14)] == "Tweede paasdag"
    assert public.of_year(2031)[date(2031, 4, 26)] == "Koningsdag"  # 27 April is a Sunday


@pytest.mark.parametrize(
    ("start", "expected"),
    [
        # Thursday before Easter 2031: Goede Vrijdag and Tweede Paasdag (14 April) are skipped.
        ("2031-04-10 16:00", "2031-04-15 16:00"),
        # Friday before Bevrijdingsdag, Monday 5 May 2031 (not a lustrum year).
        ("2031-05-02 16:00", "2031-05-06 16:00"),
        # Koningsdag 2031: 27 April is a Sunday, so it is Saturday 26 April; Monday is open.
        ("2031-04-25 16:00", "2031-04-28 16:00"),
    ],
)
def test_a_working_day_target_skips_the_public_holidays_of_later_years(
    start: str, expected: str
) -> None:
    config = load_municipality()
    zone = config.municipality.zone
    due = config.working_calendar().deadline(
        datetime.fromisoformat(start).replace(tzinfo=zone), ResponseTarget.parse("1wd")
    )
    assert due == datetime.fromisoformat(expected).replace(tzinfo=zone)


def test_an_own_closing_day_from_the_config_is_skipped(tmp_path: Path) -> None:
    config = _load_with(tmp_path, "[office]\nholidays = [2026-05-15]\n")
    zone = config.municipality.zone
    before_ascension = datetime(2026, 5, 13, 16, 0, tzinfo=zone)
    target = ResponseTarget.parse("1wd")
    # Thursday 14 May is Hemelvaartsdag; Friday 15 May the municipality closes too.
    assert config.working_calendar().deadline(before_ascension, target) == datetime(
        2026, 5, 18, 16, 0, tzinfo=zone
    )
    shipped = load_municipality().working_calendar()
    assert shipped.deadline(before_ascension, target) == datetime(2026, 5, 15, 16, 0, tzinfo=zone)


def test_the_country_of_the_public_holidays_is_configured(tmp_path: Path) -> None:
    labour_day = date(2026, 5, 1)  # a Friday, a public holiday in Germany, not in the Netherlands
    assert load_municipality().working_calendar().is_working_day(labour_day)
    german = _load_with(
        tmp_path, '[office]\npublic_holidays = "DE"\npublic_holiday_categories = ["public"]\n'
    )
    assert not german.working_calendar().is_working_day(labour_day)
    none = _load_with(tmp_path, '[office]\npublic_holidays = ""\n')
    assert none.office.public_holiday_calendar() is None
    assert none.working_calendar().is_working_day(date(2026, 4, 27))


def test_the_shipped_office_calendar_counts_working_days_in_enschede_time() -> None:
    config = load_municipality()
    calendar = config.working_calendar()
    zone = config.municipality.zone
    thursday_before_easter = datetime(2026, 4, 2, 16, 0, tzinfo=zone)
    due = calendar.deadline(thursday_before_easter, ResponseTarget.parse("1wd"))
    assert due == datetime(2026, 4, 7, 16, 0, tzinfo=zone)


def test_the_shipped_closing_texts_exist_in_both_languages() -> None:
    config = load_municipality()
    assert 4 <= len(config.closing_texts) <= 6
    assert {"opgelost", "gesprek", "meer-toezicht", "woningcorporatie", "dubbel"} <= {
        c.id for c in config.closing_texts
    }
    unactionable = config.closing_text("geen-actie-mogelijk")
    assert unactionable is not None and unactionable.needs_reason
    for text in config.closing_texts:
        assert text.text(Language.NL) == text.nl and text.text(Language.EN) == text.en


def _load_with(tmp_path: Path, toml: str) -> MunicipalityConfig:
    override = tmp_path / "override.toml"
    override.write_text(toml, encoding="utf-8")
    return load_municipality(override)


def test_an_override_with_rules_replaces_the_whole_rules_list(tmp_path: Path) -> None:
    config = _load_with(
        tmp_path,
        '[[routing.rules]]\nid = "alles-politie"\nlead = "politie"\n',
    )
    assert [r.id for r in config.routing.rules] == ["alles-politie"]
    assert config.routing.fallback == "coordinator"


def test_an_override_of_a_partner_chat_id_keeps_the_rest_of_the_partner_and_the_rules(
    tmp_path: Path,
) -> None:
    shipped = load_municipality()
    config = _load_with(tmp_path, "[partners.brandweer]\nchat_id = -1005550001\n")
    brandweer = config.partner("brandweer")
    assert brandweer is not None and brandweer.chat_id == -1005550001
    assert brandweer.response_target("brandgevaar") == ResponseTarget.parse("2h")
    assert brandweer.name_nl == "Brandweer Twente"
    assert config.routing == shipped.routing


@pytest.mark.parametrize(
    ("toml", "key", "message"),
    [
        (
            '[[routing.rules]]\nid = "r1"\nlead = "brandweerr"\n',
            "routing.rules.r1.lead",
            "unknown partner 'brandweerr'",
        ),
        (
            '[[routing.rules]]\nid = "r1"\nlead = "politie"\ninform = ["gemeente"]\n',
            "routing.rules.r1.inform",
            "unknown partner 'gemeente'",
        ),
        (
            '[[routing.rules]]\nid = "r1"\ncategories = ["parkeren"]\nlead = "politie"\n',
            "routing.rules.r1.categories",
            "unknown category 'parkeren'",
        ),
        (
            '[[routing.rules]]\nid = "r1"\nhours = "22:00-4:00"\nlead = "politie"\n',
            "routing.rules.r1.hours",
            "not a time window",
        ),
        (
            '[[routing.rules]]\nid = "r1"\nwijken = ["WK016400"]\nlead = "politie"\n',
            "routing.rules.r1.wijken",
            "not in municipality GM0153",
        ),
        (
            '[[routing.rules]]\nid = "r1"\nbuurten = ["BU0153000"]\nlead = "politie"\n',
            "routing.rules.r1.buurten",
            "not a CBS buurt code",
        ),
        (
            '[[routing.rules]]\nid = "r1"\nlead = "politie"\n'
            '[[routing.rules]]\nid = "r1"\nlead = "ggd"\n',
            "routing.rules.r1",
            "defined twice",
        ),
        ('[routing]\nfallback = "niemand"\n', "routing.fallback", "unknown partner 'niemand'"),
        (
            '[partners.brandweer]\nresponse_targets = { brandgevaar = "2 uur" }\n',
            "partners.brandweer.response_targets.brandgevaar",
            "not a response target",
        ),
        (
            '[partners.ggd]\ndefault_response_target = "1week"\n',
            "partners.ggd.default_response_target",
            "not a response target",
        ),
        (
            '[partners.ggd]\nresponse_targets = { verwarde = "4h" }\n',
            "partners.ggd.response_targets.verwarde",
            "unknown category 'verwarde'",
        ),
        ("[partners.ggd]\ncaseworkers = [-5]\n", "partners.ggd.caseworkers.0", "greater than 0"),
        (
            '[partners.politie]\nlanguage = "Engels"\n',
            "partners.politie.language",
            "not a language code",
        ),
        ('[office]\nstart = "17:00"\nend = "08:30"\n', "office", "start must be before end"),
        ('[office]\nworkdays = ["maandag"]\n', "office.workdays.0", "Input should be"),
        ('[office]\nholidays = ["2026-02-30"]\n', "office.holidays.0", "date"),
        (
            '[office]\npublic_holidays = "XX"\n',
            "office.public_holidays",
            "not a country code",
        ),
        (
            '[office]\npublic_holiday_categories = ["schoolvakantie"]\n',
            "office.public_holiday_categories",
            "NL has no holiday category 'schoolvakantie'",
        ),
        (
            '[office]\npublic_holidays = "US"\n',
            "office.public_holiday_categories",
            "US has no holiday category 'optional'",
        ),
        (
            '[[closing_texts]]\nid = "leeg"\nnl = ""\nen = "Empty"\n',
            "closing_texts.leeg.nl",
            "at least 1 character",
        ),
    ],
)
def test_a_wrong_routing_partner_office_or_closing_key_is_named(
    tmp_path: Path, toml: str, key: str, message: str
) -> None:
    with pytest.raises(ConfigError) as caught:
        _load_with(tmp_path, toml)
    problems = caught.value.problems
    assert any(p.startswith(f"{key}:") and message in p for p in problems), problems


def test_the_link_code_is_optional_and_must_be_long_enough(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", "123456:ABC-def_ghi")
    monkeypatch.delenv("MELDBOT_LINK_CODE", raising=False)
    assert load_settings(env_file=None).link_code is None
    monkeypatch.setenv("MELDBOT_LINK_CODE", "")
    assert load_settings(env_file=None).link_code is None
    monkeypatch.setenv("MELDBOT_LINK_CODE", "kort")
    with pytest.raises(ConfigError, match=r"MELDBOT_LINK_CODE: .*at least 8 characters"):
        load_settings(env_file=None)
    monkeypatch.setenv("MELDBOT_LINK_CODE", "geheim-en-lang")
    assert load_settings(env_file=None).link_code == "geheim-en-lang"


def test_check_config_says_whether_a_link_code_is_set_but_never_shows_it(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", "987654:SECRETSECRET")
    monkeypatch.setenv("MELDBOT_LINK_CODE", "koppelcode-2026")
    assert main(["check-config"]) == 0
    out = capsys.readouterr().out
    assert "koppelcode-2026" not in out
    assert '"MELDBOT_LINK_CODE": "set"' in out
    assert '"fallback": "coordinator"' in out
    monkeypatch.delenv("MELDBOT_LINK_CODE")
    assert main(["check-config"]) == 0
    assert '"MELDBOT_LINK_CODE": "not set"' in capsys.readouterr().out


def write_override(tmp_path: Path, text: str) -> Path:
    """Write an override TOML file and return its path."""
    path = tmp_path / "override.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_texts_in_further_languages_are_read_from_keys_named_by_the_language(
    tmp_path: Path,
) -> None:
    config = load_municipality(
        write_override(
            tmp_path,
            '[categories.overig]\nname_de = "Sonstiges"\n[partners.politie]\nname_tr = "Polis"\n',
        )
    )
    other = config.category("overig")
    police = config.partner("politie")
    assert other is not None and police is not None
    assert other.name(Language("de")) == "Sonstiges"
    assert police.name(Language("tr")) == "Polis"
    assert police.name(Language("fr")) == police.name_nl  # no French name: Dutch


def test_a_tip_list_in_another_language_must_hold_as_many_tips_as_the_dutch_one(
    tmp_path: Path,
) -> None:
    with pytest.raises(ConfigError) as error:
        load_municipality(
            write_override(tmp_path, '[tips.overig]\nde = ["a", "b", "c", "d", "e", "f"]\n')
        )
    assert "tips.overig" in str(error.value) and "nl and de" in str(error.value)


def test_an_empty_translation_names_its_key(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as error:
        load_municipality(write_override(tmp_path, '[categories.overig]\nname_de = ""\n'))
    assert "categories.overig.name_de" in str(error.value)


def test_the_shipped_texts_are_translated_into_every_language_meldbot_speaks() -> None:
    config = load_municipality()
    assert {language.value: untranslated(config, language) for language in languages()} == {
        language.value: [] for language in languages()
    }


def test_check_config_lists_municipality_texts_that_fall_back_to_dutch(tmp_path: Path) -> None:
    override = write_override(
        tmp_path,
        '[[closing_texts]]\nid = "klaar"\nlabel = "Klaar"\nlabel_de = "Fertig"\n'
        'nl = "Opgelost."\nen = "Solved."\nde = "Gelöst."\n',
    )
    config = load_municipality(override)

    assert untranslated(config, Language("de")) == []
    assert untranslated(config, Language("pl")) == [
        "closing_texts.klaar.pl",
        "closing_texts.klaar.label_pl",
    ]


def test_a_partner_chat_reads_dutch_unless_the_partner_has_a_language(tmp_path: Path) -> None:
    config = load_municipality(write_override(tmp_path, '[partners.politie]\nlanguage = "en"\n'))
    assert config.partner_language("politie") == Language.EN
    assert config.partner_language("handhaving") == Language.NL
    assert config.partner_language("niemand") == Language.NL
    assert config.partner_language(None) == Language.NL
    check_languages(config, (Language.NL, Language.EN))


def test_a_partner_language_without_texts_is_a_configuration_error_naming_its_key(
    tmp_path: Path,
) -> None:
    config = load_municipality(write_override(tmp_path, '[partners.politie]\nlanguage = "xx"\n'))
    with pytest.raises(ConfigError) as caught:
        check_languages(config, (Language.NL, Language.EN))
    assert caught.value.problems == [
        "partners.politie.language: no texts in 'xx' (config/locale/xx.po)"
    ]


def test_the_bot_does_not_start_with_a_partner_language_without_texts(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", "987654:SECRETSECRET")
    override = write_override(tmp_path, '[partners.politie]\nlanguage = "xx"\n')
    monkeypatch.setenv("MELDBOT_CONFIG", str(override))
    assert main(["check-config"]) == 2
    assert "partners.politie.language: no texts in 'xx' (config/locale/xx.po)" in (
        capsys.readouterr().err
    )
    assert main(["run"]) == 2


def test_check_config_shows_each_partners_language(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", "987654:SECRETSECRET")
    override = write_override(tmp_path, '[partners.politie]\nlanguage = "en"\n')
    monkeypatch.setenv("MELDBOT_CONFIG", str(override))
    assert main(["check-config"]) == 0
    partners = {p["id"]: p for p in json.loads(capsys.readouterr().out)["partners"]}
    assert partners["politie"]["language"] == "en"
    assert partners["handhaving"]["language"] == "nl"


def test_a_closing_texts_button_is_shown_in_the_partner_chats_language_else_in_dutch(
    tmp_path: Path,
) -> None:
    solved = load_municipality().closing_text("opgelost")
    assert solved is not None
    assert solved.button(Language.NL) == solved.label == "Opgelost"
    assert solved.button(Language.EN) == "Solved"
    assert solved.button(Language("de")) == "Gelöst"
    assert solved.button(Language("fr")) == "Opgelost"  # no French label: Dutch
    with pytest.raises(ConfigError) as caught:
        load_municipality(
            write_override(
                tmp_path,
                '[[closing_texts]]\nid = "klaar"\nlabel = "Klaar"\nlabel_de = ""\n'
                'nl = "Klaar."\nen = "Done."\n',
            )
        )
    assert any(p.startswith("closing_texts.klaar.label_de:") for p in caught.value.problems)
