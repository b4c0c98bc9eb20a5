"""Fixtures shared by the whole suite: corpus location, isolated settings, Prefect harness."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from skizzen.settings import apply_offline_env

apply_offline_env()

REPO = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("SKIZZEN_SHARED", REPO.parent / "shared"))
CORPUS = SHARED / "corpus" / "sample"
HOSTILE = SHARED / "hostile-pdfs"


@pytest.fixture(scope="session")
def corpus_dir() -> Path:
    """The labelled sample corpus beside the project (skips where it is absent)."""
    if not (CORPUS / "sketches.jsonl").exists():
        pytest.skip(f"corpus not found at {CORPUS}")
    return CORPUS


@pytest.fixture()
def skizzen_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh data folder and SQLite database for one test, through the real settings."""
    data = tmp_path / "data"
    monkeypatch.setenv("SKIZZEN_DATA_DIR", str(data))
    monkeypatch.setenv("SKIZZEN_DATABASE_URL", f"sqlite:///{data / 'test.db'}")
    return data


@pytest.fixture(scope="session")
def prefect_harness() -> Iterator[None]:
    """One temporary Prefect API for all flow tests (entering it costs ~10 s)."""
    from prefect.testing.utilities import prefect_test_harness

    with prefect_test_harness(server_startup_timeout=120):
        yield
