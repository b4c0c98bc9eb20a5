# ruff: noqa: E501  (coordinate tables read better on one line)
"""Amount normaliser and budget extraction."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from extractors.amounts import parse_amount

CASES = [
    ("450.000,00 €", 450000),
    ("450 T€", 450000),
    ("0,45 Mio. Euro", 450000),
    ("€ 450.000,-", 450000),
    ("EUR 385.500,-", 385500),
    ("385,5 T€", 385500),
    ("rund 0,4 Mio. €", 400000),
    ("588.502,49 EUR", 588502.49),
    ("350.020 EUR", 350020),
    ("0,295 Mio. Euro", 295000),
    ("491.000,00", 491000),
    ("Heimat 2.0 € 205.800,-", 205800),
    ("36 Monate", None),
]


@pytest.mark.parametrize(("text", "want"), CASES, ids=[c[0] for c in CASES])
def test_parse_amount(text: str, want: float | None) -> None:
    assert parse_amount(text) == want


def test_whole_amount_is_int() -> None:
    assert isinstance(parse_amount("450.000,00 €"), int)


def _german(n: int) -> str:
    return f"{n:,}".replace(",", ".")


@given(euros=st.integers(min_value=1000, max_value=9_999_999), cents=st.integers(0, 99))
def test_german_styles_parse_back(euros: int, cents: int) -> None:
    value = Decimal(euros) + Decimal(cents) / 100
    want = float(value) if cents else euros
    assert parse_amount(f"{_german(euros)},{cents:02d} €") == want
    assert parse_amount(f"EUR {_german(euros)},{cents:02d}") == want
    if not cents:
        assert parse_amount(f"€ {_german(euros)},-") == euros
        assert parse_amount(f"{_german(euros)} Euro") == euros


@given(thousands=st.integers(min_value=1, max_value=9999), tenth=st.integers(0, 9))
def test_thousands_style(thousands: int, tenth: int) -> None:
    assert parse_amount(f"{thousands},{tenth} T€") == thousands * 1000 + tenth * 100


def test_budget_table_total_not_year_subtotal(extract) -> None:
    rows = [
        (50, 80, "Kosten- und Finanzierungsplan"),
        (50, 110, "Kostenart"), (250, 110, "2021"), (330, 110, "2022"), (420, 110, "Gesamt"),
        (50, 130, "Personal"), (250, 130, "100.000,00"), (330, 130, "150.000,00"), (420, 130, "250.000,00"),
        (50, 150, "Zwischensumme 2021"), (250, 150, "100.000,00"),
        (50, 170, "Sachkosten"), (250, 170, "50.000,00"), (330, 170, "50.000,00"), (420, 170, "100.000,00"),
        (50, 190, "Summe"), (250, 190, "150.000,00"), (330, 190, "200.000,00"), (420, 190, "350.000,00 €"),
        (50, 230, "Beantragte Förderung:"), (200, 230, "EUR 315.000,-"),
        (50, 250, "Eigenanteil:"), (200, 250, "35 T€"),
    ]  # fmt: skip
    got = extract(rows)
    assert got["gesamtkosten_eur"].value == 350000
    assert got["foerdersumme_eur"].value == 315000
    assert got["eigenanteil_eur"].value == 35000
    assert got["foerdersumme_eur"].confidence >= 0.8


def test_prose_amounts_not_derived(extract) -> None:
    got = extract(
        [
            (
                50,
                80,
                "Für das Vorhaben sind Gesamtausgaben in Höhe von rund 0,4 Mio. € geplant.",
            ),
            (50, 95, "Beantragt wird eine Zuwendung in Höhe von 385,5 T€."),
        ]
    )
    assert got["gesamtkosten_eur"].value == 400000
    assert got["foerdersumme_eur"].value == 385500
    assert got["eigenanteil_eur"].value is None
    assert got["gesamtkosten_eur"].confidence < 0.8
