"""Every text of the council report, in Dutch (the default) and English, in one place.

The definitions in English are reports/insight_terms.py's; their Dutch translations are here, so
a change of a definition shows up in both (tests/unit/test_council_report.py checks the keys).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Literal

from reports.insight_terms import DEFINITIONS

ReportLanguage = Literal["nl", "en"]

DEFINITIONS_NL: Mapping[str, str] = {
    "period": "Een melding hoort bij de periode van de lokale datum (Europe/Amsterdam) waarop"
    " zij is gedaan. De vorige periode heeft evenveel dagen en eindigt de dag ervoor.",
    "reports": "Meldingen gedaan in de periode, met elke status, ook geannuleerde.",
    "resolved": "Meldingen uit de periode die nu afgehandeld zijn.",
    "open": "Meldingen uit de periode waar nu nog iemand iets mee moet: nieuw, doorgezet,"
    ' in behandeling, wacht op de melder, afgewezen ("niet van ons") of heropend.',
    "reopened": "Een heropende melding blijft één melding: zij telt één keer, als open zolang"
    " zij heropend is, en de afhandeltijd loopt tot de laatste afhandeling.",
    "time_to_claim": "Van het moment van melden tot de eerste keer dat een behandelaar de"
    " melding oppakte (de eerste claim in het logboek). Nooit opgepakte meldingen tellen niet mee.",
    "time_to_resolve": "Van het moment van melden tot de (laatste) afhandeling, over de"
    " meldingen uit de periode die nu afgehandeld zijn.",
    "median_p90": "Mediaan: de helft van de meldingen ging sneller. 90e percentiel: negen op de"
    " tien gingen sneller (lineair tussen de dichtstbijzijnde rangen, als PERCENTIEL.INC in"
    " Excel).",
    "lead_partner": "Elke melding telt voor haar huidige hoofdpartner, na eventueel doorzetten.",
    "within_target": "De hoofdpartner pakte de melding op (claimde of handelde af zonder claim)"
    " uiterlijk op de reactietermijn die zij kreeg toen zij voor het laatst aan die partner werd"
    " gegeven (gerouteerd, doorgezet of heropend). Een niet opgepakte melding telt als te laat"
    " zodra de termijn verstreken is; daarvoor, en zonder termijn, telt zij niet mee.",
    "forwarded": "Meldingen uit de periode die behandelaars van de partner aan een andere"
    " partner doorzetten.",
    "not_ours": 'Meldingen uit de periode die behandelaars van de partner "niet van ons" noemden.',
    "reopened_by_survey": "Meldingen van de partner die de melder heropende met een reden in"
    " de enquête die heropent.",
    "satisfaction": "Enquête-antwoorden gegeven in de periode (wanneer de melding ook is"
    " gedaan): tevreden van allen die de eerste vraag beantwoordden; de gekozen redenen.",
    "safety": "De maat van het beleid: bewoners die op de vraag hoe vaak zij zich onveilig"
    ' voelen in hun eigen buurt "vaak" of "soms" antwoordden, in een enquête beantwoord in de'
    " periode, van allen die de vraag beantwoordden, in de wijk van hun melding; het doel is"
    " hoogstens 15%. Het 95%-interval is dat van Wilson. Een wijk met minder antwoorden dan het"
    ' minimum (`[insight] min_answers`, standaard 10) toont "te weinig antwoorden".',
    "per_thousand": "Meldingen per 1.000 inwoners van de buurt (CBS, 1 januari 2024). Een buurt"
    ' zonder CBS-cijfer staat als "geen gegevens", nooit als nul.',
    "recurrence": 'Antwoorden op de vervolgvraag "speelt het nog?" gegeven in de periode:'
    ' "speelt nog" van alle antwoorden, naar categorie en wijk van de melding.',
    "trend": "Per kalendermaand van de 12 maanden die met de periode eindigen: gedane meldingen,"
    " in die maand afgehandelde meldingen (wanneer ook gedaan) en de veiligheidsmaat.",
    "hotspots": "Een buurt waar één soort overlast in 28 dagen onwaarschijnlijk vaak voorkwam"
    " tegenover haar eigen jaar ervoor (README: Hotspot signals), ergens in de periode actief;"
    " het aantal en de verwachting zijn die van de laatste wekelijkse controle, met het besluit"
    " van de coördinator.",
    "panel": "Het buurtpanel: inwoners die zich met /panel aanmeldden, beantwoorden dezelfde"
    " vraag eens per ronde (een kwartaal); het aandeel van de ronde waarin de periode eindigt,"
    " per wijk en voor de stad, ongewogen en gewogen naar inwoners per wijk; een andere"
    " steekproef dan de enquête onder melders (veiligheid).",
}

_NL: Mapping[str, str] = {
    "title": "Meldbot {municipality}: veiligheid en meldingen",
    "subtitle": "Rapportage voor de gemeenteraad, {period}",
    "generated": "Gemaakt op {moment} uit de database van Meldbot. Vergeleken met {previous}.",
    "scope_wijk": "Alleen wijk {wijk}.",
    "empty": "Geen meldingen in deze periode.",
    "headline": "Kerncijfers",
    "figure": "Cijfer",
    "this_period": "Deze periode",
    "previous_period": "Vorige periode",
    "change": "Verschil",
    "reports": "Meldingen",
    "residents": "Betrokken bewoners (melders en meemelders)",
    "resolved": "Afgehandeld",
    "open": "Open",
    "cancelled": "Geannuleerd",
    "median_claim": "Mediane tijd tot oppakken",
    "median_resolve": "Mediane tijd tot afhandelen",
    "safety": "De maat van het beleid: voelt u zich weleens onveilig in uw eigen buurt?",
    "safety_lead": "Aandeel bewoners dat zich vaak of soms onveilig voelt in de eigen buurt"
    " (doel: hoogstens {target}). Stad: {share}.",
    "panel": "Het buurtpanel: hoe veilig inwoners zich voelen, niet alleen melders",
    "panel_lead": "Ronde {round}: {members} leden. Aandeel dat zich vaak of soms onveilig voelt:"
    " {share} ongewogen, {weighted} gewogen naar inwoners per wijk (doel: hoogstens {target}).",
    "panel_sample": "Elke ronde gevraagd aan inwoners die zich voor het panel aanmeldden (/panel),"
    " of ze iets meldden of niet: een andere steekproef dan de enquête onder melders hierboven."
    " Het panel kiest zichzelf; het gewogen cijfer telt elke wijk zo zwaar als haar inwoners,"
    " over de wijken met antwoorden ({coverage} van de inwoners).",
    "panel_recruit": "Te weinig antwoorden in: {wijken}. Daar zijn panelleden nodig.",
    "panel_causes": "Wat leden die zich vaak of soms onveilig voelen noemen: {causes}.",
    "cause_dark": "donkere plekken",
    "cause_youth": "groepen jongeren",
    "cause_drugs": "drugs",
    "cause_traffic": "verkeer",
    "cause_burglary": "inbraak",
    "cause_other": "iets anders",
    "panel_none": "Nog geen antwoorden in deze ronde.",
    "members": "Leden",
    "weighted": "Gewogen naar inwoners",
    "unweighted": "Ongewogen",
    "safety_sample": "Gevraagd aan melders in de enquête na afhandeling: een steekproef van"
    " bewoners met een probleem, niet van alle inwoners.",
    "wijk": "Wijk",
    "buurt": "Buurt",
    "answers": "Antwoorden",
    "share": "Aandeel",
    "interval": "95%-interval",
    "target": "Doel 15%",
    "meets": "gehaald",
    "misses": "niet gehaald",
    "too_few": "te weinig antwoorden",
    "city": "Enschede (stad)",
    "map_rate": "Meldingen per 1.000 inwoners, per buurt",
    "map_safety": "Aandeel dat zich weleens onveilig voelt, per wijk",
    "no_data": "geen gegevens",
    "per_category": "Meldingen per categorie",
    "per_wijk": "Meldingen per wijk",
    "category": "Categorie",
    "partners": "De ketenpartners",
    "partner": "Partner",
    "led": "Hoofd&shy;partner",
    "claim_median_p90": "Oppakken mediaan / p90",
    "resolve_median_p90": "Afhandelen mediaan / p90",
    "within_target": "Binnen termijn",
    "forwarded": "Door&shy;gezet",
    "not_ours": "Niet van ons",
    "reopened": "Heropend na enquête",
    "satisfied": "Tevreden",
    "satisfaction": "Tevredenheid van melders",
    "satisfaction_lead": "Tevreden: {share} van {n} antwoorden.",
    "reason": "Reden",
    "times": "Keer gekozen",
    "recurrence": "Terugkerende overlast",
    "recurrence_lead": '"Speelt het nog?": {share} van {n} antwoorden zegt ja.',
    "ongoing": "Speelt nog",
    "trend": "Verloop over 12 maanden",
    "trend_lead": "Gedane en afgehandelde meldingen per maand.",
    "month": "Maand",
    "made": "Gedaan",
    "definitions": "Zo is geteld",
    "attribution": "Kaarten: {attribution}. Inwoners: {inhabitants}.",
    "none": "\u2013",
    "no_answers": "nog geen antwoorden",
    "hotspots": "Hotspots",
    "hotspots_lead": "Buurten waar één soort overlast onwaarschijnlijk vaak werd gemeld, en wat"
    " de coördinator besloot.",
    "no_hotspots": "Geen hotspots in deze periode.",
    "since": "Sinds",
    "until": "Tot",
    "count_28": "Aantal (28 d)",
    "expected": "Verwacht",
    "decision": "Besluit",
    "still_active": "nog actief",
    "decision_none": "nog geen",
    "decision_seen": "gezien",
    "decision_joint": "gezamenlijke aanpak",
    "decision_dismissed": "niet relevant",
}

_EN: Mapping[str, str] = {
    "title": "Meldbot {municipality}: safety and reports",
    "subtitle": "Report to the municipal council, {period}",
    "generated": "Made on {moment} from Meldbot's database. Compared with {previous}.",
    "scope_wijk": "Wijk {wijk} only.",
    "empty": "No reports in this period.",
    "headline": "Key figures",
    "figure": "Figure",
    "this_period": "This period",
    "previous_period": "Previous period",
    "change": "Change",
    "reports": "Reports",
    "residents": "Residents affected (reporters and co-reporters)",
    "resolved": "Resolved",
    "open": "Open",
    "cancelled": "Cancelled",
    "median_claim": "Median time to pick up",
    "median_resolve": "Median time to resolve",
    "safety": "The policy measure: do you sometimes feel unsafe in your own neighbourhood?",
    "safety_lead": "Share of residents who often or sometimes feel unsafe in their own"
    " neighbourhood (target: at most {target}). City: {share}.",
    "panel": "The neighbourhood panel: how safe residents feel, not only reporters",
    "panel_lead": "Round {round}: {members} members. Share who often or sometimes feel unsafe:"
    " {share} unweighted, {weighted} weighted by inhabitants per wijk (target: at most {target}).",
    "panel_sample": "Asked every round of residents who joined the panel (/panel), whether they"
    " reported anything or not: a different sample from the reporters' survey above. The panel"
    " is self-selected; the weighted figure counts each wijk as heavily as its inhabitants, over"
    " the wijken with answers ({coverage} of the inhabitants).",
    "panel_recruit": "Too few answers in: {wijken}. The panel needs members there.",
    "panel_causes": "What members who often or sometimes feel unsafe name: {causes}.",
    "cause_dark": "dark spots",
    "cause_youth": "groups of youths",
    "cause_drugs": "drugs",
    "cause_traffic": "traffic",
    "cause_burglary": "burglary",
    "cause_other": "something else",
    "panel_none": "No answers in this round yet.",
    "members": "Members",
    "weighted": "Weighted by inhabitants",
    "unweighted": "Unweighted",
    "safety_sample": "Asked of reporters in the survey after resolution: a sample of residents"
    " who had a problem, not of all inhabitants.",
    "wijk": "Wijk",
    "buurt": "Buurt",
    "answers": "Answers",
    "share": "Share",
    "interval": "95% interval",
    "target": "Target 15%",
    "meets": "met",
    "misses": "not met",
    "too_few": "too few answers",
    "city": "Enschede (city)",
    "map_rate": "Reports per 1,000 inhabitants, per buurt",
    "map_safety": "Share who sometimes feel unsafe, per wijk",
    "no_data": "no data",
    "per_category": "Reports per category",
    "per_wijk": "Reports per wijk",
    "category": "Category",
    "partners": "The chain partners",
    "partner": "Partner",
    "led": "Led",
    "claim_median_p90": "Pick up median / p90",
    "resolve_median_p90": "Resolve median / p90",
    "within_target": "Within target",
    "forwarded": "For&shy;warded",
    "not_ours": "Not ours",
    "reopened": "Reopened after survey",
    "satisfied": "Satisfied",
    "satisfaction": "Reporters' satisfaction",
    "satisfaction_lead": "Satisfied: {share} of {n} answers.",
    "reason": "Reason",
    "times": "Times chosen",
    "recurrence": "Recurring nuisance",
    "recurrence_lead": '"Is it still going on?": {share} of {n} answers say yes.',
    "ongoing": "Still going on",
    "trend": "The last 12 months",
    "trend_lead": "Reports made and resolved per month.",
    "month": "Month",
    "made": "Made",
    "definitions": "How it is counted",
    "attribution": "Maps: {attribution}. Inhabitants: {inhabitants}.",
    "none": "\u2013",
    "no_answers": "no answers yet",
    "hotspots": "Hotspots",
    "hotspots_lead": "Buurten where one kind of nuisance was reported improbably often, and what"
    " the coordinator decided.",
    "no_hotspots": "No hotspots in this period.",
    "since": "Since",
    "until": "Until",
    "count_28": "Count (28 d)",
    "expected": "Expected",
    "decision": "Decision",
    "still_active": "still active",
    "decision_none": "none yet",
    "decision_seen": "seen",
    "decision_joint": "joint approach",
    "decision_dismissed": "not relevant",
}

WORDS: Mapping[ReportLanguage, Mapping[str, str]] = {"nl": _NL, "en": _EN}


def definitions(language: ReportLanguage) -> Mapping[str, str]:
    """Return what each figure counts, in the report's language."""
    return DEFINITIONS_NL if language == "nl" else DEFINITIONS
