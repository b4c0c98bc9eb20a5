"""A mapped mail answers like its bytes, window edges included, and intake reads it the same."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from skizzen.intake import mapped
from skizzen.intake.mail import parse_message
from skizzen.intake.mapped import MappedMail, read_mail, sha256_of
from skizzen.intake.store import BlobStore

SAMPLE = Path(__file__).resolve().parents[3].parent / "shared" / "corpus" / "sample" / "mail"


@pytest.fixture(autouse=True)
def small_window(monkeypatch: pytest.MonkeyPatch) -> None:
    """A window of a few bytes, so every call crosses window edges."""
    monkeypatch.setattr(mapped, "WINDOW", 7)


def _mapped(tmp_path: Path, data: bytes) -> MappedMail:
    path = tmp_path / "m.eml"
    path.write_bytes(data)
    return MappedMail(path)


DATA = b"From: a\r\n\r\n--b\r\nxx\r\n--b--\r\nboundary BOUNDARY boundary\n--end"


@pytest.mark.parametrize(
    ("sub", "start", "end"),
    [
        (b"--b", 0, None),
        (b"--b--", 0, None),
        (b"--b", 15, None),
        (b"boundary", 0, None),
        (b"boundary", 40, None),
        (b"\n--", 0, 10),
        (b"missing", 0, None),
        (b"--end", 0, None),
        (b"x", 30, 20),
    ],
    ids=["first", "closing", "from-offset", "word", "second-word", "bounded", "absent",
         "at-end", "empty-range"],
)  # fmt: skip
def test_find_like_bytes(tmp_path: Path, sub: bytes, start: int, end: int | None) -> None:
    mm = _mapped(tmp_path, DATA)
    assert mm.find(sub, start, end) == DATA.find(sub, start, end)


@pytest.mark.parametrize("sub", [b"boundary", b"--b", b"x", b"nope"], ids=str)
def test_count_like_bytes(tmp_path: Path, sub: bytes) -> None:
    assert _mapped(tmp_path, DATA).count(sub) == DATA.count(sub)


@given(
    data=st.binary(min_size=1, max_size=200),
    sub=st.binary(min_size=1, max_size=9),
    start=st.integers(0, 210),
)
@settings(max_examples=200, deadline=None)
def test_find_count_slice_any_bytes(
    tmp_path_factory: pytest.TempPathFactory, data: bytes, sub: bytes, start: int
) -> None:
    mm = _mapped(tmp_path_factory.mktemp("h"), data)
    assert mm.find(sub, start) == data.find(sub, start)
    assert mm.count(sub) == data.count(sub)
    assert mm[start : start + 50] == data[start : start + 50]
    assert mm.startswith(sub, start) == data.startswith(sub, start)
    assert b"".join(mm.chunks()) == data
    assert sha256_of(mm) == hashlib.sha256(data).hexdigest()


def test_read_mail_maps_only_large_files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(mapped, "MAP_ABOVE", 10)
    small, large = tmp_path / "s.eml", tmp_path / "l.eml"
    small.write_bytes(b"0123456789")
    large.write_bytes(b"0123456789A")
    assert isinstance(read_mail(small), bytes)
    assert isinstance(read_mail(large), MappedMail)


def test_store_copies_mapped_mail(tmp_path: Path) -> None:
    data = DATA * 50
    store = BlobStore(tmp_path / "blobs")
    sha = store.put(_mapped(tmp_path, data))
    assert sha == hashlib.sha256(data).hexdigest()
    assert store.get(sha) == data
    assert store.put(_mapped(tmp_path, data)) == sha  # again: the same blob, no temp left
    assert not list((tmp_path / "blobs").glob(".tmp-*"))


@pytest.mark.parametrize("max_part", [10_000_000, 200], ids=["limit-above", "parts-cut"])
def test_parse_mapped_like_bytes(tmp_path: Path, max_part: int) -> None:
    """Every sample mail parses the same from its mapping as from its bytes (with a limit
    that keeps everything, and one that cuts the attachments)."""
    mails = sorted(SAMPLE.glob("*.eml"))[:12]
    assert mails, SAMPLE
    for path in mails:
        raw = path.read_bytes()
        got = parse_message(MappedMail(path), max_part_bytes=max_part)
        want = parse_message(raw, max_part_bytes=max_part)
        assert got == want, path.name
