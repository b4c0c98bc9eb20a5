"""run_checks end to end through Great Expectations: one row per rule and edge case."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

import pytest

from expectations.suite import SUITE_NAME, RuleConfig, check_specs
from extractors.types import FIELD_NAMES
from skizzen.steps.quality import CheckReport, run_checks
from tests.conftest import CORPUS

SKETCHES = CORPUS / "sketches.jsonl"

CLEAN: dict[str, Any] = {
    "projekttitel": "Dorfladen digital",
    "akronym": None,
    "antragsteller": "Gemeinde Wiesenau",
    "koerperschaft_typ": "Gemeinde",
    "landkreis": "Uckermark",
    "bundesland": "Brandenburg",
    "ansprechperson": "Anna Beispiel",
    "email": "anna.beispiel@gemeinde-wiesenau.de",
    "telefon": "03984 1234-0",
    "plz": "17291",
    "einwohnerzahl": 4210,
    "kooperationspartner": ["Dorfladen Wiesenau eG"],
    "themenfelder": ["Mobilität"],
    "laufzeit_monate": 36,
    "projektbeginn": "2021-07-01",
    "gesamtkosten_eur": 450_000,
    "foerdersumme_eur": 405_000,
    "eigenanteil_eur": 45_000,
    "datum": "2021-03-15",
}

# (id, changes to the clean row, expected codes)
CASES: list[tuple[str, dict[str, Any], list[str]]] = [
    ("clean", {}, []),
    (
        "cost-200000-allowed",
        {"gesamtkosten_eur": 200_000, "foerdersumme_eur": 180_000, "eigenanteil_eur": 20_000},
        [],
    ),
    (
        "cost-600000-allowed",
        {"gesamtkosten_eur": 600_000, "foerdersumme_eur": 540_000, "eigenanteil_eur": 60_000},
        [],
    ),
    (
        "cost-650000",
        {"gesamtkosten_eur": 650_000, "foerdersumme_eur": 600_000, "eigenanteil_eur": 50_000},
        ["cost_out_of_range"],
    ),
    (
        "cost-199999.99",
        {"gesamtkosten_eur": 199_999.99, "foerdersumme_eur": None},
        ["cost_out_of_range"],
    ),
    ("cost-missing", {"gesamtkosten_eur": None}, ["missing_field:gesamtkosten_eur"]),
    ("duration-36-allowed", {"laufzeit_monate": 36}, []),
    ("duration-37", {"laufzeit_monate": 37}, ["duration_too_long"]),
    ("duration-missing", {"laufzeit_monate": None}, ["missing_field:laufzeit_monate"]),
    (
        "district-alone",
        {
            "antragsteller": "Landkreis Uckermark",
            "koerperschaft_typ": "Landkreis",
            "kooperationspartner": ["Zweckverband Digitale Uckermark"],
        },
        ["applicant_is_district_alone"],
    ),
    (
        "district-with-gemeinde",
        {
            "antragsteller": "Landkreis Uckermark",
            "koerperschaft_typ": "Landkreis",
            "kooperationspartner": ["Verein X e. V.", "Gemeinde Wiesenau"],
        },
        [],
    ),
    (
        "district-no-partner",
        {
            "antragsteller": "Landkreis Uckermark",
            "koerperschaft_typ": "Landkreis",
            "kooperationspartner": [],
        },
        ["applicant_is_district_alone", "no_cooperation_partner"],
    ),
    (
        "district-by-name-only",
        {
            "antragsteller": "Erzgebirgskreis",
            "koerperschaft_typ": None,
            "kooperationspartner": ["Kreisvolkshochschule"],
        },
        ["applicant_is_district_alone"],
    ),
    ("no-partner-empty", {"kooperationspartner": []}, ["no_cooperation_partner"]),
    ("no-partner-none", {"kooperationspartner": None}, ["no_cooperation_partner"]),
    ("funding-off-by-1-allowed", {"foerdersumme_eur": 405_001}, []),
    ("funding-off-by-1.01", {"foerdersumme_eur": 405_001.01}, ["funding_sum_mismatch"]),
    ("funding-mismatch", {"eigenanteil_eur": 40_000}, ["funding_sum_mismatch"]),
    ("funding-incomplete", {"eigenanteil_eur": None, "foerdersumme_eur": 1}, []),
    ("email-double-at", {"email": "anna@@gemeinde-wiesenau.de"}, ["invalid_email"]),
    ("email-no-domain", {"email": "anna.beispiel"}, ["invalid_email"]),
    ("email-missing", {"email": None}, ["missing_field:email"]),
    ("email-blank", {"email": "  "}, ["missing_field:email"]),
    ("plz-4-digits", {"plz": "9375"}, ["invalid_postcode"]),
    ("plz-leading-zero", {"plz": "01922"}, []),
    ("plz-letters", {"plz": "D-17291"}, ["invalid_postcode"]),
    ("plz-absent", {"plz": None}, []),
    ("state-unknown", {"bundesland": "Ostfriesland"}, ["unknown_state"]),
    ("state-freistaat", {"bundesland": "Freistaat Sachsen"}, []),
    ("state-absent", {"bundesland": None}, []),
    ("population-0", {"einwohnerzahl": 0}, ["invalid_population"]),
    ("population-negative", {"einwohnerzahl": -5}, ["invalid_population"]),
    ("population-fraction", {"einwohnerzahl": 4210.5}, ["invalid_population"]),
    ("population-text", {"einwohnerzahl": "viele"}, ["invalid_population"]),
    ("date-feb-30", {"datum": "2021-02-30"}, ["invalid_date"]),
    ("start-feb-30", {"projektbeginn": "2021-02-30"}, ["invalid_date"]),
    ("both-dates-bad", {"projektbeginn": "2021-04-31", "datum": "2021-02-29"}, ["invalid_date"]),
    ("leap-day-ok", {"datum": "2024-02-29"}, []),
    ("title-missing", {"projekttitel": None}, ["missing_field:projekttitel"]),
    ("applicant-missing", {"antragsteller": ""}, ["missing_field:antragsteller"]),
    (
        "many",
        {
            "gesamtkosten_eur": 650_000,
            "laufzeit_monate": 48,
            "kooperationspartner": [],
            "plz": "123",
            "email": None,
        },
        [
            "cost_out_of_range",
            "duration_too_long",
            "funding_sum_mismatch",
            "invalid_postcode",
            "missing_field:email",
            "no_cooperation_partner",
        ],
    ),
]


@pytest.fixture(scope="module")
def report() -> CheckReport:
    """One GX run over all cases (GX is slow to import, the rows are independent)."""
    rows = [{"key": cid, **{**CLEAN, **changes}} for cid, changes, _ in CASES]
    return run_checks(rows)


@pytest.mark.parametrize(
    ("cid", "expected"), [(c, e) for c, _, e in CASES], ids=[c for c, _, _ in CASES]
)
def test_codes_per_row(report: CheckReport, cid: str, expected: list[str]) -> None:
    assert report.codes(cid) == expected
    for violation in report.violations[cid]:
        assert violation.message and violation.message[0].isupper()


def test_report_metadata(report: CheckReport) -> None:
    assert report.suite_name == SUITE_NAME
    assert report.gx_version and report.gx_version.startswith("1.")
    assert report.data_docs_index is None
    assert report.statistics.rows == len(CASES)
    assert report.statistics.evaluated == len(check_specs())
    assert report.statistics.successful == 0  # every rule is broken by some case
    assert report.failed_keys == [c for c, _, e in CASES if e]


@pytest.mark.parametrize(
    ("cid", "code", "snippet"),
    [
        (
            "cost-650000",
            "cost_out_of_range",
            "Gesamtkosten 650.000 € liegen über der Obergrenze von 600.000 €",
        ),
        ("cost-199999.99", "cost_out_of_range", "199.999,99 € liegen unter der Untergrenze"),
        ("duration-37", "duration_too_long", "37 Monate überschreitet die Höchstdauer von 36"),
        ("plz-4-digits", "invalid_postcode", "„9375“"),
        ("state-unknown", "unknown_state", "„Ostfriesland“"),
        ("funding-mismatch", "funding_sum_mismatch", "weicht um 5.000 € von den Gesamtkosten"),
        ("date-feb-30", "invalid_date", "Datum der Skizze „2021-02-30“"),
        ("email-missing", "missing_field:email", "„E-Mail-Adresse“"),
        ("district-alone", "applicant_is_district_alone", "„Landkreis Uckermark“"),
    ],
    ids=[
        "cost-high",
        "cost-low",
        "duration",
        "plz",
        "state",
        "funding",
        "date",
        "missing",
        "district",
    ],
)
def test_messages_name_value_and_rule(
    report: CheckReport, cid: str, code: str, snippet: str
) -> None:
    messages = [v.message for v in report.violations[cid] if v.code == code]
    assert messages and snippet in messages[0]


def test_both_bad_dates_are_reported(report: CheckReport) -> None:
    fields = [v.field for v in report.violations["both-dates-bad"]]
    assert fields == ["datum", "projektbeginn"]


def test_limits_per_call() -> None:
    rows = [
        {
            "key": "a",
            **{
                **CLEAN,
                "gesamtkosten_eur": 650_000,
                "foerdersumme_eur": None,
                "laufzeit_monate": 40,
            },
        }
    ]
    strict = run_checks(rows)
    loose = run_checks(rows, config=RuleConfig(max_cost_eur=700_000, max_duration_months=48))
    assert strict.codes("a") == ["cost_out_of_range", "duration_too_long"]
    assert loose.codes("a") == []


def test_empty_batch() -> None:
    report = run_checks([])
    assert report.violations == {}
    assert report.statistics.evaluated == 0


def test_all_fields_absent_only_reports_missing_fields() -> None:
    row = {"key": "x", **dict.fromkeys(FIELD_NAMES)}
    report = run_checks([row])
    assert report.codes("x") == sorted(
        ["no_cooperation_partner"]
        + [
            f"missing_field:{f}"
            for f in (
                "projekttitel",
                "antragsteller",
                "email",
                "gesamtkosten_eur",
                "laufzeit_monate",
            )
        ]
    )


def test_custom_key_column() -> None:
    report = run_checks([{"sketch_id": "S1", **{**CLEAN, "plz": "1"}}], key="sketch_id")
    assert report.codes("S1") == ["invalid_postcode"]


def test_data_docs(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    report = run_checks([{"key": "a", **{**CLEAN, "plz": "1"}}], data_docs_dir=docs)
    assert report.data_docs_index == docs.resolve() / "index.html"
    assert report.data_docs_index.is_file()
    pages = list((docs / "validations").rglob("*.html"))
    assert len(pages) == 1
    assert "plz" in pages[0].read_text(encoding="utf-8")
    assert SUITE_NAME in report.data_docs_index.read_text(encoding="utf-8")
    assert report.pruefbericht == docs.resolve() / "pruefbericht.html"
    for page in [report.data_docs_index, *pages, report.pruefbericht]:
        assert "https://" not in page.read_text(encoding="utf-8"), page


@pytest.mark.e2e
@pytest.mark.skipif(not SKETCHES.is_file(), reason="shared corpus not present")
def test_corpus_truth_violations() -> None:
    with SKETCHES.open(encoding="utf-8") as fh:
        sketches = [json.loads(line) for line in fh]
    start = time.perf_counter()
    report = run_checks([{"key": s["sketch_id"], **s["fields"]} for s in sketches])
    elapsed = time.perf_counter() - start
    got = {s["sketch_id"]: report.codes(s["sketch_id"]) for s in sketches}
    want = {s["sketch_id"]: s["violations"] for s in sketches}
    assert got == want
    assert len(sketches) == 66
    assert elapsed < 30
