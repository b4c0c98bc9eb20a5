"""Export rows and the CSV: German headers, typed values, neutralised text, the README's list."""

from __future__ import annotations

import csv
import io
import re
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest

from skizzen.labels import FIELD_LABELS, code_label
from skizzen.outputs.stats import SECTIONS
from skizzen.outputs.table import (
    COLUMNS,
    EXPORT_COLUMNS,
    HEADERS,
    columns_markdown,
    csv_cell,
    neutralise,
    write_csv,
)
from tests.skizzen.outputs.rows import row

README = Path(__file__).resolve().parents[3] / "README.md"

INJECTION = [
    pytest.param("=1+1", "'=1+1", id="equals-formula"),
    pytest.param("+1", "'+1", id="plus"),
    pytest.param("-1", "'-1", id="minus-text"),
    pytest.param("@SUM(A1:A2)", "'@SUM(A1:A2)", id="at-sum"),
    pytest.param("\tx", "'\tx", id="tab"),
    pytest.param("\rx", "'\rx", id="carriage-return"),
    pytest.param("=HYPERLINK(1)", "'=HYPERLINK(1)", id="hyperlink"),
    pytest.param("Gemeinde Lindenhagen", "Gemeinde Lindenhagen", id="plain-text"),
    pytest.param("a=1", "a=1", id="equals-inside"),
    pytest.param("– kein Partner", "– kein Partner", id="en-dash-is-no-minus"),
    pytest.param("", "", id="empty"),
]
"""(text from a PDF, what a spreadsheet cell gets); shared with the workbook tests."""


@pytest.mark.parametrize(("text", "cell"), INJECTION)
def test_neutralise(text: str, cell: str) -> None:
    assert neutralise(text) == cell


@pytest.mark.parametrize(
    ("value", "cell"),
    [
        pytest.param(None, "", id="none-empty"),
        pytest.param(-5, -5, id="negative-int-stays-number"),
        pytest.param(-5.0, -5, id="negative-float-whole"),
        pytest.param(-1234.5, "-1234,5", id="negative-cents-decimal-comma"),
        pytest.param(384500.0, 384500, id="whole-float-as-int"),
        pytest.param(346050.25, "346050,25", id="cents-decimal-comma"),
        pytest.param(date(2021, 9, 1), "2021-09-01", id="date-iso"),
        pytest.param(
            datetime(2021, 3, 2, 10, 14, tzinfo=UTC), "2021-03-02 11:14", id="utc-to-berlin"
        ),
        pytest.param(datetime(2021, 7, 1, 10, 0, tzinfo=UTC), "2021-07-01 12:00", id="summer-time"),
        pytest.param(["Verein A", "Verein B"], "Verein A; Verein B", id="list-joined"),
        pytest.param(["-Verein", "B"], "'-Verein; B", id="list-neutralised"),
        pytest.param("-5", "'-5", id="negative-as-text-neutralised"),
        pytest.param(True, "True", id="bool-is-no-number"),
    ],
)
def test_csv_cell(value: Any, cell: Any) -> None:
    assert csv_cell(value) == cell


def test_headers_are_german_labels_from_the_registry() -> None:
    assert len(set(HEADERS)) == len(HEADERS), "two columns with one header"
    by_key = dict(zip(EXPORT_COLUMNS, HEADERS, strict=True))
    for name, label in FIELD_LABELS.items():
        assert by_key[name] == label
    assert not set(HEADERS) & set(EXPORT_COLUMNS), "an English key as header"


@pytest.mark.parametrize(
    ("kw", "key", "value"),
    [
        pytest.param({"projektbeginn": "2021-09-01"}, "projektbeginn", date(2021, 9, 1), id="date"),
        pytest.param({"datum": "31.02.2021"}, "datum", "31.02.2021", id="unreadable-date-kept"),
        pytest.param({"gesamtkosten_eur": 384500}, "gesamtkosten_eur", 384500, id="amount-number"),
        pytest.param(
            {"violations": ["missing_field:email", "cost_out_of_range"]},
            "findings",
            [code_label("missing_field:email"), code_label("cost_out_of_range")],
            id="finding-texts-german",
        ),
        pytest.param({"status": "approved"}, "status_text", "freigegeben", id="status-german"),
    ],
)
def test_rows_are_typed(kw: dict[str, Any], key: str, value: Any) -> None:
    assert row(**kw)[key] == value


def test_csv_has_german_headers_and_neutralised_text(tmp_path: Path) -> None:
    rows = [
        row(1, projekttitel="=1+1", telefon="+49 30 1234", gesamtkosten_eur=-5),
        row(2, projekttitel="Dorfmitte digital", violations=["no_cooperation_partner"]),
    ]
    assert write_csv(rows, tmp_path / "s.csv") == 2
    text = (tmp_path / "s.csv").read_text(encoding="utf-8-sig")
    reader = csv.DictReader(io.StringIO(text), delimiter=";")
    assert tuple(reader.fieldnames or ()) == HEADERS
    first, second = list(reader)
    assert first["Projekttitel"] == "'=1+1"
    assert first["Telefon"] == "'+49 30 1234"
    assert first["Gesamtkosten (€)"] == "-5"
    assert first["Eingang"] == "2021-03-02 11:14"
    assert second["Prüfbefunde"] == code_label("no_cooperation_partner")


def _readme_block() -> str:
    text = README.read_text(encoding="utf-8")
    m = re.search(r"<!-- export-columns:begin -->\n(.*?)<!-- export-columns:end -->", text, re.S)
    assert m, "README has no export-columns block"
    return m.group(1)


def test_readme_lists_the_columns_of_the_code() -> None:
    """The README's table is ``columns_markdown()``; on a change, paste its output there."""
    assert _readme_block() == columns_markdown()
    assert [c.key for c in COLUMNS] == list(EXPORT_COLUMNS)


@pytest.mark.parametrize("sheet", list(SECTIONS.values()), ids=list(SECTIONS))
def test_readme_names_the_summary_sheets(sheet: str) -> None:
    section = README.read_text(encoding="utf-8").split("### Report and exports", 1)[1]
    assert f'"{sheet}"' in " ".join(section.split())
