"""Typed form parsing, German labels, the report/export builders and their call filter
(CLI and review page, no server)."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from models.db import session_scope
from skizzen.doors.web.forms import InputError, input_text, parse_field_input, parse_number
from skizzen.labels import code_label, format_datetime, format_number, format_value
from skizzen.outputs.report import build_report, current_rows
from skizzen.outputs.stats import SECTIONS, summarise
from skizzen.outputs.table import EXPORT_COLUMNS, HEADERS
from skizzen.outputs.workbook import DATA_SHEET, DATE_FORMAT, DATETIME_FORMAT, EURO_FORMAT
from tests.skizzen.outputs.rows import row
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


@pytest.mark.parametrize(
    ("rows", "expect"),
    [
        ([], {"total": 0, "counted": 0, "eligible": 0}),
        (
            [row(1, themes=["Mobilität"], bundesland="Bayern", gesamtkosten_eur=300000)],
            {"counted": 1, "eligible": 1, "by_state": {"Bayern": 1}, "costs": [300000.0]},
        ),
        (
            [row(1, themes=["Mobilität"]), row(2, themes=["Mobilität"], supersedes_id=1)],
            {"total": 2, "counted": 1},
        ),
        (
            [row(1, status="not_a_sketch", violations=["x"]), row(2, violations=["a", "b"])],
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
def test_summarise(rows: list[dict[str, Any]], expect: dict[str, Any]) -> None:
    data = summarise(rows)
    for key, value in expect.items():
        assert getattr(data, key) == value, key
    assert sum(data.by_topic.values()) == sum(
        len(r["themes"])
        for r in rows
        if r["sketch_id"] not in {x["supersedes_id"] for x in rows}
        and r["status"] != "not_a_sketch"
    )


def _xlsx_rows(path: Path, sheet: str) -> list[tuple[Any, ...]]:
    from openpyxl import load_workbook

    return list(load_workbook(path)[sheet].iter_rows(values_only=True))


def test_build_report_writes_html_csv_and_excel(web_env: WebEnv, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    with session_scope(web_env.config.database_url) as s:
        paths = build_report(s, out_dir=tmp_path / "out")
        rows = current_rows(s)
    html = paths["html"].read_text(encoding="utf-8")
    for heading in SECTIONS.values():
        assert f"<h2>{heading}</h2>" in html
    assert html.count("data:image/svg+xml;base64,") >= 5
    assert "<script" not in html and "http://" not in html.replace("http://www.w3.org", "")
    reader = csv.DictReader(
        io.StringIO(paths["csv"].read_text(encoding="utf-8-sig")), delimiter=";"
    )
    assert tuple(reader.fieldnames or ()) == HEADERS
    got = {int(r["Skizze"]): r for r in reader}
    assert got[web_env.ids["kranichsee"]]["Projekttitel"] == XSS
    assert got[web_env.ids["rotenfels"]]["Kooperationspartner"] == "Verein A; Verein B"
    assert got[web_env.ids["kranichsee"]]["Prüfbefunde"] == code_label("cost_out_of_range")
    wb = load_workbook(paths["xlsx"])
    assert wb.sheetnames == [DATA_SHEET, *SECTIONS.values()]
    ws = wb[DATA_SHEET]
    assert ws.max_row == len(rows) + 1 and tuple(c.value for c in ws[1]) == HEADERS
    col = {h: i + 1 for i, h in enumerate(HEADERS)}
    line = 1 + [r["sketch_id"] for r in rows].index(web_env.ids["lindenhagen"])
    cell = ws.cell(row=line + 1, column=col["Eingang"])
    assert cell.value == datetime(2021, 3, 2, 11, 14) and cell.number_format == DATETIME_FORMAT
    cell = ws.cell(row=line + 1, column=col["Projektbeginn"])
    assert cell.value == datetime(2021, 9, 1) and cell.number_format == DATE_FORMAT
    cell = ws.cell(row=line + 1, column=col["Gesamtkosten (€)"])
    assert cell.value == 384500 and cell.number_format == EURO_FORMAT
    cell = ws.cell(row=line + 1, column=col["Prüfbefunde"])
    assert cell.value == code_label("no_cooperation_partner")
    status = dict(_xlsx_rows(paths["xlsx"], SECTIONS["status"])[1:])
    assert status == {"zu prüfen": 2, "freigegeben": 1}


def test_exports_never_write_formulas(tmp_path: Path) -> None:
    from openpyxl import load_workbook

    from skizzen.outputs.report import write_csv, write_xlsx

    rows = [row(1, projekttitel="=HYPERLINK(1)", eigenanteil_eur=-5)]
    write_xlsx(rows, tmp_path / "x.xlsx")
    ws = load_workbook(tmp_path / "x.xlsx")[DATA_SHEET]
    cell = ws.cell(row=2, column=EXPORT_COLUMNS.index("projekttitel") + 1)
    assert cell.data_type == "s" and cell.value == "'=HYPERLINK(1)"
    cell = ws.cell(row=2, column=EXPORT_COLUMNS.index("eigenanteil_eur") + 1)
    assert cell.data_type == "n" and cell.value == -5
    write_csv(rows, tmp_path / "x.csv")
    text = (tmp_path / "x.csv").read_text(encoding="utf-8-sig")
    assert ";'=HYPERLINK(1);" in text and ";-5;" in text


# --- one call ---------------------------------------------------------------------------------


@pytest.fixture()
def cli_env(web_env: WebEnv, monkeypatch: pytest.MonkeyPatch) -> WebEnv:
    monkeypatch.setenv("SKIZZEN_DATABASE_URL", web_env.config.database_url)
    monkeypatch.setenv("SKIZZEN_DATA_DIR", web_env.config.data_dir)
    return web_env


CALLS = [
    pytest.param(None, ["kranichsee", "lindenhagen", "rotenfels"], id="all-calls"),
    pytest.param("heimat-2.0", ["kranichsee", "lindenhagen"], id="heimat-2.0"),
    pytest.param("heimat-3.0", ["rotenfels"], id="heimat-3.0"),
]


def _ids(env: WebEnv, keys: list[str]) -> set[int]:
    return {env.ids[k] for k in keys}


@pytest.mark.parametrize(("call", "keys"), CALLS)
def test_report_command_filters_to_one_call(
    cli_env: WebEnv, tmp_path: Path, call: str | None, keys: list[str]
) -> None:
    from typer.testing import CliRunner

    from skizzen.doors.cli import app

    out = tmp_path / "bericht"
    result = CliRunner().invoke(
        app, ["report", "--out", str(out), *(["--call", call] if call else [])]
    )
    assert result.exit_code == 0, result.output
    text = (out / "skizzen.csv").read_text(encoding="utf-8-sig")
    csv_rows = list(csv.DictReader(io.StringIO(text), delimiter=";"))
    assert {int(r["Skizze"]) for r in csv_rows} == _ids(cli_env, keys)
    assert {r["Förderaufruf"] for r in csv_rows} == (
        {call} if call else {"heimat-2.0", "heimat-3.0"}
    )
    sheet = _xlsx_rows(out / "skizzen.xlsx", DATA_SHEET)[1:]
    assert {r[0] for r in sheet} == _ids(cli_env, keys)
    html = (out / "bericht.html").read_text(encoding="utf-8")
    assert f"{len(keys)} Skizzen-Dokumente" in html
    assert (f"Förderaufruf {call}" in html) == bool(call)


@pytest.mark.parametrize(("call", "keys"), CALLS)
def test_export_command_filters_to_one_call(
    cli_env: WebEnv, tmp_path: Path, call: str | None, keys: list[str]
) -> None:
    from typer.testing import CliRunner

    from skizzen.doors.cli import app

    option = ["--call", call] if call else []
    out = tmp_path / "skizzen.jsonl"
    result = CliRunner().invoke(app, ["export", "--out", str(out), *option])
    assert result.exit_code == 0, result.output
    got = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert {r["sketch_id"] for r in got} == _ids(cli_env, keys)
    result = CliRunner().invoke(app, ["export", "--attachments", "--out", str(out), *option])
    assert result.exit_code == 0, result.output
    mails = {
        json.loads(line)["message_id"] for line in out.read_text(encoding="utf-8").splitlines()
    }
    expected = {f"<{k}@test>" for k in keys} | (set() if call else {"<frage@test>"})
    assert mails == expected  # a mail without a sketch belongs to no call


@pytest.mark.parametrize(
    "command",
    [["report", "--out", "bericht"], ["export", "--out", "x.jsonl"]],
    ids=["report", "export"],
)
def test_unknown_call_is_refused(
    cli_env: WebEnv, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, command: list[str]
) -> None:
    from typer.testing import CliRunner

    from skizzen.doors.cli import app

    (here := tmp_path / "cwd").mkdir()
    monkeypatch.chdir(here)
    result = CliRunner().invoke(app, [*command, "--call", "heimat-9.9"])
    assert result.exit_code == 2
    assert "Unbekannter Förderaufruf: heimat-9.9 (vorhanden: heimat-2.0, heimat-3.0)" in " ".join(
        result.output.split()
    )
    assert not list(here.iterdir()), "nothing is written for an unknown call"


@pytest.mark.parametrize(
    ("query", "code", "text"),
    [
        pytest.param("", 200, "3 Skizzen-Dokumente", id="all-calls"),
        pytest.param("?call=", 200, "3 Skizzen-Dokumente", id="empty-is-all"),
        pytest.param(
            "?call=heimat-3.0", 200, "Förderaufruf heimat-3.0 · 1 Skizzen-Dokumente", id="one-call"
        ),
        pytest.param("?call=heimat-9.9", 404, "Unbekannter Förderaufruf: heimat-9.9", id="unknown"),
    ],
)
def test_report_page_takes_a_call(
    make_client: Callable[..., Any], query: str, code: int, text: str
) -> None:
    r = make_client("lea").get(f"/bericht{query}")
    assert r.status_code == code
    assert text in " ".join(r.text.split())
