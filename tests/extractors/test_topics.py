"""Declared topic fields."""

from __future__ import annotations

import pytest

from extractors.types import TOPIC_FIELDS
from extractors.values import canonical_topic

NAMES = [
    ("Bildung und digitale Kompetenzen", TOPIC_FIELDS[2]),
    ("Soziales und Kultur", TOPIC_FIELDS[1]),
    ("Lokale/regionale Versorgung", TOPIC_FIELDS[0]),
    ("Verwaltung / E-Government", TOPIC_FIELDS[6]),
    ("Mobilität im ländlichen Raum", TOPIC_FIELDS[4]),
    ("Wohn- und Arbeitsstandorte", TOPIC_FIELDS[5]),
    ("Gesundheits- und Pflegeversorgung", TOPIC_FIELDS[3]),
    ("Sonstiges", None),
]


@pytest.mark.parametrize(("text", "want"), NAMES, ids=[n[0] for n in NAMES])
def test_canonical_topic(text: str, want: str | None) -> None:
    assert canonical_topic(text) == want


@pytest.mark.parametrize("name", TOPIC_FIELDS, ids=list(TOPIC_FIELDS))
def test_canonical_names_map_to_themselves(name: str) -> None:
    assert canonical_topic(name) == name
