"""Pipeline steps without Prefect: intake before parsing, parse cache reuse, work handed on."""

from __future__ import annotations

from pathlib import Path

import pytest

from models import repo
from models.db import session_scope
from skizzen.settings import RuntimeConfig, load_runtime
from skizzen.steps import intake as intake_step
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
    pipeline.receive_messages(
        config, message_pks=pipeline.leftover_work(config).messages, run_id=None
    )


def test_intake_stores_raw_bytes_before_parsing_and_is_idempotent(
    config: RuntimeConfig, demo_mail: Path
) -> None:
    from skizzen.intake.store import BlobStore

    first = intake_step.intake(config, source=str(demo_mail), run_id=None)
    assert first.new_messages == len(list(demo_mail.glob("*.eml")))
    store = BlobStore(config.blob_dir)
    for eml in demo_mail.glob("*.eml"):
        import hashlib

        assert store.get(hashlib.sha256(eml.read_bytes()).hexdigest()) == eml.read_bytes()
    with session_scope(config.database_url) as s:
        pending = repo.pending_attachments(s)
        assert pending and all(store.has(a.sha256) for a in pending)
    again = intake_step.intake(config, source=str(demo_mail), run_id=None)
    assert (again.new_messages, again.new_attachments) == (0, 0)


def test_rerun_extraction_reads_the_parse_cache(
    config: RuntimeConfig, demo_mail: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import skizzen.documents.parsing

    intake_step.intake(config, source=str(demo_mail), run_id=None)
    _process_all(config)

    def _no_parse(*_a: object, **_k: object) -> None:
        raise AssertionError("PDF parsed again although cached")

    monkeypatch.setattr(skizzen.documents.parsing, "parse_pdf", _no_parse)
    with session_scope(config.database_url) as s:
        ids = [int(x.id) for x in repo.sketches_in_scope(s)]  # type: ignore[arg-type]
    made = pipeline.extract_sketches(config, sketch_ids=ids, run_id=None)
    assert made == {"extract": {"extracted": len(ids)}, "extracted_ids": ids}


def test_each_step_hands_on_what_it_made_and_reads_each_pdf_once(
    config: RuntimeConfig, demo_mail: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Intake returns the stored messages, receiving them parses and extracts each sketch
    from the document in hand (no cache read back, one blob read per attachment), and what
    is left for a later run is nothing."""
    from skizzen.documents.parsing import ParseCache
    from skizzen.intake.store import BlobStore

    stored = intake_step.intake(config, source=str(demo_mail), run_id=None)
    with session_scope(config.database_url) as s:
        assert stored.message_pks == repo.pending_message_pks(s)
        n_attachments = len(repo.pending_attachments(s))
    assert "message_pks" not in stored.counts()
    reads: list[str] = []
    real_get = BlobStore.get
    monkeypatch.setattr(
        BlobStore, "get", lambda self, sha: reads.append(sha) or real_get(self, sha)
    )
    cache_reads: list[str] = []
    real_cache_get = ParseCache.get
    monkeypatch.setattr(
        ParseCache,
        "get",
        lambda self, sha, version: cache_reads.append(sha) or real_cache_get(self, sha, version),
    )
    made = pipeline.receive_messages(config, message_pks=stored.message_pks, run_id=None)
    assert len(reads) == n_attachments  # every attachment's blob read once
    assert len(set(cache_reads)) == len(cache_reads)  # looked up once (a miss), not read back
    assert made["outcomes"]["sketch"] == made["extract"]["extracted"] == len(made["extracted_ids"])
    left = pipeline.leftover_work(config)
    assert (left.messages, left.extract) == ([], [])
    assert sorted(left.check) == sorted(made["extracted_ids"])  # the checks come next
