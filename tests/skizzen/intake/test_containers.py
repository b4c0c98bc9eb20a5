"""Containers: ZIP archives and winmail.dat opened under limits, never a path on disk, Office
files left as documents; and in the intake, each member an attachment of the same mail."""

from __future__ import annotations

import io
import struct
import zipfile
from dataclasses import replace

import pytest

from skizzen.intake.containers import ContainerLimits, container_kind, open_container
from skizzen.intake.mail import MailAttachment
from skizzen.steps.intake import attachment_rows

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\n%%EOF\n"
LIMITS = ContainerLimits()


def _zip(files: dict[str, bytes], *, method: int = zipfile.ZIP_DEFLATED) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=method) as zf:
        for name, data in files.items():
            zf.writestr(name, data)
    return buf.getvalue()


def _encrypted_flag(data: bytes) -> bytes:
    """The same archive with every member marked encrypted (general purpose bit 0)."""
    out = bytearray(data)
    for sig, offset in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        i = out.find(sig)
        while i >= 0:
            out[i + offset] |= 0x1
            i = out.find(sig, i + 4)
    return bytes(out)


def _tnef(files: list[tuple[str, bytes]]) -> bytes:
    """A minimal winmail.dat (TNEF): version, code page, one attachment block per file."""

    def attr(level: int, attr_id: int, data: bytes) -> bytes:
        head = struct.pack("<BII", level, attr_id, len(data))
        return head + data + struct.pack("<H", sum(data) & 0xFFFF)

    out = struct.pack("<IH", 0x223E9F78, 1)
    out += attr(1, 0x89006, struct.pack("<I", 0x00010000)) + attr(1, 0x69007, b"\xe4\x04" * 4)
    for name, data in files:
        out += attr(2, 0x69002, b"\x01\x00" + b"\x00" * 12)
        out += attr(2, 0x18010, name.encode("cp1252") + b"\x00")
        out += attr(2, 0x6800F, data)
    return out


@pytest.mark.parametrize(
    ("data", "kind"),
    [
        pytest.param(_zip({"Skizze.pdf": PDF}), "zip", id="zip"),
        pytest.param(_tnef([("Skizze.pdf", PDF)]), "tnef", id="winmail-dat"),
        pytest.param(
            _zip({"[Content_Types].xml": b"<x/>", "word/document.xml": b""}),
            None,
            id="docx-is-a-document",
        ),
        pytest.param(
            _zip({"mimetype": b"application/vnd.oasis.opendocument.text"}),
            None,
            id="odt-is-a-document",
        ),
        pytest.param(PDF, None, id="pdf"),
        pytest.param(b"PK\x03\x04kaputt", "zip", id="broken-zip-still-an-archive"),
    ],
)
def test_container_kind_by_content(data: bytes, kind: str | None) -> None:
    assert container_kind(data) == kind


def _opened(data: bytes, **limits: object):  # type: ignore[no-untyped-def]
    kind = container_kind(data)
    assert kind is not None
    return open_container(data, kind, limits=replace(LIMITS, **limits))


@pytest.mark.parametrize(
    ("data", "limits", "names", "left_out"),
    [
        pytest.param(
            _zip({"a/Skizze.pdf": PDF, "Brief.txt": b"Hallo"}),
            {},
            ["Skizze.pdf", "Brief.txt"],
            [],
            id="two-files-names-without-folders",
        ),
        pytest.param(
            _zip({"../../etc/passwd.pdf": PDF, "C:\\temp\\x.pdf": PDF}),
            {},
            ["passwd.pdf", "x.pdf"],
            [],
            id="no-path-from-the-archive",
        ),
        pytest.param(
            _zip({f"s{i}.pdf": PDF for i in range(5)}),
            {"max_members": 3},
            ["s0.pdf", "s1.pdf", "s2.pdf"],
            ["2 von 5 Dateien"],
            id="member-count",
        ),
        pytest.param(
            _zip({"bombe.pdf": b"\0" * 3_000_000, "Skizze.pdf": PDF}),
            {},
            ["Skizze.pdf"],
            ["ZIP-Bombe"],
            id="compression-ratio",
        ),
        pytest.param(
            _zip({"a.pdf": b"1" * 600, "b.pdf": b"2" * 600}, method=zipfile.ZIP_STORED),
            {"max_total_bytes": 1000},
            ["a.pdf"],
            ["mehr als erlaubt"],
            id="total-size",
        ),
        pytest.param(
            _encrypted_flag(_zip({"Skizze.pdf": PDF})),
            {},
            [],
            ["verschlüsselt"],
            id="encrypted-member",
        ),
        pytest.param(
            _tnef([("Skizze_Moorland.pdf", PDF), ("Logo.png", b"\x89PNG")]),
            {},
            ["Skizze_Moorland.pdf", "Logo.png"],
            [],
            id="winmail-dat-members",
        ),
    ],
)
def test_open_container_within_limits(
    data: bytes, limits: dict[str, object], names: list[str], left_out: list[str]
) -> None:
    opened = _opened(data, **limits)
    assert opened.error is None
    assert [m.filename for m in opened.members] == names
    assert len(opened.left_out) == len(left_out)
    for note, want in zip(opened.left_out, left_out, strict=True):
        assert want in note
    for member in opened.members:
        if member.filename.endswith(".pdf") and member.data.startswith(b"%PDF"):
            assert member.content_type == "application/pdf"


def test_a_member_over_the_size_limit_is_hashed_not_kept() -> None:
    import random

    big = random.Random(1).randbytes(2_000_000)  # incompressible: not a ZIP bomb
    opened = _opened(_zip({"gross.pdf": big}), max_member_bytes=1_000_000)
    (member,) = opened.members
    assert member.too_large and member.data == b"" and member.size == len(big)
    import hashlib

    assert member.sha256 == hashlib.sha256(big).hexdigest()


def test_a_broken_archive_says_why() -> None:
    opened = _opened(b"PK\x03\x04kaputt")
    assert opened.error and "ZIP-Archiv" in opened.error and not opened.members


class _Store:
    def __init__(self) -> None:
        self.put_shas: list[str] = []

    def put(self, data: bytes, *, sha256: str) -> str:
        self.put_shas.append(sha256)
        return sha256


def _att(name: str, data: bytes) -> MailAttachment:
    import hashlib

    return MailAttachment(
        name, "application/zip", data, len(data), hashlib.sha256(data).hexdigest()
    )


def test_members_become_attachments_of_the_mail_linked_to_their_container() -> None:
    inner = _zip({"Skizze.pdf": PDF})
    outer = _zip({"Anlagen/innen.zip": inner, "Brief.pdf": PDF + b"%brief"})
    store = _Store()
    rows = attachment_rows([_att("Skizze.zip", outer), _att("Extra.pdf", PDF)], store=store,
                           limits=LIMITS)  # fmt: skip
    got = [(r.position, r.filename, r.container_position, r.outcome) for r in rows]
    assert got == [
        (0, "Skizze.zip", None, "container"),
        (1, "innen.zip", 0, "container"),
        (2, "Skizze.pdf", 1, None),
        (3, "Brief.pdf", 0, None),
        (4, "Extra.pdf", None, None),
    ]
    assert "ZIP-Archiv mit 2 Datei(en)" in (rows[0].reason or "")
    assert len(store.put_shas) == 5  # every file kept, members included


def test_nesting_stops_at_the_depth_limit() -> None:
    data = PDF
    for level in range(5):
        data = _zip({f"ebene{level}.zip" if level else "Skizze.pdf": data})
    rows = attachment_rows(
        [_att("tief.zip", data)], store=_Store(), limits=replace(LIMITS, max_depth=2)
    )
    assert [r.outcome for r in rows] == ["container", "container", None]  # the third not opened


def test_a_broken_archive_in_a_mail_is_corrupt_with_a_reason() -> None:
    (row,) = attachment_rows(
        [_att("kaputt.zip", b"PK\x03\x04kaputt")], store=_Store(), limits=LIMITS
    )
    assert row.outcome == "corrupt" and "beim Absender" in (row.reason or "")
