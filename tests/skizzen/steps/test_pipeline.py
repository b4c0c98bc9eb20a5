"""Pipeline steps without Prefect: intake before parsing, parse cache reuse, version links."""

from __future__ import annotations

from pathlib import Path

import pytest

from models import repo
from models.db import session_scope
from skizzen.settings import RuntimeConfig, load_runtime
from skizzen.steps import pipeline


@pytest.fixture()
def config(skizzen_env: Path) -> RuntimeConfig:
    return load_runtime()


@pytest.fixture()
def demo_mail(tmp_path: Path) -> Path:
    from lab.demo import make_demo_mailbox

    make_demo_mailbox(tmp_path / "mail")
    return tmp_path / "mail"


def _process_all(config: RuntimeConfig) -> None:
    pipeline.process_messages(config, message_pks=pipeline.pending_message_pks(config))
    ids = pipeline.sketches_to_extract(config)
    pipeline.extract_sketches(config, sketch_ids=ids, run_id=None)


def test_intake_stores_raw_bytes_before_parsing_and_is_idempotent(
    config: RuntimeConfig, demo_mail: Path
) -> None:
    from skizzen.intake.store import BlobStore

    first = pipeline.intake(config, source=str(demo_mail), run_id=None)
    assert first.new_messages == len(list(demo_mail.glob("*.eml")))
    store = BlobStore(config.blob_dir)
    for eml in demo_mail.glob("*.eml"):
        import hashlib

        assert store.get(hashlib.sha256(eml.read_bytes()).hexdigest()) == eml.read_bytes()
    with session_scope(config.database_url) as s:
        pending = repo.pending_attachments(s)
        assert pending and all(store.has(a.sha256) for a in pending)
    again = pipeline.intake(config, source=str(demo_mail), run_id=None)
    assert (again.new_messages, again.new_attachments) == (0, 0)


def test_rerun_extraction_reads_the_parse_cache(
    config: RuntimeConfig, demo_mail: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import skizzen.documents.parsing

    pipeline.intake(config, source=str(demo_mail), run_id=None)
    _process_all(config)

    def _no_parse(*_a: object, **_k: object) -> None:
        raise AssertionError("PDF parsed again although cached")

    monkeypatch.setattr(skizzen.documents.parsing, "parse_pdf", _no_parse)
    with session_scope(config.database_url) as s:
        ids = [int(x.id) for x in repo.sketches_in_scope(s)]  # type: ignore[arg-type]
    counts = pipeline.extract_sketches(config, sketch_ids=ids, run_id=None)
    assert counts == {"extracted": len(ids)}


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [
        ({"akronym": "VeDi", "projekttitel": "x"}, {"akronym": "vedi", "projekttitel": "y"}, True),
        (
            {"projekttitel": "Dorfladen digital in A"},
            {"projekttitel": "Dorfladen digital in A."},
            True,
        ),
        (
            {"projekttitel": "Dorfladen digital"},
            {"projekttitel": "Rufbus für alle Ortsteile"},
            False,
        ),
        ({"projekttitel": None}, {"projekttitel": None}, False),
    ],
    ids=["acronym", "title-punctuation", "other-project", "nothing-known"],
)
def test_same_project(a: dict, b: dict, same: bool) -> None:
    assert pipeline._same_project(a, b) is same
