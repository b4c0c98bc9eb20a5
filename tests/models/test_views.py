"""The reporting views (``models.views``) show current values, corrected labels with the
machine's beside them, and the findings, on SQLite and on PostgreSQL."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from extractors.types import FIELD_NAMES
from models import repo, review
from models.db import get_engine, session_scope
from models.tables import Sketch
from models.views import VIEW_NAMES, create_views, drop_views, view_statements
from skizzen.outputs import report
from skizzen.outputs.stats import summarise
from skizzen.settings import RuntimeConfig
from tests.web.factory import XSS

MOBILITY, HEALTH = "Mobilität", "Gesundheits- und Pflegeversorgung"


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


def test_views_show_corrected_labels_with_the_machine_beside(
    seeded: tuple[RuntimeConfig, dict[str, int]],
) -> None:
    """The views count staff's topic fields and kinds of solution as the report does."""
    config, ids = seeded
    url = config.database_url
    lind, kran = ids["lindenhagen"], ids["kranichsee"]
    with session_scope(url) as s:
        review.correct_field(
            s, sketch_id=kran, field_name="themes", value=[HEALTH, MOBILITY], actor="anna"
        )
        review.correct_field(s, sketch_id=lind, field_name="loesungsart", value=[], actor="anna")

    cur = {r["sketch_id"]: r for r in _rows(url, "SELECT * FROM v_sketch_current")}
    assert (cur[kran]["themes"], cur[kran]["themes_machine"]) == (f"{HEALTH}; {MOBILITY}", HEALTH)
    assert (cur[lind]["loesungsart"], cur[lind]["loesungsart_machine"]) == (None, "App")
    assert cur[lind]["themes"] == cur[lind]["themes_machine"]  # not corrected
    themes = _rows(
        url,
        "SELECT themenfeld, COUNT(*) AS n FROM v_sketch_theme WHERE counted = 1"
        " GROUP BY themenfeld",
    )
    with session_scope(url) as s:
        assert {r["themenfeld"]: int(r["n"]) for r in themes} == {
            k: v for k, v in summarise(report.current_rows(s)).by_topic.items() if v
        }
    kran_rows = _rows(url, f"SELECT * FROM v_sketch_theme WHERE sketch_id = {kran} ORDER BY rank")
    assert [(r["themenfeld"], r["rank"], r["source"], r["score"]) for r in kran_rows] == [
        (HEALTH, 1, "correction", None),
        (MOBILITY, 2, "correction", None),
    ]
    assert not _rows(url, "SELECT * FROM v_field_current WHERE field IN ('themes', 'loesungsart')")
