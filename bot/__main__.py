"""Run Meldbot (`python -m bot`, `meldbot`) or check its configuration (`check-config`)."""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import signal
import sys
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from bot import logs
from bot.app import Meldbot
from config.errors import ConfigError
from config.loading import load_municipality, untranslated
from config.municipality import MunicipalityConfig, Office
from config.settings import Settings, load_settings
from handlers.texts import languages, load_texts


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
        },
        "municipality": config.model_dump(mode="json"),
        "partners": [{"id": p.id, "chat_id": p.chat_id} for p in config.partners],
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


async def _run(settings: Settings, config: MunicipalityConfig) -> None:
    meldbot = await Meldbot.create(settings, config)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    try:
        await meldbot.start()
        await stop.wait()
    finally:
        await meldbot.stop()


def main(argv: Sequence[str] | None = None) -> int:
    """Parse the command line and run the chosen command."""
    parser = argparse.ArgumentParser(prog="meldbot", description=__doc__)
    parser.add_argument(
        "command",
        nargs="?",
        default="run",
        choices=("run", "check-config"),
        help="run the bot with long polling (default) or print the resolved configuration",
    )
    args = parser.parse_args(argv)
    # Durations from python-telegram-bot as timedeltas (its future default; silences a warning).
    os.environ.setdefault("PTB_TIMEDELTA", "true")
    try:
        settings = load_settings()
        config = load_municipality(settings.meldbot_config)
        load_texts()
    except ConfigError as exc:
        print(exc, file=sys.stderr)
        return 2
    if args.command == "check-config":
        print(json.dumps(resolved_config(settings, config), indent=2, ensure_ascii=False))
        return 0
    logs.configure(settings.token)
    asyncio.run(_run(settings, config))
    return 0


if __name__ == "__main__":
    sys.exit(main())
