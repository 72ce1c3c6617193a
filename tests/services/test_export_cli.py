"""`meldbot export` writes the CSV, GeoJSON and open data of a period, and refuses bad input."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import pytest

from bot.__main__ import main
from bot.failures import ExitCode
from storage.database import Database
from tests.services.insight_fixture import build


@pytest.fixture
def database_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Return the hand-computed database on disk, with the environment `meldbot` reads."""
    path = tmp_path / "meldbot.sqlite3"

    async def fill() -> None:
        async with await Database.open(path) as database:
            await build(database)

    asyncio.run(fill())
    override = tmp_path / "meldbot.toml"
    override.write_text('[geocoder]\nprovider = "none"\n', encoding="utf-8")
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", "123456:ABC-def_ghi")
    monkeypatch.setenv("MELDBOT_DB", str(path))
    monkeypatch.setenv("MELDBOT_CONFIG", str(override))
    monkeypatch.chdir(tmp_path)
    return path


def test_from_after_to_is_refused(database_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["export", "--from", "2026-03-01", "--to", "2026-02-01"])
    assert code == ExitCode.CONFIGURATION
    assert "--from 2026-03-01 is after --to 2026-02-01" in capsys.readouterr().err


def test_export_options_belong_to_export(database_file: Path) -> None:
    with pytest.raises(SystemExit):
        main(["check-config", "--open-data"])


def test_csv_to_stdout_and_geojson_and_open_data_to_files(
    database_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["export", "--from", "2026-01-01", "--to", "2026-03-31"]) == ExitCode.OK
    out = capsys.readouterr()
    assert out.out.startswith("\ufeffreference;category;") and out.out.count("\r\n") == 5
    assert "4 reports" in out.err
    target = tmp_path / "buurten.geojson"
    args = ["export", "--format", "geojson", "--from", "2026-01-01", "--to", "2026-03-31"]
    assert main([*args, "--out", str(target)]) == ExitCode.OK
    assert len(json.loads(target.read_text(encoding="utf-8"))["features"]) == 70
    folder = tmp_path / "open"
    assert main(["export", "--open-data", "--from", "2026-01-01", "--out", str(folder)]) == 0
    assert {p.name for p in folder.iterdir()} >= {"README.md", "LICENSE.txt"}


def test_a_missing_database_is_not_created(
    database_file: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("MELDBOT_DB", str(tmp_path / "none.sqlite3"))
    assert main(["export"]) == ExitCode.DATABASE_UNWRITABLE
    assert not (tmp_path / "none.sqlite3").exists()
