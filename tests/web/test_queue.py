"""Working through the queue: search, order, pages, "‹ vorige" / "nächste ›" within the
filter, bulk approval of finding-free sketches, and the page's one script under the CSP.

The factory's three sketches (``tests.web.factory``) get varied confidences
(``vary_confidences``), so each order gives a different list: kranichsee (received first,
650,000 €, lowest confidence 0.4, findings), lindenhagen (384,500 €, 0.9, findings),
rotenfels (last, 250,000 €, 0.7, approved).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from html import unescape
from typing import Any
from urllib.parse import parse_qsl, quote

import pytest
from fastapi.testclient import TestClient
from sqlmodel import select

from models import queue, repo, review
from models.db import session_scope
from models.tables import AuditEvent, Sketch
from skizzen.doors.web.query import QueueQuery
from tests.web.conftest import WebEnv
from tests.web.factory import vary_confidences

Client = Callable[..., TestClient]


@pytest.fixture()
def env(web_env: WebEnv) -> WebEnv:
    vary_confidences(web_env.config.database_url, web_env.ids)
    return web_env


def _ids(html: str) -> list[int]:
    """Sketch ids of the queue's rows, in order."""
    return [int(i) for i in re.findall(r'<td><a href="/skizze/(\d+)[?"]', html)]


def _keys(env: WebEnv, ids: list[int]) -> list[str]:
    by_id = {v: k for k, v in env.ids.items()}
    return [by_id.get(i, str(i)) for i in ids]


def _correct(env: WebEnv, key: str, field: str, value: Any) -> None:
    with session_scope(env.config.database_url) as s:
        repo.set_correction(
            s, sketch_id=env.ids[key], field=field, value=value, author="test", comment=None
        )


# --- search ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("search", "keys"),
    [
        ("", ["kranichsee", "lindenhagen", "rotenfels"]),
        ("lindenhagen", ["lindenhagen"]),
        ("Dorfmitte", ["rotenfels"]),
        ("MECKLENBURG", ["kranichsee"]),
        ("bayern", ["rotenfels"]),
        ("absender1@example", ["kranichsee"]),
        ("example.org", ["kranichsee", "lindenhagen", "rotenfels"]),
        ("Stadt   Kranichsee", ["kranichsee"]),
        ("kranichsee bayern", []),
        ("Stadt%Kranichsee", []),
        ("Stadt_Kranichsee", []),
    ],
    ids=[
        "empty-all",
        "applicant",
        "title",
        "place-state-upper-case",
        "place-state",
        "sender",
        "sender-of-all",
        "two-words-one-field",
        "every-word-must-match",
        "percent-is-literal",
        "underscore-is-literal",
    ],
)
def test_search(make_client: Client, env: WebEnv, search: str, keys: list[str]) -> None:
    r = make_client("lea").get("/pruefliste", params={"status": "alle", "suche": search})
    assert r.status_code == 200
    assert _keys(env, _ids(r.text)) == keys


@pytest.mark.parametrize(
    ("key", "field", "value", "search", "found"),
    [
        ("rotenfels", "antragsteller", "Gemeinde Sonnenfeld", "sonnenfeld", ["rotenfels"]),
        ("rotenfels", "antragsteller", "Gemeinde Sonnenfeld", "Rotenfels", []),
        ("lindenhagen", "landkreis", "Überlingen-Land", "überlingen", ["lindenhagen"]),
        ("lindenhagen", "landkreis", "Überlingen-Land", "ÜBERLINGEN", ["lindenhagen"]),
        ("kranichsee", "plz", "17489", "1748", ["kranichsee"]),
    ],
    ids=[
        "correction-is-found",
        "machine-value-it-replaced-is-not",
        "umlaut-lower-finds-upper",
        "umlaut-upper-finds-upper",
        "place-postcode",
    ],
)
def test_search_reads_current_values(
    make_client: Client, env: WebEnv, key: str, field: str, value: str, search: str, found: list
) -> None:
    _correct(env, key, field, value)
    html = make_client("lea").get("/pruefliste", params={"status": "alle", "suche": search}).text
    assert _keys(env, _ids(html)) == found


# --- order and pages ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("params", "keys"),
    [
        ({}, ["kranichsee", "lindenhagen", "rotenfels"]),
        ({"richtung": "ab"}, ["rotenfels", "lindenhagen", "kranichsee"]),
        ({"sortierung": "kosten"}, ["kranichsee", "lindenhagen", "rotenfels"]),
        ({"sortierung": "kosten", "richtung": "auf"}, ["rotenfels", "lindenhagen", "kranichsee"]),
        ({"sortierung": "sicherheit"}, ["kranichsee", "rotenfels", "lindenhagen"]),
        (
            {"sortierung": "sicherheit", "richtung": "ab"},
            ["lindenhagen", "rotenfels", "kranichsee"],
        ),
        ({"sortierung": "status"}, ["kranichsee", "lindenhagen", "rotenfels"]),
        ({"sortierung": "status", "richtung": "ab"}, ["rotenfels", "kranichsee", "lindenhagen"]),
        ({"sortierung": "unsinn", "richtung": "quer"}, ["kranichsee", "lindenhagen", "rotenfels"]),
    ],
    ids=[
        "received-oldest-first",
        "received-newest-first",
        "cost-highest-first-by-default",
        "cost-ascending",
        "confidence-lowest-first",
        "confidence-highest-first",
        "status",
        "status-reversed-ties-oldest-first",
        "unknown-order-is-the-default",
    ],
)
def test_order(make_client: Client, env: WebEnv, params: dict, keys: list[str]) -> None:
    html = make_client("lea").get("/pruefliste", params={"status": "alle", **params}).text
    assert _keys(env, _ids(html)) == keys


@pytest.mark.parametrize(
    ("change", "params", "keys"),
    [
        (
            ("lindenhagen", "gesamtkosten_eur", 700000),
            {"sortierung": "kosten"},
            ["lindenhagen", "kranichsee", "rotenfels"],
        ),
        (
            ("kranichsee", "gesamtkosten_eur", None),
            {"sortierung": "kosten"},
            ["lindenhagen", "rotenfels", "kranichsee"],
        ),
        (
            ("kranichsee", "gesamtkosten_eur", None),
            {"sortierung": "kosten", "richtung": "auf"},
            ["rotenfels", "lindenhagen", "kranichsee"],
        ),
        (
            ("kranichsee", "email", "neu@stadt-kranichsee.de"),
            {"sortierung": "sicherheit"},
            ["rotenfels", "kranichsee", "lindenhagen"],
        ),
    ],
    ids=[
        "corrected-cost-counts",
        "no-cost-last-descending",
        "no-cost-last-ascending",
        "corrected-field-has-no-machine-confidence",
    ],
)
def test_order_reads_current_values(
    make_client: Client, env: WebEnv, change: tuple, params: dict, keys: list[str]
) -> None:
    _correct(env, *change)
    html = make_client("lea").get("/pruefliste", params={"status": "alle", **params}).text
    assert _keys(env, _ids(html)) == keys


def test_queue_shows_confidence_and_cost(make_client: Client, env: WebEnv) -> None:
    html = make_client("lea").get("/pruefliste?status=alle").text
    row = html[html.index(f'id="skizze-{env.ids["kranichsee"]}"') :]
    row = row[: row.index("</tr>")]
    assert "40 %" in row and "650.000 €" in row
    assert 'aria-sort="ascending"' in html  # by received date


@pytest.mark.parametrize(
    ("query", "seite", "keys", "pager"),
    [
        ("status=alle&sortierung=kosten", "1", ["kranichsee"], "Seite 1 von 3"),
        ("status=alle&sortierung=kosten", "2", ["lindenhagen"], "Seite 2 von 3"),
        ("status=alle&sortierung=kosten", "9", ["rotenfels"], "Seite 3 von 3"),
        ("status=alle&suche=example&richtung=ab", "2", ["lindenhagen"], "Seite 2 von 3"),
        ("suche=stadt", "1", ["kranichsee"], None),
    ],
    ids=["first", "second", "beyond-the-end", "search-newest-first", "one-page"],
)
def test_pages_keep_filter_and_order(
    make_client: Client,
    env: WebEnv,
    monkeypatch: pytest.MonkeyPatch,
    query: str,
    seite: str,
    keys: list[str],
    pager: str | None,
) -> None:
    monkeypatch.setattr(queue, "PER_PAGE", 1)
    html = make_client("lea").get(f"/pruefliste?{query}&seite={seite}").text
    assert _keys(env, _ids(html)) == keys
    if pager is None:
        assert "Seite 1 von" not in html
        return
    assert pager in html
    kept = QueueQuery.of(dict(parse_qsl(query))).query
    for link in re.findall(r'<a href="(/pruefliste\?[^"]*)" rel="(?:next|prev)"', html):
        assert unescape(link).startswith(f"/pruefliste?{kept}&seite=")


# --- previous / next within the filter ------------------------------------------------------


def _nav(html: str) -> dict[str, Any]:
    nav = html[html.index('<nav class="queue-nav"') :]
    nav = nav[: nav.index("</nav>")]
    found: dict[str, Any] = {}
    for rel in ("prev", "next"):
        m = re.search(rf'<a href="/skizze/(\d+)\?([^"]*)" rel="{rel}" data-shortcut="{rel}">', nav)
        found[rel] = (int(m.group(1)), m.group(2).replace("&amp;", "&")) if m else None
    back = re.search(r'<a href="/pruefliste\?([^"#]*)#skizze-\d+">', nav)
    found["back"] = back.group(1).replace("&amp;", "&") if back else None
    found["text"] = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", nav))
    return found


@pytest.mark.parametrize(
    ("key", "query", "prev", "next", "place"),
    [
        ("lindenhagen", "status=alle", "kranichsee", "rotenfels", "2 von 3"),
        ("kranichsee", "status=alle", None, "lindenhagen", "1 von 3"),
        (
            "kranichsee",
            "status=alle&sortierung=kosten&richtung=auf",
            "lindenhagen",
            None,
            "3 von 3",
        ),
        ("rotenfels", "status=alle&sortierung=sicherheit", "kranichsee", "lindenhagen", "2 von 3"),
        (
            "lindenhagen",
            "status=alle&suche=example&aufruf=heimat-2.0",
            "kranichsee",
            None,
            "2 von 2",
        ),
        ("kranichsee", "", None, "lindenhagen", "1 von 2"),
        ("rotenfels", "status=needs_review", "lindenhagen", None, "nicht (mehr) in der Auswahl"),
        ("lindenhagen", "status=alle&themenfeld=Mobilit%C3%A4t", None, None, "1 von 1"),
    ],
    ids=[
        "middle",
        "first",
        "last-by-cost",
        "by-confidence",
        "search-and-call",
        "no-filter-is-the-default-queue",
        "outside-the-selection-placed-by-its-order",
        "topic",
    ],
)
def test_previous_and_next_keep_the_filter(
    make_client: Client,
    env: WebEnv,
    key: str,
    query: str,
    prev: str | None,
    next: str | None,
    place: str,
) -> None:
    r = make_client("lea").get(f"/skizze/{env.ids[key]}" + (f"?{query}" if query else ""))
    assert r.status_code == 200
    nav = _nav(r.text)
    kept = QueueQuery.of(dict(parse_qsl(query))).query
    assert place in nav["text"]
    for rel, want in (("prev", prev), ("next", next)):
        if want is None:
            assert nav[rel] is None
        else:
            assert nav[rel] == (env.ids[want], kept)
    assert nav["back"].startswith(kept + "&seite=")


def test_back_link_opens_the_page_of_the_sketch(
    make_client: Client, env: WebEnv, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(queue, "PER_PAGE", 1)
    client = make_client("lea")
    nav = _nav(client.get(f"/skizze/{env.ids['lindenhagen']}?status=alle").text)
    assert nav["back"] == "status=alle&seite=2"
    assert _keys(env, _ids(client.get(f"/pruefliste?{nav['back']}").text)) == ["lindenhagen"]


def test_approving_keeps_the_filter_and_the_way_on(make_client: Client, env: WebEnv) -> None:
    client = make_client("anna")
    sid = env.ids["kranichsee"]
    query = "status=needs_review&sortierung=kosten"
    page = client.get(f"/skizze/{sid}?{query}").text
    assert f'action="/skizze/{sid}/status?{query.replace("&", "&amp;")}"' in page
    assert 'data-shortcut="approve"' in page
    r = client.post(
        f"/skizze/{sid}/status?{query}", data={"csrf_token": client.csrf, "status": "approved"}
    )
    assert r.status_code == 303 and r.headers["location"] == f"/skizze/{sid}?{query}"
    nav = _nav(client.get(r.headers["location"]).text)
    assert "nicht (mehr) in der Auswahl (1)" in nav["text"]
    assert nav["next"] == (env.ids["lindenhagen"], query) and nav["prev"] is None


# --- bulk approval --------------------------------------------------------------------------


@pytest.fixture()
def ready_env(env: WebEnv) -> WebEnv:
    """kranichsee without findings (``ready``), rotenfels reopened and ``ready``;
    lindenhagen keeps its finding."""
    with session_scope(env.config.database_url) as s:
        kid, rid = env.ids["kranichsee"], env.ids["rotenfels"]
        repo.replace_check_results(s, sketch_id=kid, violations=[], run_id=None)
        repo.set_machine_status(s, sketch_id=kid, status="ready", reasons=[])
        review.set_review_status(s, sketch_id=rid, status="needs_review", actor="seed")
        repo.set_machine_status(s, sketch_id=rid, status="ready", reasons=[])
    return env


def _statuses(env: WebEnv) -> dict[str, str]:
    with session_scope(env.config.database_url) as s:
        return {k: s.get_one(Sketch, sid).status for k, sid in env.ids.items()}


def _approvals(env: WebEnv) -> list[tuple[int | None, str, str, str]]:
    with session_scope(env.config.database_url) as s:
        events = s.exec(
            select(AuditEvent).where(AuditEvent.action == "status", AuditEvent.actor == "anna")
        ).all()
        return sorted((e.sketch_id, e.actor, e.old, e.new) for e in events)


def test_checkboxes_only_for_sketches_without_findings(
    make_client: Client, ready_env: WebEnv
) -> None:
    html = make_client("anna").get("/pruefliste?status=alle").text
    ticks = [int(i) for i in re.findall(r'name="skizze" value="(\d+)" form="sammel"', html)]
    assert _keys(ready_env, ticks) == ["kranichsee", "rotenfels"]
    assert 'id="sammel"' in html and "Ausgewählte freigeben" in html
    assert 'data-select-all="skizze"' in html
    reader = make_client("lea").get("/pruefliste?status=alle").text
    assert 'name="skizze"' not in reader and "/pruefliste/freigeben" not in reader


def test_bulk_approves_only_sketches_without_findings(
    make_client: Client, ready_env: WebEnv
) -> None:
    client = make_client("anna")
    ids = ready_env.ids
    ticked = [ids["kranichsee"], ids["lindenhagen"], ids["rotenfels"], 999]
    r = client.post(
        "/pruefliste/freigeben?status=alle&sortierung=kosten&seite=1",
        data={"csrf_token": client.csrf, "skizze": [str(i) for i in ticked] + ["x", "-1"]},
    )
    assert r.status_code == 303
    refused = ",".join(str(i) for i in sorted([ids["lindenhagen"], 999]))
    kept = "status=alle&sortierung=kosten&seite=1"
    assert r.headers["location"] == f"/pruefliste?{kept}&freigegeben=2&nicht={quote(refused)}"
    assert _statuses(ready_env) == {
        "kranichsee": "approved",
        "lindenhagen": "needs_review",
        "rotenfels": "approved",
    }
    assert _approvals(ready_env) == sorted(
        [
            (ids["kranichsee"], "anna", "ready", "approved"),
            (ids["rotenfels"], "anna", "ready", "approved"),
        ]
    )
    page = client.get(r.headers["location"]).text
    assert "2 Skizzen freigegeben." in page
    assert f"Nicht freigegeben: Skizze {refused.replace(',', ', ')}." in page
    assert "einzeln prüfen" in page


def test_bulk_refuses_a_sketch_with_findings(make_client: Client, ready_env: WebEnv) -> None:
    client = make_client("anna")
    sid = ready_env.ids["lindenhagen"]
    r = client.post("/pruefliste/freigeben", data={"csrf_token": client.csrf, "skizze": str(sid)})
    assert r.status_code == 303 and r.headers["location"].endswith(f"freigegeben=0&nicht={sid}")
    assert _statuses(ready_env)["lindenhagen"] == "needs_review" and _approvals(ready_env) == []
    page = client.get(r.headers["location"]).text
    assert "Skizzen freigegeben." not in page
    assert f"Nicht freigegeben: Skizze {sid}. Gesammelt freigeben lassen sich nur" in page
    with session_scope(ready_env.config.database_url) as s:
        done = queue.approve_without_findings(s, sketch_ids=[sid], actor="anna")
    assert done.approved == [] and "hat Befunde" in done.refused[sid]


def test_bulk_with_nothing_ticked(make_client: Client, ready_env: WebEnv) -> None:
    client = make_client("anna")
    r = client.post("/pruefliste/freigeben", data={"csrf_token": client.csrf})
    assert r.status_code == 303
    assert "Keine Skizze ausgewählt." in client.get(r.headers["location"]).text
    assert _approvals(ready_env) == []


@pytest.mark.parametrize(
    ("user", "token", "message"),
    [
        ("anna", None, "Formular-Token"),
        ("anna", "falsch", "Formular-Token"),
        ("lea", "own", "nur das Ansehen"),
        (None, "falsch", "Bitte zuerst anmelden"),
    ],
    ids=["no-token", "wrong-token", "reader", "not-logged-in"],
)
def test_bulk_needs_token_and_reviewer(
    make_client: Client, ready_env: WebEnv, user: str | None, token: str | None, message: str
) -> None:
    client = make_client(user)
    data: dict[str, Any] = {"skizze": [str(ready_env.ids["kranichsee"])]}
    if token is not None:
        data["csrf_token"] = client.csrf if token == "own" else token  # type: ignore[attr-defined]
    r = client.post("/pruefliste/freigeben", data=data)
    assert r.status_code == 403 and message in r.text
    assert _statuses(ready_env)["kranichsee"] == "ready" and _approvals(ready_env) == []


# --- the page's script under the CSP --------------------------------------------------------


@pytest.mark.parametrize("path", ["/pruefliste", "/skizze/{id}"], ids=["queue", "detail"])
def test_page_runs_only_its_own_script(make_client: Client, env: WebEnv, path: str) -> None:
    client = make_client("lea")
    r = client.get(path.format(id=env.ids["lindenhagen"]))
    csp = r.headers["content-security-policy"]
    directives = [d.strip() for d in csp.split(";")]
    assert "script-src 'self'" in directives and "default-src 'none'" in directives
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert re.findall(r"<script[^>]*>", r.text) == ['<script src="/static/app.js" defer>']
    js = client.get("/static/app.js")
    assert js.status_code == 200
    assert js.headers["content-type"].split(";")[0] in ("text/javascript", "application/javascript")
    assert js.headers["x-content-type-options"] == "nosniff"
    for risky in ("innerHTML", "eval(", "fetch(", "http"):
        assert risky not in js.text  # presses links and forms, loads and writes nothing
