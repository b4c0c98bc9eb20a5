"""The Excel workbook read back with openpyxl: sheets, German headers, typed cells, no formulas."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from openpyxl.cell.cell import Cell

from skizzen.labels import code_label
from skizzen.outputs.stats import COST_STEP, SECTIONS, cost_bands
from skizzen.outputs.table import EXPORT_COLUMNS, HEADERS
from skizzen.outputs.workbook import (
    DATA_SHEET,
    DATE_FORMAT,
    DATETIME_FORMAT,
    EURO_FORMAT,
    INT_FORMAT,
    typed_cell,
    write_xlsx,
)
from tests.skizzen.outputs.rows import row
from tests.skizzen.outputs.test_table import INJECTION


def _cells(path: Path, sheet: str = DATA_SHEET) -> dict[tuple[int, str], Cell]:
    """Data cells of a sheet by (row number, header)."""
    ws = load_workbook(path)[sheet]
    header = [c.value for c in ws[1]]
    return {
        (cell.row, str(header[cell.column - 1])): cell
        for line in ws.iter_rows(min_row=2)
        for cell in line
    }


@pytest.mark.parametrize(
    ("value", "kind", "cell", "fmt"),
    [
        pytest.param(None, "text", None, None, id="none"),
        pytest.param(
            datetime(2021, 3, 2, 10, 14, tzinfo=UTC),
            "datetime",
            datetime(2021, 3, 2, 11, 14),
            DATETIME_FORMAT,
            id="datetime-berlin-naive",
        ),
        pytest.param(date(2021, 9, 1), "date", date(2021, 9, 1), DATE_FORMAT, id="date"),
        pytest.param("2021-09-01", "date", date(2021, 9, 1), DATE_FORMAT, id="iso-text-date"),
        pytest.param("31.02.2021", "date", "31.02.2021", None, id="unreadable-date-text"),
        pytest.param(384500, "money", 384500, EURO_FORMAT, id="amount"),
        pytest.param(-5, "money", -5, EURO_FORMAT, id="negative-amount-number"),
        pytest.param("450 T€", "money", "450 T€", None, id="amount-as-text"),
        pytest.param(2340, "int", 2340, INT_FORMAT, id="population"),
        pytest.param(7, "id", 7, None, id="sketch-id"),
        pytest.param(["A", "B"], "list", "A; B", None, id="list"),
        pytest.param([], "list", None, None, id="empty-list-blank"),
        pytest.param("Bad\x0bname", "text", "Bad\ufffdname", None, id="control-char-replaced"),
    ],
)
def test_typed_cell(value: Any, kind: str, cell: Any, fmt: str | None) -> None:
    assert typed_cell(value, kind) == (cell, fmt)


def _workbook(tmp_path: Path) -> Path:
    rows = [
        row(
            1,
            projekttitel="Lindenkorb",
            bundesland="Brandenburg",
            projektbeginn="2021-09-01",
            gesamtkosten_eur=384500,
            foerdersumme_eur=346050.5,
            einwohnerzahl=2340,
            themes=["Mobilität"],
            violations=["no_cooperation_partner", "missing_field:email"],
        ),
        row(2, bundesland="Bayern", gesamtkosten_eur=650000, status="approved"),
        row(3, gesamtkosten_eur=5e9, status="not_a_sketch"),
    ]
    out = tmp_path / "skizzen.xlsx"
    assert write_xlsx(rows, out) == 3
    return out


def test_sheets_and_their_german_headers(tmp_path: Path) -> None:
    wb = load_workbook(_workbook(tmp_path))
    assert wb.sheetnames == [DATA_SHEET, *SECTIONS.values()]
    headers = {ws.title: [c.value for c in ws[1]] for ws in wb.worksheets}
    assert tuple(headers[DATA_SHEET]) == HEADERS
    assert headers[SECTIONS["topics"]] == ["Themenfeld", "Skizzen"]
    assert headers[SECTIONS["states"]] == ["Bundesland", "Skizzen"]
    assert headers[SECTIONS["costs"]][:4] == ["Kostenband", "von", "bis unter", "Skizzen"]
    assert headers[SECTIONS["eligibility"]] == ["Prüfregel", "Regel", "erfüllt", "nicht erfüllt"]
    assert headers[SECTIONS["status"]] == ["Status", "Skizzen"]
    for ws in wb.worksheets:
        assert ws.freeze_panes in ("A2", "B2"), ws.title
        assert ws.auto_filter.ref and ws.auto_filter.ref.startswith("A1:"), ws.title
        assert all(c.font.b for c in ws[1]), ws.title


@pytest.mark.parametrize(
    ("sketch", "header", "value", "fmt"),
    [
        pytest.param(1, "Eingang", datetime(2021, 3, 2, 11, 14), DATETIME_FORMAT, id="received"),
        pytest.param(1, "Projektbeginn", datetime(2021, 9, 1), DATE_FORMAT, id="start-date"),
        pytest.param(1, "Gesamtkosten (€)", 384500, EURO_FORMAT, id="total-cost"),
        pytest.param(1, "Fördersumme (€)", 346050.5, EURO_FORMAT, id="funding-with-cents"),
        pytest.param(1, "Einwohnerzahl", 2340, INT_FORMAT, id="population"),
        pytest.param(
            1,
            "Prüfbefunde",
            f"{code_label('no_cooperation_partner')}; {code_label('missing_field:email')}",
            "General",
            id="finding-texts",
        ),
        pytest.param(2, "Status", "freigegeben", "General", id="status-german"),
    ],
)
def test_data_cells_are_typed(
    tmp_path: Path, sketch: int, header: str, value: Any, fmt: str
) -> None:
    cell = _cells(_workbook(tmp_path))[(sketch + 1, header)]
    assert cell.value == value and type(cell.value) is type(value)
    assert cell.number_format == fmt


def test_summary_sheets_count_projects(tmp_path: Path) -> None:
    wb = load_workbook(_workbook(tmp_path))
    topics = dict(wb[SECTIONS["topics"]].iter_rows(min_row=2, values_only=True))
    assert topics["Mobilität"] == 1 and len(topics) == 7
    states = dict(wb[SECTIONS["states"]].iter_rows(min_row=2, values_only=True))
    assert states == {"Brandenburg": 1, "Bayern": 1}  # the non-sketch is not counted
    status = dict(wb[SECTIONS["status"]].iter_rows(min_row=2, values_only=True))
    assert status == {"zu prüfen": 1, "freigegeben": 1, "keine Skizze": 1}
    rules = {
        r[0]: r[2:] for r in wb[SECTIONS["eligibility"]].iter_rows(min_row=2, values_only=True)
    }
    assert rules[code_label("no_cooperation_partner")] == (1, 1)
    assert rules[code_label("cost_out_of_range")] == (2, 0)  # counted from the stored codes
    assert rules["alle Prüfregeln"] == (1, 1)
    costs = wb[SECTIONS["costs"]]
    bands = list(costs.iter_rows(min_row=2, values_only=True))
    assert len(bands) == len(cost_bands([384500.0, 650000.0]))
    assert sum(b[3] for b in bands) == 2
    low, high = costs.cell(row=2, column=2), costs.cell(row=2, column=3)
    assert (low.value, high.value) == (0, COST_STEP)
    assert low.number_format == high.number_format == EURO_FORMAT


@pytest.mark.parametrize(("text", "cell"), INJECTION)
def test_text_cells_never_become_formulas(tmp_path: Path, text: str, cell: str) -> None:
    out = tmp_path / "x.xlsx"
    write_xlsx([row(1, projekttitel=text, gesamtkosten_eur=-5)], out)
    cells = _cells(out)
    title = cells[(2, "Projekttitel")]
    assert title.value == (cell or None)  # an empty text is a blank cell
    assert title.data_type in ("s", "n")  # never "f" (formula); "n" is the blank cell
    amount = cells[(2, "Gesamtkosten (€)")]
    assert amount.value == -5 and amount.data_type == "n"
    assert amount.number_format == EURO_FORMAT


def test_every_column_is_written(tmp_path: Path) -> None:
    ws = load_workbook(_workbook(tmp_path))[DATA_SHEET]
    assert ws.max_column == len(EXPORT_COLUMNS)
    assert ws.max_row == 4
