"""The [retention] table has Signalen's periods by default and refuses periods that cannot work."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bot.__main__ import main
from config.errors import ConfigError
from config.loading import load_municipality
from reports.retention import RetentionRule
from reports.schedule import Duration


def override(tmp_path: Path, body: str) -> Path:
    """Write a [retention] override and return its path."""
    path = tmp_path / "retention.toml"
    path.write_text("[retention]\n" + body, encoding="utf-8")
    return path


def test_the_shipped_periods_are_signalens_and_the_archiefwet_practice() -> None:
    retention = load_municipality().retention
    assert retention.resident_ids_after == Duration(days=365)
    assert retention.cancelled_reports_after == Duration(years=1)
    assert retention.resolved_reports_after == Duration(years=5)
    assert retention.outbox_after == Duration(days=30)
    assert retention.inbox_after == Duration(days=7)
    assert [retention.period(rule) for rule in RetentionRule] == [
        Duration(days=365),
        Duration(years=1),
        Duration(years=5),
        Duration(days=30),
        Duration(days=7),
    ]


def test_a_period_may_be_seconds_or_a_duration_and_the_rest_keeps_its_default(
    tmp_path: Path,
) -> None:
    path = override(tmp_path, 'resident_ids_after = "P6M"\noutbox_after = 86400\n')
    retention = load_municipality(path).retention
    assert retention.resident_ids_after == Duration(months=6)
    assert retention.outbox_after == Duration(seconds=86400)
    assert retention.resolved_reports_after == Duration(years=5)


@pytest.mark.parametrize(
    ("body", "problem"),
    [
        ('resolved_reports_after = "5 years"\n', r"retention\.resolved_reports_after: .*ISO 8601"),
        ('cancelled_reports_after = "P0D"\n', r"retention\.cancelled_reports_after: .*one day"),
        ('outbox_after = "PT23H"\n', r"retention\.outbox_after: .*at least one day"),
        ("outbox_after = 60\n", r"retention\.outbox_after: .*at least one day"),
        ("resident_ids_after = -1\n", r"retention\.resident_ids_after: .*-1"),
        ("resident_ids_after = true\n", r"retention\.resident_ids_after: .*bool"),
        ('resident_ids_after = "P6Y"\n', r"retention: .*not be longer than resolved_reports"),
        ('keep_drafts = "P1D"\n', r"retention\.keep_drafts: Extra inputs"),
    ],
)
def test_a_wrong_period_stops_the_bot_naming_its_key(
    tmp_path: Path, body: str, problem: str
) -> None:
    with pytest.raises(ConfigError, match=problem):
        load_municipality(override(tmp_path, body))


def test_check_config_shows_every_retention_period(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", "987654:SECRETSECRET")
    monkeypatch.setenv("MELDBOT_CONFIG", str(override(tmp_path, 'outbox_after = "P2M"\n')))
    assert main(["check-config"]) == 0
    printed = json.loads(capsys.readouterr().out)
    shown = printed["retention"]
    assert list(shown) == [rule.value for rule in RetentionRule]
    assert shown["resident_ids"].startswith("P365D after a report became resolved or cancelled")
    assert shown["cancelled_reports"].startswith("P1Y ")
    assert shown["resolved_reports"].startswith("P5Y ")
    assert shown["outbox"].startswith("P2M ")
    assert printed["municipality"]["retention"]["outbox_after"] == "P2M"
