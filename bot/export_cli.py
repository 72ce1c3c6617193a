"""Run `meldbot export`: the CSV, the GeoJSON or the open data of a period, beside a running bot.

The export opens the database without starting the bot and without taking the instance lock:
SQLite in WAL mode lets it read while the bot writes, and it reads in short pages. It never
creates a database: a missing file is an error.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import zipfile
from datetime import datetime
from pathlib import Path

from bot.app import build_resolver
from bot.failures import ExitCode
from config.municipality import MunicipalityConfig
from config.settings import Settings
from handlers.messages import TelegramMessages
from handlers.texts import languages
from reports.clock import SystemClock
from reports.insight import Period, PeriodError
from services.container import Services
from services.exports import buurten_geojson, check_grid, write_csv
from services.insight import UnknownWijk
from services.open_data import OpenData, open_data
from storage.database import Database, SchemaTooNewError


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Add the options of `meldbot export` to the command line."""
    group = parser.add_argument_group("export (meldbot export)")
    group.add_argument("--format", choices=("csv", "geojson"), default="csv")
    group.add_argument("--open-data", action="store_true", help="per-buurt open data, suppressed")
    group.add_argument("--from", dest="start", metavar="YYYY-MM-DD", help="first day (local)")
    group.add_argument("--to", dest="end", metavar="YYYY-MM-DD", help="last day (local)")
    group.add_argument("--out", type=Path, help="file (or directory / .zip for --open-data)")
    group.add_argument("--wijk", help="limit to one wijk (code or name)")
    group.add_argument("--pins-grid", type=int, metavar="METRES", help="GeoJSON: rounded pins")


def used(args: argparse.Namespace) -> bool:
    """Return whether any export option was given (they belong to `export` only)."""
    return bool(
        args.open_data or args.start or args.end or args.out or args.wijk or args.pins_grid
    ) or (args.format != "csv")


def only_export(args: argparse.Namespace) -> bool:
    """Return whether an option only `meldbot export` takes was given."""
    return bool(args.open_data or args.pins_grid) or args.format != "csv"


def export(args: argparse.Namespace, settings: Settings, config: MunicipalityConfig) -> int:
    """Write the export the options ask for; return the exit code."""
    try:
        period = Period.parse(args.start, args.end, datetime.now(config.municipality.zone).date())
        grid = check_grid(
            args.pins_grid if args.pins_grid is not None else config.insight.pins_grid_m
        )
    except (PeriodError, ValueError) as exc:
        print(f"meldbot export: {exc}", file=sys.stderr)
        return ExitCode.CONFIGURATION
    if not settings.meldbot_db.is_file():
        print(f"meldbot export: no database at {settings.meldbot_db}", file=sys.stderr)
        return ExitCode.DATABASE_UNWRITABLE
    try:
        return asyncio.run(_export(args, settings, config, period, grid))
    except SchemaTooNewError as exc:
        print(f"meldbot export: {exc}", file=sys.stderr)
        return ExitCode.DATABASE_TOO_NEW
    except UnknownWijk as exc:
        print(f"meldbot export: {exc}", file=sys.stderr)
        return ExitCode.CONFIGURATION


async def _export(
    args: argparse.Namespace,
    settings: Settings,
    config: MunicipalityConfig,
    period: Period,
    grid: int | None,
) -> int:
    async with await Database.open(settings.meldbot_db) as database:
        svc = offline_services(config, database)
        if args.open_data:
            _write_open_data(await open_data(svc, period), args.out)
            return ExitCode.OK
        if args.format == "geojson":
            collection = await buurten_geojson(svc, period, wijk=args.wijk, pins_grid=grid)
            _write(json.dumps(collection, ensure_ascii=False), args.out)
            return ExitCode.OK
        if args.out is None:
            count = await write_csv(svc, period, sys.stdout, args.wijk)
        else:
            args.out.parent.mkdir(parents=True, exist_ok=True)
            with args.out.open("w", encoding="utf-8", newline="") as file:
                count = await write_csv(svc, period, file, args.wijk)
        print(f"meldbot export: {count} reports, {period.label()}", file=sys.stderr)
        return ExitCode.OK


def offline_services(config: MunicipalityConfig, database: Database) -> Services:
    """The use cases for a command beside the bot: real time, no Telegram, nothing to wake."""
    return Services.create(
        config,
        database,
        clock=SystemClock(),
        messages=TelegramMessages(config),
        locations=build_resolver(config)[0],
        wake=lambda: None,
        languages=languages(),
    )


def _write(text: str, out: Path | None) -> None:
    if out is None:
        sys.stdout.write(text)
        sys.stdout.flush()
        return
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(text, encoding="utf-8")


def _write_open_data(release: OpenData, out: Path | None) -> None:
    files = release.files()
    if out is not None and out.suffix == ".zip":
        out.parent.mkdir(parents=True, exist_ok=True)
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
            for name, content in files.items():
                archive.writestr(name, content)
        return
    folder = out or Path(release.name.removesuffix(".csv"))
    folder.mkdir(parents=True, exist_ok=True)
    for name, content in files.items():
        (folder / name).write_text(content, encoding="utf-8", newline="")
