"""The German Prüfbericht: written from the GX result of a batch with known failures, it lists
exactly the failing sketches per rule, in German, numbers the German way."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

from expectations.suite import RuleConfig, check_specs
from skizzen.steps.datadocs import external_references
from skizzen.steps.pruefbericht import format_value
from skizzen.steps.quality import CheckReport, run_checks
from tests.skizzen.steps.test_quality import CLEAN

DISTRICT = {
    "antragsteller": "Landkreis Uckermark",
    "koerperschaft_typ": "Landkreis",
    "kooperationspartner": [],
}

# (key, changes to the clean row)
BATCH: list[tuple[str, dict[str, Any]]] = [
    ("101", {}),
    ("102", {"gesamtkosten_eur": 650_000, "foerdersumme_eur": 600_000, "eigenanteil_eur": 50_000}),
    ("103", {"gesamtkosten_eur": 199_999.99, "foerdersumme_eur": None}),
    ("104", {"laufzeit_monate": 48, "plz": "123", "projekttitel": "Mobil im Amt"}),
    ("105", {"email": None, "einwohnerzahl": 4210.5}),
    ("106", {"eigenanteil_eur": 40_000}),
    ("107", {"einwohnerzahl": 0, "datum": "2021-02-30"}),
    ("108", DISTRICT),
]

# (rule title, failing keys in input order, value cell per key, snippet of the finding)
EXPECTED: list[tuple[str, list[str], list[str], str]] = [
    (
        "Pflichtfeld fehlt: E-Mail",
        ["105"],
        ["keine Angabe"],
        "Pflichtangabe „E-Mail-Adresse“ wurde in der Skizze nicht gefunden.",
    ),
    (
        "Gesamtkosten außerhalb 200.000–600.000 €",
        ["102", "103"],
        ["650.000 €", "199.999,99 €"],
        "liegen über der Obergrenze von 600.000 €",
    ),
    ("Laufzeit über 36 Monate", ["104"], ["48 Monate"], "Höchstdauer von 36 Monaten"),
    (
        "Landkreis ohne Gemeinde als Antragsteller",
        ["108"],
        ["Landkreis Uckermark"],
        "ein Landkreis allein ist nicht antragsberechtigt",
    ),
    ("Kein Kooperationspartner", ["108"], ["keine Angabe"], "kein Kooperationspartner"),
    (
        "Förderung + Eigenanteil ≠ Gesamtkosten",
        ["106"],
        ["405.000 €"],
        "weicht um 5.000 € von den Gesamtkosten 450.000 € ab (zulässig: 1 €)",
    ),
    ("Postleitzahl ungültig", ["104"], ["123"], "„123“ besteht nicht aus 5 Ziffern"),
    (
        "Einwohnerzahl ungültig",
        ["105", "107"],
        ["4.210,5", "0"],
        "Einwohnerzahl „4.210,5“ ist keine ganze Zahl ab 1",
    ),
    (
        "Datum ungültig: Datum der Skizze",
        ["107"],
        ["2021-02-30"],
        "Datum der Skizze „2021-02-30“ ist kein existierendes Kalenderdatum",
    ),
]


def _text(value: str) -> str:
    return " ".join(value.replace("\xa0", " ").split())


@dataclass
class Section:
    code: str
    title: str = ""
    explanations: list[str] = field(default_factory=list)
    count: str = ""
    rows: dict[str, list[str]] = field(default_factory=dict)


class PageParser(HTMLParser):
    """Sections of failing rules (heading, explanations, rows by sketch key) and the rows of
    the overview table, as text."""

    def __init__(self) -> None:
        super().__init__()
        self.sections: list[Section] = []
        self.overview: list[list[str]] = []
        self.tags: list[str] = []
        self.scripts = 0
        self._where: str | None = None  # "title" | "explanation" | "count" | "cell"
        self._buffer = ""
        self._row: list[str] | None = None
        self._row_key: str | None = None
        self._table: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        self.tags.append(tag)
        if tag == "script":
            self.scripts += 1
        if tag == "section":
            self.sections.append(Section(code=a.get("data-code") or ""))
        elif tag == "table":
            self._table = a.get("class")
        elif tag == "h3" and self.sections:
            self._start("title")
        elif tag == "p" and self.sections and a.get("class") in {"explanation", "count"}:
            self._start(a["class"] or "")
        elif tag == "tr" and self._table in {"failures", "overview"}:
            self._row, self._row_key = [], a.get("data-key")
        elif tag == "td" and self._row is not None:
            self._start("cell")

    def _start(self, where: str) -> None:
        self._where, self._buffer = where, ""

    def handle_data(self, data: str) -> None:
        if self._where:
            self._buffer += data

    def handle_endtag(self, tag: str) -> None:
        text = _text(self._buffer)
        if tag == "h3" and self._where == "title":
            self.sections[-1].title = text
        elif tag == "p" and self._where == "explanation":
            self.sections[-1].explanations.append(text)
        elif tag == "p" and self._where == "count":
            self.sections[-1].count = text
        elif tag == "td" and self._where == "cell" and self._row is not None:
            self._row.append(text)
        elif tag == "tr" and self._row is not None:
            if self._table == "failures" and self._row_key:
                self.sections[-1].rows[self._row_key] = self._row
            elif self._table == "overview" and self._row:
                self.overview.append(self._row)
            self._row = None
        elif tag == "table":
            self._table = None
        if tag in {"h3", "p", "td"}:
            self._where = None


def _parse(path: Path) -> PageParser:
    parser = PageParser()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory) -> tuple[CheckReport, PageParser]:
    docs = tmp_path_factory.mktemp("docs") / "run-7"
    rows = [{"key": key, **{**CLEAN, **changes}} for key, changes in BATCH]
    report = run_checks(rows, data_docs_dir=docs)
    assert report.pruefbericht is not None
    return report, _parse(report.pruefbericht)


def test_written_next_to_the_data_docs(run: tuple[CheckReport, PageParser]) -> None:
    report, _ = run
    assert report.pruefbericht is not None and report.data_docs_index is not None
    assert report.pruefbericht == report.data_docs_index.parent / "pruefbericht.html"
    html = report.pruefbericht.read_text(encoding="utf-8")
    assert '<html lang="de">' in html
    assert 'href="index.html"' in html  # the technical view of the same run
    assert 'href="pruefbericht.html"' in report.data_docs_index.read_text(encoding="utf-8")


def test_self_contained(run: tuple[CheckReport, PageParser]) -> None:
    report, page = run
    assert report.pruefbericht is not None
    html = report.pruefbericht.read_text(encoding="utf-8")
    assert page.scripts == 0
    assert "<style>" in html and "stylesheet" not in html
    assert external_references(html) == []


def test_exactly_the_failing_rules_have_a_section(run: tuple[CheckReport, PageParser]) -> None:
    _, page = run
    assert [s.title for s in page.sections] == [title for title, *_ in EXPECTED]


@pytest.mark.parametrize(
    ("title", "keys", "values", "snippet"), EXPECTED, ids=[e[0] for e in EXPECTED]
)
def test_rule_lists_exactly_its_failing_sketches(
    run: tuple[CheckReport, PageParser],
    title: str,
    keys: list[str],
    values: list[str],
    snippet: str,
) -> None:
    _, page = run
    section = next(s for s in page.sections if s.title == title)
    assert list(section.rows) == keys
    for key, value in zip(keys, values, strict=True):
        cells = section.rows[key]
        row = {**CLEAN, **dict(BATCH)[key]}
        assert cells[0] == key
        assert cells[1] == row["antragsteller"]
        assert cells[2] == row["projekttitel"]
        assert cells[3] == value
    assert any(snippet in cells[4] for cells in section.rows.values()), section.rows
    n = len(keys)
    assert section.count.startswith(f"{n} Skizze{'n' if n > 1 else ''} von ")
    assert section.explanations and all(e.endswith(".") for e in section.explanations)


@pytest.mark.parametrize(
    ("title", "explanation"),
    [
        (
            "Gesamtkosten außerhalb 200.000–600.000 €",
            "Die Gesamtkosten je Modellprojekt müssen zwischen 200.000 € und 600.000 € liegen.",
        ),
        ("Laufzeit über 36 Monate", "Die Laufzeit darf höchstens 36 Monate betragen."),
        ("Postleitzahl ungültig", "Die Postleitzahl muss aus 5 Ziffern bestehen."),
        (
            "Förderung + Eigenanteil ≠ Gesamtkosten",
            "Fördersumme und Eigenanteil müssen zusammen die Gesamtkosten ergeben "
            "(Abweichung höchstens 1 €).",
        ),
    ],
    ids=["cost", "duration", "postcode", "funding"],
)
def test_explanations_name_the_bounds(
    run: tuple[CheckReport, PageParser], title: str, explanation: str
) -> None:
    _, page = run
    section = next(s for s in page.sections if s.title == title)
    assert section.explanations == [explanation]


def test_population_rule_explains_both_expectations(run: tuple[CheckReport, PageParser]) -> None:
    _, page = run
    section = next(s for s in page.sections if s.title == "Einwohnerzahl ungültig")
    assert section.explanations == [
        "Die Einwohnerzahl muss mindestens 1 betragen.",
        "Die Einwohnerzahl muss eine ganze Zahl sein.",
    ]


def test_overview_counts_every_rule(run: tuple[CheckReport, PageParser]) -> None:
    report, page = run
    by_title = {cells[0]: cells for cells in page.overview}
    assert (
        len(page.overview)
        == len(report.rules)
        == len({(s.code, s.source_field) for s in check_specs()})
    )
    # title, explanation, checked, without a value, failing
    assert by_title["Gesamtkosten außerhalb 200.000–600.000 €"][2:] == ["8", "0", "2 (25 %)"]
    assert by_title["E-Mail-Adresse ungültig"][2:] == ["7", "1", "keine"]
    assert by_title["Bundesland unbekannt"][2:] == ["8", "0", "keine"]


def test_page_and_violations_come_from_the_same_result(
    run: tuple[CheckReport, PageParser],
) -> None:
    report, page = run
    from_rules = {(r.code, k) for r in report.rules for k in r.failing}
    from_violations = {(v.code, k) for k, vs in report.violations.items() for v in vs}
    assert from_rules == from_violations
    on_page = {(s.code, k) for s in page.sections for k in s.rows}
    assert on_page == from_rules


def test_bounds_of_another_call(tmp_path: Path) -> None:
    config = RuleConfig(max_cost_eur=1_250_000.5, max_duration_months=48)
    rows = [{"key": "9", **{**CLEAN, "gesamtkosten_eur": 1_300_000, "foerdersumme_eur": None}}]
    report = run_checks(rows, data_docs_dir=tmp_path / "docs", config=config)
    assert report.pruefbericht is not None
    page = _parse(report.pruefbericht)
    [section] = page.sections
    assert section.title == "Gesamtkosten außerhalb 200.000–1.250.000 €"
    assert section.explanations == [
        "Die Gesamtkosten je Modellprojekt müssen zwischen 200.000 € und 1.250.000,50 € liegen."
    ]
    assert section.rows["9"][3] == "1.300.000 €"
    overview = {cells[0]: cells[1] for cells in page.overview}
    assert overview["Laufzeit über 48 Monate"] == "Die Laufzeit darf höchstens 48 Monate betragen."


def test_clean_batch_says_so(tmp_path: Path) -> None:
    report = run_checks([{"key": "1", **CLEAN}], data_docs_dir=tmp_path / "docs")
    assert report.pruefbericht is not None
    html = _text(report.pruefbericht.read_text(encoding="utf-8"))
    assert "Alle geprüften Skizzen erfüllen alle Regeln." in html
    assert _parse(report.pruefbericht).sections == []


def test_no_page_without_data_docs() -> None:
    report = run_checks([{"key": "1", **CLEAN}])
    assert report.pruefbericht is None and report.data_docs_index is None
    assert report.rules and all(not r.failures for r in report.rules)


@pytest.mark.parametrize(
    ("field", "value", "expected"),
    [
        ("gesamtkosten_eur", 588_502.49, "588.502,49 €"),
        ("foerdersumme_eur", 450_000.0, "450.000 €"),
        ("laufzeit_monate", 48.0, "48 Monate"),
        ("laufzeit_monate", 1, "1 Monat"),
        ("einwohnerzahl", 12_345, "12.345"),
        ("einwohnerzahl", 4210.5, "4.210,5"),
        ("einwohnerzahl", "viele", "viele"),
        ("projektbeginn", "2021-07-01", "01.07.2021"),
        ("datum", "2021-02-30", "2021-02-30"),
        ("kooperationspartner", ["Verein A", "Gemeinde B"], "Verein A; Gemeinde B"),
        ("kooperationspartner", [], "keine Angabe"),
        ("email", None, "keine Angabe"),
        ("email", "  ", "keine Angabe"),
        ("plz", "01922", "01922"),
    ],
    ids=[
        "eur-cents",
        "eur-whole",
        "months",
        "one-month",
        "thousands",
        "fraction",
        "not-a-number",
        "date",
        "no-such-date",
        "list",
        "empty-list",
        "none",
        "blank",
        "leading-zero",
    ],
)
def test_format_value(field: str, value: Any, expected: str) -> None:
    assert format_value(field, value) == expected


def test_no_english_number_format_on_the_page(run: tuple[CheckReport, PageParser]) -> None:
    report, _ = run
    assert report.pruefbericht is not None
    text = _text(
        re.sub(r"<style>.*?</style>|<[^>]+>", " ", report.pruefbericht.read_text(), flags=re.S)
    )
    assert not re.search(r"\d,\d{3}(?!\d)|\d\.\d{1,2}(?!\d)", text.replace("1.24.1", "")), text
