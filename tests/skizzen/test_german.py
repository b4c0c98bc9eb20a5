"""German numbers for staff: digit grouping with dots, decimal comma, cents where there are."""

from __future__ import annotations

from decimal import Decimal

import pytest
from babel.numbers import parse_decimal
from hypothesis import given
from hypothesis import strategies as st

from skizzen.german import format_eur, format_number


@pytest.mark.parametrize(
    ("value", "decimals", "text"),
    [
        (384_500, 0, "384.500"),
        (0.5, 2, "0,50"),
        (200, 0, "200"),
        (1_234_567.891, 2, "1.234.567,89"),
        (-1500.25, 2, "-1.500,25"),
        (600_000.0, 0, "600.000"),
    ],
    ids=["grouping", "decimal-comma", "small", "millions", "negative", "float-whole"],
)
def test_format_number(value: float, decimals: int, text: str) -> None:
    assert format_number(value, decimals=decimals) == text


@pytest.mark.parametrize(
    ("value", "text"),
    [(650_000, "650.000 €"), (588_502.49, "588.502,49 €"), (1.0, "1 €"), (0.5, "0,50 €")],
    ids=["whole", "cents", "one", "half"],
)
def test_format_eur(value: float, text: str) -> None:
    assert format_eur(value) == text


@given(st.integers(min_value=-(10**12), max_value=10**12))
def test_whole_numbers_read_back(n: int) -> None:
    assert parse_decimal(format_number(n), locale="de_DE") == Decimal(n)


@given(st.decimals(min_value=-(10**9), max_value=10**9, places=2, allow_nan=False))
def test_amounts_read_back_to_the_cent(d: Decimal) -> None:
    text = format_eur(float(d)).removesuffix(" €")
    assert parse_decimal(text, locale="de_DE") == d
