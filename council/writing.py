"""Write numbers, shares, durations and dates the way the report's reader expects them."""

from __future__ import annotations

from datetime import date, timedelta
from html import escape

from council.words import WORDS, ReportLanguage
from reports.insight import Durations, Period, SafetyMeasure, Share

MONTHS = {
    "nl": ["jan", "feb", "mrt", "apr", "mei", "jun", "jul", "aug", "sep", "okt", "nov", "dec"],
    "en": ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"],
}
LONG_MONTHS = {
    "nl": [
        "januari",
        "februari",
        "maart",
        "april",
        "mei",
        "juni",
        "juli",
        "augustus",
        "september",
        "oktober",
        "november",
        "december",
    ],
    "en": [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ],
}
DASH = "\u2013"


class Writer:
    """Formats numbers, shares, durations and dates in the report's language."""

    def __init__(self, language: ReportLanguage) -> None:
        self.language = language
        self.words = WORDS[language]

    def __call__(self, key: str, **values: object) -> str:
        """Return a text of the report (HTML-safe: the catalogue holds no markup but &shy;)."""
        text = self.words[key]
        return text.format(**{k: escape(str(v)) for k, v in values.items()}) if values else text

    def number(self, value: float) -> str:
        text = f"{value:,.0f}" if float(value).is_integer() else f"{value:,.1f}"
        return text.translate(str.maketrans(",.", ".,")) if self.language == "nl" else text

    def percent(self, fraction: float | None) -> str:
        if fraction is None:
            return self("none")
        text = f"{fraction * 100:.1f}%"
        return text.replace(".", ",") if self.language == "nl" else text

    def share(self, share: Share) -> str:
        return f"{self.percent(share.fraction)} ({share.k}/{share.n})" if share.n else self("none")

    def interval(self, bounds: tuple[float, float] | None) -> str:
        if bounds is None:
            return self("none")
        return f"{self.percent(bounds[0])} {DASH} {self.percent(bounds[1])}"

    def duration(self, span: timedelta | None) -> str:
        if span is None:
            return self("none")
        minutes = round(span.total_seconds() / 60)
        days, rest = divmod(minutes, 24 * 60)
        hours, minutes = divmod(rest, 60)
        unit = {"d": "d", "h": "u" if self.language == "nl" else "h", "m": "min"}
        if days:
            return f"{days} {unit['d']} {hours} {unit['h']}"
        if hours:
            return f"{hours} {unit['h']} {minutes} {unit['m']}"
        return f"{minutes} {unit['m']}"

    def durations(self, spans: Durations) -> str:
        return f"{self.duration(spans.median)} / {self.duration(spans.p90)}"

    def day(self, day: date) -> str:
        month = LONG_MONTHS[self.language][day.month - 1]
        return f"{day.day} {month} {day.year}"

    def period(self, period: Period) -> str:
        return f"{self.day(period.start)} {DASH} {self.day(period.end)}"

    def month(self, period: Period) -> str:
        return f"{MONTHS[self.language][period.start.month - 1]} {period.start.year % 100:02d}"

    def change(self, now: float | None, before: float | None) -> str:
        if now is None or before is None:
            return self("none")
        difference = now - before
        sign = "+" if difference > 0 else ""
        return f"{sign}{self.number(difference)}"

    def safety(self, measure: SafetyMeasure) -> tuple[str, str, str]:
        """Return (share, interval, verdict) of a safety measure; "too few answers" below n."""
        if measure.answers == 0:
            return self("no_answers"), self("none"), ""
        if measure.too_few:
            return self("too_few"), self("none"), ""
        verdict = self("meets") if measure.meets_target() else self("misses")
        return self.percent(measure.share), self.interval(measure.interval), verdict
