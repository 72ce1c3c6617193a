"""Run `meldbot report`: the council report of a period as one self-contained HTML file.

Like `meldbot export` it reads the database beside a running bot (WAL mode, short reads) and
never creates one. Default period: the last full quarter; default file:
`meldbot-rapport-<from>_<to>.html` in the working directory.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from datetime import datetime
from pathlib import Path
from typing import Any

from bot.export_cli import offline_services
from bot.failures import ExitCode
from config.municipality import MunicipalityConfig
from config.settings import Settings
from council.maps import load_maps
from council.report import render_report
from council.words import ReportLanguage
from reports.insight import Insight, Period, PeriodError
from services.insight import UnknownWijk, compute_insight
from storage.database import Database, SchemaTooNewError


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Add the option only `meldbot report` has (it shares --from, --to, --out and --wijk)."""
    group = parser.add_argument_group("council report (meldbot report)")
    group.add_argument(
        "--lang", choices=("nl", "en"), default=None, help="the report's language (default nl)"
    )


def used(args: argparse.Namespace) -> bool:
    """Return whether the report's own option was given."""
    return args.lang is not None


def maps(config: MunicipalityConfig) -> tuple[dict[str, Any], dict[str, Any] | None]:
    """Return the buurten and (when shipped beside them) wijken GeoJSON the maps are drawn from."""
    return load_maps(config.neighbourhoods.buurten)


def write_report(
    insight: Insight, config: MunicipalityConfig, language: ReportLanguage, out: Path
) -> None:
    """Render the report and write it to `out`."""
    buurten, wijken = maps(config)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(render_report(insight, config, language, buurten, wijken), encoding="utf-8")


def report(args: argparse.Namespace, settings: Settings, config: MunicipalityConfig) -> int:
    """Write the report the options ask for; return the exit code."""
    try:
        period = Period.parse(args.start, args.end, datetime.now(config.municipality.zone).date())
    except PeriodError as exc:
        print(f"meldbot report: {exc}", file=sys.stderr)
        return ExitCode.CONFIGURATION
    if not settings.meldbot_db.is_file():
        print(f"meldbot report: no database at {settings.meldbot_db}", file=sys.stderr)
        return ExitCode.DATABASE_UNWRITABLE
    language: ReportLanguage = "en" if args.lang == "en" else "nl"
    out = args.out or Path(f"meldbot-rapport-{period.slug()}.html")
    try:
        insight = asyncio.run(_insight(settings, config, period, args.wijk))
    except SchemaTooNewError as exc:
        print(f"meldbot report: {exc}", file=sys.stderr)
        return ExitCode.DATABASE_TOO_NEW
    except UnknownWijk as exc:
        print(f"meldbot report: {exc}", file=sys.stderr)
        return ExitCode.CONFIGURATION
    write_report(insight, config, language, out)
    note = "no reports in this period" if insight.empty else f"{insight.headline.reports} reports"
    print(f"meldbot report: {out} ({period.label()}: {note})", file=sys.stderr)
    return ExitCode.OK


async def _insight(
    settings: Settings, config: MunicipalityConfig, period: Period, wijk: str | None
) -> Insight:
    async with await Database.open(settings.meldbot_db) as database:
        return await compute_insight(offline_services(config, database), period, wijk)
