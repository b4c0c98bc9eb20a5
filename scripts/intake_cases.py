"""What the intake records for each hostile or unusual submission, as a table (for the note).

    .venv/bin/python scripts/intake_cases.py [--database-url URL] [--keep DIR]

Writes one mail per case (a scan, a photo, .docx, .odt, .zip, winmail.dat, a signed mail, a
NUL byte, a reused Message-ID, 2,000-level nesting, an attachment over the size limit, an
over-long Message-ID), runs the intake and the outcome step on them (no Prefect: the domain
functions the flow's tasks call), and prints per mail what was stored: the message's
outcome and reason, each attachment's outcome and reason. SQLite by default; any SQLAlchemy
URL (a real PostgreSQL) with ``--database-url``.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import io
import sys
import tempfile
from email.message import EmailMessage
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
SAMPLE = ROOT.parent / "shared" / "corpus" / "sample"


def _mail(
    n: int, subject: str, files: list[tuple[bytes, str, str]], **headers: str
) -> EmailMessage:
    msg = EmailMessage()
    msg["From"] = headers.get("sender", f"Gemeinde {n} <post{n}@gemeinde.example.de>")
    msg["To"] = "skizzen@institut.example.de"
    msg["Subject"] = subject
    msg["Date"] = f"Mon, 01 Mar 2021 08:{n:02d}:00 +0100"
    msg["Message-ID"] = headers.get("message_id", f"<fall{n}@gemeinde.example.de>")
    msg.set_content(headers.get("body", "Anbei unsere Projektskizze."))
    for data, name, ctype in files:
        main, sub = ctype.split("/")
        msg.add_attachment(data, maintype=main, subtype=sub, filename=name)
    return msg


def cases(work: Path) -> dict[str, bytes]:
    from tests.skizzen.documents.test_convert import _odt_twin
    from tests.skizzen.documents.test_ocr import _scan_images
    from tests.skizzen.intake.test_containers import _tnef

    pdf1 = (SAMPLE / "pdf" / "S001.pdf").read_bytes()
    pdf2 = (SAMPLE / "pdf" / "S002.pdf").read_bytes()
    docx = (SAMPLE / "attachments" / "S063.docx").read_bytes()
    pages = _scan_images(pdf1)
    scan, photo = io.BytesIO(), io.BytesIO()
    pages[0].save(scan, "PDF", resolution=300, save_all=True, append_images=pages[1:])
    pages[0].save(photo, "JPEG", quality=85, dpi=(300, 300))
    out: dict[str, bytes] = {}
    out["scan (image-only PDF)"] = _mail(
        1, "Skizze als Scan", [(scan.getvalue(), "Skizze_Scan.pdf", "application/pdf")]
    ).as_bytes()
    out["photo (JPEG of page 1)"] = _mail(
        2, "Skizze fotografiert", [(photo.getvalue(), "Foto.jpg", "image/jpeg")]
    ).as_bytes()
    out[".docx"] = _mail(
        3, "Skizze Word", [(docx, "Skizze.docx", "application/octet-stream")]
    ).as_bytes()
    out[".odt"] = _mail(
        4,
        "Skizze ODT",
        [(_odt_twin(docx), "Skizze.odt", "application/vnd.oasis.opendocument.text")],
    ).as_bytes()
    out["ZIP"] = _mail(
        5,
        "Skizze gezippt",
        [((SAMPLE / "attachments" / "S051.zip").read_bytes(), "Skizze.zip", "application/zip")],
    ).as_bytes()
    out["winmail.dat"] = _mail(
        6,
        "Skizze Outlook",
        [(_tnef([("Skizze_S002.pdf", pdf2)]), "winmail.dat", "application/ms-tnef")],
    ).as_bytes()
    b64 = base64.encodebytes(pdf2).replace(b"\n", b"\r\n")
    signed = (
        b"From: Gemeinde 7 <post7@gemeinde.example.de>\r\nSubject: Skizze signiert\r\n"
        b"Message-ID: <fall7@gemeinde.example.de>\r\nDate: Mon, 01 Mar 2021 08:07:00 +0100\r\n"
        b"MIME-Version: 1.0\r\nContent-Type: multipart/signed; "
        b'protocol="application/pkcs7-signature"; micalg=sha-256; boundary="S"\r\n\r\n--S\r\n'
        b'Content-Type: multipart/mixed; boundary="M"\r\n\r\n--M\r\n'
        b"Content-Type: text/plain; charset=utf-8\r\n\r\nAnbei die Skizze.\r\n--M\r\n"
        b"Content-Type: application/pdf\r\nContent-Transfer-Encoding: base64\r\n"
        b'Content-Disposition: attachment; filename="Skizze_signiert.pdf"\r\n\r\n'
        + b64
        + b"--M--\r\n--S\r\n"
        b'Content-Type: application/pkcs7-signature; name="smime.p7s"\r\n'
        b"Content-Transfer-Encoding: base64\r\n"
        b'Content-Disposition: attachment; filename="smime.p7s"\r\n\r\n'
        b"MIIFAAYJKoZIhvcNAQcCoIIE8TCCBO0CAQExDzANBglghkgBZQMEAgEFADALBgkqhkiG9w0BBwE=\r\n"
        b"--S--\r\n"
    )
    out["S/MIME signed"] = signed
    out["NUL byte in name and body"] = _mail(
        8, "Skizze\x00", [(pdf2, "Ski\x00zze.pdf", "application/pdf")], body="Gift\x00im Text"
    ).as_bytes()
    reused = "<gleich@gemeinde.example.de>"
    out["Message-ID known, content new (1st)"] = _mail(
        9, "Skizze", [(pdf1, "a.pdf", "application/pdf")], message_id=reused
    ).as_bytes()
    out["Message-ID known, content new (2nd)"] = _mail(
        10, "Andere Skizze", [(pdf2, "b.pdf", "application/pdf")], message_id=reused
    ).as_bytes()
    deep = 2000
    out["2,000-level nesting"] = (
        b"From: Gemeinde Tief <post@tief.example.de>\r\nSubject: Skizze tief\r\n"
        b"Message-ID: <tief@tief.example.de>\r\nMIME-Version: 1.0\r\n"
        + b"".join(
            f'Content-Type: multipart/mixed; boundary="b{i}"\r\n\r\n--b{i}\r\n'.encode()
            for i in range(deep)
        )
        + b"Content-Type: application/pdf\r\n\r\n%PDF-1.4\r\n"
        + b"".join(f"--b{i}--\r\n".encode() for i in reversed(range(deep)))
    )
    big = b"%PDF-1.7\n" + hashlib.sha256(b"x").digest() * (12 * 2**20 // 32)
    out["12 MB attachment (limit 10 MiB)"] = _mail(
        11, "Skizze mit Fotos", [(big, "gross.pdf", "application/pdf")]
    ).as_bytes()
    out["5,000-character Message-ID"] = _mail(
        12,
        "Skizze",
        [(pdf1, "c.pdf", "application/pdf")],
        message_id="<" + "x" * 5000 + "@g.example.de>",
    ).as_bytes()
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--database-url")
    ap.add_argument("--keep", type=Path)
    args = ap.parse_args()
    base = args.keep or Path(tempfile.mkdtemp(prefix="skizzen-cases-"))
    inbox = base / "inbox"
    inbox.mkdir(parents=True, exist_ok=True)
    names = {}
    for n, (case, raw) in enumerate(cases(base).items()):
        (inbox / f"{n:02d}.eml").write_bytes(raw)
        names[f"{n:02d}.eml"] = case

    from sqlmodel import select

    from models.db import get_engine, init_db, session_scope
    from models.tables import Attachment, Message
    from skizzen.settings import load_runtime
    from skizzen.steps import intake as intake_step
    from skizzen.steps import pipeline

    url = args.database_url or f"sqlite:///{base / 'skizzen.db'}"
    config = load_runtime(database_url=url, data_dir=base / "data")
    init_db(get_engine(url))
    taken = intake_step.intake(config, source=str(inbox), run_id=None)
    pipeline.receive_messages(config, message_pks=taken.message_pks, run_id=None)
    with session_scope(url) as s:
        for msg in s.exec(select(Message).order_by(Message.id)):  # type: ignore[arg-type]
            case = names.get(msg.source_key, msg.source_key)
            flag = (
                f", reuses Message-ID of message {msg.reuses_message_id_of}"
                if msg.reuses_message_id_of
                else ""
            )
            print(
                f"\n### {case}\nmessage: {msg.message_id[:70]!r} · {msg.subject[:40]!r} · "
                f"outcome {msg.outcome or '-'}{flag}"
            )
            if msg.reason:
                print(f"  reason: {msg.reason}")
            atts = s.exec(
                select(Attachment)
                .where(Attachment.message_pk == msg.id)
                .order_by(Attachment.position)
            )
            for a in atts:
                inside = (
                    f" (in #{a.container_position})" if a.container_position is not None else ""
                )
                how = a.detail.get("converted_from") if a.detail else None
                print(
                    f"  #{a.position} {a.filename!r}{inside}: {a.outcome}"
                    f"{f' [{how}]' if how else ''} — {a.reason}"
                )


if __name__ == "__main__":
    main()
