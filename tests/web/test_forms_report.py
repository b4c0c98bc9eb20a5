"""Typed form parsing, German labels and the report/export builders (pure, no server)."""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from models.db import session_scope
from skizzen.doors.web.forms import InputError, input_text, parse_field_input, parse_number
from skizzen.outputs.labels import code_label, format_datetime, format_number, format_value
from skizzen.outputs.report import EXPORT_COLUMNS, build_report, current_rows, summarise
from tests.web.conftest import WebEnv
from tests.web.factory import XSS


@pytest.mark.parametrize(
    ("raw", "number"),
    [
        ("384.500,00", 384500.0),
        ("384500", 384500.0),
        ("1 200 €", 1200.0),
        ("12,5", 12.5),
        ("0,45", 0.45),
        ("450.000 EUR", 450000.0),
        ("2.340", 2340.0),
    ],
    ids=["german-cents", "plain", "space-euro", "decimal-comma", "fraction", "eur", "grouped"],
)
def test_parse_number(raw: str, number: float) -> None:
    assert parse_number(raw) == number


@pytest.mark.parametrize(
    "raw", ["", "abc", "1.2.3,4,5", "12a"], ids=["empty", "word", "mess", "suffix"]
)
def test_parse_number_refuses(raw: str) -> None:
    with pytest.raises(InputError):
        parse_number(raw)


@given(st.integers(min_value=0, max_value=10**12))
def test_german_grouping_round_trips(n: int) -> None:
    assert parse_number(format_number(float(n))) == n
    assert parse_field_input("int", format_number(float(n))) == n


@given(st.integers(min_value=0, max_value=10**10), st.integers(min_value=0, max_value=99))
def test_money_with_cents_round_trips(euros: int, cents: int) -> None:
    value = euros + cents / 100
    assert parse_field_input("money", format_number(value, decimals=2)) == pytest.approx(value)


@given(st.dates(min_value=date(1900, 1, 1), max_value=date(2100, 12, 31)))
def test_dates_round_trip_both_ways(d: date) -> None:
    iso = d.isoformat()
    assert parse_field_input("date", iso) == iso
    assert parse_field_input("date", format_value(iso, "date")) == iso


@given(
    st.lists(
        st.text(alphabet=st.characters(blacklist_categories=("Cc", "Cs", "Zl", "Zp")), min_size=1)
        .map(str.strip)
        .filter(bool)
    )
)
def test_lists_round_trip(items: list[str]) -> None:
    assert parse_field_input("list", input_text("list", items)) == items


@pytest.mark.parametrize(
    ("code", "label"),
    [
        ("cost_out_of_range", "Gesamtkosten außerhalb 200.000–600.000 €"),
        ("missing_field:email", "Pflichtfeld fehlt: E-Mail"),
        ("low_confidence:antragsteller", "Unsicher erkannt: Antragsteller"),
        ("brand_new_rule", "brand_new_rule"),
    ],
    ids=["known", "missing-field", "low-confidence", "unknown"],
)
def test_code_labels_are_german(code: str, label: str) -> None:
    assert code_label(code) == label


def test_datetimes_are_shown_in_berlin_time() -> None:
    assert format_datetime(datetime(2021, 3, 2, 10, 14, tzinfo=UTC)) == "02.03.2021 11:14"
    assert format_datetime(datetime(2021, 7, 1, 10, 0)) == "01.07.2021 12:00"
    assert format_datetime(None) == "–"


def _rec(sid: int, **kw: Any) -> dict[str, Any]:
    fields = {"bundesland": kw.pop("state", None), "gesamtkosten_eur": kw.pop("cost", None)}
    return {
        "sketch_id": sid,
        "status": "needs_review",
        "themes": [],
        "violations": [],
        "supersedes_id": None,
        "fields": fields,
        **kw,
    }


@pytest.mark.parametrize(
    ("records", "expect"),
    [
        ([], {"total": 0, "counted": 0, "eligible": 0}),
        (
            [_rec(1, themes=["Mobilität"], state="Bayern", cost=300000)],
            {"counted": 1, "eligible": 1, "by_state": {"Bayern": 1}, "costs": [300000.0]},
        ),
        (
            [_rec(1, themes=["Mobilität"]), _rec(2, themes=["Mobilität"], supersedes_id=1)],
            {"total": 2, "counted": 1},
        ),
        (
            [_rec(1, status="not_a_sketch", violations=["x"]), _rec(2, violations=["a", "b"])],
            {
                "counted": 1,
                "with_findings": 1,
                "by_code": {"a": 1, "b": 1},
                "by_state": {"unbekannt": 1},
                "by_status": {"needs_review": 1, "not_a_sketch": 1},
            },
        ),
    ],
    ids=["empty", "one", "replaced-version-not-counted", "non-sketch-not-counted"],
)
def test_summarise(records: list[dict[str, Any]], expect: dict[str, Any]) -> None:
    data = summarise(records)
    for key, value in expect.items():
        assert getattr(data, key) == value, key
    assert sum(data.by_topic.values()) == sum(
        len(r["themes"])
        for r in records
        if r["sketch_id"] not in {x["supersedes_id"] for x in records}
        and r["status"] != "not_a_sketch"
    )


def test_build_report_writes_html_csv_and_excel(web_env: WebEnv, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    with session_scope(web_env.config.database_url) as s:
        paths = build_report(s, out_dir=tmp_path / "out")
        rows = current_rows(s)
    html = paths["html"].read_text(encoding="utf-8")
    for heading in (
        "Thematische Streuung",
        "Skizzen je Bundesland",
        "Gesamtkosten",
        "Formale Förderfähigkeit",
        "Stand der Prüfung",
    ):
        assert heading in html
    assert html.count("data:image/svg+xml;base64,") >= 5
    assert "<script" not in html and "http://" not in html.replace("http://www.w3.org", "")
    reader = csv.DictReader(
        io.StringIO(paths["csv"].read_text(encoding="utf-8-sig")), delimiter=";"
    )
    assert tuple(reader.fieldnames or ()) == EXPORT_COLUMNS
    got = {int(r["sketch_id"]): r for r in reader}
    assert got[web_env.ids["kranichsee"]]["projekttitel"] == XSS
    assert got[web_env.ids["rotenfels"]]["kooperationspartner"] == "Verein A; Verein B"
    ws = load_workbook(paths["xlsx"])["Skizzen"]
    assert ws.max_row == len(rows) + 1 and ws["A1"].value == "Skizze"


def test_exports_never_write_formulas(web_env: WebEnv, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    from skizzen.outputs.report import write_csv, write_xlsx

    rows = [{c: None for c in EXPORT_COLUMNS} | {"sketch_id": 1, "projekttitel": "=HYPERLINK(1)"}]
    write_xlsx(rows, tmp_path / "x.xlsx")
    cell = load_workbook(tmp_path / "x.xlsx")["Skizzen"].cell(
        row=2, column=EXPORT_COLUMNS.index("projekttitel") + 1
    )
    assert cell.data_type == "s" and cell.value == "=HYPERLINK(1)"
    write_csv(rows, tmp_path / "x.csv")
    assert ";'=HYPERLINK(1);" in (tmp_path / "x.csv").read_text(encoding="utf-8-sig")
