"""Amount normaliser and budget extraction."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from extractors.values import parse_amount

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
