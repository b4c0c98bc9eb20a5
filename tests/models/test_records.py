"""The read model: current values with corrections, the first file, findings, versions; the
bulk writes the pipeline uses agree with the one-sketch writes.

Every test runs on SQLite and PostgreSQL (``db_url`` from tests/conftest.py).
"""

from __future__ import annotations

from datetime import UTC, datetime

from extractors.types import FIELD_NAMES
from models import repo
from models.db import session_scope
from models.records import current_records
from models.tables import Attachment, Message


def _extraction(**values: object) -> dict[str, object]:
    return {
        "fields": {
            k: {"value": v, "confidence": 0.8, "evidence": {"page": 1, "snippet": str(v)}}
            for k, v in values.items()
        },
        "themes": [{"label": "Mobilität", "score": 0.9}],
        "loesungsart": [{"label": "App", "score": 0.7}],
        "theme_model_version": "t1",
        "parser_version": "p1",
        "page_count": 2,
    }


def _sketch(url: str, n: int, *, received: datetime) -> int:
    with session_scope(url) as s:
        msg = Message(
            message_id=f"<m{n}@x>", raw_sha256=f"{n:064x}", sender="a@b.de", sent_at=received
        )
        att = Attachment(
            message_pk=0,
            position=0,
            filename=f"skizze{n}.pdf",
            content_type="x",
            size=1,
            sha256=f"{n:02x}" * 32,
        )
        repo.add_message(s, message=msg, attachments=[att])
        sketch = repo.get_or_create_sketch(s, sha256=att.sha256, call_id="c", received_at=received)
        repo.set_attachment_outcome(
            s,
            attachment_id=int(att.id),
            outcome="sketch",
            reason="",
            detail={},  # type: ignore[arg-type]
            sketch_id=sketch.id,
        )
        return int(sketch.id)  # type: ignore[arg-type]


def test_a_record_is_the_sketch_as_staff_see_it(db_url: str) -> None:
    first = _sketch(db_url, 1, received=datetime(2021, 3, 2, tzinfo=UTC))
    later = _sketch(db_url, 2, received=datetime(2021, 3, 5, tzinfo=UTC))
    with session_scope(db_url) as s:
        repo.store_extractions(
            s,
            extractions={
                first: _extraction(antragsteller="Gemeinde A", gesamtkosten_eur=400000),
                later: _extraction(antragsteller="Gemeinde A"),
            },
            run_id=None,
        )
        repo.set_correction(
            s, sketch_id=first, field="gesamtkosten_eur", value=410000, author="mia"
        )
        repo.record_checks(
            s,
            verdicts={
                first: repo.CheckVerdict(
                    [("unknown_state", "…"), ("unknown_state", "…")],
                    "needs_review",
                    ["unknown_state"],
                ),
                later: repo.CheckVerdict([], "ready", []),
            },
            run_id=None,
        )
        repo.set_supersedes(s, sketch_id=later, supersedes_id=first)
    with session_scope(db_url) as s:
        everything = current_records(s)
        only_later = current_records(s, sketch_ids=[later])
        nothing = current_records(s, sketch_ids=[])
    assert [r.sketch_id for r in everything] == [first, later]  # first received first
    one = everything[0]
    assert set(one.fields) == set(FIELD_NAMES)
    assert one.fields["gesamtkosten_eur"] == 410000 and one.corrected == {"gesamtkosten_eur"}
    assert one.confidences == {"antragsteller": 0.8, "gesamtkosten_eur": 0.8}
    assert (one.filename, one.message_id) == ("skizze1.pdf", "<m1@x>")
    assert (one.status, one.reasons, one.violations) == (
        "needs_review",
        ["unknown_state"],
        ["unknown_state"],
    )
    assert (one.themes, one.loesungsart) == (["Mobilität"], ["App"])
    (alone,) = only_later
    assert (
        alone.supersedes_id == first and alone.supersedes_sha256 == "01" * 32
    )  # outside the selection
    assert alone.status == "ready" and nothing == []


def test_a_new_check_replaces_the_old_findings(db_url: str) -> None:
    sid = _sketch(db_url, 3, received=datetime(2021, 3, 2, tzinfo=UTC))
    for codes in (["a", "b"], ["c"]):
        with session_scope(db_url) as s:
            repo.record_checks(
                s,
                verdicts={sid: repo.CheckVerdict([(c, c) for c in codes], "needs_review", codes)},
                run_id=None,
            )
    with session_scope(db_url) as s:
        assert repo.check_codes(s, sketch_ids=[sid]) == {sid: ["c"]}
