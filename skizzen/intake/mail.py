"""RFC 5322 message → ``MailMessage`` with decoded headers, body text and attachments.

Mail in a funding mailbox comes from every client imaginable (Outlook, GroupWise, webmail),
with ISO-8859-1 bodies, RFC 2231 and RFC 2047 file names and the occasional broken MIME
structure. ``parse_message`` therefore never raises: whatever cannot be decoded is
recorded in ``defects`` and the rest is returned, so nothing received is silently lost.
"""

from __future__ import annotations

import binascii
import hashlib
import html
import re
import secrets
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from email import policy
from email.header import decode_header, make_header
from email.message import Message
from email.parser import BytesHeaderParser, BytesParser
from email.utils import getaddresses, parsedate_to_datetime

from skizzen.intake.mapped import RawMail, sha256_of
from skizzen.settings import Options

__all__ = ["LargePart", "MailAttachment", "MailMessage", "large_part", "parse_message"]

_BODY_TYPES = frozenset({"text/plain", "text/html"})
MIME_MAX_DEPTH: int = Options.model_fields["mime_max_depth"].default
MAX_PART_BYTES: int = Options.model_fields["max_attachment_bytes"].default
_ENCODED_WORD = re.compile(r"=\?[^?]+\?[bBqQ]\?[^?]*\?=")


@dataclass(frozen=True)
class MailAttachment:
    """One leaf attachment exactly as received (decoded transfer encoding)."""

    filename: str
    content_type: str
    data: bytes = field(repr=False)
    size: int
    sha256: str
    too_large: bool = False
    """Larger than the limit: ``data`` is empty, ``size`` and ``sha256`` are the decoded
    attachment's (it was hashed while decoding, never held whole)."""


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
    cut_at_depth: int | None = None
    """The nesting limit, when parts below it were left unread (``shrink``)."""


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


def _message_id(msg: Message, raw: RawMail, defects: list[str]) -> str:
    value = _header(msg, "Message-ID", defects)
    match = re.search(r"<[^<>\s]+>", value)
    if match:
        return match.group(0)
    if value.strip():
        return f"<{value.strip().strip('<>')}>"
    defects.append("missing Message-ID: synthesised from the raw bytes")
    return f"<{sha256_of(raw)}@skizzen.local>"


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


_HEADER_BOUNDARY = re.compile(rb'(?is)\bboundary\s*=\s*(?:"([^"\r\n]*)"|([^\s;]+))')
_HEADER_TYPE = re.compile(rb"(?im)^content-type\s*:\s*([a-z0-9!#$&^_.+-]+/[a-z0-9!#$&^_.+-]+)")
_HEADER_CTE = re.compile(rb"(?im)^content-transfer-encoding\s*:\s*([a-z0-9-]+)")
_LEAF = b"Content-Type: text/plain; charset=us-ascii\r\n\r\n"
_STRIPPED = f"X-Skizzen-Stripped-{secrets.token_hex(8)}"
"""Header put on a part whose body was taken out for its size; the name is random per
process, so a sender cannot forge it."""
_CHUNK = 4 << 20


@dataclass(frozen=True)
class LargePart:
    """A leaf body ``shrink`` took out for its size: where it lies in the raw mail, its
    transfer encoding, and the decoded size and sha256 (``MailAttachment`` has the same)."""

    start: int
    stop: int
    cte: bytes
    size: int
    sha256: str


@dataclass(frozen=True)
class Shrunk:
    """What ``shrink`` made of a raw mail: the bytes to parse, how many too-deep parts it
    cut, and the bodies it took out for their size (each also marked in its own part)."""

    raw: bytes
    cuts: int = 0
    large: tuple[LargePart, ...] = ()


def shrink(
    raw: RawMail, *, max_depth: int = MIME_MAX_DEPTH, max_part_bytes: int = MAX_PART_BYTES
) -> Shrunk:
    """``raw`` made safe for Python's parser: parts nested deeper than ``max_depth`` become
    an empty text part, and a leaf whose body decodes to more than ``max_part_bytes`` keeps
    its headers but loses its body, with its decoded size and sha256 (found by decoding it
    in chunks, never held whole) in a header of its own.

    Why before parsing: the parser recurses once per level, so a mail nested 2,000 levels
    deep failed as a whole (headers and all), and it holds a body as text, so a 150 MB
    attachment took about 2 GB. This scan follows the multipart boundaries and forwarded
    messages (``message/rfc822``) as a stack, line by line in headers and with ``find`` in
    bodies; a cut reaches to the parent's next boundary line, so siblings stay. A large
    mail comes mapped (``MappedMail``): the scan reads it in windows, never whole.
    """
    levels = raw.count(b"boundary") + raw.count(b"BOUNDARY") + raw.count(b"rfc822")
    if levels + raw.count(b"RFC822") < max_depth and len(raw) <= max_part_bytes:
        # nothing can nest that deep or be that large (a mapped mail under a raised limit
        # is read whole: the limit allows it)
        return Shrunk(raw if isinstance(raw, bytes) else raw[0 : len(raw)])
    stack: list[bytes | None] = []  # boundaries of the open multiparts; None: a forwarded mail
    out: list[bytes] = []
    cuts = 0
    large: list[LargePart] = []
    pos, n = 0, len(raw)
    in_header, header_start = True, 0
    leaf: tuple[bytes, bytes, int] | None = None  # header, transfer encoding, body start

    def end_leaf(stop: int) -> None:
        nonlocal leaf
        if leaf is None:
            return
        header, cte, body = leaf
        leaf = None
        if stop - body > max_part_bytes:
            size, sha = _decoded_digest(raw, body, stop, cte)
            if size > max_part_bytes:
                out.append(header[: -len(_blank(header))])
                out.append(f"{_STRIPPED}: {size} {sha}\r\n\r\n".encode())
                large.append(LargePart(body, stop, cte, size, sha))
                return
        out.append(header)
        out.append(raw[body:stop])

    while pos < n:
        if in_header:
            end = raw.find(b"\n", pos)
            end = n if end < 0 else end + 1
            line = raw[pos:end]
            pos = end
            if line.strip():
                continue
            header = raw[header_start:end]
            ctype = _HEADER_TYPE.search(header)
            kind = ctype.group(1).lower() if ctype else b""
            opens: bytes | bool | None = False
            if kind.startswith(b"multipart/"):
                bound = _HEADER_BOUNDARY.search(header)
                opens = (bound.group(1) or bound.group(2)) if bound else False
            elif kind == b"message/rfc822":
                opens = None
            in_header = False
            if opens is not False and len(stack) >= max_depth:
                cuts += 1
                parents = [b for b in stack if b is not None]
                pos = _next_boundary_line(raw, header_start, parents[-1]) if parents else n
                out.append(_LEAF)
                continue
            if opens is False:
                cte = _HEADER_CTE.search(header)
                leaf = (header, cte.group(1).lower() if cte else b"7bit", pos)
                continue
            out.append(header)
            stack.append(opens)  # type: ignore[arg-type]
            if opens is None:  # a forwarded mail's own headers follow
                in_header, header_start = True, pos
            continue
        # in a body: jump to the next line that starts with "--"
        if raw.startswith(b"--", pos):  # (MappedMail: a position, as bytes.startswith)
            at = pos
        else:
            found = raw.find(b"\n--", pos)
            at = n if found < 0 else found + 1
        end = raw.find(b"\n", at)
        end = n if end < 0 else end + 1
        mark = raw[at:end].rstrip(b"\r\n \t")
        closes = opens_sibling = None
        for i in range(len(stack) - 1, -1, -1):
            bound = stack[i]
            if bound is None:
                continue
            if mark == b"--" + bound + b"--":
                closes = i
                break
            if mark == b"--" + bound:
                opens_sibling = i
                break
        if closes is None and opens_sibling is None:
            if leaf is None:
                out.append(raw[pos:end])
            pos = end
            continue
        if leaf is not None:
            end_leaf(at)
        else:
            out.append(raw[pos:at])
        out.append(raw[at:end])
        pos = end
        if closes is not None:
            del stack[closes:]  # closed: back in the parent's body
        else:
            del stack[opens_sibling + 1 :]  # type: ignore[operator]
            in_header, header_start = True, pos  # a sibling part begins
    end_leaf(n)
    if in_header and header_start < n:
        out.append(raw[header_start:])
    return Shrunk(b"".join(out), cuts, tuple(large))


def _blank(header: bytes) -> bytes:
    """The empty line that ends a header block (CRLF or LF)."""
    for ending in (b"\r\n\r\n", b"\n\r\n", b"\n\n"):
        if header.endswith(ending):
            return ending[1:] if ending != b"\r\n\r\n" else b"\r\n"
    return b""


def _decoded_digest(raw: RawMail, start: int, stop: int, cte: bytes) -> tuple[int, str]:
    """Decoded size and sha256 of ``raw[start:stop]`` under a transfer encoding."""
    digest = hashlib.sha256()
    size = 0
    for data in decoded_chunks(raw, start, stop, cte):
        digest.update(data)
        size += len(data)
    return size, digest.hexdigest()


def decoded_chunks(raw: RawMail, start: int, stop: int, cte: bytes) -> Iterator[bytes]:
    """``raw[start:stop]`` decoded from its transfer encoding, in chunks of lines (the line
    break before the next boundary belongs to the boundary), never held whole."""
    if raw[stop - 2 : stop] == b"\r\n":
        stop -= 2
    elif raw[stop - 1 : stop] == b"\n":
        stop -= 1
    rest = b""
    pos = start
    while pos < stop:
        cut = raw.find(b"\n", min(pos + _CHUNK, stop), stop)
        cut = stop if cut < 0 else cut + 1
        chunk = raw[pos:cut]
        pos = cut
        if cte == b"base64":
            chunk = rest + chunk.translate(None, b" \t\r\n")
            keep = len(chunk) // 4 * 4
            chunk, rest = chunk[:keep], chunk[keep:]
            try:
                yield binascii.a2b_base64(chunk)
            except binascii.Error:
                continue
        elif cte == b"quoted-printable":
            yield binascii.a2b_qp(chunk)
        else:
            yield chunk


def large_part(
    raw: RawMail, *, sha256: str, max_part_bytes: int = MAX_PART_BYTES
) -> Iterator[bytes] | None:
    """The decoded bytes of the attachment over the size limit whose sha256 is ``sha256``
    (kept only inside its raw mail), in chunks; None if the mail has no such part."""
    for part in shrink(raw, max_part_bytes=max_part_bytes).large:
        if part.sha256 == sha256:
            return decoded_chunks(raw, part.start, part.stop, part.cte)
    return None


def _next_boundary_line(raw: RawMail, start: int, boundary: bytes) -> int:
    """Offset of the next line at or after ``start`` that begins with ``--boundary``."""
    needle = b"\n--" + boundary
    i = raw.find(needle, max(0, start - 1))
    return len(raw) if i < 0 else i + 1


def _headers_only(raw: bytes) -> Message | None:
    try:
        return BytesHeaderParser(policy=policy.default).parsebytes(raw)
    except Exception:  # pragma: no cover - the header parser is lenient
        return None


def parse_message(
    raw: RawMail, *, max_depth: int = MIME_MAX_DEPTH, max_part_bytes: int = MAX_PART_BYTES
) -> MailMessage:
    """Parse raw message bytes; never raises (see module docstring). Parts nested deeper
    than ``max_depth`` are left unread (``cut_at_depth``, a defect says so); an attachment
    larger than ``max_part_bytes`` comes with its size and sha256 but without its bytes
    (``MailAttachment.too_large``: it stays in the raw mail)."""
    defects: list[str] = []
    shrunk = shrink(raw, max_depth=max_depth, max_part_bytes=max_part_bytes)
    limited, cuts = shrunk.raw, shrunk.cuts
    if cuts:
        defects.append(
            f"MIME nesting deeper than {max_depth} levels: {cuts} part(s) below it left unread"
        )
    try:
        msg = BytesParser(policy=policy.default).parsebytes(limited)
    except Exception as exc:  # e.g. RecursionError: keep what the headers say
        defects.append(f"unparseable message: {type(exc).__name__}: {exc}")
        head = _headers_only(limited)
        return MailMessage(
            message_id=_message_id(head, raw, defects)
            if head is not None
            else f"<{sha256_of(raw)}@skizzen.local>",
            sender=_sender(head, defects) if head is not None else "",
            subject=_header(head, "Subject", defects) if head is not None else "",
            date=_date(head, defects) if head is not None else None,
            body_text="",
            attachments=[],
            defects=defects,
            cut_at_depth=max_depth if cuts else None,
        )
    defects.extend(f"{type(d).__name__}: {d}" for d in msg.defects)

    plain: list[str] = []
    html_parts: list[str] = []
    attachments: list[MailAttachment] = []
    for part in _walk_leaves(msg, defects):
        try:
            filename = _filename(part)
            ctype = part.get_content_type()
            stripped = part.get(_STRIPPED)
            if stripped is not None and not _is_attachment(part, filename):
                defects.append(f"body part {ctype} over the size limit: left in the raw mail")
                continue
            if not _is_attachment(part, filename):
                target = plain if ctype == "text/plain" else html_parts
                target.append(_part_text(part, defects))
                continue
            name = filename or f"anhang-{len(attachments) + 1}.{_extension(ctype)}"
            if stripped is not None:
                size, sha = str(stripped).split()
                attachments.append(MailAttachment(name, ctype, b"", int(size), sha, too_large=True))
                continue
            data = _payload_bytes(part, defects)
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
        cut_at_depth=max_depth if cuts else None,
    )


_MSG_ID = re.compile(r"<[^<>\s]{1,250}>")


def _message_ids(value: str) -> list[str]:
    """The Message-IDs in a threading header, in order, without duplicates."""
    out: list[str] = []
    for m in _MSG_ID.findall(value or ""):
        if m not in out:
            out.append(m)
    return out
