"""RFC 5322 message → ``MailMessage`` with decoded headers, body text and attachments.

Mail in a funding mailbox comes from every client imaginable (Outlook, GroupWise, webmail),
with ISO-8859-1 bodies, RFC 2231 and RFC 2047 file names and the occasional broken MIME
structure. ``parse_message`` therefore never raises: whatever cannot be decoded is
recorded in ``defects`` and the rest is returned, so nothing received is silently lost.
"""

from __future__ import annotations

import hashlib
import html
import re
from dataclasses import dataclass, field
from datetime import datetime
from email import policy
from email.header import decode_header, make_header
from email.message import Message
from email.parser import BytesParser
from email.utils import getaddresses, parsedate_to_datetime

__all__ = ["MailAttachment", "MailMessage", "parse_message"]

_BODY_TYPES = frozenset({"text/plain", "text/html"})
_ENCODED_WORD = re.compile(r"=\?[^?]+\?[bBqQ]\?[^?]*\?=")


@dataclass(frozen=True)
class MailAttachment:
    """One leaf attachment exactly as received (decoded transfer encoding)."""

    filename: str
    content_type: str
    data: bytes = field(repr=False)
    size: int
    sha256: str


@dataclass(frozen=True)
class MailMessage:
    """The parts of a message the pipeline needs; ``defects`` lists what was broken."""

    message_id: str
    sender: str
    subject: str
    date: datetime | None
    body_text: str
    attachments: list[MailAttachment]
    defects: list[str] = field(default_factory=list)
    in_reply_to: str | None = None
    references: list[str] = field(default_factory=list)
    """Message-IDs of the thread (In-Reply-To, References): a corrected version sent as a
    reply names the mail it corrects."""


def _decode_words(value: str) -> str:
    """Decode RFC 2047 encoded words, also where a client put them inside a quoted param."""
    if "=?" not in value:
        return value
    try:
        return str(make_header(decode_header(value)))
    except Exception:  # malformed encoded word: keep the raw text rather than fail
        return value


def _header(msg: Message, name: str, defects: list[str]) -> str:
    """Header value as unicode text; raw text if the header registry chokes on it."""
    try:
        value = msg.get(name)
    except Exception as exc:  # defective header: fall back to the raw stored value
        defects.append(f"header {name}: {exc}")
        raw = next((v for k, v in msg.raw_items() if k.lower() == name.lower()), None)
        value = raw
    if value is None:
        return ""
    text = str(value)
    return _decode_words(text).strip() if "=?" in text else text.strip()


def _message_id(msg: Message, raw: bytes, defects: list[str]) -> str:
    value = _header(msg, "Message-ID", defects)
    match = re.search(r"<[^<>\s]+>", value)
    if match:
        return match.group(0)
    if value.strip():
        return f"<{value.strip().strip('<>')}>"
    defects.append("missing Message-ID: synthesised from the raw bytes")
    return f"<{hashlib.sha256(raw).hexdigest()}@skizzen.local>"


def _sender(msg: Message, defects: list[str]) -> str:
    value = _header(msg, "From", defects)
    try:
        addresses = getaddresses([value])
    except Exception as exc:  # pragma: no cover - getaddresses is lenient
        defects.append(f"From: {exc}")
        addresses = []
    for _name, addr in addresses:
        if addr and "@" in addr:
            return addr.strip()
    match = re.search(r"[\w.+-]+@[\w.-]+", value)
    return match.group(0) if match else ""


def _date(msg: Message, defects: list[str]) -> datetime | None:
    value = _header(msg, "Date", defects)
    if not value:
        return None
    try:
        parsed = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError) as exc:
        defects.append(f"Date {value!r}: {exc}")
        return None
    if parsed.tzinfo is None:  # "-0000" means "unknown zone": keep it, but not as aware
        defects.append(f"Date {value!r} without time zone")
        return None
    return parsed


def _param(part: Message, name: str, header: str) -> str | None:
    """A Content-Type/-Disposition parameter, RFC 2231 and RFC 2047 decoded."""
    try:
        value = part.get_param(name, header=header)
    except Exception:
        return None
    if value is None:
        return None
    if isinstance(value, tuple):  # compat32 RFC 2231 triple (charset, lang, text)
        charset = value[0] or "utf-8"
        try:
            value = value[2].encode("latin-1", "surrogateescape").decode(charset, "replace")
        except (LookupError, UnicodeError):
            value = value[2]
    text = str(value).strip()
    return _decode_words(text) if text else None


def _filename(part: Message) -> str | None:
    for name, header in (("filename", "content-disposition"), ("name", "content-type")):
        value = _param(part, name, header)
        if value:
            # Only the last path component: a name like "..\\x.pdf" must not escape.
            return re.split(r"[\\/]", value)[-1].strip() or None
    return None


def _payload_bytes(part: Message, defects: list[str]) -> bytes:
    try:
        data = part.get_payload(decode=True)
    except Exception as exc:
        defects.append(f"payload of {part.get_content_type()}: {exc}")
        data = None
    if isinstance(data, bytes):
        return data
    raw = part.get_payload()
    if isinstance(raw, str):
        return raw.encode("utf-8", "surrogateescape")
    return b""


def _part_text(part: Message, defects: list[str]) -> str:
    data = _payload_bytes(part, defects)
    charset = part.get_content_charset() or "utf-8"
    try:
        return data.decode(charset)
    except (LookupError, UnicodeDecodeError):
        pass
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp1252", "replace")


def _html_to_text(markup: str) -> str:
    """Cheap HTML → text: enough for mail bodies (no layout promises)."""
    markup = re.sub(r"(?is)<(script|style|head)\b.*?</\1>", " ", markup)
    markup = re.sub(r"(?i)<br\s*/?>|</p>|</div>|</li>|</tr>|</h\d>", "\n", markup)
    markup = re.sub(r"(?i)</?(?:b|i|u|em|strong|span|font|a|small|big|sup|sub)\b[^>]*>", "", markup)
    text = html.unescape(re.sub(r"<[^>]+>", " ", markup))
    lines = (re.sub(r"[ \t\xa0]+", " ", line).strip() for line in text.splitlines())
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def _is_attachment(part: Message, filename: str | None) -> bool:
    ctype = part.get_content_type()
    disposition = (part.get_content_disposition() or "").lower()
    if ctype in _BODY_TYPES and disposition != "attachment" and filename is None:
        return False
    return filename is not None or disposition == "attachment" or ctype not in _BODY_TYPES


def _walk_leaves(part: Message, defects: list[str]) -> list[Message]:
    """Leaves in MIME order; descends into multiparts and forwarded message/rfc822."""
    if part.is_multipart():
        payload = part.get_payload()
        leaves: list[Message] = []
        if isinstance(payload, list):
            for sub in payload:
                if isinstance(sub, Message):
                    leaves.extend(_walk_leaves(sub, defects))
        return leaves
    return [part]


def _extension(ctype: str) -> str:
    known = {
        "application/pdf": "pdf",
        "application/zip": "zip",
        "image/jpeg": "jpg",
        "image/png": "png",
        "text/plain": "txt",
        "text/html": "html",
        "message/rfc822": "eml",
    }
    return known.get(ctype, "bin")


def parse_message(raw: bytes) -> MailMessage:
    """Parse raw message bytes; never raises (see module docstring)."""
    defects: list[str] = []
    try:
        msg = BytesParser(policy=policy.default).parsebytes(raw)
    except Exception as exc:  # pragma: no cover - the parser itself is lenient
        defects.append(f"unparseable message: {exc}")
        return MailMessage(
            message_id=f"<{hashlib.sha256(raw).hexdigest()}@skizzen.local>",
            sender="",
            subject="",
            date=None,
            body_text="",
            attachments=[],
            defects=defects,
        )
    defects.extend(f"{type(d).__name__}: {d}" for d in msg.defects)

    plain: list[str] = []
    html_parts: list[str] = []
    attachments: list[MailAttachment] = []
    for part in _walk_leaves(msg, defects):
        try:
            filename = _filename(part)
            ctype = part.get_content_type()
            if not _is_attachment(part, filename):
                target = plain if ctype == "text/plain" else html_parts
                target.append(_part_text(part, defects))
                continue
            data = _payload_bytes(part, defects)
            name = filename or f"anhang-{len(attachments) + 1}.{_extension(ctype)}"
            attachments.append(
                MailAttachment(
                    filename=name,
                    content_type=ctype,
                    data=data,
                    size=len(data),
                    sha256=hashlib.sha256(data).hexdigest(),
                )
            )
        except Exception as exc:  # one broken part must not lose the others
            defects.append(f"part skipped: {type(exc).__name__}: {exc}")

    if plain:
        body = "\n\n".join(t.strip() for t in plain if t.strip())
    else:
        body = "\n\n".join(_html_to_text(t) for t in html_parts)

    refs = _message_ids(_header(msg, "References", defects))
    replied = _message_ids(_header(msg, "In-Reply-To", defects))
    return MailMessage(
        message_id=_message_id(msg, raw, defects),
        sender=_sender(msg, defects),
        subject=_header(msg, "Subject", defects),
        date=_date(msg, defects),
        body_text=body,
        attachments=attachments,
        defects=defects,
        in_reply_to=replied[0] if replied else None,
        references=refs[-20:],
    )


_MSG_ID = re.compile(r"<[^<>\s]{1,250}>")


def _message_ids(value: str) -> list[str]:
    """The Message-IDs in a threading header, in order, without duplicates."""
    out: list[str] = []
    for m in _MSG_ID.findall(value or ""):
        if m not in out:
            out.append(m)
    return out
