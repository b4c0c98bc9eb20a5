"""The Prefect flows over the project's own demo mailbox, under one prefect_test_harness."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from models import repo
from models.db import session_scope
from skizzen.settings import load_runtime
from skizzen.steps import runs

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
    events: list[runs.Progress] = []
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("SKIZZEN_DATA_DIR", str(base / "data"))
        mp.delenv("SKIZZEN_DATABASE_URL", raising=False)
        with runs.progress_to(events.append):
            summary = ingest_sketches(source=str(mail))
        yield {"summary": summary, "mail": mail, "config": load_runtime(), "progress": events}


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


def test_ingest_reports_each_step_as_it_goes(demo_run: dict[str, Any]) -> None:
    """The progress a command draws as bars: per step its counts, as the batches end."""
    from lab.demo import expected_demo_outcomes

    events: list[runs.Progress] = demo_run["progress"]
    steps = list(dict.fromkeys(e.step for e in events))
    assert steps == ["Eingang", "Verarbeitung", "Prüfung"]
    last = {e.step: e for e in events}
    mails = len(expected_demo_outcomes())
    with_attachment = sum(o != ["no_attachment"] for o in expected_demo_outcomes().values())
    assert (last["Eingang"].done, last["Eingang"].total) == (mails, mails)
    assert (last["Verarbeitung"].done, last["Verarbeitung"].total) == (2 * (with_attachment,))
    sketches = demo_run["summary"]["outcomes"]["sketch"]
    assert (last["Prüfung"].done, last["Prüfung"].total) == (sketches, sketches)
    for step in steps:  # each step starts at 0 and ends with a logged milestone
        mine = [e for e in events if e.step == step]
        assert mine[0].done == 0 and mine[-1].milestone


def test_rerun_summary_says_what_this_run_changed(demo_run: dict[str, Any]) -> None:
    """A one-sketch rerun reports that sketch's changes and links it, not the totals."""
    from sqlmodel import select

    from flows.rerun import rerun_extraction
    from models.tables import FieldValue, Sketch
    from skizzen.steps.scope import RerunScope

    config = demo_run["config"]
    with session_scope(config.database_url) as s:
        sketch = repo.sketches_in_scope(s)[-1]
        sid = int(sketch.id)  # type: ignore[arg-type]
        stmt = select(FieldValue).where(FieldValue.sketch_id == sid, FieldValue.field == "akronym")
        fv = s.exec(stmt).one()
        fv.value = "VERALTET"  # what an older extractor might have said
        s.add(fv)
        row = s.get_one(Sketch, sid)
        row.status = "new"
        s.add(row)
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("SKIZZEN_DATA_DIR", config.data_dir)
        mp.setenv("SKIZZEN_WEB_BASE_URL", "https://pruefung.example.de")
        mp.delenv("SKIZZEN_DATABASE_URL", raising=False)
        summary = rerun_extraction(scope=RerunScope(mode="sketches", sketches=[str(sid)]))
    changes = summary["steps"]["changes"]
    assert (changes["scope"], changes["re_extracted"], changes["changed_sketches"]) == (1, 1, 1)
    assert changes["fields"] == {"akronym": 1}
    [row_] = changes["sketches"]
    assert (row_["sketch"], row_["fields"], row_["before"]) == (sid, ["akronym"], "new")
    assert row_["after"] in ("ready", "needs_review")
    text = runs.summary_markdown(summary)
    assert f"[{sid}](https://pruefung.example.de/skizze/{sid})" in text
    assert "| Skizzen im Umfang | 1 |" in text
    assert "Ergebnis (Bestand)" not in text  # no all-time totals


def test_cli_rerun_logs_progress_lines_without_a_terminal(
    demo_run: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Not attached to a terminal (CliRunner): one line per milestone, once each."""
    from prefect.settings import PREFECT_API_URL
    from typer.testing import CliRunner

    from skizzen.doors.cli import app

    config = demo_run["config"]
    monkeypatch.setenv("PREFECT_API_URL", str(PREFECT_API_URL.value()))  # the harness's API
    monkeypatch.setenv("SKIZZEN_DATA_DIR", config.data_dir)
    monkeypatch.delenv("SKIZZEN_DATABASE_URL", raising=False)
    result = CliRunner().invoke(app, ["rerun", "--all"])
    assert result.exit_code == 0, result.output
    n = demo_run["summary"]["outcomes"]["sketch"]
    lines = [line for line in result.stderr.splitlines() if line.startswith(("Extr", "Prüf"))]
    assert [line.split(" (")[0] for line in lines] == [
        f"Extraktion: {n}/{n} Skizzen",
        f"Prüfung: {n}/{n} Skizzen",
    ]
    assert all(re.search(r"\(100 %\), \d+,\d Skizzen/s$", line) for line in lines), lines
