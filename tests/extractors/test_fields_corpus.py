"""Per-field accuracy floors on the labelled sample corpus (skipped without it)."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from extractors.fields import extract_fields
from extractors.types import FIELD_NAMES
from skizzen.parsing import parse_pdf_inprocess

CORPUS = Path(__file__).resolve().parents[3] / "shared" / "corpus" / "sample"
FLOOR = 0.85
OVERALL_FLOOR = 0.97


def _equal(got: object, want: object) -> bool:
    if isinstance(want, int | float) and isinstance(got, int | float):
        return abs(float(got) - float(want)) <= 0.005
    return got == want


@pytest.mark.slow
@pytest.mark.skipif(not (CORPUS / "sketches.jsonl").exists(), reason="corpus not present")
def test_field_accuracy_floors() -> None:
    hits: Counter[str] = Counter()
    total = 0
    for line in (CORPUS / "sketches.jsonl").read_text().splitlines():
        row = json.loads(line)
        if not (row["pdf"] or "").startswith("pdf/"):
            continue
        total += 1
        got = extract_fields(parse_pdf_inprocess((CORPUS / row["pdf"]).read_bytes()))
        assert set(got) == set(FIELD_NAMES)
        for f in FIELD_NAMES:
            assert 0.0 <= got[f].confidence <= 1.0
            hits[f] += _equal(got[f].value, row["fields"][f])
    per_field = {f: hits[f] / total for f in FIELD_NAMES}
    low = {f: round(a, 3) for f, a in per_field.items() if a < FLOOR}
    assert not low, f"fields below {FLOOR}: {low}"
    assert sum(hits.values()) / (total * len(FIELD_NAMES)) >= OVERALL_FLOOR
