"""Analysis of a stored parse: classify and extract, in process and in the worker pool;
a broken or foreign payload is stale; a worker over its time limit sends the sketch to
review; a broken cache entry is parsed again by the pipeline."""

from __future__ import annotations

from pathlib import Path

import pytest

from extractors.types import FIELD_NAMES
from skizzen.documents.parsing import (
    PARSER_VERSION,
    ParseCache,
    encode_document,
    parse_pdf_inprocess,
)
from skizzen.steps.analysis import Models, ModelSpec, analyse, analyse_in_pool, extract_document


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


def test_a_broken_cache_entry_is_parsed_again(skizzen_env: Path) -> None:
    from lab.demo import make_demo_mailbox
    from models import repo
    from models.db import session_scope
    from skizzen.settings import load_runtime
    from skizzen.steps import pipeline

    config = load_runtime()
    mail = skizzen_env.parent / "mail"
    make_demo_mailbox(mail)
    pipeline.intake(config, source=str(mail), run_id=None)
    pipeline.receive_messages(
        config, message_pks=pipeline.leftover_work(config).messages, run_id=None
    )
    with session_scope(config.database_url) as s:
        sketches = repo.sketches_in_scope(s)
    cache = ParseCache(config.parse_cache_dir)
    victim = sketches[0]
    path = cache._path(victim.sha256, PARSER_VERSION)
    path.write_bytes(b"\x1f\x8b broken")
    made = pipeline.extract_sketches(config, sketch_ids=[int(victim.id)], run_id=None)  # type: ignore[arg-type]
    assert made["extract"] == {"extracted": 1}
    assert cache.get(victim.sha256, PARSER_VERSION) is not None  # parsed again, stored again
