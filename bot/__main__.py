"""Run Meldbot (`python -m bot`, `meldbot`), try it without Telegram (`sandbox`), check its
configuration (`check-config`), export its statistics (`export`) or write the council report
(`report`)."""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
import traceback
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

from dotenv import dotenv_values

from bot import export_cli, logs, report_cli, sandbox_cli
from bot.failures import ExitCode, Failure
from bot.lifecycle import serve
from bot.logs import Redactor, summary
from config.errors import BaseUrlError, ConfigError
from config.loading import check_languages, load_municipality, untranslated
from config.municipality import MunicipalityConfig, Office
from config.settings import Settings, load_settings
from handlers.texts import languages, load_texts
from services.readiness import readiness

_READINESS_NOTE = (
    "from the configured chat ids only: groups linked at run time with /koppel are stored in"
    " the database, which check-config does not open; start-up logs the readiness with them"
)


def resolved_config(settings: Settings, config: MunicipalityConfig) -> dict[str, Any]:
    """Return the configuration as JSON-ready data; the token masked, the link code hidden."""
    token = settings.token
    bot_id = token.split(":", 1)[0]
    return {
        "settings": {
            "TELEGRAM_BOT_TOKEN": f"{bot_id}:***",
            "TELEGRAM_API_BASE_URL": settings.telegram_api_base_url,
            "file_base_url": settings.file_base_url,
            "MELDBOT_DB": str(settings.meldbot_db),
            "MELDBOT_CONFIG": str(settings.meldbot_config) if settings.meldbot_config else None,
            "MELDBOT_LINK_CODE": "set" if settings.link_code else "not set",
            "MELDBOT_WEBHOOK_URL": settings.meldbot_webhook_url,
            "MELDBOT_WEBHOOK_SECRET": "set" if settings.meldbot_webhook_secret else "not set",
            "MELDBOT_WEBHOOK_LISTEN": settings.meldbot_webhook_listen,
        },
        "municipality": config.model_dump(mode="json"),
        "partners": [
            {"id": p.id, "chat_id": p.chat_id, "language": p.language.value}
            for p in config.partners
        ],
        "readiness": readiness(config, {}).describe() | {"note": _READINESS_NOTE},
        "retention": config.retention.describe(),
        "public_holidays": _public_holidays(config.office, datetime.now(config.municipality.zone)),
        "languages": [language.value for language in languages()],
        "translations": {
            language.value: {
                "falls_back_to_dutch": untranslated(config, language),
            }
            for language in languages()
            if untranslated(config, language)
        },
    }


def _public_holidays(office: Office, now: datetime) -> dict[str, Any]:
    """Return where the public holidays come from, with those of this year and the next."""
    provider = office.public_holiday_calendar()
    if provider is None:
        return {"source": "none"}
    years = (now.year, now.year + 1)
    return {
        "source": provider.source(),
        **{
            str(year): {day.isoformat(): name for day, name in provider.of_year(year).items()}
            for year in years
        },
    }


def main(argv: Sequence[str] | None = None) -> int:
    """Parse the command line, run the chosen command and return the exit code.

    Every failure ends in one line on stderr and an exit code of its own (README lists them);
    `--debug` adds the traceback. The token is masked in everything printed meanwhile.
    """
    parser = argparse.ArgumentParser(prog="meldbot", description=__doc__)
    parser.add_argument(
        "command",
        nargs="?",
        default="run",
        choices=("run", "sandbox", "check-config", "export", "report"),
        help="run the bot with long polling (default); try it in the browser without Telegram"
        " or a token (sandbox); print the resolved configuration; export the reports of a"
        " period (CSV, GeoJSON, open data); or write the council report of a period (HTML)",
    )
    parser.add_argument(
        "--debug", action="store_true", help="show the traceback of a failure (token masked)"
    )
    export_cli.add_arguments(parser)
    report_cli.add_arguments(parser)
    sandbox_cli.add_arguments(parser)
    args = parser.parse_args(argv)
    if args.command == "report" and export_cli.only_export(args):
        parser.error("--format, --open-data and --pins-grid belong to `meldbot export`")
    if args.command not in ("export", "report") and export_cli.used(args):
        parser.error("the export options belong to `meldbot export`")
    if args.command != "report" and report_cli.used(args):
        parser.error("--lang belongs to `meldbot report`")
    if args.command != "sandbox" and sandbox_cli.used(args):
        parser.error("the sandbox options belong to `meldbot sandbox`")
    # Durations from python-telegram-bot as timedeltas (its future default; silences a warning).
    os.environ.setdefault("PTB_TIMEDELTA", "true")
    redactor = Redactor(os.environ.get("TELEGRAM_BOT_TOKEN"), _dotenv_token())
    with redactor.installed():
        try:
            if args.command == "sandbox":
                return sandbox_cli.command(args, redactor, debug=args.debug)
            return _command(args, redactor, debug=args.debug)
        except KeyboardInterrupt:
            return 130
        except Exception as error:
            if args.debug:
                traceback.print_exc()
            print(
                f"Meldbot cannot start: unexpected error: {summary(error)}. "
                "Run `meldbot --debug` to see the traceback.",
                file=sys.stderr,
            )
            return ExitCode.UNEXPECTED


def _command(args: argparse.Namespace, redactor: Redactor, *, debug: bool) -> int:
    """Load the configuration, then check it, export or run the bot."""
    command = args.command
    try:
        settings = load_settings()
        redactor.protect(settings.token)
        redactor.protect(settings.link_code)
        if settings.webhook is not None:
            redactor.protect(settings.webhook.secret)
        config = load_municipality(settings.meldbot_config)
        load_texts()
        check_languages(config, languages())
    except BaseUrlError as exc:
        print(f"Meldbot cannot start: {exc.line()}", file=sys.stderr)
        return ExitCode.BASE_URL
    except ConfigError as exc:
        print(exc, file=sys.stderr)
        return ExitCode.CONFIGURATION
    if command == "check-config":
        print(json.dumps(resolved_config(settings, config), indent=2, ensure_ascii=False))
        return ExitCode.OK
    if command == "export":
        return export_cli.export(args, settings, config)
    if command == "report":
        return report_cli.report(args, settings, config)
    logs.configure(redactor, debug=debug)
    try:
        asyncio.run(serve(settings, config))
    except Failure as failure:
        if debug and failure.__cause__ is not None:
            traceback.print_exception(failure.__cause__)
        print(failure.line(), file=sys.stderr)
        return failure.code
    return ExitCode.OK


def _dotenv_token() -> str | None:
    """Return the token a .env file in the working directory holds, to mask it from the start."""
    try:
        value = dotenv_values(Path(".env")).get("TELEGRAM_BOT_TOKEN")
    except (OSError, UnicodeDecodeError):
        return None
    return value or None


if __name__ == "__main__":
    sys.exit(main())
