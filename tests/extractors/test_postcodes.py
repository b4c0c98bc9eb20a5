"""Postcode → federal state lookup (extractors.postcodes)."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from extractors.postcodes import TABLE, postcode_matches_state, states_for_postcode
from extractors.vocab import FEDERAL_STATES

ONE_STATE = [
    ("10115", "Berlin"),
    ("20095", "Hamburg"),
    ("80331", "Bayern"),
    ("01067", "Sachsen"),
    ("99084", "Thüringen"),
    ("66111", "Saarland"),
    ("28195", "Bremen"),
    ("24103", "Schleswig-Holstein"),
    ("19053", "Mecklenburg-Vorpommern"),
    ("39104", "Sachsen-Anhalt"),
    ("14467", "Brandenburg"),
    ("55116", "Rheinland-Pfalz"),
    ("65183", "Hessen"),
    ("30159", "Niedersachsen"),
    ("40213", "Nordrhein-Westfalen"),
    ("70173", "Baden-Württemberg"),
    # near borders, or off the state of their neighbours
    ("27498", "Schleswig-Holstein"),  # Helgoland
    ("27499", "Hamburg"),  # Neuwerk, amid Lower Saxony's 27xxx
    ("51598", "Rheinland-Pfalz"),  # Friesenhagen, amid NRW's 51xxx
    ("29410", "Sachsen-Anhalt"),  # Salzwedel, amid Lower Saxony's 29xxx
    ("37696", "Nordrhein-Westfalen"),  # Marienmünster
    ("37697", "Niedersachsen"),  # Lauenförde, next to it
    ("55246", "Hessen"),  # Mainz-Kostheim belongs to Wiesbaden
    ("17335", "Mecklenburg-Vorpommern"),  # Strasburg (Uckermark), not Brandenburg
    ("01053", "Sachsen"),  # PO-box code of Dresden
    ("04916", "Brandenburg"),  # Herzberg (Elster), Elbe-Elster's 049xx
]

BORDER = [
    ("19273", {"Niedersachsen", "Mecklenburg-Vorpommern"}),  # Amt Neuhaus / Teldau
    ("21039", {"Hamburg", "Schleswig-Holstein"}),  # Bergedorf / Börnsen
    ("22145", {"Hamburg", "Schleswig-Holstein"}),  # Rahlstedt / Stapelfeld
    ("07919", {"Sachsen", "Thüringen"}),  # Mühltroff / Kirschkau
    ("59969", {"Nordrhein-Westfalen", "Hessen"}),  # Hallenberg / Bromskirchen
    ("69434", {"Hessen", "Baden-Württemberg"}),  # Hirschhorn / Heddesbach
    ("14715", {"Brandenburg", "Sachsen-Anhalt"}),  # Milower Land / Schollene
]


@pytest.mark.parametrize(("plz", "state"), ONE_STATE, ids=[f"{p}-{s}" for p, s in ONE_STATE])
def test_single_state(plz: str, state: str) -> None:
    assert states_for_postcode(plz) == {state}
    assert postcode_matches_state(plz, state) is True


@pytest.mark.parametrize(("plz", "states"), BORDER, ids=[p for p, _ in BORDER])
def test_border_postcode_yields_every_state(plz: str, states: set[str]) -> None:
    assert states_for_postcode(plz) == states
    for state in states:
        assert postcode_matches_state(plz, state) is True
    assert postcode_matches_state(plz, "Bayern") is False


def test_other_state_does_not_match() -> None:
    assert postcode_matches_state("10115", "Brandenburg") is False
    assert postcode_matches_state("80331", "Baden-Württemberg") is False


INVALID = ["", "1234", "123456", "abcde", "00000", "99999", "1O115", "10 115", "１０１１５"]


@pytest.mark.parametrize("plz", INVALID, ids=[repr(p) for p in INVALID])
def test_invalid_or_unknown_gives_nothing(plz: str) -> None:
    assert states_for_postcode(plz) == frozenset()
    assert postcode_matches_state(plz, "Berlin") is None


def test_surrounding_whitespace_is_ignored() -> None:
    assert states_for_postcode(" 10115\n") == {"Berlin"}


@given(st.from_regex(r"[0-9]{5}", fullmatch=True))
def test_any_five_digits_gives_canonical_states(plz: str) -> None:
    found = states_for_postcode(plz)
    assert isinstance(found, frozenset)
    assert found <= set(FEDERAL_STATES)
    assert postcode_matches_state(plz, "Berlin") is (None if not found else "Berlin" in found)


def test_table_is_well_formed() -> None:
    with TABLE.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert rows and list(rows[0]) == ["von", "bis", "bundesland"]
    for row in rows:
        assert len(row["von"]) == len(row["bis"]) == 5
        assert row["von"] <= row["bis"]
    assert {row["bundesland"] for row in rows} == set(FEDERAL_STATES)


# The sample corpus is synthetic: its postcodes are a real district's 3-digit prefix plus two
# random digits, so most do not exist and some fall into another state's range. Only these
# labelled pairs carry a postcode that exists in the source lists; all of them must agree.
VERIFIED = {
    "S025": ("94028", "Bayern"),
    "S028": ("66882", "Rheinland-Pfalz"),
    "S029": ("55743", "Rheinland-Pfalz"),
    "S031": ("93444", "Bayern"),
    "S034": ("55767", "Rheinland-Pfalz"),
    "S037": ("24896", "Schleswig-Holstein"),
    "S043": ("29559", "Niedersachsen"),
    "S044": ("93411", "Bayern"),
    "S047": ("96355", "Bayern"),
    "S051": ("17033", "Mecklenburg-Vorpommern"),
    "S053": ("54587", "Rheinland-Pfalz"),
    "S062": ("24896", "Schleswig-Holstein"),
}


def test_verified_corpus_pairs_agree(corpus_dir: Path) -> None:
    labels = {}
    with (corpus_dir / "sketches.jsonl").open(encoding="utf-8") as fh:
        for line in fh:
            sketch = json.loads(line)
            fields = sketch["fields"]
            labels[sketch["sketch_id"]] = (fields["plz"], fields["bundesland"])
    for sketch_id, (plz, state) in VERIFIED.items():
        assert labels[sketch_id] == (plz, state), sketch_id
        assert postcode_matches_state(plz, state) is True, sketch_id
