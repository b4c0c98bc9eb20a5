"""Reading text: words hyphenated at a line end are re-joined, and nothing else changes."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from extractors.reading import dehyphen_lines

_JOINS = [
    ("Über eine Bürger-\nApp können", "Über eine Bürger-App\nkönnen"),
    ("das Bürger-\nservice-Portal", "das Bürgerservice-Portal"),
    ("Wohn-\nund Arbeitsstandorte", "Wohn- und Arbeitsstandorte"),
    ("Gesundheits-\noder Pflege", "Gesundheits- oder Pflege"),
    ("E-Mail: a.b@gemeinde-moor\nkoog.de\nDatum", "E-Mail: a.b@gemeinde-moorkoog.de\nDatum"),
    ("Laufzeit 2021-\n2024", "Laufzeit 2021-\n2024"),
    ("E-\nMail", "E-Mail"),
    ("Kontakt: info@gemeinde-\nlindenau.de", "Kontakt: info@gemeinde-lindenau.de"),
    ("Aufgaben:\n- Analyse\n- Umsetzung", "Aufgaben:\n- Analyse\n- Umsetzung"),
    ("Ver\u00adwaltung", "Verwaltung"),
    ("Ver\u00ad\nwaltung ist", "Verwaltung\nist"),
]


@pytest.mark.parametrize(("raw", "joined"), _JOINS, ids=[f[0][:22] for f in _JOINS])
def test_dehyphen_lines(raw: str, joined: str) -> None:
    """Syllable breaks join, compound hyphens and suspended compounds stay, addresses keep
    their hyphens, soft hyphens vanish."""
    assert dehyphen_lines(raw) == joined


_WORDISH = st.text(alphabet="abcÄäßXY-\n @.19\u00ad", max_size=80)


@settings(max_examples=300, deadline=None)
@given(_WORDISH)
def test_dehyphen_keeps_every_letter_and_digit(text: str) -> None:
    """Repairs only move hyphens and line breaks; no letter or digit is lost or added."""
    assert re.sub(r"\W", "", dehyphen_lines(text)) == re.sub(r"\W", "", text)


@settings(max_examples=200, deadline=None)
@given(_WORDISH)
def test_dehyphen_is_idempotent(text: str) -> None:
    once = dehyphen_lines(text)
    assert dehyphen_lines(once) == once
