"""Say in words what each statistic counts: the footnotes of the report and README's list.

One text per figure, in English; the report translates them with its other texts. Changing a
computation in services/insight.py means changing its text here.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

DEFINITIONS: Mapping[str, str] = MappingProxyType(
    {
        "period": "A report belongs to the period of the local date (Europe/Amsterdam) on which"
        " it was made. The previous period has the same number of days and ends the day before.",
        "reports": "Reports made in the period, of every status, cancelled ones included.",
        "resolved": "Reports of the period whose status is resolved now.",
        "open": "Reports of the period that still need someone to act now: new, routed, in"
        ' progress, waiting for the resident, rejected ("not ours") or reopened.',
        "reopened": "A reopened report is still one report: it counts once, as open while it"
        " is reopened, and its time to resolve runs to its last resolution.",
        "time_to_claim": "From the moment the report was made to the first time a caseworker"
        " claimed it (the first claim in the audit trail). Reports never claimed are left out.",
        "time_to_resolve": "From the moment the report was made to its (last) resolution, over"
        " the reports of the period that are resolved now.",
        "median_p90": "Median: half of the reports took less. 90th percentile: nine in ten took"
        " less (linear interpolation between the closest ranks, as Excel's PERCENTILE.INC).",
        "lead_partner": "Each report counts for its lead partner now, after any forwarding.",
        "within_target": "The lead partner picked the report up (claimed it, or resolved it"
        " without claiming) no later than the response target it got when it was last handed to"
        " that partner (routed, forwarded or reopened). A report not picked up counts as late"
        " once its target has passed; before that, and without a target, it is left out.",
        "forwarded": "Reports of the period the partner's caseworkers handed to another partner.",
        "not_ours": 'Reports of the period the partner\'s caseworkers marked "not ours".',
        "reopened_by_survey": "Reports led by the partner that the resident reopened by"
        " answering the survey with a reason that reopens.",
        "satisfaction": "Survey answers given in the period (whenever the report was made):"
        " satisfied of all who answered the first question; the reasons they picked.",
        "safety": 'The policy measure: residents who answered "often" or "sometimes" to'
        ' "how often do you feel unsafe in your own neighbourhood" in a survey answered in the'
        " period, of all who answered it, in the wijk of their report; the target is at most"
        " 15%. The 95% interval is Wilson's. A wijk with fewer answers than the minimum"
        ' (`[insight] min_answers`, 10 by default) shows "too few answers".',
        "per_thousand": "Reports per 1,000 inhabitants of the buurt (CBS, 1 January 2024). A"
        ' buurt without a CBS figure shows "no data", never zero.',
        "recurrence": 'Answers to the follow-up "is it still going on?" given in the period:'
        ' "still going on" of all answers, by the report\'s category and wijk.',
        "trend": "Per calendar month of the 12 months that end with the period: reports made,"
        " reports resolved in that month (whenever made), and the safety measure.",
        "hotspots": "A buurt where one category of nuisance was improbably frequent in 28 days"
        " against its own year before (README: Hotspot signals), active at some moment of the"
        " period; the count and the expectation are those of its last weekly check, with the"
        " coordinator's decision.",
        "panel": "The neighbourhood panel: residents who joined with /panel answer the same"
        " question once per round (a quarter); the share of the round that holds the period's"
        " end, per wijk and for the city, unweighted and weighted by the inhabitants per wijk;"
        " a different sample from the reporters' survey (safety).",
    }
)
"""What each figure of `Insight` counts, by a short key."""
