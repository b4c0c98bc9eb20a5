"""Contact normalisers and a letterhead with contact data."""

from __future__ import annotations

import pytest

from extractors.values import clean_person, email_is_valid, phone_is_plausible

PERSONS = [
    ("Herr Bernd Thiele", "Bernd Thiele"),
    ("Frau Dr. Maren Brandt (Bürgermeisterin)", "Dr. Maren Brandt"),
    ("Frau Lena Seidel, Bürgermeisterin", "Lena Seidel"),
    ("Referent des Bürgermeisters", None),
]


@pytest.mark.parametrize(("text", "want"), PERSONS, ids=[p[0] for p in PERSONS])
def test_clean_person(text: str, want: str | None) -> None:
    assert clean_person(text) == want


@pytest.mark.parametrize(
    ("addr", "ok"),
    [("a.b@gemeinde-x.de", True), ("x@@gemeinde-y.de", False)],
    ids=["valid", "double-at"],
)
def test_email_syntax(addr: str, ok: bool) -> None:
    assert email_is_valid(addr) is ok


@pytest.mark.parametrize(
    "phone", ["05276 21379-17", "(04474) 27 43 21 9", "+49 35754 7950811", "06384 / 71784 - 37"]
)
def test_phone_plausible(phone: str) -> None:
    assert phone_is_plausible(phone)
