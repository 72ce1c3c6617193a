"""The council report's section on the neighbourhood panel, beside the reporters' measure."""

from __future__ import annotations

from html import escape

from council.tables import table
from council.writing import Writer
from reports.insight import SAFETY_TARGET, Insight


def panel_section(w: Writer, insight: Insight) -> str:
    """Return the panel's section: the round's share per wijk, unweighted and weighted."""
    figures = insight.panel
    if figures is None:
        return ""
    heading = f"<h2>{w('panel')}</h2>"
    if figures.city.answers == 0:
        lead = w(
            "panel_lead",
            round=figures.round.label,
            members=figures.members,
            share=w("no_answers"),
            weighted=w("none"),
            target=w.percent(SAFETY_TARGET),
        )
        return f"<section>{heading}<p>{lead}</p><p>{w('panel_none')}</p></section>"
    share, interval, verdict = w.safety(figures.city)
    weighted = figures.weighted
    weighted_text = (
        f"{w.percent(weighted.share)} ({w.interval(weighted.interval)})" if weighted else w("none")
    )
    lead = w(
        "panel_lead",
        round=figures.round.label,
        members=figures.members,
        share=f"{share} ({interval})",
        weighted=weighted_text,
        target=w.percent(SAFETY_TARGET),
    )
    sample = w("panel_sample", coverage=w.percent(weighted.coverage if weighted else None))
    rows = [
        (escape(f.name), str(f.members), str(f.safety.answers), *w.safety(f.safety))
        for f in figures.wijken
    ]
    rows.append(
        (
            f"<b>{w('unweighted')}</b>",
            str(figures.members),
            str(figures.city.answers),
            share,
            interval,
            verdict,
        )
    )
    if weighted is not None:
        meets = w("meets") if figures.meets_target() else w("misses")
        rows.append(
            (
                f"<b>{w('weighted')}</b>",
                "",
                "",
                w.percent(weighted.share),
                w.interval(weighted.interval),
                meets,
            )
        )
    head = [w("wijk"), w("members"), w("answers"), w("share"), w("interval"), w("target")]
    causes = " · ".join(f"{w('cause_' + c)} {n}" for c, n in figures.causes.items())
    named = f"<p>{w('panel_causes', causes=causes)}</p>" if causes else ""
    recruit = ", ".join(f.name for f in figures.recruit)
    note = f"<p class='note'>{w('panel_recruit', wijken=recruit)}</p>" if recruit else ""
    return (
        f"<section>{heading}<p>{lead}</p><p class='note'>{sample}</p>"
        f"{table(head, rows, numeric_from=1)}{named}{note}</section>"
    )
