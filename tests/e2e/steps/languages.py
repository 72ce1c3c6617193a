"""Know what residents read in every language: a distinctive piece of a text, danger words."""

from __future__ import annotations

import html
import re

from handlers.texts import T, catalogue
from reports.models import Language

DANGER = {
    "de": "Ein Mann bedroht Leute mit einem Messer.",
    "tr": "Bir adam insanları bıçak ile tehdit ediyor.",
    "ar": "رجل يهدد الناس بسكين في الشارع.",
    "pl": "Mężczyzna grozi ludziom nożem przy sklepie.",
}


def fragment(key: T, language: Language) -> str:
    """Return a distinctive piece of a text as the resident sees it (no tags, no placeholders)."""
    template = catalogue(language).template(key, {"count": 3})
    visible = html.unescape(re.sub(r"<[^>]+>", "", template))
    head = visible.split("{", 1)[0].strip().splitlines()[0]
    return head[:24].strip()
