"""iter_source: folders of .eml files and Maildirs, stable keys and order."""

from __future__ import annotations

from pathlib import Path

import pytest

from skizzen.intake.sources import is_maildir, iter_source

MAIL = b"From: a@example.org\r\nSubject: Test\r\nMessage-ID: <1@x>\r\n\r\nHallo\r\n"


def _write(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)


def test_eml_folder_is_recursive_and_sorted(tmp_path: Path) -> None:
    _write(tmp_path / "b.eml", MAIL)
    _write(tmp_path / "a.eml", MAIL)
    _write(tmp_path / "2021" / "03" / "c.eml", MAIL)
    _write(tmp_path / "notes.txt", MAIL)  # not .eml: ignored
    items = list(iter_source(tmp_path))
    assert [i.key for i in items] == ["2021/03/c.eml", "a.eml", "b.eml"]
    assert all(i.raw == MAIL for i in items)


@pytest.mark.parametrize(
    "content",
    [b"", b"%PDF-1.4\n%binary", b"\x00\x01\x02garbage", b"just some text\nwithout headers\n"],
    ids=["empty", "pdf", "binary", "plain-text"],
)
def test_non_mail_files_are_skipped(tmp_path: Path, content: bytes) -> None:
    _write(tmp_path / "x.eml", content)
    _write(tmp_path / "y.eml", MAIL)
    assert [i.key for i in iter_source(tmp_path)] == ["y.eml"]


def test_maildir_reads_cur_and_new_not_tmp(tmp_path: Path) -> None:
    for sub in ("cur", "new", "tmp"):
        (tmp_path / sub).mkdir()
    _write(tmp_path / "new" / "1616.M1.host", MAIL)
    _write(tmp_path / "cur" / "1615.M2.host:2,S", MAIL)
    _write(tmp_path / "tmp" / "1617.M3.host", MAIL)
    assert is_maildir(tmp_path)
    assert [i.key for i in iter_source(str(tmp_path))] == [
        "cur/1615.M2.host:2,S",
        "new/1616.M1.host",
    ]


def test_single_file_and_missing_source(tmp_path: Path) -> None:
    _write(tmp_path / "one.eml", MAIL)
    assert [i.key for i in iter_source(tmp_path / "one.eml")] == ["one.eml"]
    with pytest.raises(FileNotFoundError):
        list(iter_source(tmp_path / "nope"))


def test_corpus_mail_folder(corpus_dir: Path) -> None:
    items = list(iter_source(corpus_dir / "mail"))
    assert len(items) == 74
    assert items[0].key == "M001.eml"
    assert len({i.key for i in items}) == 74
