"""End to end over ../shared/corpus/sample: every outcome, idempotence, accuracy floors."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from lab.evaluation import OPENABLE, EvalReport, collect, load_jsonl, score
from models.db import session_scope
from skizzen.settings import load_runtime
from skizzen.steps.pipeline import review_threshold

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

# Floors: the figures this version reaches on the sample (raise them, never lower them).
FLOORS = {
    "overall_field_accuracy": 0.90,
    "themes_f1": 0.80,
    "loesungsart_f1": 0.70,
    "violations_f1": 0.80,
    "supersedes_accuracy": 1.0,
    "outcome_accuracy": 1.0,
}


@pytest.fixture(scope="module")
def corpus_run(
    prefect_harness: None, corpus_dir: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[dict[str, Any]]:
    from flows.ingest import ingest_sketches

    base = tmp_path_factory.mktemp("corpus")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("SKIZZEN_DATA_DIR", str(base))
        mp.delenv("SKIZZEN_DATABASE_URL", raising=False)
        summary = ingest_sketches(source=str(corpus_dir / "mail"))
        config = load_runtime()
        with session_scope(config.database_url) as s:
            sketches, atts, conf = collect(s)  # what `skizzen evaluate` scores
        yield {
            "summary": summary,
            "config": config,
            "sketches": sketches,
            "attachments": atts,
            "confidences": conf,
        }


@pytest.fixture(scope="module")
def report(corpus_run: dict[str, Any], corpus_dir: Path) -> EvalReport:
    return score(
        truth_sketches=load_jsonl(corpus_dir / "sketches.jsonl"),
        truth_messages=load_jsonl(corpus_dir / "messages.jsonl"),
        sketches=corpus_run["sketches"],
        attachments=corpus_run["attachments"],
        confidences=corpus_run["confidences"],
        threshold=review_threshold(corpus_run["config"]),
    )


def test_every_message_and_attachment_has_its_outcome(
    corpus_run: dict[str, Any], corpus_dir: Path
) -> None:
    """Each truth outcome, or (where the corpus names what a pipeline that cannot open the
    file records: the .zip, the .docx, the scan) the sketch found in it."""
    atts = corpus_run["attachments"]
    got: dict[tuple[str, str | None], list[str]] = {}
    for a in atts:
        got.setdefault((a["message_id"], a["sha256"]), []).append(a["outcome"])
        if a.get("container_sha256"):
            got.setdefault((a["message_id"], a["container_sha256"]), []).append(
                f"in:{a['outcome']}"
            )
    wrong, opened = [], []
    n = 0
    for msg in load_jsonl(corpus_dir / "messages.jsonl"):
        expected = [(a["sha256"], a["outcome"], a.get("sketch_id")) for a in msg["attachments"]]
        for sha, outcome, sketch_id in expected or [(None, "no_attachment", None)]:
            n += 1
            mine = got.get((msg["message_id"], sha), [])
            if mine and mine[0] == outcome:
                continue
            found = mine[:1] == ["sketch"] or (mine[:1] == ["container"] and "in:sketch" in mine)
            if outcome in OPENABLE and sketch_id and found:
                opened.append((msg["message_file"], outcome, mine[0]))
                continue
            wrong.append((msg["message_file"], outcome, mine))
    assert not wrong
    assert sorted(opened) == [
        ("mail/M030.eml", "unsupported_format", "container"),  # the .zip, its PDF a sketch
        ("mail/M063.eml", "no_text_layer", "sketch"),  # the scan, OCRed
        ("mail/M066.eml", "unsupported_format", "sketch"),  # the .docx, converted
    ]
    members = [a for a in atts if a.get("container_sha256")]
    assert [(a["filename"], a["outcome"]) for a in members] == [
        ("Projektskizze_ottergruen.pdf", "sketch")
    ]
    assert len(atts) == n + len(members) == 79
    assert all(a["reason"] for a in atts)


def test_second_ingest_changes_nothing(corpus_run: dict[str, Any], corpus_dir: Path) -> None:
    from flows.ingest import ingest_sketches
    from tests.snapshot import snapshot

    config = corpus_run["config"]
    before = snapshot(config.database_url)
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("SKIZZEN_DATA_DIR", config.data_dir)
        mp.delenv("SKIZZEN_DATABASE_URL", raising=False)
        summary = ingest_sketches(source=str(corpus_dir / "mail"))
    assert summary["steps"]["intake"]["new_messages"] == 0
    assert snapshot(config.database_url) == before


@pytest.mark.parametrize("metric", sorted(FLOORS), ids=sorted(FLOORS))
def test_accuracy_floor(report: EvalReport, metric: str) -> None:
    value = getattr(report, metric)
    assert value >= FLOORS[metric], json.dumps(report.errors[:40], ensure_ascii=False, indent=1)
