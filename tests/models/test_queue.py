"""The review queue's data access (``models.queue``): selection, order, pages, neighbours
and the rule of the bulk approval, on SQLite and on PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from extractors.types import TOPIC_FIELDS
from models import queue, repo
from models.db import get_engine, session_scope
from models.tables import Sketch
from skizzen.settings import RuntimeConfig
from tests.web.factory import build, cheap_hashing, make_config, vary_confidences

ALL = queue.Selection(status=None)
"""Every sketch, whatever its status."""

BACKENDS = ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]


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
        rows = queue.review_queue(s, selection=queue.Selection(**kwargs))
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
        got = queue.queue_page(s, selection=ALL, page=page, per_page=per_page)
        whole = queue.review_queue(s, selection=ALL)
    assert (got.total, got.page, got.pages) == (3, want_page, -(-3 // per_page))
    assert [r.sketch_id for r in got.rows] == [ids[k] for k in keys]
    assert got.rows == whole[(want_page - 1) * per_page : want_page * per_page]


def test_topic_filter_follows_a_staff_correction(
    seeded: tuple[RuntimeConfig, dict[str, int]],
) -> None:
    """The queue counts what the report counts: staff's topic fields where corrected."""
    config, ids = seeded
    sid = ids["lindenhagen"]
    url = config.database_url
    with session_scope(url) as s:
        machine = repo.machine_labels(s.get_one(Sketch, sid), "themes")
        other = next(t for t in TOPIC_FIELDS if t not in machine)
        before = [
            r.sketch_id
            for r in queue.review_queue(s, selection=queue.Selection(status=None, topic=other))
        ]
        repo.set_correction(s, sketch_id=sid, field="themes", value=[other], author="anna")
    with session_scope(url) as s:
        after = [
            r.sketch_id
            for r in queue.review_queue(s, selection=queue.Selection(status=None, topic=other))
        ]
        gone = [
            r.sketch_id
            for r in queue.review_queue(s, selection=queue.Selection(status=None, topic=machine[0]))
        ]
    assert sid not in before and sid in after
    assert sid not in gone


@pytest.mark.parametrize(
    ("status", "reasons", "violations", "checked", "refused"),
    [
        ("ready", [], [], True, None),
        ("ready", [], ["cost_out_of_range"], True, "hat Befunde"),
        ("needs_review", ["no_cooperation_partner"], [], True, "hat Befunde"),
        ("approved", [], [], True, "nicht „ohne Befund“"),
        ("new", [], [], False, "nicht „ohne Befund“"),
        ("ready", [], [], False, "korrigiert"),
    ],
    ids=[
        "ready-without-findings",
        "check-result",
        "status-reason",
        "already-decided",
        "not-checked-yet",
        "corrected-since-check",
    ],
)
def test_bulk_rule(
    status: str, reasons: list[str], violations: list[str], checked: bool, refused: str | None
) -> None:
    why = queue.bulk_refusal(status=status, reasons=reasons, violations=violations, checked=checked)
    assert (why is None) if refused is None else (why is not None and refused in why)


# --- the same selections on SQLite and PostgreSQL -------------------------------------------


@pytest.fixture(scope="module", params=BACKENDS)
def seeded_db(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[str, dict[str, int]]]:
    base: Path = tmp_path_factory.mktemp("queue-db")
    url = None
    if request.param == "postgres":
        url = request.getfixturevalue("pg_cluster").create_database()
    config = make_config(base, url)
    with cheap_hashing():
        ids = build(config)
    vary_confidences(config.database_url, ids)
    yield config.database_url, ids
    get_engine(config.database_url).dispose()


@pytest.mark.parametrize(
    ("kwargs", "keys"),
    [
        ({"search": "MECKLENBURG"}, ["kranichsee"]),
        ({"search": "absender2"}, ["rotenfels"]),
        ({"search": "Dorf"}, ["lindenhagen", "rotenfels"]),
        ({"search": "korb – DIE"}, ["lindenhagen"]),
        ({"search": "100%"}, []),
        ({"sort": "cost", "descending": True}, ["kranichsee", "lindenhagen", "rotenfels"]),
        ({"sort": "confidence"}, ["kranichsee", "rotenfels", "lindenhagen"]),
        ({"sort": "status", "descending": True}, ["rotenfels", "kranichsee", "lindenhagen"]),
        (
            {"search": "example", "sort": "received", "descending": True},
            ["rotenfels", "lindenhagen", "kranichsee"],
        ),
    ],
    ids=[
        "place",
        "sender",
        "title",
        "title-non-ascii",
        "literal",
        "cost",
        "confidence",
        "status",
        "newest",
    ],
)
def test_selection_on_both_databases(
    seeded_db: tuple[str, dict[str, int]], kwargs: dict, keys: list[str]
) -> None:
    url, ids = seeded_db
    with session_scope(url) as s:
        rows = queue.review_queue(s, selection=queue.Selection(status=None, **kwargs))
        page = queue.queue_page(
            s, selection=queue.Selection(status=None, **kwargs), page=1, per_page=1
        )
        middle = queue.queue_neighbours(
            s, sketch_id=ids["lindenhagen"], selection=queue.Selection(status=None, **kwargs)
        )
    by_id = {v: k for k, v in ids.items()}
    assert [by_id[r.sketch_id] for r in rows] == keys
    assert [r.sketch_id for r in page.rows] == [r.sketch_id for r in rows[:1]]
    assert page.total == len(keys)
    order = [r.sketch_id for r in rows]
    if ids["lindenhagen"] in order:
        at = order.index(ids["lindenhagen"])
        assert middle.position == at + 1 and middle.total == len(order)
        assert middle.previous == (order[at - 1] if at else None)
        assert middle.next == (order[at + 1] if at + 1 < len(order) else None)
    else:
        assert middle.position is None
