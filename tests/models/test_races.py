"""Two writers insert the same natural key at the same time: the loser treats it as existing.

The winner holds its insert uncommitted while the loser tries the same key; then the winner
commits. On PostgreSQL the loser's INSERT waits on the unique index and fails with
IntegrityError, which the data-access layer absorbs; on SQLite the loser waits for the write
lock (BEGIN IMMEDIATE) and then finds the row.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any

import pytest
from sqlmodel import Session, func, select

from models import repo
from models.db import get_engine, init_db, session_scope
from models.tables import Attachment, FieldValue, Message, Sketch


def _message(mid: str) -> tuple[Message, list[Attachment]]:
    msg = Message(message_id=mid, raw_sha256="0" * 64, sender="a@b.de")
    att = Attachment(
        message_pk=0, position=0, filename="s.pdf", content_type="application/pdf", size=1,
        sha256="1" * 64,
    )  # fmt: skip
    return msg, [att]


def _add_message(s: Session) -> Any:
    msg, atts = _message("<race@x.de>")
    return repo.add_message(s, message=msg, attachments=atts) is not None


def _sketch(s: Session) -> Any:
    return repo.get_or_create_sketch(s, sha256="c" * 64, call_id="c", received_at=None).id


def _fields(s: Session) -> Any:
    sid = repo.get_or_create_sketch(s, sha256="d" * 64, call_id="c", received_at=None).id
    repo.store_extraction(
        s,
        sketch_id=sid,  # type: ignore[arg-type]
        fields={"projekttitel": {"value": "Dorfladen", "confidence": 0.9}},
        themes=[],
        loesungsart=[],
        theme_model_version="t",
        parser_version="p",
        page_count=1,
        run_id=None,
    )
    return sid


def _count(url: str, model: type) -> int:
    with Session(get_engine(url)) as s:
        return int(s.exec(select(func.count()).select_from(model)).one())


@pytest.mark.parametrize(
    ("work", "model", "loser_result"),
    [
        (_add_message, Message, False),
        (_sketch, Sketch, None),
        (_fields, FieldValue, None),
    ],
    ids=["message-id", "sketch-sha256", "field-value-sketch-field"],
)
def test_loser_of_an_insert_race_sees_the_row(
    db_url: str, work: Callable[[Session], Any], model: type, loser_result: Any
) -> None:
    init_db(get_engine(db_url))
    holding, release = threading.Event(), threading.Event()
    results: dict[str, Any] = {}

    def winner() -> None:
        with session_scope(db_url) as s:
            results["winner"] = work(s)
            holding.set()
            release.wait(10)

    def loser() -> None:
        holding.wait(10)
        with session_scope(db_url) as s:
            results["loser"] = work(s)

    threads = [threading.Thread(target=winner), threading.Thread(target=loser)]
    for t in threads:
        t.start()
    holding.wait(10)
    time.sleep(0.5)  # the loser is now blocked on the winner's uncommitted row / lock
    release.set()
    for t in threads:
        t.join(30)
    assert set(results) == {"winner", "loser"}, results
    if loser_result is None:  # same row id for both
        assert results["loser"] == results["winner"]
    else:
        assert (results["winner"], results["loser"]) == (True, loser_result)
    assert _count(db_url, model) == 1
