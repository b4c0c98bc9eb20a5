"""The review page through FastAPI's TestClient: login, roles, CSRF, escaping, audit, filters."""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from datetime import timedelta

import pytest
from fastapi.testclient import TestClient
from sqlmodel import select

from models import repo, review
from models.db import session_scope
from models.tables import AuditEvent, Sketch, utcnow
from models.users import WebSession
from skizzen.doors.web.pages.login import _safe_next
from skizzen.doors.web.security import CSP, PDF_CSP, SESSION_COOKIE
from skizzen.doors.web.site import content_disposition
from tests.web.conftest import WebEnv
from tests.web.factory import PASSWORD, csrf_from

Client = Callable[..., TestClient]


def _values(env: WebEnv, key: str) -> dict:
    sid = env.ids[key]
    with session_scope(env.config.database_url) as s:
        return repo.current_values(s, sketch_ids=[sid])[sid]


def _status(env: WebEnv, key: str) -> str:
    with session_scope(env.config.database_url) as s:
        return s.get_one(Sketch, env.ids[key]).status


# --- login and sessions ---------------------------------------------------------------------


def test_security_headers_are_strict(make_client: Client) -> None:
    r = make_client().get("/login")
    csp = r.headers["content-security-policy"]
    assert csp == CSP
    assert "unsafe-inline" not in csp and "script-src 'self'" in csp  # static/app.js only
    assert r.headers["x-content-type-options"] == "nosniff"
    cookie = r.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=strict" in cookie


@pytest.mark.parametrize(
    ("user", "password", "status"),
    [
        ("anna", PASSWORD, 303),
        ("anna", PASSWORD + "x", 401),
        ("niemand", PASSWORD, 401),
        ("", "", 401),
    ],
    ids=["right-password", "wrong-password", "unknown-user", "empty"],
)
def test_login(make_client: Client, user: str, password: str, status: int) -> None:
    client = make_client()
    token = csrf_from(client.get("/login").text)
    r = client.post("/login", data={"benutzer": user, "passwort": password, "csrf_token": token})
    assert r.status_code == status
    if status == 303:
        assert r.headers["location"] == "/pruefliste"
        cookie = r.headers["set-cookie"].lower()
        assert SESSION_COOKIE in cookie and "httponly" in cookie and "samesite=strict" in cookie
        assert client.get("/pruefliste").status_code == 200
    else:
        assert "Benutzername oder Passwort ist falsch." in r.text
        assert SESSION_COOKIE not in r.headers.get("set-cookie", "")
        assert client.get("/pruefliste").status_code == 303


def test_login_without_form_token_is_refused(make_client: Client) -> None:
    client = make_client()
    r = client.post("/login", data={"benutzer": "anna", "passwort": PASSWORD})
    assert r.status_code == 403


@pytest.mark.parametrize(
    ("path", "status"),
    [
        ("/pruefliste", 303),
        ("/skizze/1", 303),
        ("/skizze/1/pdf", 403),
        ("/anhang/1", 403),
        ("/bericht", 303),
        ("/export.csv", 303),
    ],
    ids=["queue", "detail", "pdf", "attachment", "report", "export"],
)
def test_everything_needs_login(make_client: Client, path: str, status: int) -> None:
    r = make_client().get(path)
    assert r.status_code == status
    if status == 303:
        assert r.headers["location"].startswith("/login?weiter=")


@pytest.mark.parametrize(
    ("field", "delta"),
    [("last_seen_at", timedelta(minutes=31)), ("expires_at", timedelta(hours=0))],
    ids=["idle", "absolute"],
)
def test_sessions_expire(
    make_client: Client, web_env: WebEnv, field: str, delta: timedelta
) -> None:
    client = make_client("anna")
    assert client.get("/pruefliste").status_code == 200
    with session_scope(web_env.config.database_url) as s:
        for ws in s.exec(select(WebSession)):
            setattr(ws, field, utcnow() - delta)
            s.add(ws)
    r = client.get("/pruefliste")
    assert r.status_code == 303 and r.headers["location"].startswith("/login")
    with session_scope(web_env.config.database_url) as s:
        assert list(s.exec(select(WebSession))) == []


def test_logout_ends_the_session(make_client: Client, web_env: WebEnv) -> None:
    client = make_client("anna")
    assert client.post("/logout", data={}).status_code == 403
    assert client.post("/logout", data={"csrf_token": client.csrf}).status_code == 303
    assert client.get("/pruefliste").status_code == 303
    with session_scope(web_env.config.database_url) as s:
        assert list(s.exec(select(WebSession))) == []


@pytest.mark.parametrize(
    ("target", "expected"),
    [
        ("/skizze/2", "/skizze/2"),
        ("//evil.example/", "/pruefliste"),
        ("https://evil.example/", "/pruefliste"),
        ("/\\evil", "/pruefliste"),
        (None, "/pruefliste"),
    ],
    ids=["local", "protocol-relative", "absolute", "backslash", "none"],
)
def test_redirect_after_login_stays_local(target: str | None, expected: str) -> None:
    assert _safe_next(target) == expected


# --- queue ----------------------------------------------------------------------------------


def _queue_ids(html: str) -> list[int]:
    return [int(i) for i in re.findall(r'<td><a href="/skizze/(\d+)[?"]', html)]


@pytest.mark.parametrize(
    ("query", "keys"),
    [
        ("", ["kranichsee", "lindenhagen"]),
        ("?status=alle", ["kranichsee", "lindenhagen", "rotenfels"]),
        ("?status=approved", ["rotenfels"]),
        ("?status=alle&aufruf=heimat-3.0", ["rotenfels"]),
        ("?status=alle&themenfeld=Mobilit%C3%A4t", ["lindenhagen"]),
        ("?themenfeld=%C3%96ffentliche+Verwaltung", []),
    ],
    ids=["default-needs-review-oldest-first", "all", "approved", "call", "topic", "empty"],
)
def test_queue_filters(make_client: Client, web_env: WebEnv, query: str, keys: list[str]) -> None:
    html = make_client("lea").get("/pruefliste" + query).text
    assert _queue_ids(html) == [web_env.ids[k] for k in keys]


def test_queue_is_paged(
    make_client: Client, web_env: WebEnv, monkeypatch: pytest.MonkeyPatch
) -> None:
    from models import queue

    monkeypatch.setattr(queue, "PER_PAGE", 1)
    client = make_client("lea")
    first = client.get("/pruefliste?status=alle").text
    assert "Seite 1 von 3" in first and 'rel="next"' in first and 'rel="prev"' not in first
    second = client.get("/pruefliste?status=alle&seite=2").text
    assert "Seite 2 von 3" in second and 'rel="prev"' in second
    assert _queue_ids(first) != _queue_ids(second) and len(_queue_ids(second)) == 1
    assert "Seite 1 von 3" in client.get("/pruefliste?status=alle&seite=abc").text


def test_queue_shows_german_reasons(make_client: Client) -> None:
    html = make_client("lea").get("/pruefliste").text
    assert "Kein Kooperationspartner" in html and "Gesamtkosten außerhalb" in html
    assert "zu prüfen" in html


# --- detail, escaping, downloads ------------------------------------------------------------


def test_detail_shows_evidence_mail_and_attachments(make_client: Client, web_env: WebEnv) -> None:
    sid = web_env.ids["lindenhagen"]
    html = make_client("lea").get(f"/skizze/{sid}").text
    assert f'src="/skizze/{sid}/seite/1.png"' in html  # the page, drawn on the server
    assert f'href="/skizze/{sid}/pdf"' in html  # and the original PDF a link away
    assert "gesamtkosten_eur: 384500" in html  # snippet
    assert "384.500" in html and "90 %" in html and "S. 1" in html
    assert "Absender 0 &lt;absender0@example.org&gt;" in html
    assert "Notiz für Sie.html" in html and "keine Skizze" in html
    assert "Kein Bezug zu einer Projektskizze erkennbar." in html


def test_document_data_is_escaped(make_client: Client, web_env: WebEnv) -> None:
    only_ours = ['<script src="/static/app.js" defer>']  # the page's own script, nothing else
    html = make_client("anna").get(f"/skizze/{web_env.ids['kranichsee']}").text
    assert re.findall(r"<script[^>]*>", html) == only_ours and "<img src=x" not in html
    assert "&lt;script&gt;window.__xss=1&lt;/script&gt;" in html
    queue = make_client("anna").get("/pruefliste").text
    assert re.findall(r"<script[^>]*>", queue) == only_ours and "&lt;script&gt;" in queue


def test_pdf_is_served_inline_in_a_sandbox(make_client: Client, web_env: WebEnv) -> None:
    r = make_client("lea").get(f"/skizze/{web_env.ids['lindenhagen']}/pdf")
    assert r.status_code == 200
    assert r.headers["content-type"] == "application/pdf"
    assert r.headers["content-disposition"].startswith("inline;")
    assert r.content.startswith(b"%PDF")
    csp = r.headers["content-security-policy"]
    assert csp == PDF_CSP
    directives = [d.strip() for d in csp.split(";")]
    assert "sandbox" in directives  # no allow-scripts, allow-same-origin, … at all
    assert "default-src 'none'" in directives and "frame-ancestors 'self'" in directives
    assert r.headers["x-content-type-options"] == "nosniff"


def test_attachments_download_as_opaque_bytes(make_client: Client, web_env: WebEnv) -> None:
    client = make_client("lea")
    html = client.get(f"/skizze/{web_env.ids['lindenhagen']}").text
    att_ids = re.findall(r'href="/anhang/(\d+)"', html)
    assert len(att_ids) == 2
    r = client.get(f"/anhang/{att_ids[1]}")
    assert r.status_code == 200
    assert r.headers["content-type"] == "application/octet-stream"
    assert r.headers["content-disposition"].startswith("attachment;")
    assert "filename*=UTF-8''Notiz%20f%C3%BCr%20Sie.html" in r.headers["content-disposition"]
    assert "sandbox" in r.headers["content-security-policy"]


@pytest.mark.parametrize(
    ("name", "fallback"),
    [
        ("a.pdf", 'filename="a.pdf"'),
        ('x"; y.pdf', 'filename="x__ y.pdf"'),
        ("Übersicht.pdf", 'filename="_bersicht.pdf"'),
    ],
    ids=["plain", "quote-injection", "umlaut"],
)
def test_content_disposition_is_safe(name: str, fallback: str) -> None:
    header = content_disposition("attachment", name)
    assert fallback in header and "\n" not in header


# --- corrections, decisions, roles, CSRF ----------------------------------------------------


@pytest.mark.parametrize(
    ("field", "typed", "stored"),
    [
        ("gesamtkosten_eur", "450.000,00 €", 450000),
        ("foerdersumme_eur", "1.234,56", 1234.56),
        ("einwohnerzahl", "2.340", 2340),
        ("projektbeginn", "01.10.2021", "2021-10-01"),
        ("datum", "2021-03-05", "2021-03-05"),
        (
            "kooperationspartner",
            "Dorfladen e. V.\r\n\r\nBäckerei Pagel GmbH\r\n",
            ["Dorfladen e. V.", "Bäckerei Pagel GmbH"],
        ),
        ("akronym", "  LiKo ", "LiKo"),
        ("landkreis", "", None),
    ],
    ids=[
        "money-german",
        "money-cents",
        "int-grouped",
        "date-german",
        "date-iso",
        "list",
        "text",
        "clear",
    ],
)
def test_reviewer_corrects_typed_values(
    make_client: Client, web_env: WebEnv, field: str, typed: str, stored: object
) -> None:
    client = make_client("anna")
    sid = web_env.ids["lindenhagen"]
    before = _values(web_env, "lindenhagen").get(field)
    r = client.post(f"/skizze/{sid}/feld/{field}", data={"csrf_token": client.csrf, "wert": typed})
    assert r.status_code == 303
    assert _values(web_env, "lindenhagen")[field] == stored
    with session_scope(web_env.config.database_url) as s:
        events = review.audit_trail(s, sketch_id=sid)
        assert s.get_one(Sketch, sid).checked_at is not None  # re-checked at once
    assert (events[0].actor, events[0].action, events[0].field) == ("anna", "correct", field)
    assert (events[0].old, events[0].new) == (before, stored)
    page = client.get(f"/skizze/{sid}").text
    assert "korrigiert von anna" in page and "Korrektur" in page
    assert "beim nächsten Lauf neu geprüft" not in page


@pytest.mark.parametrize(
    ("field", "typed", "message"),
    [
        ("gesamtkosten_eur", "viel", "ist keine Zahl"),
        ("einwohnerzahl", "12,5", "keine ganze"),
        ("projektbeginn", "31.02.2021", "kein gültiges Datum"),
    ],
    ids=["not-a-number", "not-an-integer", "impossible-date"],
)
def test_invalid_input_is_refused_in_german(
    make_client: Client, web_env: WebEnv, field: str, typed: str, message: str
) -> None:
    client = make_client("anna")
    sid = web_env.ids["lindenhagen"]
    before = _values(web_env, "lindenhagen")
    r = client.post(f"/skizze/{sid}/feld/{field}", data={"csrf_token": client.csrf, "wert": typed})
    assert r.status_code == 400 and message in r.text
    assert _values(web_env, "lindenhagen") == before


@pytest.mark.parametrize("token", [None, "", "falsch"], ids=["missing", "empty", "wrong"])
def test_post_without_valid_csrf_token_is_refused(
    make_client: Client, web_env: WebEnv, token: str | None
) -> None:
    client = make_client("anna")
    sid = web_env.ids["lindenhagen"]
    data = {"wert": "999999"} | ({"csrf_token": token} if token is not None else {})
    assert client.post(f"/skizze/{sid}/feld/gesamtkosten_eur", data=data).status_code == 403
    status = {"status": "approved"} | ({"csrf_token": token} if token is not None else {})
    assert client.post(f"/skizze/{sid}/status", data=status).status_code == 403
    assert _values(web_env, "lindenhagen")["gesamtkosten_eur"] == 384500
    assert _status(web_env, "lindenhagen") == "needs_review"


def test_token_of_another_session_is_refused(make_client: Client, web_env: WebEnv) -> None:
    anna, other = make_client("anna"), make_client("anna")
    sid = web_env.ids["lindenhagen"]
    r = anna.post(f"/skizze/{sid}/status", data={"csrf_token": other.csrf, "status": "approved"})
    assert r.status_code == 403


def test_reader_sees_no_forms_and_cannot_post(make_client: Client, web_env: WebEnv) -> None:
    client = make_client("lea")
    sid = web_env.ids["lindenhagen"]
    html = client.get(f"/skizze/{sid}").text
    assert "/feld/" not in html and f"/skizze/{sid}/status" not in html
    assert "Freigeben" not in html and "korrigieren" not in html
    forged = [
        (f"/skizze/{sid}/feld/gesamtkosten_eur", {"wert": "1"}),
        (f"/skizze/{sid}/status", {"status": "approved"}),
    ]
    for path, data in forged:
        r = client.post(path, data={"csrf_token": client.csrf, **data})
        assert r.status_code == 403 and "nur das Ansehen" in r.text
    assert _values(web_env, "lindenhagen")["gesamtkosten_eur"] == 384500
    assert _status(web_env, "lindenhagen") == "needs_review"


@pytest.mark.parametrize(
    "status", ["approved", "rejected", "not_a_sketch"], ids=["approve", "reject", "no-sketch"]
)
def test_decisions_are_audited_and_survive_reruns(
    make_client: Client, web_env: WebEnv, status: str
) -> None:
    client = make_client("anna")
    sid = web_env.ids["lindenhagen"]
    r = client.post(f"/skizze/{sid}/status", data={"csrf_token": client.csrf, "status": status})
    assert r.status_code == 303
    with session_scope(web_env.config.database_url) as s:
        repo.set_machine_status(s, sketch_id=sid, status="needs_review", reasons=["x"])
    assert _status(web_env, "lindenhagen") == status
    with session_scope(web_env.config.database_url) as s:
        ev = s.exec(select(AuditEvent).where(AuditEvent.action == "status")).all()
    assert [(e.actor, e.old, e.new) for e in ev if e.sketch_id == sid] == [
        ("anna", "needs_review", status)
    ]
    page = client.get(f"/skizze/{sid}").text
    assert "Status geändert" in page


def test_unknown_action_and_field_are_refused(make_client: Client, web_env: WebEnv) -> None:
    client = make_client("anna")
    sid = web_env.ids["lindenhagen"]
    r = client.post(f"/skizze/{sid}/status", data={"csrf_token": client.csrf, "status": "x"})
    assert r.status_code == 400
    r = client.post(f"/skizze/{sid}/feld/nope", data={"csrf_token": client.csrf, "wert": "1"})
    assert r.status_code == 404
    r = client.post("/skizze/999/status", data={"csrf_token": client.csrf, "status": "approved"})
    assert r.status_code == 404


# --- report and exports ---------------------------------------------------------------------


def test_report_page_is_self_contained(make_client: Client) -> None:
    r = make_client("lea").get("/bericht")
    assert r.status_code == 200
    csp = r.headers["content-security-policy"]
    assert "style-src 'sha256-" in csp and "unsafe-inline" not in csp
    assert "Thematische Streuung" in r.text and "data:image/svg+xml;base64," in r.text
    assert "<script" not in r.text


def test_exports_carry_corrections(make_client: Client, web_env: WebEnv) -> None:
    from openpyxl import load_workbook

    client = make_client("anna")
    sid = web_env.ids["lindenhagen"]
    client.post(
        f"/skizze/{sid}/feld/kooperationspartner",
        data={"csrf_token": client.csrf, "wert": "Dorfladen e. V.\nBäckerei Pagel GmbH"},
    )
    csv_r = client.get("/export.csv")
    assert csv_r.headers["content-type"].startswith("text/csv")
    text = csv_r.content.decode("utf-8-sig")
    assert "Dorfladen e. V.; Bäckerei Pagel GmbH" in text
    xlsx = client.get("/export.xlsx")
    wb = load_workbook(io.BytesIO(xlsx.content))
    rows = list(wb["Skizzen"].iter_rows(values_only=True))
    header = rows[0]
    col = header.index("Kooperationspartner")
    by_id = {row[0]: row for row in rows[1:]}
    assert by_id[sid][col] == "Dorfladen e. V.; Bäckerei Pagel GmbH"
