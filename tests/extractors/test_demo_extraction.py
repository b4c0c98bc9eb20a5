"""The demo sketches were written by someone other than the extractor's author: every field
of each must come out right (a small check on wording and layouts nobody tuned on)."""

from __future__ import annotations

import pytest

from extractors.fields import extract_fields
from extractors.types import FIELD_NAMES
from lab.demo_pdf import render_sketch
from lab.demo_sketches import DEMO_SKETCHES
from lab.evaluation import values_equal
from skizzen.documents.parsing import parse_pdf_inprocess


@pytest.mark.parametrize("sketch", DEMO_SKETCHES, ids=[s.filename for s in DEMO_SKETCHES])
def test_demo_sketch_fields(sketch: object) -> None:
    doc = parse_pdf_inprocess(render_sketch(sketch))  # type: ignore[arg-type]
    got = extract_fields(doc)
    wrong = {
        name: (sketch.fields[name], got[name].value)  # type: ignore[attr-defined]
        for name in FIELD_NAMES
        if not values_equal(sketch.fields[name], got[name].value)  # type: ignore[attr-defined]
    }
    assert not wrong
