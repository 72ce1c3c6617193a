"""Publish per-buurt report counts as open data with nobody identifiable.

The table has one row per buurt and one column per category, each row with its total, and a
last row for the municipality with the column totals. Every count below `[insight]
suppress_below` (5 by default) is replaced by `x` (as CBS marks a secret cell), together with
the further counts that would let a hidden one be worked out from the totals in the same file
(reports/disclosure.py). The rate per 1,000 inhabitants is hidden with the total it comes from.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

from reports.disclosure import suppress
from reports.insight import Period
from services.container import Services
from services.insight import compute_insight
from storage.timestamps import to_text

HIDDEN = "x"
LICENCE = "CC BY 4.0"


@dataclass(frozen=True)
class OpenData:
    """The three files of an open-data release."""

    name: str
    """The CSV's file name: meldbot-open-data-<from>_<to>.csv."""
    table: str
    readme: str
    licence: str

    def files(self) -> dict[str, str]:
        """Return the files by name."""
        return {self.name: self.table, "README.md": self.readme, "LICENSE.txt": self.licence}


async def open_data(svc: Services, period: Period) -> OpenData:
    """Return the suppressed per-buurt table of the period with its README and licence."""
    insight = await compute_insight(svc, period)
    lo, hi = period.bounds(svc.config.municipality.zone)
    counts = await svc.insight.counts(to_text(lo), to_text(hi))
    categories = [c.id for c in svc.config.categories]
    cells: dict[tuple[str, str], int] = {}
    for category, _wijk, buurt, _lead, _status, n in counts:
        cells[(buurt, category)] = cells.get((buurt, category), 0) + n
    buurten = list(insight.buurten)
    body = [[cells.get((b.code, c), 0) for c in categories] for b in buurten]
    table = [[*row, sum(row)] for row in body]
    table.append([sum(column) for column in zip(*table, strict=True)])
    hidden = suppress(table, svc.config.insight.suppress_below)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(
        [
            "gebiedscode",
            "gebiedsnaam",
            "wijkcode",
            "inwoners",
            "meldingen_per_1000",
            "meldingen",
            *(f"meldingen_{c}" for c in categories),
        ]
    )
    inhabitants = [b.inhabitants for b in buurten]
    known = [n for n in inhabitants if n is not None]
    areas = [(b.code, b.name, b.wijk_code, b.inhabitants) for b in buurten] + [
        (svc.config.municipality.code, svc.config.municipality.name, "", sum(known) or None)
    ]
    for (code, name, wijk, people), values, mask in zip(areas, table, hidden, strict=True):
        total, total_hidden = values[-1], mask[-1]
        rate = "" if not people else (HIDDEN if total_hidden else f"{total * 1000 / people:.2f}")
        shown = [HIDDEN if h else str(v) for v, h in zip(values[:-1], mask[:-1], strict=True)]
        writer.writerow(
            [
                code,
                name,
                wijk,
                "" if people is None else people,
                rate,
                HIDDEN if total_hidden else total,
                *shown,
            ]
        )
    return OpenData(
        name=f"meldbot-open-data-{period.slug()}.csv",
        table=out.getvalue(),
        readme=_readme(svc, period, categories),
        licence=_licence(svc),
    )


def _readme(svc: Services, period: Period, categories: list[str]) -> str:
    municipality = svc.config.municipality
    threshold = svc.config.insight.suppress_below
    names = "\n".join(
        f"- `meldingen_{c.id}`: meldingen in de categorie {c.name_nl} (`{c.id}`)."
        for c in svc.config.categories
        if c.id in categories
    )
    return f"""# Meldingen per buurt, {municipality.name} ({municipality.code})

Periode: {period.start.isoformat()} tot en met {period.end.isoformat()} (lokale datum van de
melding). Bron: Meldbot, het meldkanaal van de gemeente via Telegram. Eén rij per buurt (CBS
wijk- en buurtindeling 2025) en een laatste rij voor de hele gemeente met de kolomtotalen.
CSV met komma als scheidingsteken, UTF-8.

## Kolommen
- `gebiedscode`: CBS-buurtcode (`BU…`), of de gemeentecode op de laatste rij.
- `gebiedsnaam`: naam van de buurt (CBS 2025) of de gemeente.
- `wijkcode`: CBS-wijkcode van de buurt; leeg op de gemeenterij.
- `inwoners`: inwoners op 1 januari 2024 (CBS 85984NED); leeg als CBS geen cijfer heeft.
- `meldingen_per_1000`: `meldingen` per 1.000 inwoners; leeg zonder inwonertal.
- `meldingen`: alle meldingen in de buurt in de periode (alle statussen).
{names}

## Onthulling
Elk aantal kleiner dan {threshold} is vervangen door `{HIDDEN}` (geheim), ook nul, zoals het CBS
kleine aantallen beschermt. Daarnaast zijn zo weinig mogelijk andere aantallen vervangen, zodat
geen verborgen aantal uit de totalen van dit bestand is terug te rekenen. Een per-1.000-cijfer
is verborgen als het totaal waarop het rust verborgen is. Er staan geen persoonsgegevens,
beschrijvingen of locaties in dit bestand.

## Bronvermelding
{svc.config.neighbourhoods.attribution}; {svc.config.neighbourhoods.inhabitants_attribution}.
Licentie: {LICENCE} (zie LICENSE.txt).
"""


def _licence(svc: Services) -> str:
    return (
        f"Meldingen per buurt, {svc.config.municipality.name}: open data under the Creative"
        f" Commons Attribution 4.0 International licence ({LICENCE}),"
        " https://creativecommons.org/licenses/by/4.0/\n\n"
        f"Attribution: Gemeente {svc.config.municipality.name}, Meldbot;"
        f" {svc.config.neighbourhoods.attribution};"
        f" {svc.config.neighbourhoods.inhabitants_attribution}.\n"
    )
