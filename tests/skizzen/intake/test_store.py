"""BlobStore: content addressing, idempotence, atomic writes."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from skizzen.intake.store import BlobStore


def test_put_get_has_path(tmp_path: Path) -> None:
    store = BlobStore(tmp_path)
    sha = store.put(b"%PDF-1.4 demo")
    assert sha == hashlib.sha256(b"%PDF-1.4 demo").hexdigest()
    assert store.has(sha)
    assert store.get(sha) == b"%PDF-1.4 demo"
    assert store.path(sha) == tmp_path / sha[:2] / sha[2:4] / sha


def test_put_is_idempotent_and_leaves_no_temp_files(tmp_path: Path) -> None:
    store = BlobStore(tmp_path)
    first = store.put(b"same bytes")
    mtime = store.path(first).stat().st_mtime_ns
    assert store.put(b"same bytes") == first
    assert store.path(first).stat().st_mtime_ns == mtime
    files = [p for p in tmp_path.rglob("*") if p.is_file()]
    assert files == [store.path(first)]


def test_put_repairs_a_truncated_blob(tmp_path: Path) -> None:
    store = BlobStore(tmp_path)
    sha = store.put(b"0123456789")
    store.path(sha).write_bytes(b"01234")
    store.put(b"0123456789")
    assert store.get(sha) == b"0123456789"


@pytest.mark.parametrize(
    "bad",
    ["", "abc", "A" * 64, "../" + "a" * 61, "g" * 64],
    ids=["empty", "short", "uppercase", "traversal", "non-hex"],
)
def test_path_rejects_non_digests(tmp_path: Path, bad: str) -> None:
    with pytest.raises(ValueError):
        BlobStore(tmp_path).path(bad)


def test_missing_blob(tmp_path: Path) -> None:
    store = BlobStore(tmp_path)
    sha = hashlib.sha256(b"never stored").hexdigest()
    assert not store.has(sha)
    with pytest.raises(FileNotFoundError):
        store.get(sha)


@settings(max_examples=30, deadline=None)
@given(data=st.binary(max_size=2048))
def test_roundtrip_property(tmp_path_factory: pytest.TempPathFactory, data: bytes) -> None:
    store = BlobStore(tmp_path_factory.mktemp("blobs"))
    sha = store.put(data)
    assert sha == hashlib.sha256(data).hexdigest()
    assert store.get(sha) == data
