"""The page of learned rules (/gelernt): what a correction taught, listed with where it came
from; a reviewer removes a rule with the form's token, a reader only looks; a removed rule
stays listed for the audit. A saved correction teaches at once (the correct route)."""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from typing import Any

import pytest
from fastapi.testclient import TestClient

from extractors.taught import Layout, Source, TaughtRule
from models import repo
from models import teach as learned
from models.db import session_scope
from models.tables import RULE_ACTIVE, RULE_REMOVED
from skizzen.documents.parsing import ParseCache, parse_pdf_inprocess
from skizzen.intake.store import BlobStore
from tests.web.conftest import WebEnv

Client = Callable[..., TestClient]
LAYOUT = Layout(
    "writer | libreoffice",
    frozenset({"gesamtausgaben", "bezeichnung vorhabens", "laufzeit monaten"}),
    frozenset({"page:595x842", "type:10.0:0"}),
)


def _learned(env: WebEnv, key: str = "lindenhagen") -> TaughtRule:
    """A rule as a correction of the total cost of one seeded sketch would have taught."""
    sid = env.ids[key]
    with session_scope(env.config.database_url) as s:
        corr = repo.set_correction(
            s, sketch_id=sid, field="gesamtkosten_eur", value=384500, author="anna"
        )
        rule = TaughtRule(
            field="gesamtkosten_eur",
            kind="label",
            layout=LAYOUT,
            label="gesamtausgaben",
            rel="right",
            page=1,
            box=(260.0, 192.4, 310.9, 202.4),
            source=Source(int(corr.id), sid, "anna"),  # type: ignore[arg-type]
        )
        return learned.store_rule(s, rule=rule)


def _status(env: WebEnv, rule_no: int) -> list[str]:
    with session_scope(env.config.database_url) as s:
        return [r.row.status for r in learned.rule_rows(s) if r.rule.rule_id == rule_no]


def _remove(client: TestClient, rule_no: int, token: str | None) -> Any:
    data = {"csrf_token": token} if token is not None else {}
    return client.post(f"/gelernt/{rule_no}/entfernen", data=data)


def test_the_page_lists_a_rule_with_its_correction(web_env: WebEnv, make_client: Client) -> None:
    rule = _learned(web_env)
    page = make_client("anna").get("/gelernt")
    assert page.status_code == 200
    text = html.unescape(page.text)
    row = re.search(rf'<tr id="regel-{rule.rule_id}">.*?</tr>', text, re.S)
    assert row, text
    cells = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", row.group(0)))
    for want in (
        f"#{rule.rule_id}",
        "Fassung 1",
        "Gesamtkosten",
        "Bezeichnung",
        "„gesamtausgaben“",
        "rechts daneben",
        "writer | libreoffice",
        f"Korrektur #{rule.source.correction_id}",
        f"Skizze {web_env.ids['lindenhagen']}",
        "anna",
    ):
        assert want in cells, (want, cells)
    assert f'href="/skizze/{web_env.ids["lindenhagen"]}"' in row.group(0)
    assert f'action="/gelernt/{rule.rule_id}/entfernen"' in row.group(0)


def test_without_rules_the_page_says_so(make_client: Client) -> None:
    page = make_client("lea").get("/gelernt")
    assert page.status_code == 200 and "Noch keine Regel gelernt." in page.text


def test_the_page_needs_a_login(make_client: Client) -> None:
    r = make_client().get("/gelernt")
    assert r.status_code == 303 and r.headers["location"].startswith("/login")


def test_a_reviewer_removes_a_rule_and_it_stays_listed(
    web_env: WebEnv, make_client: Client
) -> None:
    rule = _learned(web_env)
    anna = make_client("anna")
    r = _remove(anna, rule.rule_id, anna.csrf)  # type: ignore[attr-defined]
    assert r.status_code == 303 and r.headers["location"] == "/gelernt"
    assert _status(web_env, rule.rule_id) == [RULE_REMOVED]
    with session_scope(web_env.config.database_url) as s:
        assert learned.active_rules(s) == ()
    page = html.unescape(anna.get("/gelernt").text)
    assert "Noch keine Regel gelernt." in page
    ended = page.split("Frühere Fassungen und entfernte Regeln", 1)[1]
    assert f"#{rule.rule_id}" in ended and "entfernt am" in ended and "von anna" in ended
    again = _remove(anna, rule.rule_id, anna.csrf)  # type: ignore[attr-defined]
    assert again.status_code == 404 and "nicht (mehr) in Gebrauch" in html.unescape(again.text)


REFUSED = [
    ("reader", "lea", True, "Ihre Rolle erlaubt nur das Ansehen."),
    ("no token", "anna", False, "Ungültiges oder fehlendes Formular-Token."),
    ("wrong token", "anna", None, "Ungültiges oder fehlendes Formular-Token."),
    ("not logged in", None, None, "Bitte zuerst anmelden."),
]


@pytest.mark.parametrize(
    ("user", "token", "message"), [c[1:] for c in REFUSED], ids=[c[0] for c in REFUSED]
)
def test_a_removal_without_the_right_is_refused(
    web_env: WebEnv, make_client: Client, user: str | None, token: bool | None, message: str
) -> None:
    rule = _learned(web_env)
    client = make_client(user)
    sent = {True: getattr(client, "csrf", None), False: None, None: "x" * 43}[token]
    r = _remove(client, rule.rule_id, sent)
    assert r.status_code == 403 and message in html.unescape(r.text)
    assert _status(web_env, rule.rule_id) == [RULE_ACTIVE]


def test_a_reader_sees_no_remove_button(web_env: WebEnv, make_client: Client) -> None:
    rule = _learned(web_env)
    page = make_client("lea").get("/gelernt").text
    assert f"regel-{rule.rule_id}" in page and "/entfernen" not in page


def test_a_saved_correction_teaches_at_once(web_env: WebEnv, make_client: Client) -> None:
    """The seeded sketch's PDF says "Projektskizze Gemeinde Lindenhagen" in its first line;
    staff take that line as the title: a rule of its layout is stored and listed."""
    sid = web_env.ids["lindenhagen"]
    with session_scope(web_env.config.database_url) as s:
        sha = repo.sketch_shas(s, sketch_ids=[sid])[sid]
    doc = parse_pdf_inprocess(BlobStore(web_env.config.blob_dir).get(sha))
    ParseCache(web_env.config.parse_cache_dir).put(doc)
    anna = make_client("anna")
    r = anna.post(
        f"/skizze/{sid}/feld/projekttitel",
        data={"csrf_token": anna.csrf, "wert": "Projektskizze Gemeinde Lindenhagen"},  # type: ignore[attr-defined]
    )
    assert r.status_code == 303
    with session_scope(web_env.config.database_url) as s:
        (rule,) = learned.active_rules(s)
        corr = repo.corrections(s, sketch_ids=[sid])[sid]["projekttitel"]
    assert (rule.field, rule.kind) == ("projekttitel", "position")
    assert rule.source == Source(int(corr.id), sid, "anna")  # type: ignore[arg-type]
    assert f"regel-{rule.rule_id}" in anna.get("/gelernt").text
