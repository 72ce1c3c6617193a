"""Write the council report: one self-contained HTML file from one period's `Insight`.

No script, no web font, no tile, no link to load: the maps and charts are inline SVG, the style
is inline CSS, and the page prints on A4. Every figure comes from `Insight` (services/insight.py
computes it once for the report, /stats and the exports); this module only lays it out.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from html import escape
from typing import Any
from zoneinfo import ZoneInfo

from config.municipality import MunicipalityConfig
from council.charts import NO_DATA_PATTERN, bar_chart, legend, nice_classes, share_classes
from council.charts import trend_chart as draw_trend
from council.panel_section import panel_section
from council.style import STYLE
from council.tables import table as _table
from council.words import ReportLanguage, definitions
from council.writing import Writer
from reports.insight import SAFETY_TARGET, Insight
from reports.map_svg import draw_map
from reports.models import Language


def render_report(
    insight: Insight,
    config: MunicipalityConfig,
    language: ReportLanguage,
    buurten: Mapping[str, Any],
    wijken: Mapping[str, Any] | None,
) -> str:
    """Return the whole report as one HTML document."""
    w = Writer(language)
    zone: ZoneInfo = config.municipality.zone
    name = config.municipality.name
    moment = insight.generated_at.astimezone(zone)
    previous = w.period(insight.period.previous())
    sections = [
        f"<header><h1>{w('title', municipality=name)}</h1>"
        f"<p class='sub'>{w('subtitle', period=w.period(insight.period))}</p>"
        f"<p class='meta'>{w('generated', moment=_moment(w, moment), previous=previous)}"
        + (f" {w('scope_wijk', wijk=_wijk_name(insight))}" if insight.wijk else "")
        + "</p></header>",
        _headline(w, insight),
        _safety(w, insight, buurten, wijken),
        panel_section(w, insight),
        _rates(w, insight, config, buurten, wijken),
        _counts(w, insight, config),
        _partners(w, insight, config),
        _satisfaction(w, insight, config),
        _trend(w, insight),
        _hotspots(w, insight, config),
        _definitions(w),
    ]
    return (
        f'<!doctype html><html lang="{language}"><head><meta charset="utf-8">'
        f'<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{w('title', municipality=name)} — {escape(w.period(insight.period))}</title>"
        f"<style>{STYLE}</style></head><body>{''.join(sections)}</body></html>"
    )


def _moment(w: Writer, moment: datetime) -> str:
    return f"{w.day(moment.date())} {moment:%H:%M}"


def _wijk_name(insight: Insight) -> str:
    return next((f.name for f in insight.wijken if f.code == insight.wijk), insight.wijk or "")


def _headline(w: Writer, insight: Insight) -> str:
    now, before = insight.headline, insight.previous
    if now.empty:
        return f"<section><h2>{w('headline')}</h2><p class='empty'>{w('empty')}</p></section>"

    rows = [
        (
            w("reports"),
            w.number(now.reports),
            w.number(before.reports),
            w.change(now.reports, before.reports),
        ),
        (
            w("residents"),
            w.number(now.residents),
            w.number(before.residents),
            w.change(now.residents, before.residents),
        ),
        (
            w("resolved"),
            w.number(now.resolved),
            w.number(before.resolved),
            w.change(now.resolved, before.resolved),
        ),
        (w("open"), w.number(now.open), w.number(before.open), w.change(now.open, before.open)),
        (
            w("cancelled"),
            w.number(now.cancelled),
            w.number(before.cancelled),
            w.change(now.cancelled, before.cancelled),
        ),
        (
            w("median_claim"),
            w.duration(now.to_claim.median),
            w.duration(before.to_claim.median),
            "",
        ),
        (
            w("median_resolve"),
            w.duration(now.to_resolve.median),
            w.duration(before.to_resolve.median),
            "",
        ),
    ]
    head = [w("figure"), w("this_period"), w("previous_period"), w("change")]
    return f"<section><h2>{w('headline')}</h2>{_table(head, rows)}</section>"


def _safety(
    w: Writer, insight: Insight, buurten: Mapping[str, Any], wijken: Mapping[str, Any] | None
) -> str:
    city = insight.city_safety
    share, interval, verdict = w.safety(city)
    lead = w("safety_lead", target=w.percent(SAFETY_TARGET), share=f"{share} ({interval})")
    rows = [(escape(f.name), str(f.safety.answers), *w.safety(f.safety)) for f in insight.wijken]
    rows.append((f"<b>{w('city')}</b>", str(city.answers), share, interval, verdict))
    head = [w("wijk"), w("answers"), w("share"), w("interval"), w("target")]
    classes = share_classes()
    by_wijk = {f.code: f.safety.share for f in insight.wijken}
    fills = {
        str(feature["properties"]["buurtcode"]): classes.colour(
            by_wijk.get(str(feature["properties"]["wijkcode"]))
        )
        for feature in buurten["features"]
    }
    drawn = draw_map(buurten, wijken, fills=fills, width=520, title=w("map_safety"))
    figure = _figure(
        drawn.svg, w("map_safety"), legend(classes, percent=True, no_data=w("too_few"))
    )
    return (
        f"<section><h2>{w('safety')}</h2><p>{lead}</p><p class='note'>{w('safety_sample')}</p>"
        f"<div class='pair'>{_table(head, rows)}{figure}</div></section>"
    )


def _figure(svg: str, caption: str, key: str) -> str:
    patterned = svg.replace(">", ">" + NO_DATA_PATTERN, 1)
    return f"<figure>{patterned}<figcaption>{escape(caption)}</figcaption>{key}</figure>"


def _rates(
    w: Writer,
    insight: Insight,
    config: MunicipalityConfig,
    buurten: Mapping[str, Any],
    wijken: Mapping[str, Any] | None,
) -> str:
    rates = {b.code: b.per_thousand for b in insight.buurten}
    shown = {str(f["properties"]["buurtcode"]) for f in buurten["features"]}
    classes = nice_classes([rates.get(code) for code in shown])
    fills = {code: classes.colour(rates.get(code)) for code in shown}
    drawn = draw_map(buurten, wijken, fills=fills, width=620, title=w("map_rate"))
    attribution = w(
        "attribution",
        attribution=config.neighbourhoods.attribution,
        inhabitants=config.neighbourhoods.inhabitants_attribution,
    )
    figure = _figure(drawn.svg, w("map_rate"), legend(classes, percent=False, no_data=w("no_data")))
    return f"<section><h2>{w('map_rate')}</h2>{figure}<p class='note'>{attribution}</p></section>"


def _counts(w: Writer, insight: Insight, config: MunicipalityConfig) -> str:
    lang = Language.NL if w.language == "nl" else Language.EN
    categories = []
    for category_id, count in sorted(insight.headline.per_category.items(), key=lambda i: -i[1]):
        category = config.category(category_id)
        categories.append((category.name(lang) if category else category_id, count))
    names = {f.code: f.name for f in insight.wijken}
    per_wijk = [(names.get(code, code), n) for code, n in sorted(insight.headline.per_wijk.items())]
    return (
        f"<section class='split'><div><h2>{w('per_category')}</h2>{bar_chart(categories)}</div>"
        f"<div><h2>{w('per_wijk')}</h2>{bar_chart(per_wijk)}</div></section>"
    )


def _partners(w: Writer, insight: Insight, config: MunicipalityConfig) -> str:
    lang = Language.NL if w.language == "nl" else Language.EN
    names = {p.id: p.name(lang) for p in config.partners}
    rows = [
        (
            escape(names.get(p.partner_id, p.partner_id)),
            str(p.led),
            w.durations(p.to_claim),
            w.durations(p.to_resolve),
            w.share(p.within_target),
            str(p.forwarded),
            str(p.not_ours),
            str(p.reopened_by_survey),
            w.share(p.satisfaction),
        )
        for p in insight.partners
    ]
    head = [
        w("partner"),
        w("led"),
        w("claim_median_p90"),
        w("resolve_median_p90"),
        w("within_target"),
        w("forwarded"),
        w("not_ours"),
        w("reopened"),
        w("satisfied"),
    ]
    return f"<section><h2>{w('partners')}</h2>{_table(head, rows)}</section>"


def _satisfaction(w: Writer, insight: Insight, config: MunicipalityConfig) -> str:
    lang = Language.NL if w.language == "nl" else Language.EN
    satisfied = insight.satisfaction.satisfied
    labels = {reason.id: reason.text(lang) for reason in config.survey.reasons}
    reasons = [(labels.get(key, key), n) for key, n in insight.satisfaction.reasons.items()]
    recurrence = insight.recurrence
    ongoing = recurrence.ongoing
    names = {f.code: f.name for f in insight.wijken}
    rows = [
        (escape(_category_name(config, key, lang)), w.share(share))
        for key, share in recurrence.per_category.items()
    ] + [
        (escape(names.get(key, key)), w.share(share)) for key, share in recurrence.per_wijk.items()
    ]
    return (
        f"<section class='split'><div><h2>{w('satisfaction')}</h2>"
        f"<p>{w('satisfaction_lead', share=w.percent(satisfied.fraction), n=satisfied.n)}</p>"
        f"{bar_chart(reasons, width=520, colour='#85bcdb')}</div>"
        f"<div><h2>{w('recurrence')}</h2>"
        f"<p>{w('recurrence_lead', share=w.percent(ongoing.fraction), n=ongoing.n)}</p>"
        f"{_table([w('category') + ' / ' + w('wijk'), w('ongoing')], rows)}</div></section>"
    )


def _category_name(config: MunicipalityConfig, key: str, lang: Language) -> str:
    category = config.category(key)
    return category.name(lang) if category else key


def _trend(w: Writer, insight: Insight) -> str:
    months = [(w.month(m.month), m.reports, m.resolved) for m in insight.trend]
    chart = draw_trend(months, (w("made"), w("resolved")))
    rows = [
        (w.month(m.month), str(m.reports), str(m.resolved), w.safety(m.safety)[0])
        for m in insight.trend
    ]
    head = [w("month"), w("made"), w("resolved"), w("share")]
    return (
        f"<section><h2>{w('trend')}</h2><p>{w('trend_lead')}</p>{chart}"
        f"<details open><summary>{w('month')}</summary>{_table(head, rows)}</details></section>"
    )


def _hotspots(w: Writer, insight: Insight, config: MunicipalityConfig) -> str:
    lang = Language.NL if w.language == "nl" else Language.EN
    zone = config.municipality.zone
    if not insight.hotspots:
        return f"<section><h2>{w('hotspots')}</h2><p>{w('no_hotspots')}</p></section>"
    rows = [
        (
            escape(spot.place),
            escape(_category_name(config, spot.category_id, lang)),
            w.day(spot.first_seen.astimezone(zone).date()),
            w.day(spot.ended_at.astimezone(zone).date()) if spot.ended_at else w("still_active"),
            str(spot.observed),
            w.number(round(spot.expected, 1)),
            w(f"decision_{spot.decision or 'none'}"),
        )
        for spot in insight.hotspots
    ]
    head = [w(key) for key in ("buurt", "category", "since", "until", "count_28", "expected")]
    table = _table([*head, w("decision")], rows, numeric_from=4)
    return f"<section><h2>{w('hotspots')}</h2><p>{w('hotspots_lead')}</p>{table}</section>"


def _definitions(w: Writer) -> str:
    items = "".join(f"<li>{escape(text)}</li>" for text in definitions(w.language).values())
    return f"<section class='notes'><h2>{w('definitions')}</h2><ol>{items}</ol></section>"
