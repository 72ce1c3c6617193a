"""The [schedule] table accepts seconds or ISO 8601 durations and names what is wrong."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from pathlib import Path

import pytest

from config.errors import ConfigError
from config.loading import load_municipality
from reports.schedule import Duration, QuietHours


def override(tmp_path: Path, body: str) -> Path:
    """Write a [schedule] override and return its path."""
    path = tmp_path / "schedule.toml"
    path.write_text("[schedule]\n" + body, encoding="utf-8")
    return path


def test_the_shipped_schedule_has_the_documented_defaults() -> None:
    schedule = load_municipality().schedule
    assert schedule.followup_after == Duration(days=3)
    assert schedule.followup_repeat == Duration(days=7)
    assert schedule.followup_max == 3
    assert schedule.survey_after_resolution == Duration(days=1)
    assert schedule.survey_window == Duration(days=14)
    assert schedule.tips_after_report == Duration(hours=2)
    assert schedule.digest_every == Duration(months=1)
    assert schedule.quiet_hours == QuietHours(time(21, 0), time(9, 0))
    assert schedule.grace == Duration(days=2)
    assert schedule.tick == Duration(seconds=30)


def test_seconds_and_durations_can_be_mixed_and_quiet_hours_turned_off(tmp_path: Path) -> None:
    path = override(tmp_path, 'followup_after = 90\ntick = "PT0.5S"\nquiet_hours = ""\n')
    schedule = load_municipality(path).schedule
    assert schedule.followup_after.elapsed() == timedelta(seconds=90)
    assert schedule.tick.approximate() == timedelta(seconds=0.5)
    assert schedule.quiet_hours is None
    assert schedule.grace == Duration(days=2)


def test_the_schedule_prints_back_as_iso_texts() -> None:
    dumped = load_municipality().model_dump(mode="json")["schedule"]
    assert dumped["followup_after"] == "P3D" and dumped["tick"] == "PT30S"
    assert dumped["quiet_hours"] == "21:00-09:00" and dumped["digest_every"] == "P1M"


@pytest.mark.parametrize(
    ("body", "key"),
    [
        ('followup_after = "3 days"\n', "schedule.followup_after"),
        ('grace = "PT0S"\n', "schedule.grace"),
        ('tick = "P1D"\n', "schedule.tick"),
        ("tick = 0\n", "schedule.tick"),
        ('quiet_hours = "21-9"\n', "schedule.quiet_hours"),
        ("quiet_hours = 21\n", "schedule.quiet_hours"),
        ("followup_max = -1\n", "schedule.followup_max"),
        ("survey_later = 5\n", "schedule.survey_later"),
    ],
)
def test_a_wrong_value_stops_the_bot_naming_its_key(tmp_path: Path, body: str, key: str) -> None:
    with pytest.raises(ConfigError, match=key.replace(".", r"\.")):
        load_municipality(override(tmp_path, body))


def test_the_policies_follow_the_schedule(tmp_path: Path) -> None:
    config = load_municipality(override(tmp_path, 'followup_after = "PT1H"\n'))
    policy = config.schedule.followup_policy(config.municipality.zone)
    noon = datetime(2026, 6, 1, 10, 0, tzinfo=UTC)
    assert policy.first_due(noon) == noon + timedelta(hours=1)
    evening = datetime(2026, 6, 1, 19, 30, tzinfo=UTC)  # 21:30 summer time
    assert policy.first_due(evening) == datetime(2026, 6, 2, 7, 0, tzinfo=UTC)
