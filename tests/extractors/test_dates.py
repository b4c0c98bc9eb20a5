"""Date and duration normalisers, and dates found in rendered PDFs."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from extractors.values import parse_date, parse_duration

DATES = [
    ("15. Oktober 2020", "2020-10-15"),
    ("5.3.2021", "2021-03-05"),
    ("15.03.21", "2021-03-15"),
    ("Juli 2021", "2021-07-01"),
    ("30.02.21", "2021-02-30"),
    ("Rehlar, 19.02.2021", "2021-02-19"),
    ("1. Sept. 2021", "2021-09-01"),
    ("ohne Datum", None),
]


@pytest.mark.parametrize(("text", "want"), DATES, ids=[d[0] for d in DATES])
def test_parse_date(text: str, want: str | None) -> None:
    assert parse_date(text) == want


DURATIONS = [
    ("36 Monate", 36),
    ("3 Jahre", 36),
    ("drei Jahre", 36),
    ("zwei Jahre", 24),
    ("01.04.2021 – 31.03.2024", 36),
    ("01.03.2021 bis 28.02.2024", 36),
    ("April 2021 bis März 2024", 36),
    ("01.11.2021 – 30.06.2023", 20),
    ("15.10.2021 - 14.10.2023", 24),
    ("18 Monate (01.07.2021 bis 31.12.2022)", 18),
    ("noch offen", None),
]


@pytest.mark.parametrize(("text", "want"), DURATIONS, ids=[d[0] for d in DURATIONS])
def test_parse_duration(text: str, want: int | None) -> None:
    assert parse_duration(text) == want


@given(st.dates())
def test_numeric_date_roundtrip(d) -> None:  # type: ignore[no-untyped-def]
    if d.year < 1000:
        return
    assert parse_date(f"{d.day}.{d.month}.{d.year}") == d.isoformat()
    assert parse_date(f"{d.day:02d}.{d.month:02d}.{d.year}") == d.isoformat()


@given(st.integers(min_value=1, max_value=60))
def test_months_roundtrip(n: int) -> None:
    assert parse_duration(f"{n} Monate") == n
