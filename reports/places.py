"""Understand places residents type: Dutch postcodes and neighbourhood names or aliases."""

from __future__ import annotations

import csv
import difflib
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from pydantic import BaseModel, ConfigDict

from reports.models import Neighbourhood
from reports.neighbourhoods import NeighbourhoodMap, Wijk

MAX_PLACE_TEXT = 40
"""Longer texts are descriptions, never place names."""

FUZZY_CUTOFF = 0.85
"""The difflib similarity a typed name needs to count as a typo of a known name."""

_POSTCODE = re.compile(
    r"""
    (?P<pc4>[1-9][0-9]{3})
    (?:
        \s?(?P<letters>[a-z]{2})
        (?:
            \s*,?\s*(?P<number>[0-9]{1,5})
            (?:\s?-?\s?(?P<suffix_letters>[a-z]{1,2})|-(?P<suffix_digits>[0-9]{1,4}))?
        )?
    )?
    (?:\s*,?\s*enschede)?
    """,
    re.IGNORECASE | re.VERBOSE,
)


class PostcodeQuery(BaseModel):
    """A typed Dutch postcode: the four digits, maybe the two letters and a house number."""

    model_config = ConfigDict(frozen=True)

    pc4: str
    letters: str | None = None
    house_number: str | None = None

    @property
    def postcode(self) -> str:
        """Return the postcode as written on letters: "7511 AB", or "7511" alone."""
        return self.pc4 if self.letters is None else f"{self.pc4} {self.letters}"


def parse_postcode(text: str) -> PostcodeQuery | None:
    """Return the postcode when the whole text is one (optionally with house number), else None.

    A house number counts only after the two letters ("7511 12" is no postcode). Letters come back
    upper case ("AB"), a house number with its addition as "12A" or "12-2". A trailing "Enschede"
    is allowed.
    """
    match = _POSTCODE.fullmatch(text.strip())
    if match is None:
        return None
    letters = match["letters"].upper() if match["letters"] else None
    number = match["number"]
    if number is not None:
        if match["suffix_letters"]:
            number += match["suffix_letters"].upper()
        elif match["suffix_digits"]:
            number += "-" + match["suffix_digits"]
    return PostcodeQuery(pc4=match["pc4"], letters=letters, house_number=number)


class PostcodeTable:
    """Approximate locations of Enschede's PC4 postcode areas."""

    def __init__(self, centroids: dict[str, tuple[float, float]], enschede: Iterable[str]) -> None:
        self._centroids = dict(centroids)
        self._enschede = frozenset(enschede) | frozenset(self._centroids)

    @classmethod
    def from_csv(cls, path: Path) -> PostcodeTable:
        """Load ``pc4_enschede_centroids.csv``; PO-box codes (and the broken 7502) get none."""
        centroids: dict[str, tuple[float, float]] = {}
        enschede: set[str] = set()
        with path.open(encoding="utf-8", newline="") as rows:
            for row in csv.DictReader(rows):
                pc4 = row["pc4"].strip()
                enschede.add(pc4)
                residential = row["opmerking"].strip().startswith("adresgebied")
                if residential and row["buurtcode_van_centroid"].strip():
                    centroids[pc4] = (float(row["centroid_lat"]), float(row["centroid_lon"]))
        return cls(centroids, enschede)

    def centroid(self, pc4: str) -> tuple[float, float] | None:
        """Return the (latitude, longitude) of a residential Enschede PC4, else None."""
        return self._centroids.get(pc4.strip())

    def is_enschede(self, pc4: str) -> bool:
        """Tell whether the PC4 belongs to Enschede (PO-box codes 7500-7504 included)."""
        return pc4.strip() in self._enschede


class PlaceKind(StrEnum):
    """What a typed place name stands for."""

    BUURT = "buurt"
    BUURTEN = "buurten"
    WIJK = "wijk"


class PlaceMatch(BaseModel):
    """A typed place name resolved to one buurt, several buurten or a wijk."""

    model_config = ConfigDict(frozen=True)

    kind: PlaceKind
    name: str
    candidates: tuple[Neighbourhood, ...]
    wijk: Wijk | None = None
    exact: bool = True

    @property
    def neighbourhood(self) -> Neighbourhood | None:
        """Return the buurt when the name leaves no choice, else None."""
        return self.candidates[0] if len(self.candidates) == 1 else None


@dataclass(frozen=True)
class KnownName:
    """A name residents use and what it points at: buurt codes, or one wijk code."""

    name: str
    buurt_codes: tuple[str, ...] = ()
    wijk_code: str | None = None


_FILLER_WORDS = frozenset(
    {"in", "bij", "op", "nabij", "rond", "near", "at", "the", "de", "het", "t", "wijk", "buurt"}
)


def normalise_place(text: str) -> str:
    """Return a comparable form of a place name: no case, accents, punctuation, articles."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    plain = "".join(char for char in decomposed if not unicodedata.combining(char))
    plain = re.sub("['`.\u00b4\u2018\u2019]", "", plain)
    words = re.sub(r"[^0-9a-z]+", " ", plain).split()
    while words and words[0] in _FILLER_WORDS:
        words.pop(0)
    if len(words) > 1 and words[-1] == "enschede":
        words.pop()
    return "".join(words)


class PlaceIndex:
    """Match typed neighbourhood names, aliases and wijk names to buurten."""

    def __init__(self, neighbourhoods: NeighbourhoodMap, aliases: Sequence[KnownName]) -> None:
        self._map = neighbourhoods
        self._targets: dict[str, KnownName] = {}
        # The curated alias table wins, then CBS buurt names, then wijk names.
        for target in aliases:
            self._add(target.name, target)
        for wijk in neighbourhoods.wijken():
            for buurt in neighbourhoods.buurten(wijk.code):
                self._add(buurt.buurt_name, KnownName(buurt.buurt_name, (buurt.buurt_code,)))
        for wijk in neighbourhoods.wijken():
            target = KnownName(wijk.short_name, wijk_code=wijk.code)
            self._add(wijk.short_name, target)
            self._add(wijk.name, target)
        self._keys = list(self._targets)

    @classmethod
    def from_files(cls, aliases_csv: Path, neighbourhoods: NeighbourhoodMap) -> PlaceIndex:
        """Load ``namen_aliassen.csv``; every code in it must exist in the map."""
        aliases: list[KnownName] = []
        with aliases_csv.open(encoding="utf-8", newline="") as rows:
            for row in csv.DictReader(rows):
                codes = tuple(row["codes"].split())
                if row["niveau"].strip() == "wijk":
                    if len(codes) != 1 or neighbourhoods.wijk(codes[0]) is None:
                        raise ValueError(f"alias {row['alias']!r} names an unknown wijk")
                    aliases.append(KnownName(row["alias"], wijk_code=codes[0]))
                else:
                    if not codes or any(neighbourhoods.buurt(code) is None for code in codes):
                        raise ValueError(f"alias {row['alias']!r} names an unknown buurt")
                    aliases.append(KnownName(row["alias"], buurt_codes=codes))
        return cls(neighbourhoods, aliases)

    def _add(self, name: str, target: KnownName) -> None:
        key = normalise_place(name)
        if key:
            self._targets.setdefault(key, target)

    def match(self, text: str) -> PlaceMatch | None:
        """Return the place a short text names (typos tolerated), or None for anything else."""
        if len(text.strip()) > MAX_PLACE_TEXT:
            return None
        key = normalise_place(text)
        if not key:
            return None
        target = self._targets.get(key)
        if target is not None:
            return self._resolve(target, exact=True)
        scored = sorted(
            (
                (difflib.SequenceMatcher(None, key, known).ratio(), known)
                for known in difflib.get_close_matches(key, self._keys, n=3, cutoff=FUZZY_CUTOFF)
            ),
            reverse=True,
        )
        if not scored:
            return None
        best_score, best_key = scored[0]
        rivals = {self._targets[known] for score, known in scored if score == best_score}
        if len(rivals) > 1:
            return None
        return self._resolve(self._targets[best_key], exact=False)

    def _resolve(self, target: KnownName, *, exact: bool) -> PlaceMatch:
        if target.wijk_code is not None:
            wijk = self._map.wijk(target.wijk_code)
            return PlaceMatch(
                kind=PlaceKind.WIJK,
                name=target.name,
                candidates=tuple(self._map.buurten(target.wijk_code)),
                wijk=wijk,
                exact=exact,
            )
        buurten = [self._map.buurt(code) for code in target.buurt_codes]
        candidates = sorted(
            (buurt for buurt in buurten if buurt is not None), key=lambda b: b.buurt_name.casefold()
        )
        return PlaceMatch(
            kind=PlaceKind.BUURT if len(candidates) == 1 else PlaceKind.BUURTEN,
            name=target.name,
            candidates=tuple(candidates),
            exact=exact,
        )
