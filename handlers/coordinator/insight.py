"""The council statistics in the coordinator's chat: /stats (a picture and the key figures),
/rapport (the council report as an HTML file) and /export (the CSV and the GeoJSON).

Only the coordinator's own chat gets figures; anywhere else the command says so and shows
nothing. Each takes an optional period (`2026-01-01 2026-03-31`; one date runs to today; none is
the last full quarter) and an optional wijk. The figures are `compute_insight`'s, the same as
`meldbot report` and `meldbot export` show; drawing runs in a thread so nobody waits on it.
"""

from __future__ import annotations

import asyncio
import io
import json
import logging
import re
from datetime import datetime

from telegram import InputFile, Message, Update
from telegram.ext import ContextTypes

from council.maps import load_maps
from council.picture import stats_picture
from council.report import render_report
from council.words import ReportLanguage
from council.writing import Writer
from handlers.coordinator.overview import refuse
from handlers.coordinator.views import coordinator_language
from handlers.services import Services, services
from handlers.texts import T, t
from reports.insight import Insight, Period, PeriodError
from reports.models import Language
from reports.panel import PanelFigures
from services.coordination import is_coordinator_chat
from services.exports import buurten_geojson, write_csv
from services.insight import UnknownWijk, compute_insight, quick_insight
from services.monthly_report import claim_monthly_report, release_monthly_report

log = logging.getLogger(__name__)

_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
MAX_ARGUMENT = 80


def report_language(language: Language) -> ReportLanguage:
    """The report exists in Dutch and English: English for English chats, Dutch otherwise."""
    return "en" if language == Language.EN else "nl"


def parse_request(args: list[str], today: datetime) -> tuple[Period, str | None]:
    """Read `[from [to]] [wijk]` from a command's words; PeriodError for a bad period."""
    days = [word for word in args if _DAY.match(word)]
    rest = " ".join(word for word in args if not _DAY.match(word)).strip()[:MAX_ARGUMENT]
    if len(days) > 2:
        raise PeriodError("at most two dates")
    start = days[0] if days else None
    end = days[1] if len(days) == 2 else None
    return Period.parse(start, end, today.date()), rest or None


async def _insight(
    update: Update, context: ContextTypes.DEFAULT_TYPE, *, quick: bool = False
) -> tuple[Message, Services, Insight] | None:
    """Check the chat and the words, compute the figures; answer and return None on a refusal."""
    message, chat = update.effective_message, update.effective_chat
    if message is None or chat is None:
        return None
    svc = services(context)
    if not await is_coordinator_chat(svc, chat.id):
        await refuse(svc, message, chat, update.effective_user)
        return None
    lang = coordinator_language(svc)
    try:
        period, wijk = parse_request(
            context.args or [], svc.clock.now().astimezone(svc.config.municipality.zone)
        )
    except PeriodError:
        await message.reply_html(t(T.P_INSIGHT_USAGE, lang))
        return None
    try:
        insight = await (quick_insight if quick else compute_insight)(svc, period, wijk)
    except UnknownWijk:
        wijken = ", ".join(w.short_name for w in svc.locations.neighbourhoods.wijken())
        await message.reply_html(t(T.P_INSIGHT_UNKNOWN_WIJK, lang, wijk=wijk or "", wijken=wijken))
        return None
    return message, svc, insight


def _scope(svc: Services, insight: Insight) -> str:
    if insight.wijk is None:
        return svc.config.municipality.name
    return next((w.name for w in insight.wijken if w.code == insight.wijk), insight.wijk)


async def show_stats(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Answer /stats with the map picture and the key figures (the quick figures)."""
    found = await _insight(update, context, quick=True)
    if found is None:
        return
    message, svc, insight = found
    lang = coordinator_language(svc)
    language = report_language(lang)
    write = Writer(language)
    scope = _scope(svc, insight)
    buurten, wijken = load_maps(svc.config.neighbourhoods.buurten)
    picture = await asyncio.to_thread(stats_picture, insight, language, scope, buurten, wijken)
    head = insight.headline
    safety = insight.wijken[0].safety if insight.wijk else insight.city_safety
    caption = t(
        T.P_INSIGHT_STATS,
        lang,
        scope=scope,
        period=write.period(insight.period),
        reports=head.reports,
        previous=insight.previous.reports,
        resolved=head.resolved,
        open=head.open,
        safety=write.safety(safety)[0],
    )
    if insight.panel is not None:
        caption += "\n" + panel_line(write, insight.panel, lang, insight.wijk)
    await message.reply_photo(
        InputFile(io.BytesIO(picture), filename="meldbot-stats.png"),
        caption=caption,
        parse_mode="HTML",
    )


def panel_line(
    write: Writer, figures: PanelFigures, language: Language, wijk: str | None = None
) -> str:
    """Return the /stats line of the neighbourhood panel, beside the reporters' survey line:
    the wijk's share for a wijk's statistics (not weighted: one wijk), else the city's."""
    local = next((w for w in figures.wijken if w.code == wijk), None)
    measure = local.safety if local is not None else figures.city
    share, interval, _ = write.safety(measure)
    if measure.share is not None:
        share = f"{share} ({interval})"
    weighted = figures.weighted if local is None else None
    return t(
        T.P_INSIGHT_PANEL,
        language,
        round=figures.round.label,
        share=share,
        answers=measure.answers,
        weighted=write.percent(weighted.share) if weighted else write("none"),
    )


async def send_report(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Answer /rapport with the council report of the period as an HTML file."""
    found = await _insight(update, context)
    if found is None:
        return
    message, svc, insight = found
    lang = coordinator_language(svc)
    language = report_language(lang)
    buurten, wijken = load_maps(svc.config.neighbourhoods.buurten)
    html = await asyncio.to_thread(render_report, insight, svc.config, language, buurten, wijken)
    write = Writer(language)
    await message.reply_document(
        InputFile(
            io.BytesIO(html.encode("utf-8")),
            filename=f"meldbot-rapport-{insight.period.slug()}.html",
        ),
        caption=t(
            T.P_INSIGHT_REPORT,
            lang,
            period=write.period(insight.period),
            reports=insight.headline.reports,
        ),
        parse_mode="HTML",
    )


async def send_exports(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Answer /export with the period's CSV and per-buurt GeoJSON as files."""
    found = await _insight(update, context)
    if found is None:
        return
    message, svc, insight = found
    lang = coordinator_language(svc)
    write = Writer(report_language(lang))
    period, wijk = insight.period, insight.wijk
    table = io.StringIO(newline="")
    await write_csv(svc, period, table, wijk)
    collection = await buurten_geojson(svc, period, wijk=wijk)
    shown = write.period(period)
    await message.reply_document(
        InputFile(
            io.BytesIO(table.getvalue().encode("utf-8")),
            filename=f"meldbot-meldingen-{period.slug()}.csv",
        ),
        caption=t(T.P_INSIGHT_CSV, lang, period=shown),
        parse_mode="HTML",
    )
    geojson = json.dumps(collection, ensure_ascii=False).encode("utf-8")
    await message.reply_document(
        InputFile(io.BytesIO(geojson), filename=f"meldbot-buurten-{period.slug()}.geojson"),
        caption=t(T.P_INSIGHT_GEOJSON, lang, period=shown),
        parse_mode="HTML",
    )


async def post_monthly_report(context: ContextTypes.DEFAULT_TYPE) -> None:
    """Post last month's council report to the coordinator's chat once, when `[insight]
    monthly_report` is on (a frequent job; the claim in the database makes it once)."""
    svc = services(context)
    post = await claim_monthly_report(svc)
    if post is None:
        return
    try:
        insight = await compute_insight(svc, post.period)
        language = report_language(post.language)
        buurten, wijken = load_maps(svc.config.neighbourhoods.buurten)
        html = await asyncio.to_thread(
            render_report, insight, svc.config, language, buurten, wijken
        )
        caption = t(
            T.P_INSIGHT_REPORT,
            post.language,
            period=Writer(language).period(post.period),
            reports=insight.headline.reports,
        )
        await context.bot.send_document(
            post.chat_id,
            InputFile(
                io.BytesIO(html.encode("utf-8")), filename=f"meldbot-rapport-{post.month}.html"
            ),
            caption=caption,
            parse_mode="HTML",
        )
    except Exception:
        log.exception("posting the monthly report of %s failed; trying again later", post.month)
        await release_monthly_report(svc, post)
        return
    log.info("posted the monthly report of %s to the coordinator group", post.month)
