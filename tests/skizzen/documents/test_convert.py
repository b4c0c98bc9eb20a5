"""Word, OpenDocument and RTF sketches: recognised by content, converted by a confined
LibreOffice, cached by the original's sha256, and extracted like the PDF they become.

The sample's S063 exists only as .docx; its .odt twin is made here with LibreOffice. Both
go through intake and judging as mail attachments and must give the sketch's true fields.
"""

from __future__ import annotations

import hashlib
import io
import json
import subprocess
import tempfile
import zipfile
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest
from sqlmodel import select

from models.db import session_scope
from models.records import current_records
from models.tables import Attachment
from skizzen.documents.convert import (
    ConvertLimits,
    DerivedPdfs,
    converted_pdf,
    convertible,
    soffice,
    to_pdf,
)
from skizzen.settings import load_runtime
from skizzen.steps import intake as intake_step
from skizzen.steps import pipeline

pytestmark = pytest.mark.skipif(soffice() is None, reason="LibreOffice (installed by .ci/run)")


def _zip(files: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for name, data in files.items():
            zf.writestr(name, data)
    return buf.getvalue()


OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


@pytest.mark.parametrize(
    ("data", "filename", "fmt"),
    [
        pytest.param(_zip({"word/document.xml": b"<w/>"}), "x.docx", "docx", id="docx"),
        pytest.param(
            _zip({"mimetype": b"application/vnd.oasis.opendocument.text"}), "x.odt", "odt", id="odt"
        ),
        pytest.param(b"{\\rtf1\\ansi Skizze}", "x.rtf", "rtf", id="rtf"),
        pytest.param(OLE2 + "W\0o\0r\0d\0D\0o\0c".encode("latin-1"), "x", "doc", id="doc"),
        pytest.param(OLE2 + b"Workbook", "x.xls", None, id="xls-is-not-converted"),
        pytest.param(_zip({"xl/workbook.xml": b""}), "x.xlsx", None, id="xlsx"),
        pytest.param(_zip({"Skizze.pdf": b"%PDF"}), "x.zip", None, id="zip"),
        pytest.param(b"%PDF-1.4", "x.docx", None, id="pdf-named-docx"),
    ],
)
def test_convertible_by_content(data: bytes, filename: str, fmt: str | None) -> None:
    assert convertible(data, filename) == fmt


def test_rtf_becomes_a_pdf_and_the_cache_keeps_it(tmp_path: Path) -> None:
    rtf = b"{\\rtf1\\ansi Projektskizze Dorfladen digital\\par}"
    sha = hashlib.sha256(rtf).hexdigest()
    cache = DerivedPdfs(tmp_path / "converted")
    first = converted_pdf(rtf, "rtf", sha256=sha, cache=cache, limits=ConvertLimits())
    assert first.pdf is not None and first.pdf.startswith(b"%PDF") and not first.cached
    again = converted_pdf(rtf, "rtf", sha256=sha, cache=cache, limits=ConvertLimits())
    assert again.cached and again.pdf == first.pdf  # the same PDF, so the same sketch


def test_a_conversion_over_its_time_is_killed_with_a_german_reason() -> None:
    done = to_pdf(b"{\\rtf1\\ansi x\\par}", "rtf", limits=ConvertLimits(timeout_s=0.05))
    assert done.pdf is None and "dauerte länger als" in done.reason


def _odt_twin(docx: bytes) -> bytes:
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "twin.docx"
        src.write_bytes(docx)
        profile = (Path(tmp) / "profile").as_uri()
        subprocess.run(
            [
                soffice(),
                f"-env:UserInstallation={profile}",
                "--headless",
                "--convert-to",
                "odt",
                "--outdir",
                tmp,
                str(src),
            ],
            check=True,
            capture_output=True,
            timeout=120,
        )
        return (Path(tmp) / "twin.odt").read_bytes()


def _mail(n: int, data: bytes, filename: str) -> bytes:
    msg = EmailMessage()
    msg["From"] = "Dr. Maren Dietrich <m.dietrich@gemeinde-lindenmoor.de>"
    msg["Subject"] = f"Projektskizze Heimat 2.0 ({n})"
    msg["Message-ID"] = f"<office{n}@gemeinde-lindenmoor.de>"
    msg["Date"] = f"Tue, 30 Mar 2021 1{n}:00:00 +0200"
    msg.set_content("Anbei unsere Skizze.")
    msg.add_attachment(data, maintype="application", subtype="octet-stream", filename=filename)
    return msg.as_bytes()


def _same(got: Any, want: Any) -> bool:
    if isinstance(want, list):
        return isinstance(got, list) and sorted(map(str, got)) == sorted(map(str, want))
    return str(got) == str(want) if want is not None else got in (None, [], "")


def test_docx_and_odt_sketches_are_extracted_like_a_pdf(corpus_dir: Path, tmp_path: Path) -> None:
    truth = next(
        json.loads(line)
        for line in (corpus_dir / "sketches.jsonl").read_text(encoding="utf-8").splitlines()
        if '"S063"' in line
    )
    docx = (corpus_dir / truth["pdf"]).read_bytes()
    odt = _odt_twin(docx)
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "1.eml").write_bytes(_mail(1, docx, "Projektskizze_Lindenmoor.docx"))
    (inbox / "2.eml").write_bytes(_mail(2, odt, "Projektskizze_Lindenmoor.odt"))
    config = load_runtime(
        database_url=f"sqlite:///{tmp_path / 'db.sqlite'}", data_dir=tmp_path / "data"
    )
    from models.db import get_engine, init_db

    init_db(get_engine(config.database_url))
    taken = intake_step.intake(config, source=str(inbox), run_id=None)
    pipeline.receive_messages(config, message_pks=taken.message_pks, run_id=None)
    with session_scope(config.database_url) as s:
        atts = {a.filename: a for a in s.exec(select(Attachment))}
        records = {r.sketch_id: r for r in current_records(s)}
        s.expunge_all()
    for name, fmt in (
        ("Projektskizze_Lindenmoor.docx", "docx"),
        ("Projektskizze_Lindenmoor.odt", "odt"),
    ):
        att = atts[name]
        assert att.outcome == "sketch", (name, att.reason)
        assert att.detail["converted_from"] == fmt and "in PDF umgewandelt" in (att.reason or "")
        fields = records[att.sketch_id].fields
        wrong = {
            k: (fields.get(k), v) for k, v in truth["fields"].items() if not _same(fields.get(k), v)
        }
        print(
            f"{fmt}: {len(truth['fields']) - len(wrong)}/{len(truth['fields'])} fields right", wrong
        )
        assert not wrong, (name, wrong)  # as its PDF layout does in the sample
    assert DerivedPdfs(config.converted_dir).get(atts["Projektskizze_Lindenmoor.docx"].sha256)
