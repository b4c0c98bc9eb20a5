"""Review data access and the reporting views, on SQLite and on PostgreSQL (``db_url``)."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlmodel import select

from extractors.types import FIELD_NAMES
from models import accounts, queue, repo, review
from models.db import get_engine, session_scope
from models.tables import Sketch, utcnow
from models.users import WebSession
from models.views import VIEW_NAMES, create_views, drop_views, view_statements
from skizzen.settings import RuntimeConfig
from tests.web.factory import XSS, build, cheap_hashing, make_config


@pytest.fixture()
def seeded(db_url: str, tmp_path: Path) -> tuple[RuntimeConfig, dict[str, int]]:
    config = make_config(tmp_path, db_url)
    with cheap_hashing():
        ids = build(config)
    return config, ids


@pytest.mark.parametrize(
    ("kwargs", "keys"),
    [
        ({}, ["kranichsee", "lindenhagen"]),
        ({"status": None}, ["kranichsee", "lindenhagen", "rotenfels"]),
        ({"status": None, "call_id": "heimat-3.0"}, ["rotenfels"]),
        ({"status": None, "topic": "Mobilität"}, ["lindenhagen"]),
        ({"status": "rejected"}, []),
    ],
    ids=["needs-review-oldest-first", "all", "call", "topic", "none"],
)
def test_review_queue(
    seeded: tuple[RuntimeConfig, dict[str, int]], kwargs: dict, keys: list[str]
) -> None:
    config, ids = seeded
    with session_scope(config.database_url) as s:
        rows = queue.review_queue(s, **kwargs)
    assert [r.sketch_id for r in rows] == [ids[k] for k in keys]


@pytest.mark.parametrize(
    ("page", "per_page", "want_page", "keys"),
    [
        (1, 2, 1, ["kranichsee", "lindenhagen"]),
        (2, 2, 2, ["rotenfels"]),
        (9, 2, 2, ["rotenfels"]),  # beyond the end: the last page
        (0, 2, 1, ["kranichsee", "lindenhagen"]),
        (1, 50, 1, ["kranichsee", "lindenhagen", "rotenfels"]),
    ],
    ids=["first", "last", "beyond-the-end", "before-the-start", "one-page"],
)
def test_queue_page_reads_one_page_of_the_whole_selection(
    seeded: tuple[RuntimeConfig, dict[str, int]],
    page: int,
    per_page: int,
    want_page: int,
    keys: list[str],
) -> None:
    config, ids = seeded
    with session_scope(config.database_url) as s:
        got = queue.queue_page(s, status=None, page=page, per_page=per_page)
        whole = queue.review_queue(s, status=None)
    assert (got.total, got.page, got.pages) == (3, want_page, -(-3 // per_page))
    assert [r.sketch_id for r in got.rows] == [ids[k] for k in keys]
    assert got.rows == whole[(want_page - 1) * per_page : want_page * per_page]


def test_correction_and_decision_are_audited_and_kept(
    seeded: tuple[RuntimeConfig, dict[str, int]],
) -> None:
    config, ids = seeded
    sid = ids["lindenhagen"]
    with session_scope(config.database_url) as s:
        review.correct_field(
            s, sketch_id=sid, field_name="gesamtkosten_eur", value=400000, actor="anna"
        )
        review.set_review_status(s, sketch_id=sid, status="approved", actor="anna")
    with session_scope(config.database_url) as s:  # a machine rerun afterwards
        repo.store_extraction(
            s,
            sketch_id=sid,
            fields={"gesamtkosten_eur": {"value": 1, "confidence": 1.0}},
            themes=[],
            loesungsart=[],
            theme_model_version="t",
            parser_version="t",
            page_count=1,
            run_id=None,
        )
        repo.set_machine_status(s, sketch_id=sid, status="needs_review", reasons=["x"])
    with session_scope(config.database_url) as s:
        detail = review.sketch_detail(s, sketch_id=sid)
        assert detail is not None
        assert detail.sketch.status == "approved"
        row = next(f for f in detail.fields if f.name == "gesamtkosten_eur")
        assert (row.current, row.corrected, row.machine and row.machine.value) == (400000, True, 1)
        trail = [(e.action, e.field, e.old, e.new) for e in detail.audit]
        assert trail == [
            ("status", "status", "needs_review", "approved"),
            ("correct", "gesamtkosten_eur", 384500, 400000),
        ]
        assert [m.message.message_id for m in detail.mails] == ["<lindenhagen@test>"]
        assert [a.outcome for a in detail.mails[0].attachments] == ["sketch", "not_a_sketch"]


def test_unknown_status_is_refused(seeded: tuple[RuntimeConfig, dict[str, int]]) -> None:
    config, ids = seeded
    with session_scope(config.database_url) as s, pytest.raises(ValueError):
        review.set_review_status(s, sketch_id=ids["lindenhagen"], status="ready", actor="x")


@pytest.mark.parametrize(
    ("age", "absolute", "alive"),
    [
        (timedelta(minutes=5), timedelta(hours=8), True),
        (timedelta(minutes=31), timedelta(hours=8), False),
        (timedelta(minutes=5), timedelta(minutes=1), False),
    ],
    ids=["fresh", "idle-expired", "absolute-expired"],
)
def test_web_session_expiry(
    seeded: tuple[RuntimeConfig, dict[str, int]],
    age: timedelta,
    absolute: timedelta,
    alive: bool,
) -> None:
    config, _ = seeded
    idle = timedelta(minutes=30)
    then = utcnow() - age
    with session_scope(config.database_url) as s:
        user = accounts.get_user(s, name="anna")
        assert user is not None
        accounts.open_session(
            s, token_hash="h" * 64, user_id=user.id, csrf_token="c", absolute=absolute, now=then
        )
    with session_scope(config.database_url) as s:
        found = accounts.active_session(s, token_hash="h" * 64, idle=idle)
        assert (found is not None) == alive
    with session_scope(config.database_url) as s:
        assert (s.get(WebSession, "h" * 64) is not None) == alive


def test_resetting_a_user_ends_their_sessions(
    seeded: tuple[RuntimeConfig, dict[str, int]],
) -> None:
    config, _ = seeded
    with session_scope(config.database_url) as s:
        user = accounts.get_user(s, name="lea")
        assert user is not None
        accounts.open_session(
            s, token_hash="a" * 64, user_id=user.id, csrf_token="c", absolute=timedelta(hours=1)
        )
        accounts.upsert_user(s, name="lea", password_hash="x", role="reviewer")
    with session_scope(config.database_url) as s:
        assert list(s.exec(select(WebSession))) == []
        assert accounts.get_user(s, name="lea").role == "reviewer"  # type: ignore[union-attr]
        with pytest.raises(ValueError):
            accounts.upsert_user(s, name="x", password_hash="x", role="admin")


# --- views ----------------------------------------------------------------------------------


def _rows(url: str, sql: str) -> list[dict]:
    with get_engine(url).connect() as conn:
        return [dict(r) for r in conn.execute(text(sql)).mappings()]


def test_views_show_current_values(seeded: tuple[RuntimeConfig, dict[str, int]]) -> None:
    config, ids = seeded
    url = config.database_url
    sid = ids["lindenhagen"]
    with session_scope(url) as s:
        review.correct_field(
            s, sketch_id=sid, field_name="kooperationspartner", value=["A", "B"], actor="anna"
        )
        review.correct_field(
            s, sketch_id=sid, field_name="gesamtkosten_eur", value=400000.5, actor="anna"
        )
        review.set_review_status(s, sketch_id=ids["rotenfels"], status="not_a_sketch", actor="a")
    with get_engine(url).begin() as conn:
        create_views(conn)
        create_views(conn)  # idempotent
    cur = {r["sketch_id"]: r for r in _rows(url, "SELECT * FROM v_sketch_current")}
    assert set(cur) == set(ids.values())
    row = cur[sid]
    assert {c for c in FIELD_NAMES} <= set(row)
    assert row["kooperationspartner"] == "A; B"
    assert float(row["gesamtkosten_eur"]) == 400000.5
    assert int(row["einwohnerzahl"]) == 2340 and row["projektbeginn"] == "2021-09-01"
    assert row["themes"] == "Lokale und regionale Versorgung; Mobilität"
    assert (row["check_count"], row["check_codes"], row["counted"]) == (
        1,
        "no_cooperation_partner",
        1,
    )
    assert cur[ids["kranichsee"]]["projekttitel"] == XSS
    assert cur[ids["rotenfels"]]["counted"] == 0

    field = _rows(
        url,
        f"SELECT * FROM v_field_current WHERE field = 'kooperationspartner' AND sketch_id = {sid}",
    )[0]
    assert (field["source"], field["corrected_by"], field["machine_value_text"]) == (
        "correction",
        "anna",
        None,
    )

    themes = _rows(url, "SELECT * FROM v_sketch_theme ORDER BY sketch_id, rank")
    assert [
        (t["sketch_id"], t["themenfeld"], t["rank"]) for t in themes if t["sketch_id"] == sid
    ] == [
        (sid, "Lokale und regionale Versorgung", 1),
        (sid, "Mobilität", 2),
    ]
    assert all(abs(float(t["score"]) - 0.9) < 1e-9 for t in themes)

    checks = _rows(url, "SELECT * FROM v_check_result ORDER BY sketch_id")
    assert sorted((c["sketch_id"], c["code"], c["rule"]) for c in checks) == sorted(
        [
            (sid, "no_cooperation_partner", "no_cooperation_partner"),
            (ids["kranichsee"], "cost_out_of_range", "cost_out_of_range"),
        ]
    )

    outcomes = _rows(url, "SELECT * FROM v_attachment_outcome")
    assert sorted(o["outcome"] for o in outcomes) == sorted(
        ["sketch", "not_a_sketch", "sketch", "sketch", "no_attachment"]
    )

    with get_engine(url).begin() as conn:
        drop_views(conn)
    for name in VIEW_NAMES:
        with pytest.raises(Exception, match=name):
            _rows(url, f"SELECT * FROM {name}")


def test_view_statements_only_for_known_dialects() -> None:
    assert set(view_statements("sqlite")) == set(VIEW_NAMES) == set(view_statements("postgresql"))
    with pytest.raises(ValueError):
        view_statements("mysql")


def test_missing_field_code_rule(seeded: tuple[RuntimeConfig, dict[str, int]]) -> None:
    config, ids = seeded
    url = config.database_url
    with session_scope(url) as s:
        repo.replace_check_results(
            s,
            sketch_id=ids["rotenfels"],
            violations=[("missing_field:email", "fehlt")],
            run_id=None,
        )
        assert s.get_one(Sketch, ids["rotenfels"]).status == "approved"
    with get_engine(url).begin() as conn:
        create_views(conn)
    rows = _rows(url, f"SELECT rule FROM v_check_result WHERE sketch_id = {ids['rotenfels']}")
    assert rows == [{"rule": "missing_field"}]
