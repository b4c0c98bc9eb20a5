"""The independent held-out set: generator sanity, determinism, and accuracy floors.

The floors are what the extractors reached when the set was written; they catch regressions
on layouts and wording the sample corpus does not contain. Raise them when extraction improves.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import importlib.util
import json
import re
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pdfplumber
import pytest
from hypothesis import given
from hypothesis import strategies as st

from extractors.doctype import classify_parsed
from extractors.types import CORPORATION_TYPES, FIELD_NAMES, SOLUTION_KINDS, TOPIC_FIELDS
from skizzen.documents.parsing import parse_pdf_inprocess
from tests.heldout.make_heldout import (
    LAYOUTS,
    PLAN,
    HeldoutSketch,
    add_months,
    amount_style,
    compute_violations,
    date_text,
    euro_text,
    euro_value,
    make_heldout,
)

pytestmark = pytest.mark.slow

SKETCH_IDS = [f"H{i + 1:03d}" for i in range(len(PLAN))]
CORPUS_KEYS = {
    "sketch_id",
    "pdf",
    "layout",
    "fields",
    "themes",
    "loesungsart",
    "violations",
    "supersedes",
    "evidence",
    "notes",
}

# (layout, field) whose literal the current parser mangles although the PDF shows it intact:
# pdfplumber splits the text of a cell spanning several columns at the inner column border
# ("Modellprojekt f<TAB>ür"). Reported to the parser owner; xfail (not strict) until fixed.
KNOWN_PARSER_LOSSES: frozenset[tuple[str, str]] = frozenset({("landscape_sheet", "projekttitel")})

# Measured on the held-out set (seed 11) when this test was written, minus a small margin.
OVERALL_FLOOR = 0.89
THEMES_F1_FLOOR = 0.94
KINDS_F1_FLOOR = 0.93
FIELD_FLOORS: dict[str, float] = {
    "projekttitel": 0.84,
    "akronym": 0.87,
    "antragsteller": 0.84,
    "koerperschaft_typ": 0.84,
    "landkreis": 0.81,
    "bundesland": 0.93,
    "ansprechperson": 0.93,
    "email": 0.93,
    "telefon": 0.96,
    "plz": 0.84,
    "einwohnerzahl": 0.84,
    "kooperationspartner": 0.78,
    "themenfelder": 0.96,
    "laufzeit_monate": 0.96,
    "projektbeginn": 0.96,
    "gesamtkosten_eur": 0.96,
    "foerdersumme_eur": 0.96,
    "eigenanteil_eur": 0.96,
    "datum": 0.84,
}


def _norm(text: str) -> str:
    return " ".join(text.split())


def _eval_module() -> ModuleType:
    path = Path(__file__).resolve().parents[2] / "scripts" / "eval_heldout.py"
    spec = importlib.util.spec_from_file_location("eval_heldout", path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules["eval_heldout"] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def heldout(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, HeldoutSketch]]:
    root = tmp_path_factory.mktemp("heldout")
    sketches = make_heldout(root, seed=11)
    return root, {s.sketch_id: s for s in sketches}


@pytest.fixture(scope="module")
def parsed(heldout: tuple[Path, dict[str, HeldoutSketch]]) -> dict[str, Any]:
    root, sketches = heldout
    return {sid: parse_pdf_inprocess((root / s.pdf).read_bytes()) for sid, s in sketches.items()}


# --------------------------------------------------------------------------- shape of the set


def test_set_covers_plan(heldout: tuple[Path, dict[str, HeldoutSketch]]) -> None:
    root, sketches = heldout
    assert 25 <= len(sketches) <= 35
    assert len({s.layout for s in sketches.values()}) >= 6
    assert {s.layout for s in sketches.values()} <= set(LAYOUTS)
    assert {s.fields["koerperschaft_typ"] for s in sketches.values()} == set(CORPORATION_TYPES)
    codes = {v for s in sketches.values() for v in s.violations}
    for code in (
        "cost_out_of_range",
        "duration_too_long",
        "applicant_is_district_alone",
        "no_cooperation_partner",
        "funding_sum_mismatch",
        "invalid_email",
        "invalid_postcode",
        "unknown_state",
        "invalid_date",
        "missing_field:email",
    ):
        assert code in codes, code
    assert sum(not s.violations for s in sketches.values()) >= len(sketches) // 2
    assert any(not s.fields["themenfelder"] for s in sketches.values())
    assert any(s.fields["akronym"] is None for s in sketches.values())
    assert any(s.fields["datum"] is None for s in sketches.values())
    rows = [json.loads(x) for x in (root / "truth.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [r["sketch_id"] for r in rows] == SKETCH_IDS


@pytest.mark.parametrize("sid", SKETCH_IDS, ids=SKETCH_IDS)
def test_truth_follows_corpus_conventions(
    heldout: tuple[Path, dict[str, HeldoutSketch]], sid: str
) -> None:
    root, sketches = heldout
    row = sketches[sid].as_json()
    assert set(row) == CORPUS_KEYS
    assert list(row["fields"]) == list(FIELD_NAMES) == list(row["evidence"])
    f = row["fields"]
    assert isinstance(f["plz"], str)
    assert not re.match(r"(Land)?[Kk]reis ", f["landkreis"])
    assert f["koerperschaft_typ"] in CORPORATION_TYPES
    assert [t for t in TOPIC_FIELDS if t in f["themenfelder"]] == f["themenfelder"]
    assert 1 <= len(row["themes"]) <= 3 and set(row["themes"]) <= set(TOPIC_FIELDS)
    assert 1 <= len(row["loesungsart"]) <= 2 and set(row["loesungsart"]) <= set(SOLUTION_KINDS)
    for name in ("gesamtkosten_eur", "foerdersumme_eur", "eigenanteil_eur"):
        v = f[name]
        assert v is None or isinstance(v, int) or (isinstance(v, float) and not v.is_integer())
    assert not re.match(r"(Frau|Herr) ", f["ansprechperson"])
    assert row["violations"] == sorted(row["violations"]) == compute_violations(f)
    assert (root / row["pdf"]).is_file()


def test_violations_agree_with_gx_suite(heldout: tuple[Path, dict[str, HeldoutSketch]]) -> None:
    """The truth's violations equal what the project's GX suite computes from the fields."""
    from skizzen.steps.quality import run_checks

    _root, sketches = heldout
    rows = [{"key": sid, **s.fields} for sid, s in sketches.items()]
    report = run_checks(rows)
    got = {sid: sorted({v.code for v in vs}) for sid, vs in report.violations.items()}
    assert got == {sid: s.violations for sid, s in sketches.items()}


# --------------------------------------------------------------------------- determinism


def _digests(root: Path) -> dict[str, str]:
    return {
        str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def test_generator_is_deterministic(tmp_path: Path) -> None:
    make_heldout(tmp_path / "a", seed=11)
    make_heldout(tmp_path / "b", seed=11)
    make_heldout(tmp_path / "c", seed=12)
    a, b, c = (_digests(tmp_path / x) for x in "abc")
    assert a == b
    assert a["truth.jsonl"] != c["truth.jsonl"]


# --------------------------------------------------------------------------- sanity per PDF


@pytest.mark.parametrize("sid", SKETCH_IDS, ids=SKETCH_IDS)
def test_evidence_is_in_parsed_text(
    heldout: tuple[Path, dict[str, HeldoutSketch]], parsed: dict[str, Any], sid: str
) -> None:
    sketch = heldout[1][sid]
    text = _norm(parsed[sid].text.replace("\f", " "))
    # a single word the layout wraps inside a narrow cell ("…@amt-uhls" / "tedt.de") is
    # read as two; the field extractor glues it, so the literal counts as present
    squeezed = "".join(text.split())
    missing = [
        (name, literal)
        for name, value in sketch.evidence.items()
        for literal in (value if isinstance(value, list) else [value])
        if literal is not None
        and _norm(literal) not in text
        and not (" " not in literal.strip() and literal.strip() in squeezed)
    ]
    if missing and all((sketch.layout, name) in KNOWN_PARSER_LOSSES for name, _ in missing):
        pytest.xfail(f"known parser loss on merged cells: {missing}")
    assert not missing


@pytest.mark.parametrize("sid", SKETCH_IDS, ids=SKETCH_IDS)
def test_classified_as_sketch(parsed: dict[str, Any], sid: str) -> None:
    kind = classify_parsed(parsed[sid])
    assert kind.kind == "sketch", kind.reason


@pytest.mark.parametrize("sid", SKETCH_IDS, ids=SKETCH_IDS)
def test_free_text_length(
    heldout: tuple[Path, dict[str, HeldoutSketch]], parsed: dict[str, Any], sid: str
) -> None:
    words = len(parsed[sid].text.split())
    assert 150 <= words <= 900


def test_steckbrief_has_ligatures_and_hyphenation(
    heldout: tuple[Path, dict[str, HeldoutSketch]], parsed: dict[str, Any]
) -> None:
    """The DTP layout really carries what it is meant to test: ligature glyphs and
    syllable hyphens at line ends in the PDF; the parser repairs both."""
    root, sketches = heldout
    ids = [sid for sid, s in sketches.items() if s.layout == "steckbrief_2col"]
    raw, glyphs = "", ""
    for sid in ids:
        with pdfplumber.open(root / sketches[sid].pdf) as pdf:
            raw += "\n".join(p.extract_text() or "" for p in pdf.pages)
            glyphs += "".join(c["text"] for p in pdf.pages for c in p.chars)
    assert re.search("[\ufb00-\ufb02]", glyphs)
    assert re.search(r"[a-zäöü]-\n[a-zäöü]", raw)
    assert not any(re.search("[\ufb00-\ufb02]", parsed[sid].text) for sid in ids)


# --------------------------------------------------------------------------- formatters


def _parse_euro(text: str) -> float:
    """Reference reader for the generator's literal styles (independent of extractors)."""
    t = text.replace("€", "").replace("EUR", "").replace("Euro", "").strip()
    factor = 1.0
    if t.endswith("TEUR") or t.endswith("T"):
        t, factor = t.removesuffix("TEUR").removesuffix("T").strip(), 1000.0
    elif t.endswith("Mio."):
        t, factor = t.removesuffix("Mio.").strip(), 1_000_000.0
    t = t.rstrip("-–").rstrip(",").strip()
    return float(t.replace(".", "").replace(",", ".")) * factor


STYLES = (
    "eur_dash",
    "teur_sym",
    "teur",
    "mio",
    "sym_prefix",
    "euro_word",
    "eur_suffix",
    "dash_sym",
    "sym_cents",
)


@pytest.mark.parametrize("style", STYLES, ids=STYLES)
@given(cents=st.integers(min_value=100_000_00, max_value=900_000_00))
def test_amount_literal_round_trips(style: str, cents: int) -> None:
    literal = euro_text(cents, amount_style(cents, style))
    assert abs(_parse_euro(literal) - float(euro_value(cents))) < 0.005


@given(
    d=st.dates(min_value=dt.date(2019, 1, 1), max_value=dt.date(2025, 12, 31)),
    months=st.integers(min_value=1, max_value=48),
)
def test_add_months_and_date_text(d: dt.date, months: int) -> None:
    later = add_months(d, months)
    assert later.day == 1
    assert (later.year - d.year) * 12 + later.month - d.month == months
    assert date_text(d, "numeric") == d.strftime("%d.%m.%Y")
    assert date_text(d, "long").endswith(str(d.year))


# --------------------------------------------------------------------------- floors


@pytest.fixture(scope="module")
def report(heldout: tuple[Path, dict[str, HeldoutSketch]], parsed: dict[str, Any]) -> Any:
    root, sketches = heldout
    return _eval_module().evaluate(root, [s.as_json() for s in sketches.values()], docs=parsed)


def test_overall_floors(report: Any) -> None:
    assert report.overall_accuracy >= OVERALL_FLOOR
    assert report.themes_f1 >= THEMES_F1_FLOOR
    assert report.loesungsart_f1 >= KINDS_F1_FLOOR


@pytest.mark.parametrize("name", list(FIELD_FLOORS), ids=list(FIELD_FLOORS))
def test_field_floor(report: Any, name: str) -> None:
    assert report.field_accuracy[name] >= FIELD_FLOORS[name], [
        (m.sketch_id, m.got, m.want) for m in report.misses if m.name == name
    ]
