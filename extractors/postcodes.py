"""German postcode (PLZ) → the federal state(s) it lies in, offline and pure.

Why: a postcode and a state read from the same scanned sketch that agree with each other are
unlikely to be both misread, so their agreement can confirm OCR values (and disagreement can
flag one of them for review). Nothing is downloaded at run time; the table ships with the
package.

The table ``lexicon/plz_bundesland.csv`` has rows ``von,bis,bundesland``: inclusive ranges of
5-digit postcodes, states spelled as ``extractors.vocab.FEDERAL_STATES``. Rows may overlap: a
postcode that lies in several states (a delivery area across a state border, e.g. 19273 Amt
Neuhaus/Teldau, 21039 Hamburg-Bergedorf/Börnsen) is covered by one row per state.

Source and method (built by hand on 2026-12-03; the build script is not part of the project):

* OpenStreetMap postcodes with states, via open-postal-codes
  (https://github.com/Schoenfeld-Solutions/open-postal-codes, ``data/public/v1/de/post_code.csv``,
  commit b486872 of 2026-07-20; ODbL, © OpenStreetMap contributors): 8,168 postcodes.
* GeoNames postal codes, via https://github.com/zauberware/postal-codes-json-xml-csv
  (``data/DE.zip``, commit a6e8df1, GeoNames dump of 2026-03-30; CC BY 4.0, geonames.org):
  10,814 postcodes incl. PO-box and large-customer codes, English state names mapped to German.
* A postcode in both lists gets the union of their states, except OSM states backed only by
  fewer than 20 addresses and absent from GeoNames (mistagged addresses near a border).
  A postcode in one list only is kept if its state agrees with the neighbouring postcode in
  both lists (or, for GeoNames, with a run of at least three such postcodes, e.g. 049xx
  Elbe-Elster, 11xxx Berlin federal authorities); 48 stray codes were dropped that way.
  Result: 10,799 postcodes, 22 of them in two states.
* Ranges are maximal runs of consecutive known postcodes sharing a state, never spanning an
  unused 2-digit region; a code in a gap between two postcodes of the same state therefore
  maps to that state, a code in a gap between different states maps to nothing.
"""

from __future__ import annotations

import bisect
import csv
import re
from functools import cache
from pathlib import Path

from extractors.vocab import FEDERAL_STATES

TABLE = Path(__file__).parent / "lexicon" / "plz_bundesland.csv"

_PLZ = re.compile(r"[0-9]{5}")  # ASCII digits only: \d would accept other scripts' digits


@cache
def _segments() -> tuple[tuple[int, ...], tuple[frozenset[str], ...]]:
    """The table as sorted segment starts and the states of each segment, for bisection.

    Overlapping ranges are cut at every boundary so that each segment has one state set.
    """
    ranges: list[tuple[int, int, str]] = []
    with TABLE.open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            von, bis, state = row["von"], row["bis"], row["bundesland"]
            if not (_PLZ.fullmatch(von) and _PLZ.fullmatch(bis)) or von > bis:
                raise ValueError(f"{TABLE.name}: bad range {von}-{bis}")
            if state not in FEDERAL_STATES:
                raise ValueError(f"{TABLE.name}: unknown state {state!r}")
            ranges.append((int(von), int(bis), state))
    starts = sorted({lo for lo, _, _ in ranges} | {hi + 1 for _, hi, _ in ranges})
    states = tuple(frozenset(st for lo, hi, st in ranges if lo <= start <= hi) for start in starts)
    return tuple(starts), states


def states_for_postcode(plz: str) -> frozenset[str]:
    """The federal states a postcode lies in: usually one, two for a border postcode, none
    for a malformed code (not exactly five digits) or one the table does not know."""
    plz = plz.strip()
    if not _PLZ.fullmatch(plz):
        return frozenset()
    starts, states = _segments()
    i = bisect.bisect_right(starts, int(plz)) - 1
    return states[i] if i >= 0 else frozenset()


def postcode_matches_state(plz: str, state: str) -> bool | None:
    """Whether ``state`` (canonical name) is one the postcode lies in; None when the postcode
    is unknown, so that a missing table entry is not taken as a contradiction."""
    found = states_for_postcode(plz)
    if not found:
        return None
    return state in found
