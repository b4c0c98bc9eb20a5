"""A small, deterministic demo mailbox so a fresh clone can run the pipeline end to end.

``make_demo_mailbox`` writes seven RFC 5322 messages (CRLF) as Outlook- and Thunderbird-like
clients send them: five invented Projektskizzen in three layouts (form with key-data table
and ☒/☐ topic fields, letter in prose, multi-page with Kostenplan), a file name with
umlauts in RFC 2231 form, a question without attachment, a truncated PDF (``corrupt``)
re-sent intact the next day, a sketch with a letter of support, and a sketch over the cost
limit (650.000 €) so the demo shows a ``needs_review`` case.

Everything is fixed (dates, texts, amounts); the seed only drives Message-IDs and MIME
boundaries, and reportlab runs in invariant mode, so the same seed gives byte-identical
files. The sketches themselves are in ``lab.demo_sketches``, their PDFs are drawn by
``lab.demo_pdf``; this module writes the mails.
"""

from __future__ import annotations

import base64
import datetime as dt
import random
import urllib.parse
from dataclasses import dataclass
from email.header import Header
from email.quoprimime import body_encode
from email.utils import format_datetime, formataddr
from pathlib import Path
from typing import Any

from lab.demo_pdf import render_sketch, render_support_letter
from lab.demo_sketches import DEMO_SKETCHES, SUPPORT_LETTER, DemoSketch

__all__ = [
    "expected_demo_outcomes",
    "expected_demo_sketches",
    "make_demo_mailbox",
]

MAILBOX = "projektskizzen@foerderaufruf-heimat.example"
_TZ = dt.timezone(dt.timedelta(hours=1))


# --------------------------------------------------------------------------- MIME


@dataclass(frozen=True)
class _Attachment:
    filename: str
    data: bytes
    content_type: str = "application/pdf"
    rfc2231: bool = False


@dataclass(frozen=True)
class _Mail:
    name: str
    client: str
    sender: tuple[str, str]
    subject: str
    date: dt.datetime
    body: str
    attachments: tuple[_Attachment, ...] = ()
    outcomes: tuple[str, ...] = ()


def _b64(data: bytes) -> str:
    text = base64.b64encode(data).decode("ascii")
    return "\r\n".join(text[i : i + 76] for i in range(0, len(text), 76))


def _encoded(text: str) -> str:
    """RFC 2047 encoded word only when needed (as mail clients do)."""
    return text if text.isascii() else Header(text, "utf-8").encode(maxlinelen=998)


def _attachment_part(att: _Attachment, client: str) -> list[str]:
    if att.rfc2231 or not att.filename.isascii():
        quoted = urllib.parse.quote(att.filename, safe="")
        name = _encoded(att.filename)
        ctype = f'{att.content_type}; name="{name}"'
        disp = f"attachment;\r\n filename*=utf-8''{quoted}"
    else:
        ctype = f'{att.content_type}; name="{att.filename}"'
        disp = f'attachment; filename="{att.filename}"'
        if client == "outlook":
            disp += f"; size={len(att.data)}"
    return [
        f"Content-Type: {ctype}",
        f"Content-Disposition: {disp}",
        "Content-Transfer-Encoding: base64",
        "",
        _b64(att.data),
    ]


def _render_mail(mail: _Mail, rng: random.Random) -> bytes:
    host = mail.sender[1].split("@", 1)[1]
    if mail.client == "outlook":
        token = "".join(rng.choice("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789") for _ in range(20))
        message_id = f"<{token}@EXCH01.{host}>"
        boundary = f"_004_{token}_"
        agent = "X-Mailer: Microsoft Outlook 16.0"
    else:
        message_id = f"<{rng.getrandbits(64):016x}-{rng.getrandbits(32):08x}@{host}>"
        boundary = "------------" + "".join(
            rng.choice("abcdefghijklmnopqrstuvwxyz0123456789") for _ in range(24)
        )
        agent = (
            "User-Agent: Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:78.0) "
            "Gecko/20100101 Thunderbird/78.8.0"
        )
    headers = [
        f"From: {formataddr(mail.sender, charset='utf-8')}",
        f"To: Projektskizzen Heimat 2.0 <{MAILBOX}>",
        f"Subject: {_encoded(mail.subject)}",
        f"Date: {format_datetime(mail.date)}",
        f"Message-ID: {message_id}",
        agent,
        "MIME-Version: 1.0",
        "Content-Language: de-DE",
    ]
    text_part = [
        "Content-Type: text/plain; charset=utf-8",
        "Content-Transfer-Encoding: quoted-printable",
        "",
        body_encode(
            mail.body.replace("\n", "\r\n").encode("utf-8").decode("latin-1"),
            maxlinelen=76,
            eol="\r\n",
        ),
    ]
    if not mail.attachments:
        lines = headers + text_part
    else:
        lines = [*headers, f'Content-Type: multipart/mixed; boundary="{boundary}"', ""]
        lines.append("This is a multi-part message in MIME format.")
        for part in [text_part] + [_attachment_part(a, mail.client) for a in mail.attachments]:
            lines += [f"--{boundary}", *part]
        lines += [f"--{boundary}--", ""]
    return ("\r\n".join(lines) + "\r\n").encode("ascii")


def _mails() -> list[_Mail]:
    lind, huen, kran, eich, rot = DEMO_SKETCHES
    pdf = {s.filename: render_sketch(s) for s in DEMO_SKETCHES}
    intact = pdf[rot.filename]
    truncated = intact[: len(intact) * 2 // 5]

    def d(day: int, hour: int, minute: int) -> dt.datetime:
        return dt.datetime(2021, 3, day, hour, minute, 0, tzinfo=_TZ)

    def att(sketch: DemoSketch, **kw: Any) -> _Attachment:
        return _Attachment(sketch.filename, pdf[sketch.filename], **kw)

    return [
        _Mail(
            "demo-01.eml",
            "outlook",
            ("Wendland, Katrin", lind.fields["email"]),
            "Projektskizze Heimat 2.0 – Gemeinde Lindenhagen",
            d(2, 10, 14),
            "Sehr geehrte Damen und Herren,\n\nanbei erhalten Sie die Projektskizze der "
            "Gemeinde Lindenhagen für den Förderaufruf Heimat 2.0.\n\nMit freundlichen Grüßen\n"
            "Katrin Wendland\nGemeinde Lindenhagen – Hauptamt\n",
            (att(lind),),
            ("sketch",),
        ),
        _Mail(
            "demo-02.eml",
            "thunderbird",
            ("Henning Oltmanns", huen.fields["email"]),
            "Bewerbung Förderaufruf Heimat 2.0: MoorMobil",
            d(9, 16, 41),
            "Guten Tag,\n\nim Anhang übersende ich Ihnen unsere Bewerbungsskizze für das "
            "Vorhaben MoorMobil.\n\nViele Grüße aus Hünenbrück\nDr. Henning Oltmanns\n",
            (att(huen, rfc2231=True),),
            ("sketch",),
        ),
        _Mail(
            "demo-03.eml",
            "thunderbird",
            ("Kreisverwaltung Haselgrund", "wirtschaft@kreis-haselgrund.de"),
            "Frage zum Förderaufruf: Landkreis als Koordinator?",
            d(11, 8, 57),
            "Sehr geehrte Damen und Herren,\n\nunser Landkreis möchte die Skizze für drei "
            "Gemeinden koordinieren. Reicht es, wenn der Landkreis als Antragsteller auftritt "
            "und die Gemeinden als Partner genannt werden, oder muss jede Gemeinde eine eigene "
            "Skizze einreichen?\n\nFreundliche Grüße\nMartina Kühl\n",
            (),
            ("no_attachment",),
        ),
        _Mail(
            "demo-04.eml",
            "outlook",
            ("Brüggemann, Jana", kran.fields["email"]),
            "Projektskizze Telemedizin – Stadt Kranichsee",
            d(16, 13, 5),
            "Sehr geehrte Damen und Herren,\n\nwie telefonisch besprochen sende ich Ihnen "
            "unsere Skizze „Gesund vor Ort“. Der Kostenplan befindet sich auf Seite 3.\n\n"
            "Mit freundlichen Grüßen\nJana Brüggemann\nStadt Kranichsee, Stabsstelle "
            "Digitalisierung\n",
            (att(kran),),
            ("sketch",),
        ),
        _Mail(
            "demo-05.eml",
            "thunderbird",
            ("Thomas Jung", eich.fields["email"]),
            "Heimat 2.0 – Skizze VG Eichenmühle mit Unterstützungsschreiben",
            d(22, 11, 30),
            "Sehr geehrte Damen und Herren,\n\nanbei unsere Projektskizze sowie das "
            "Unterstützungsschreiben unseres Seniorenbeirats.\n\nMit freundlichen Grüßen\n"
            "Thomas Jung\nVerbandsgemeindeverwaltung Eichenmühle\n",
            (att(eich), _Attachment(SUPPORT_LETTER, render_support_letter())),
            ("sketch", "supporting_document"),
        ),
        _Mail(
            "demo-06.eml",
            "outlook",
            ("Hofmann, Sabine", rot.fields["email"]),
            "Projektskizze Markt Rotenfels",
            d(25, 17, 48),
            "Sehr geehrte Damen und Herren,\n\nanbei die Projektskizze des Marktes "
            "Rotenfels.\n\nMit freundlichen Grüßen\nSabine Hofmann\n",
            (_Attachment(rot.filename, truncated),),
            ("corrupt",),
        ),
        _Mail(
            "demo-07.eml",
            "outlook",
            ("Hofmann, Sabine", rot.fields["email"]),
            "AW: Projektskizze Markt Rotenfels – Anhang erneut",
            d(26, 9, 2),
            "Sehr geehrte Damen und Herren,\n\nleider war der Anhang meiner gestrigen Mail "
            "beschädigt. Ich sende Ihnen die Skizze hiermit erneut.\n\nMit freundlichen "
            "Grüßen\nSabine Hofmann\n",
            (att(rot),),
            ("sketch",),
        ),
    ]


def make_demo_mailbox(out_dir: Path, *, seed: int = 7) -> list[Path]:
    """Write the demo ``.eml`` files into ``out_dir`` and return their paths (sorted).

    The same seed gives byte-identical files (fixed dates and texts; the seed picks
    Message-IDs and MIME boundaries).
    """
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    paths = []
    for mail in _mails():
        path = out_dir / mail.name
        path.write_bytes(_render_mail(mail, rng))
        paths.append(path)
    return paths


def expected_demo_outcomes() -> dict[str, list[str]]:
    """Message file name → expected outcome of each attachment, in MIME order.

    A message without attachment maps to ``["no_attachment"]`` (the message outcome of
    DOMAIN.md), so every message has at least one expected outcome.
    """
    return {
        "demo-01.eml": ["sketch"],
        "demo-02.eml": ["sketch"],
        "demo-03.eml": ["no_attachment"],
        "demo-04.eml": ["sketch"],
        "demo-05.eml": ["sketch", "supporting_document"],
        "demo-06.eml": ["corrupt"],
        "demo-07.eml": ["sketch"],
    }


def expected_demo_sketches() -> dict[str, dict[str, Any]]:
    """Attachment file name → ``{"fields": ..., "violations": [...]}`` for the demo sketches."""
    return {
        s.filename: {"fields": dict(s.fields), "violations": sorted(s.violations)}
        for s in DEMO_SKETCHES
    }
