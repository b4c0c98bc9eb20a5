"""Analysis of a stored parse: classify and extract, in process and in the worker pool;
a broken or foreign payload is stale; a worker over its time limit sends the sketch to
review; a broken cache entry is parsed again by the pipeline."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from extractors.types import FIELD_NAMES
from skizzen.documents.parsing import (
    PARSER_VERSION,
    ParseCache,
    encode_document,
    parse_pdf_inprocess,
)
from skizzen.steps.analysis import (
    AnalysisMemo,
    Models,
    ModelSpec,
    analyse,
    analyse_in_pool,
    analysis_fingerprint,
    extract_document,
)


@pytest.fixture(scope="module")
def models() -> Models:
    return Models.load(ModelSpec())


@pytest.fixture(scope="module")
def sketch(corpus_dir: Path) -> tuple[str, bytes]:
    doc = parse_pdf_inprocess((corpus_dir / "pdf" / "S001.pdf").read_bytes(), max_pages=30)
    return doc.sha256, encode_document(doc)


def test_a_sketch_is_classified_and_extracted_as_in_process(
    sketch: tuple[str, bytes], models: Models
) -> None:
    from skizzen.documents.parsing import decode_document

    sha, payload = sketch
    out = analyse(payload, sha256=sha, parser_version=PARSER_VERSION, classify=True, models=models)
    assert out["kind"] == "sketch" and 0 < out["kind_confidence"] <= 1 and out["kind_reason"]
    fields, themes = extract_document(
        decode_document(payload), field_model=models.fields, theme_model=models.themes
    )
    stored = out["extraction"]
    assert stored["fields"] == {n: fields[n].model_dump() for n in FIELD_NAMES if n in fields}
    assert stored["themes"] == [t.model_dump() for t in themes.themes]
    assert stored["fields"]["antragsteller"]["value"] == "Gemeinde Rehlar"
    assert stored["parser_version"] == PARSER_VERSION and stored["page_count"] >= 1


def test_a_document_that_is_no_sketch_is_not_extracted(make_pdf, models: Models) -> None:
    doc = parse_pdf_inprocess(make_pdf(["Einladung zum Sommerfest am Dorfteich."]))
    out = analyse(
        encode_document(doc),
        sha256=doc.sha256,
        parser_version=PARSER_VERSION,
        classify=True,
        models=models,
    )
    assert out["kind"] != "sketch" and "extraction" not in out


@pytest.mark.parametrize(
    ("mangle", "other_sha", "version"),
    [
        (lambda p: b"not gzip at all", False, PARSER_VERSION),
        (lambda p: p[: len(p) // 2], False, PARSER_VERSION),
        (lambda p: p, True, PARSER_VERSION),
        (lambda p: p, False, "pdfium-0"),
    ],
    ids=["garbage", "truncated", "another-file", "older-parser"],
)
def test_a_payload_that_is_not_this_files_parse_is_stale(
    sketch: tuple[str, bytes], models: Models, mangle, other_sha: bool, version: str
) -> None:
    sha, payload = sketch
    out = analyse(
        mangle(payload),
        sha256="0" * 64 if other_sha else sha,
        parser_version=version,
        classify=True,
        models=models,
    )
    assert out == {"stale": True}


def test_the_pool_answers_as_the_process_does_and_a_worker_over_time_goes_to_review(
    sketch: tuple[str, bytes], models: Models
) -> None:
    sha, payload = sketch
    args = {"sha256": sha, "parser_version": PARSER_VERSION, "classify": False}
    here = analyse(payload, models=models, **args)
    there = analyse_in_pool(payload, spec=ModelSpec(), workers=1, timeout_s=120, **args)
    assert there == here
    late = analyse_in_pool(payload, spec=ModelSpec(), workers=1, timeout_s=0.001, **args)
    assert late == {"failure": "extraction_failed:Timeout"}
    again = analyse_in_pool(payload, spec=ModelSpec(), workers=1, timeout_s=120, **args)
    assert again == here  # a fresh worker took over


def _ingest_demo(config: Any, data_dir: Path) -> None:
    """The demo mailbox through intake and the outcome step (parse, classify, extract)."""
    from lab.demo import make_demo_mailbox
    from skizzen.steps import intake as intake_step
    from skizzen.steps import pipeline

    mail = data_dir.parent / "mail"
    make_demo_mailbox(mail)
    intake_step.intake(config, source=str(mail), run_id=None)
    pipeline.receive_messages(
        config, message_pks=pipeline.leftover_work(config).messages, run_id=None
    )


def test_a_broken_cache_entry_is_parsed_again(skizzen_env: Path) -> None:
    from models import repo
    from models.db import session_scope
    from skizzen.settings import load_runtime
    from skizzen.steps import pipeline

    config = load_runtime(reuse_analysis=False)  # else the kept analysis is used, no parse
    _ingest_demo(config, skizzen_env)
    with session_scope(config.database_url) as s:
        sketches = repo.sketches_in_scope(s)
    cache = ParseCache(config.parse_cache_dir)
    victim = sketches[0]
    path = cache._path(victim.sha256, PARSER_VERSION)
    path.write_bytes(b"\x1f\x8b broken")
    made = pipeline.extract_sketches(config, sketch_ids=[int(victim.id)], run_id=None)  # type: ignore[arg-type]
    assert made["extract"] == {"extracted": 1}
    assert cache.get(victim.sha256, PARSER_VERSION) is not None  # parsed again, stored again


def test_the_memo_keeps_a_result_under_its_fingerprint_only(tmp_path: Path) -> None:
    sha = "ab" * 32
    memo = AnalysisMemo(tmp_path, "fp-1")
    classified = {
        "kind": "sketch",
        "kind_confidence": 0.9,
        "kind_reason": "r",
        "extraction": {"x": 1},
    }
    assert memo.get(sha, classify=True) is None
    memo.put(sha, classify=True, result=classified)
    assert memo.get(sha, classify=True) == classified
    assert memo.get(sha, classify=False) == {"extraction": {"x": 1}}
    memo.put(sha, classify=False, result={"extraction": {"x": 2}})
    assert memo.get(sha, classify=True) == {**classified, "extraction": {"x": 2}}  # kind kept
    assert AnalysisMemo(tmp_path, "fp-2").get(sha, classify=False) is None  # code changed
    other = "cd" * 32
    memo.put(other, classify=False, result={"failure": "extraction_failed:Timeout"})
    assert memo.get(other, classify=False) is None  # a failure is tried again
    memo.put(
        other, classify=True, result={"kind": "other", "kind_confidence": 1, "kind_reason": ""}
    )
    assert memo.get(other, classify=False) is None  # classified, never extracted
    memo._path(sha).write_text("{broken")
    assert memo.get(sha, classify=True) is None


def test_the_fingerprint_follows_the_model_files(tmp_path: Path) -> None:
    import os
    import shutil

    shipped = Path(__file__).resolve().parents[3] / "extractors" / "model" / "fields.json"
    model = tmp_path / "fields.json"
    shutil.copy(shipped, model)
    spec = ModelSpec(field_model=str(model))
    before = analysis_fingerprint(spec)
    assert before == analysis_fingerprint(spec) != analysis_fingerprint(ModelSpec())
    model.write_text(model.read_text() + " ")
    os.utime(model, ns=(1, 1))  # a changed file with another mtime
    assert analysis_fingerprint(spec) != before


def test_a_rerun_reuses_the_kept_analysis_unless_told_not_to(skizzen_env: Path) -> None:
    from models import repo
    from models.db import session_scope
    from skizzen.settings import load_runtime
    from skizzen.steps import pipeline

    config = load_runtime()
    _ingest_demo(config, skizzen_env)
    with session_scope(config.database_url) as s:
        victim = repo.sketches_in_scope(s)[0]
        sketch_id, sha = int(victim.id), victim.sha256  # type: ignore[arg-type]
    memo = AnalysisMemo(config.analysis_cache_dir, analysis_fingerprint(ModelSpec()))
    kept = memo.get(sha, classify=False)
    assert kept is not None  # the ingest kept it
    real = kept["extraction"]["fields"]["projekttitel"]["value"]
    kept["extraction"]["fields"]["projekttitel"]["value"] = "aus dem Gedächtnis"
    memo.put(sha, classify=False, result=kept)

    def title() -> str:
        from models.records import current_records

        with session_scope(config.database_url) as s:
            return current_records(s, sketch_ids=[sketch_id])[0].fields["projekttitel"]

    pipeline.extract_sketches(config, sketch_ids=[sketch_id], run_id=None)
    assert title() == "aus dem Gedächtnis"
    fresh = load_runtime(reuse_analysis=False)
    pipeline.extract_sketches(fresh, sketch_ids=[sketch_id], run_id=None)
    assert title() == real
