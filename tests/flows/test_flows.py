"""The Prefect flows over the project's own demo mailbox, under one prefect_test_harness."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from models import repo
from models.db import session_scope
from skizzen.settings import load_runtime

pytestmark = [pytest.mark.flows, pytest.mark.slow]


@pytest.fixture(scope="module")
def demo_run(
    prefect_harness: None, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[dict[str, Any]]:
    """Ingest the demo mailbox once for this module; env points at a private data folder."""
    from flows.ingest import ingest_sketches
    from lab.demo import make_demo_mailbox

    base = tmp_path_factory.mktemp("flows")
    mail = base / "mail"
    make_demo_mailbox(mail)
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("SKIZZEN_DATA_DIR", str(base / "data"))
        mp.delenv("SKIZZEN_DATABASE_URL", raising=False)
        summary = ingest_sketches(source=str(mail))
        yield {"summary": summary, "mail": mail, "config": load_runtime()}


def _attachment_outcomes(url: str) -> dict[str, list[str]]:
    from skizzen.outputs.export import attachment_records

    out: dict[str, list[str]] = {}
    with session_scope(url) as s:
        for rec in attachment_records(s):
            out.setdefault(rec["message_id"], []).append(rec["outcome"])
    return out


def test_ingest_gives_every_attachment_its_expected_outcome(demo_run: dict[str, Any]) -> None:
    from lab.demo import expected_demo_outcomes
    from skizzen.intake.mail import parse_message

    config = demo_run["config"]
    got = _attachment_outcomes(config.database_url)
    expected = expected_demo_outcomes()
    assert len(got) == len(expected)
    for name, outcomes in expected.items():
        msg = parse_message((demo_run["mail"] / name).read_bytes())
        assert got[msg.message_id] == (outcomes or ["no_attachment"]), name
    assert "pending" not in demo_run["summary"]["outcomes"]


def test_summary_names_review_queue_and_data_docs(demo_run: dict[str, Any]) -> None:
    summary = demo_run["summary"]
    assert summary["review_queue"], "the demo has a sketch that breaks a rule"
    assert all(q["gruende"] for q in summary["review_queue"])
    assert Path(summary["data_docs"]).is_file()


def test_second_ingest_changes_no_row(demo_run: dict[str, Any]) -> None:
    from flows.ingest import ingest_sketches
    from tests.snapshot import snapshot

    url = demo_run["config"].database_url
    before = snapshot(url)
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("SKIZZEN_DATA_DIR", demo_run["config"].data_dir)
        mp.delenv("SKIZZEN_DATABASE_URL", raising=False)
        summary = ingest_sketches(source=str(demo_run["mail"]))
    assert summary["steps"]["intake"]["new_messages"] == 0
    assert snapshot(url) == before


def test_rerun_keeps_corrections_and_stores_new_machine_value(demo_run: dict[str, Any]) -> None:
    from flows.rerun import rerun_extraction
    from skizzen.steps.scope import RerunScope

    config = demo_run["config"]
    with session_scope(config.database_url) as s:
        sketch = repo.sketches_in_scope(s)[0]
        sid = int(sketch.id)  # type: ignore[arg-type]
        machine_before = repo.machine_values(s, sketch_ids=[sid])[sid]["projekttitel"].value
        repo.set_correction(s, sketch_id=sid, field="projekttitel", value="Korrigiert", author="t")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("SKIZZEN_DATA_DIR", config.data_dir)
        mp.delenv("SKIZZEN_DATABASE_URL", raising=False)
        summary = rerun_extraction(scope=RerunScope(mode="sketches", sketches=[str(sid)]))
    assert summary["steps"]["scope"] == 1
    with session_scope(config.database_url) as s:
        assert repo.current_values(s, sketch_ids=[sid])[sid]["projekttitel"] == "Korrigiert"
        fv = repo.machine_values(s, sketch_ids=[sid])[sid]["projekttitel"]
        assert fv.value == machine_before
        assert fv.run_id is not None and fv.run_id > 1


@pytest.mark.parametrize(
    ("scope", "expect_all"),
    [
        ({"mode": "all"}, True),
        ({"mode": "received", "received_from": "1990-01-01", "received_to": "1990-12-31"}, False),
    ],
    ids=["all", "empty-range"],
)
def test_rerun_scopes(demo_run: dict[str, Any], scope: dict[str, Any], expect_all: bool) -> None:
    from flows.rerun import rerun_extraction
    from skizzen.steps.scope import RerunScope

    config = demo_run["config"]
    with session_scope(config.database_url) as s:
        n = len(repo.sketches_in_scope(s))
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("SKIZZEN_DATA_DIR", config.data_dir)
        mp.delenv("SKIZZEN_DATABASE_URL", raising=False)
        summary = rerun_extraction(scope=RerunScope(**scope))
    assert summary["steps"]["scope"] == (n if expect_all else 0)


def test_run_publishes_summary_and_review_table_artifacts(demo_run: dict[str, Any]) -> None:
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import ArtifactFilter, ArtifactFilterKey

    with get_client(sync_client=True) as client:
        arts = client.read_artifacts(
            artifact_filter=ArtifactFilter(
                key=ArtifactFilterKey(any_=["skizzen-summary", "skizzen-review-queue"])
            )
        )
    kinds = {a.key: a for a in arts}
    assert set(kinds) == {"skizzen-summary", "skizzen-review-queue"}
    assert "Zu prüfen" in str(kinds["skizzen-summary"].data)
    assert kinds["skizzen-review-queue"].type == "table"
