"""Applicant-side normalisers and layouts (labels above values, table cells, cover page)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from extractors.values import corporation_type, parse_population, split_partners, strip_district

TYPES = [
    ("Ortsgemeinde Otterborn", "Gemeinde"),
    ("Gemeinde Rehlar", "Gemeinde"),
    ("Stadt Herzberg (Elster)", "Stadt"),
    ("Markt Steinbrunn", "Markt"),
    ("Amt Lerchenkamp", "Amt"),
    ("Verbandsgemeinde Hohenbach", "Verbandsgemeinde"),
    ("Samtgemeinde Dornenfleth", "Samtgemeinde"),
    ("Verwaltungsgemeinschaft Espenwitz-Land", "Verwaltungsgemeinschaft"),
    ("Landkreis Elbe-Elster", "Landkreis"),
    ("Neckar-Odenwald-Kreis", "Landkreis"),
    ("Kreis Höxter", "Landkreis"),
    ("Sportverein Blau-Weiß", None),
]


@pytest.mark.parametrize(("text", "want"), TYPES, ids=[t[0] for t in TYPES])
def test_corporation_type(text: str, want: str | None) -> None:
    assert corporation_type(text) == want


DISTRICTS = [
    ("Kreis Höxter", "Höxter"),
    ("Landkreis Cloppenburg", "Cloppenburg"),
    ("Erzgebirgskreis", "Erzgebirgskreis"),
    ("Altmarkkreis Salzwedel", "Altmarkkreis Salzwedel"),
]


@pytest.mark.parametrize(("text", "want"), DISTRICTS, ids=[d[0] for d in DISTRICTS])
def test_strip_district(text: str, want: str) -> None:
    assert strip_district(text) == want


POPS = [("ca. 7.170", 7170), ("16304", 16304), ("0", 0), ("rund 12.500", 12500), ("k. A.", None)]


@pytest.mark.parametrize(("text", "want"), POPS, ids=[p[0] for p in POPS])
def test_parse_population(text: str, want: int | None) -> None:
    assert parse_population(text) == want


@given(st.integers(min_value=0, max_value=5_000_000))
def test_population_roundtrip(n: int) -> None:
    assert parse_population(f"ca. {n:,}".replace(",", ".")) == n


PARTNERS = [
    ("A e. V., B GmbH und C eG.", ["A e. V.", "B GmbH", "C eG"]),
    ("Beirat Ort (Thüringen) und Hochschule X", ["Beirat Ort (Thüringen)", "Hochschule X"]),
]  # fmt: skip


@pytest.mark.parametrize(("text", "want"), PARTNERS, ids=["three", "parenthesis"])
def test_split_partners(text: str, want: list[str]) -> None:
    assert split_partners(text) == want
