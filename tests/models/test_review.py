"""One sketch under review (``models.review``): corrections and decisions are audited and
survive a machine rerun; the detail view shows them with its mails."""

from __future__ import annotations

import pytest

from models import repo, review
from models.db import session_scope
from skizzen.settings import RuntimeConfig


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
