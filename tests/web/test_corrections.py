"""Every judgement is correctable, and the findings follow at once (TestClient, no server).

Topic fields and kinds of solution are ticked from the canonical names; lists are one entry
per line; a refused number or date comes back in its own row with the typed value; a saved
correction re-runs the rules of the call on that sketch (the pipeline's check step), so the
findings, the status, the report and the exports are current (the reporting views count the
corrected labels too: ``tests.models.test_views``).
"""

from __future__ import annotations

import html
import io
import re
from collections.abc import Callable
from typing import Any

import pytest
from fastapi.testclient import TestClient
from hypothesis import given
from hypothesis import strategies as st
from sqlmodel import select

from extractors.vocab import SOLUTION_KINDS, TOPIC_FIELDS
from models import repo, review
from models.db import session_scope
from models.records import current_records
from models.tables import FieldValue, Sketch
from skizzen.doors.web.forms import CHOICES, InputError, parse_choices
from skizzen.labels import code_label
from skizzen.outputs import report
from skizzen.outputs.stats import SECTIONS, summarise
from tests.web.conftest import WebEnv

Client = Callable[..., TestClient]
MOBILITY, HEALTH = "Mobilität", "Gesundheits- und Pflegeversorgung"


def _row(page: str, name: str) -> str:
    """The HTML of one field's row on the detail page."""
    m = re.search(rf'<tr id="feld-{name}"[^>]*>.*?</tr>', page, re.S)
    assert m, f"no row for {name}"
    return m.group(0)


def _input_value(row: str) -> str:
    """What the row's text input or textarea holds."""
    m = re.search(r'<input type="text"[^>]*name="wert" value="([^"]*)"', row) or re.search(
        r'<textarea name="wert"[^>]*>(.*?)</textarea>', row, re.S
    )
    assert m, "no input in the row"
    return html.unescape(m.group(1))


def _ticked(row: str) -> list[str]:
    return [
        html.unescape(v)
        for v in re.findall(r'<input type="checkbox" name="wert" value="([^"]*)" checked', row)
    ]


def _record(env: WebEnv, key: str) -> Any:
    with session_scope(env.config.database_url) as s:
        return current_records(s, sketch_ids=[env.ids[key]])[0]


def _post(client: TestClient, sid: int, field: str, wert: str | list[str]) -> Any:
    return client.post(
        f"/skizze/{sid}/feld/{field}", data={"csrf_token": client.csrf, "wert": wert}
    )


def _refused(
    make_client: Client, web_env: WebEnv, field: str, wert: str | list[str]
) -> tuple[str, str]:
    """A reviewer's value for lindenhagen's ``field`` that is refused (400) and stores
    nothing: the page and the field's row."""
    before = _record(web_env, "lindenhagen")
    r = _post(make_client("anna"), web_env.ids["lindenhagen"], field, wert)
    assert r.status_code == 400
    assert _record(web_env, "lindenhagen") == before
    return r.text, _row(r.text, field)


# --- topic fields and kinds of solution ----------------------------------------------------


@given(st.lists(st.sampled_from(TOPIC_FIELDS)))
def test_ticked_topics_come_back_canonical_once_each(ticked: list[str]) -> None:
    chosen = parse_choices(CHOICES["themenfelder"], ticked)
    assert chosen == [t for t in TOPIC_FIELDS if t in ticked]


@given(st.lists(st.sampled_from(TOPIC_FIELDS)), st.text().filter(lambda t: t not in TOPIC_FIELDS))
def test_a_name_outside_the_vocabulary_is_refused(ticked: list[str], other: str) -> None:
    with pytest.raises(InputError, match="Themenfelder des Aufrufs"):
        parse_choices(CHOICES["themes"], [*ticked, other])


@pytest.mark.parametrize(
    ("key", "field", "ticked", "section_count"),
    [
        ("kranichsee", "themes", [HEALTH, MOBILITY], (MOBILITY, 2)),
        ("lindenhagen", "themes", [], (MOBILITY, 0)),
        ("lindenhagen", "loesungsart", ["Plattform", "Online-Marktplatz"], None),
    ],
    ids=["add-a-topic", "no-topic-at-all", "solution-kinds"],
)
def test_label_correction_is_what_the_report_and_exports_count(
    make_client: Client,
    web_env: WebEnv,
    key: str,
    field: str,
    ticked: list[str],
    section_count: tuple[str, int] | None,
) -> None:
    client = make_client("anna")
    sid = web_env.ids[key]
    machine = getattr(_record(web_env, key), field)
    with session_scope(web_env.config.database_url) as s:
        assert summarise(report.current_rows(s)).by_topic[MOBILITY] == 1
    r = _post(client, sid, field, list(reversed(ticked)))
    assert r.status_code == 303 and r.headers["location"].endswith(f"#feld-{field}")

    assert getattr(_record(web_env, key), field) == ticked  # canonical order, not ticked order
    with session_scope(web_env.config.database_url) as s:
        data = summarise(report.current_rows(s))
        rows = {r["sketch_id"]: r for r in report.current_rows(s)}
        event = review.audit_trail(s, sketch_id=sid)[0]
    assert rows[sid][field] == ticked  # CSV/Excel
    if section_count is not None:
        topic, count = section_count
        assert data.by_topic[topic] == count
        sheet = _xlsx_sheet(client, SECTIONS["topics"])
        assert sheet[topic] == count
    assert (event.action, event.field, event.old, event.new) == ("correct", field, machine, ticked)

    row = _row(client.get(f"/skizze/{sid}").text, field)
    assert _ticked(row) == ticked
    assert "korrigiert von anna" in row
    machine_shown = re.search(r'<span class="machine">(.*?)</span>', row, re.S)
    assert machine_shown and html.unescape(machine_shown.group(1)).splitlines() == machine


def _xlsx_sheet(client: TestClient, name: str) -> dict[str, int]:
    from openpyxl import load_workbook

    wb = load_workbook(io.BytesIO(client.get("/export.xlsx").content))
    return {str(a): int(b) for a, b, *_ in wb[name].iter_rows(min_row=2, values_only=True) if a}


def test_a_rerun_keeps_the_label_correction_with_the_machine_beside(
    make_client: Client, web_env: WebEnv
) -> None:
    client = make_client("anna")
    sid = web_env.ids["kranichsee"]
    assert _post(client, sid, "themes", [MOBILITY]).status_code == 303
    with session_scope(web_env.config.database_url) as s:  # a rerun's new machine themes
        repo.store_extraction(
            s,
            sketch_id=sid,
            fields={},
            themes=[{"label": "Öffentliche Verwaltung", "score": 0.8}],
            loesungsart=[{"label": "Plattform", "score": 0.6}],
            theme_model_version="test-2",
            parser_version="test",
            page_count=1,
            run_id=None,
        )
    assert _record(web_env, "kranichsee").themes == [MOBILITY]
    assert _record(web_env, "kranichsee").loesungsart == ["Plattform"]  # not corrected
    row = _row(client.get(f"/skizze/{sid}").text, "themes")
    assert "Öffentliche Verwaltung 80 %" in row and _ticked(row) == [MOBILITY]


@pytest.mark.parametrize(
    ("field", "posted", "stored"),
    [
        ("themenfelder", [MOBILITY, TOPIC_FIELDS[0]], [TOPIC_FIELDS[0], MOBILITY]),
        ("themenfelder", [], []),
        ("loesungsart", ["App", "App"], ["App"]),
    ],
    ids=["two-topics", "none-ticked", "twice-ticked"],
)
def test_canonical_ticks_are_stored(
    make_client: Client, web_env: WebEnv, field: str, posted: list[str], stored: list[str]
) -> None:
    client = make_client("anna")
    sid = web_env.ids["lindenhagen"]
    assert _post(client, sid, field, posted).status_code == 303
    rec = _record(web_env, "lindenhagen")
    assert (rec.fields.get(field) if field == "themenfelder" else rec.loesungsart) == stored


@pytest.mark.parametrize(
    ("field", "posted", "message"),
    [
        ("themenfelder", "Mobilitaet\nKultur", "ist keines der 7 Themenfelder des Aufrufs"),
        ("themenfelder", [MOBILITY, "Mobilitaet"], "„Mobilitaet“ ist keines der 7 Themenfelder"),
        ("themes", ["Tourismus"], "„Tourismus“ ist keines der 7 Themenfelder"),
        ("loesungsart", ["Webseite"], "„Webseite“ ist keine"),
    ],
    ids=["free-text-lines", "misspelt", "unknown-topic", "unknown-kind"],
)
def test_names_outside_the_vocabulary_are_refused_in_their_row(
    make_client: Client, web_env: WebEnv, field: str, posted: str | list[str], message: str
) -> None:
    _, row = _refused(make_client, web_env, field, posted)
    assert message in html.unescape(row) and 'role="alert"' in row
    assert "<details open>" in row


def test_declared_topic_fields_are_the_seven_check_boxes(
    make_client: Client, web_env: WebEnv
) -> None:
    page = make_client("anna").get(f"/skizze/{web_env.ids['lindenhagen']}").text
    for field, names in (
        ("themenfelder", TOPIC_FIELDS),
        ("themes", TOPIC_FIELDS),
        ("loesungsart", SOLUTION_KINDS),
    ):
        row = _row(page, field)
        boxes = re.findall(r'<input type="checkbox" name="wert" value="([^"]*)"', row)
        assert tuple(html.unescape(b) for b in boxes) == names
        assert "<textarea" not in row
    assert _ticked(_row(page, "themes")) == ["Lokale und regionale Versorgung", MOBILITY]
    assert _ticked(_row(page, "loesungsart")) == ["App"]


def test_reader_sees_the_labels_but_no_check_boxes(make_client: Client, web_env: WebEnv) -> None:
    client = make_client("lea")
    sid = web_env.ids["lindenhagen"]
    row = _row(client.get(f"/skizze/{sid}").text, "themes")
    assert MOBILITY in row and 'type="checkbox"' not in row
    r = client.post(f"/skizze/{sid}/feld/themes", data={"csrf_token": client.csrf, "wert": "App"})
    assert r.status_code == 403


# --- lists, numbers and dates --------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("Dorfladen e. V.\nBäckerei Pagel GmbH", ["Dorfladen e. V.", "Bäckerei Pagel GmbH"]),
        ("  Verein A \r\n\r\nVerein B\r\n", ["Verein A", "Verein B"]),
        ("Landkreis X; Gemeinde Y", ["Landkreis X; Gemeinde Y"]),
        ("", []),
    ],
    ids=["two-lines", "windows-lines-and-blanks", "one-line-is-one-entry", "none"],
)
def test_partners_are_one_entry_per_line(
    make_client: Client, web_env: WebEnv, typed: str, stored: list[str]
) -> None:
    client = make_client("anna")
    sid = web_env.ids["lindenhagen"]
    assert _post(client, sid, "kooperationspartner", typed).status_code == 303
    assert _record(web_env, "lindenhagen").fields["kooperationspartner"] == stored
    row = _row(client.get(f"/skizze/{sid}").text, "kooperationspartner")
    assert _input_value(row).splitlines() == stored  # the form shows them one per line


@pytest.mark.parametrize(
    ("field", "typed", "message"),
    [
        ("gesamtkosten_eur", "viel", "„viel“ ist keine Zahl"),
        ("foerdersumme_eur", "12a", "„12a“ ist keine Zahl"),
        ("einwohnerzahl", "12,5", "„12,5“ ist keine ganze Zahl"),
        ("laufzeit_monate", "drei Jahre", "ist keine Zahl"),
        ("projektbeginn", "31.02.2021", "„31.02.2021“ ist kein gültiges Datum"),
        ("datum", "2021-13-01", "kein gültiges Datum (TT.MM.JJJJ)"),
    ],
    ids=["money-word", "money-suffix", "int-fraction", "months-words", "no-such-day", "iso-month"],
)
def test_a_refused_value_stays_in_its_row_with_the_reason(
    make_client: Client, web_env: WebEnv, field: str, typed: str, message: str
) -> None:
    page, row = _refused(make_client, web_env, field, typed)
    error = re.search(
        rf'<p class="error field-error" id="fehler-{field}" role="alert">(.*?)</p>', row
    )
    assert error and message in html.unescape(error.group(1))
    assert _input_value(row) == typed  # what was typed, not the stored value
    assert f'aria-describedby="fehler-{field}"' in row and "autofocus" in row
    page_top = page.split('<div class="split">')[0]
    assert message not in html.unescape(page_top)  # not off-screen above the PDF


def test_dates_are_typed_and_shown_the_german_way(make_client: Client, web_env: WebEnv) -> None:
    client = make_client("anna")
    sid = web_env.ids["lindenhagen"]
    row = _row(client.get(f"/skizze/{sid}").text, "projektbeginn")
    assert _input_value(row) == "01.09.2021" and 'type="date"' not in row
    assert _post(client, sid, "projektbeginn", "15.10.2021").status_code == 303
    assert _record(web_env, "lindenhagen").fields["projektbeginn"] == "2021-10-15"


@pytest.mark.parametrize(
    ("field", "wert", "status"),
    [("bundesland", "Niedersachsen", 303), ("themes", [MOBILITY], 303), ("datum", "x", 400)],
    ids=["field", "labels", "refused"],
)
def test_a_correction_keeps_the_queue_filter(
    make_client: Client, web_env: WebEnv, field: str, wert: str | list[str], status: int
) -> None:
    client = make_client("anna")
    sid = web_env.ids["lindenhagen"]
    kept = "status=alle&themenfeld=Mobilit%C3%A4t"
    form = f'action="/skizze/{sid}/feld/{field}?{kept}"'
    assert form in html.unescape(client.get(f"/skizze/{sid}?{kept}").text)
    r = client.post(
        f"/skizze/{sid}/feld/{field}?{kept}", data={"csrf_token": client.csrf, "wert": wert}
    )
    assert r.status_code == status
    if status == 303:
        assert r.headers["location"] == f"/skizze/{sid}?{kept}#feld-{field}"
    else:
        assert form in html.unescape(r.text)


# --- findings follow at once ---------------------------------------------------------------


def _state(env: WebEnv, key: str) -> tuple[list[str], str]:
    with session_scope(env.config.database_url) as s:
        sketch = s.get_one(Sketch, env.ids[key])
        assert sketch.checked_at is not None  # checked since the correction
        return repo.check_codes(s, sketch_ids=[env.ids[key]])[env.ids[key]], sketch.status


@pytest.mark.parametrize(
    ("key", "steps"),
    [
        (
            "lindenhagen",
            [
                ("bundesland", "Ostfriesland", ["no_cooperation_partner", "unknown_state"]),
                ("bundesland", "Niedersachsen", ["no_cooperation_partner"]),
                ("kooperationspartner", "Dorfladen e. V.", []),
            ],
        ),
        (
            "kranichsee",
            [("gesamtkosten_eur", "580.000,00", [])],
        ),
        (
            "rotenfels",
            [("gesamtkosten_eur", "900.000", ["cost_out_of_range"])],
        ),
    ],
    ids=["state-then-partner", "cost-into-the-frame", "approved-stays-approved"],
)
def test_a_correction_updates_findings_and_status_at_once(
    make_client: Client, web_env: WebEnv, key: str, steps: list[tuple[str, str, list[str]]]
) -> None:
    client = make_client("anna")
    sid = web_env.ids[key]
    decided = _status_of(web_env, key) == "approved"
    for field, typed, codes in steps:
        assert _post(client, sid, field, typed).status_code == 303
        found, status = _state(web_env, key)
        assert found == codes
        assert status == ("approved" if decided else "needs_review" if codes else "ready")
        page = client.get(f"/skizze/{sid}").text
        findings = page.split("<h2>Befunde</h2>")[1].split("<h2>Felder</h2>")[0]
        for code in ("unknown_state", "no_cooperation_partner", "cost_out_of_range"):
            assert (code_label(code) in findings) == (code in codes), code
        assert "beim nächsten Lauf neu geprüft" not in findings
        with session_scope(web_env.config.database_url) as s:
            row = next(r for r in report.current_records(s) if r["sketch_id"] == sid)
        assert sorted(row["violations"]) == codes and row["status"] == status


def _status_of(env: WebEnv, key: str) -> str:
    with session_scope(env.config.database_url) as s:
        return s.get_one(Sketch, env.ids[key]).status


def test_a_failed_recheck_keeps_the_correction_and_says_the_findings_are_stale(
    make_client: Client, web_env: WebEnv, monkeypatch: pytest.MonkeyPatch
) -> None:
    from skizzen.steps import pipeline

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("GX is down")

    monkeypatch.setattr(pipeline, "check_sketches", broken)
    client = make_client("anna")
    sid = web_env.ids["lindenhagen"]
    assert _post(client, sid, "bundesland", "Ostfriesland").status_code == 303
    assert _record(web_env, "lindenhagen").fields["bundesland"] == "Ostfriesland"
    with session_scope(web_env.config.database_url) as s:
        assert s.get_one(Sketch, sid).checked_at is None  # the next run checks it
    assert "beim nächsten Lauf neu geprüft" in client.get(f"/skizze/{sid}").text


def test_a_declared_name_outside_the_vocabulary_is_named_before_it_is_dropped(
    make_client: Client, web_env: WebEnv
) -> None:
    client = make_client("anna")
    sid = web_env.ids["lindenhagen"]
    with session_scope(web_env.config.database_url) as s:  # as if the machine had read it
        title = select(FieldValue).where(
            FieldValue.sketch_id == sid, FieldValue.field == "projekttitel"
        )
        extractor = s.exec(title).one().extractor
        s.add(
            FieldValue(
                sketch_id=sid,
                field="themenfelder",
                value=[MOBILITY, "Tourismus"],
                confidence=0.9,
                extractor=extractor,
            )
        )
    row = _row(client.get(f"/skizze/{sid}").text, "themenfelder")
    assert _ticked(row) == [MOBILITY]
    assert "nicht zur Auswahl, entfällt beim Speichern: Tourismus" in html.unescape(row)
    assert _post(client, sid, "themenfelder", [MOBILITY]).status_code == 303
    assert _record(web_env, "lindenhagen").fields["themenfelder"] == [MOBILITY]
