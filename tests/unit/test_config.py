"""Settings and the municipality configuration load, merge and fail with named keys."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.__main__ import main
from config.errors import ConfigError
from config.municipality import load_municipality
from config.settings import file_base_url, load_settings

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


def test_check_config_fails_with_a_message_when_the_token_is_missing(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("TELEGRAM_BOT_TOKEN", raising=False)
    assert main(["check-config"]) == 2
    assert "@BotFather" in capsys.readouterr().err
