"""Containers a sketch may arrive in: ZIP archives and Outlook's ``winmail.dat`` (TNEF).

``open_container`` lists the members of one container as plain values (name, type, bytes),
under limits on member count, total size, compression ratio and nesting, so a ZIP bomb or
an archive of 100,000 files is a German note for staff, not an outage. No path from the
archive is ever used on disk: members are kept by their sha256 in the blob store, and a
member's name is only the last part of its archive path (for the staff page). Office and
OpenDocument files are ZIPs too; they are documents, not containers (``container_kind``).
"""

from __future__ import annotations

import hashlib
import io
import mimetypes
import zipfile
from dataclasses import dataclass, field
from pathlib import PurePosixPath

from skizzen.intake.mail import MailAttachment
from skizzen.settings import Options, RuntimeConfig

__all__ = [
    "CONTAINER_ASK",
    "CONTAINER_LABELS",
    "ContainerLimits",
    "Member",
    "Opened",
    "container_kind",
    "container_reason",
    "open_container",
]

_DEFAULTS = Options.model_fields
_TNEF_MAGIC = b"\x78\x9f\x3e\x22"
_DOCUMENT_MARKERS = ("[Content_Types].xml", "mimetype", "META-INF/manifest.xml")
_READ_CHUNK = 1 << 20


@dataclass(frozen=True)
class ContainerLimits:
    """Bounds for opening containers; defaults from the settings."""

    max_members: int = _DEFAULTS["container_max_members"].default
    max_total_bytes: int = _DEFAULTS["max_decompressed_bytes"].default
    max_ratio: float = _DEFAULTS["container_max_ratio"].default
    max_depth: int = _DEFAULTS["container_max_depth"].default
    max_member_bytes: int = _DEFAULTS["max_attachment_bytes"].default

    @classmethod
    def from_config(cls, config: RuntimeConfig) -> ContainerLimits:
        return cls(
            max_members=config.container_max_members,
            max_total_bytes=config.max_decompressed_bytes,
            max_ratio=config.container_max_ratio,
            max_depth=config.container_max_depth,
            max_member_bytes=config.max_attachment_bytes,
        )


Member = MailAttachment
"""A file found in a container is an attachment like any other (``too_large``: over
``max_member_bytes``, so only its size and sha256, taken while reading, are kept)."""


@dataclass(frozen=True)
class Opened:
    """What a container held: its members, German notes on what was left out, or the German
    reason why it could not be opened (``error``)."""

    kind: str
    members: list[Member] = field(default_factory=list)
    left_out: list[str] = field(default_factory=list)
    error: str | None = None


CONTAINER_LABELS = {"zip": "ZIP-Archiv", "tnef": "Outlook-Datei (winmail.dat)"}
CONTAINER_ASK = "Bitte beim Absender die Dateien einzeln oder als neues Archiv anfordern."


def container_reason(label: str, members: int, left_out: list[str]) -> str:
    """German note on an opened container for staff."""
    text = (
        f"{label} mit {members} Datei(en); jede ist als eigener Anhang dieser Nachricht aufgeführt."
        if members
        else f"{label} ohne lesbare Dateien."
    )
    if left_out:
        text += " Nicht geöffnet: " + "; ".join(left_out) + ". " + CONTAINER_ASK
    return text


def container_kind(data: bytes) -> str | None:
    """``"zip"`` or ``"tnef"`` if ``data`` is a container, else None (by content only)."""
    if data.startswith(_TNEF_MAGIC):
        return "tnef"
    if not data.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        return None
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            names = zf.namelist()
    except (zipfile.BadZipFile, OSError, ValueError, RuntimeError, NotImplementedError):
        return "zip"  # a broken archive is still an archive (open_container says why)
    if any(n in _DOCUMENT_MARKERS for n in names):
        return None  # .docx, .xlsx, .odt, ...: a document
    return "zip"


def _member_name(path: str) -> str:
    """The last part of an archive path (``../../x.pdf`` and ``C:\\x.pdf`` alike)."""
    name = PurePosixPath(path.replace("\\", "/")).name
    return name.strip() or "unbenannt"


def _content_type(name: str) -> str:
    return mimetypes.guess_type(name, strict=False)[0] or "application/octet-stream"


def _member(name: str, data: bytes) -> Member:
    return Member(name, _content_type(name), data, len(data), hashlib.sha256(data).hexdigest())


def open_container(data: bytes, kind: str, *, limits: ContainerLimits) -> Opened:
    """The members of a ZIP or TNEF container (never raises on hostile bytes)."""
    if kind == "tnef":
        return _open_tnef(data, limits)
    return _open_zip(data, limits)


def _open_zip(data: bytes, limits: ContainerLimits) -> Opened:
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError, ValueError, RuntimeError, NotImplementedError) as exc:
        return Opened("zip", error=f"Das ZIP-Archiv lässt sich nicht öffnen ({exc}).")
    out = Opened("zip")
    budget = limits.max_total_bytes
    with zf:
        files = [i for i in zf.infolist() if not i.is_dir()]
        if len(files) > limits.max_members:
            out.left_out.append(
                f"{len(files) - limits.max_members} von {len(files)} Dateien nicht geöffnet "
                f"(höchstens {limits.max_members} je Archiv)"
            )
            files = files[: limits.max_members]
        for info in files:
            name = _member_name(info.filename)
            if info.flag_bits & 0x1:
                out.left_out.append(f"„{name}“ ist verschlüsselt (Passwort nötig)")
                continue
            ratio = info.file_size / max(1, info.compress_size)
            if info.file_size > 1_000_000 and ratio > limits.max_ratio:
                out.left_out.append(
                    f"„{name}“ ist {ratio:.0f}-fach gepackt (Verdacht auf eine ZIP-Bombe)"
                )
                continue
            if info.file_size > budget:
                out.left_out.append(
                    f"„{name}“ und die folgenden Dateien nicht geöffnet: das Archiv enthält "
                    "entpackt mehr als erlaubt"
                )
                break
            member = _read_member(zf, info, name, budget, limits)
            if member is None:
                out.left_out.append(f"„{name}“ ist beschädigt oder größer als angegeben")
                continue
            budget -= member.size
            out.members.append(member)
    return out


def _read_member(
    zf: zipfile.ZipFile, info: zipfile.ZipInfo, name: str, budget: int, limits: ContainerLimits
) -> Member | None:
    """Read one member in chunks, never more than it declares nor than the budget; a
    member over ``max_member_bytes`` is hashed while read, not kept."""
    digest = hashlib.sha256()
    kept: list[bytes] = []
    size = 0
    cap = min(info.file_size, budget)
    try:
        with zf.open(info) as fh:
            while chunk := fh.read(_READ_CHUNK):
                size += len(chunk)
                if size > cap:
                    return None  # the header lied about the size
                digest.update(chunk)
                if size <= limits.max_member_bytes:
                    kept.append(chunk)
    except (zipfile.BadZipFile, OSError, ValueError, RuntimeError, NotImplementedError, EOFError):
        return None
    if size > limits.max_member_bytes:
        ctype = _content_type(name)
        return Member(name, ctype, b"", size, digest.hexdigest(), too_large=True)
    return _member(name, b"".join(kept))


def _open_tnef(data: bytes, limits: ContainerLimits) -> Opened:
    from tnefparse import TNEF

    try:
        tnef = TNEF(data)
    except Exception as exc:  # the parser raises anything on broken input
        return Opened(
            "tnef", error=f"Die Outlook-Datei (winmail.dat) lässt sich nicht lesen ({exc})."
        )
    out = Opened("tnef")
    budget = limits.max_total_bytes
    for n, att in enumerate(tnef.attachments):
        if n >= limits.max_members:
            out.left_out.append(f"weitere Dateien nicht geöffnet (höchstens {limits.max_members})")
            break
        try:
            raw_name = att.long_filename() or att.name
        except Exception:
            raw_name = att.name
        name = _member_name(
            raw_name.decode("cp1252", "replace")
            if isinstance(raw_name, bytes)
            else str(raw_name or "")
        )
        payload = att.data if isinstance(att.data, bytes) else b""
        if len(payload) > budget:
            out.left_out.append(f"„{name}“ und die folgenden Dateien: mehr als erlaubt")
            break
        budget -= len(payload)
        if len(payload) > limits.max_member_bytes:
            digest = hashlib.sha256(payload).hexdigest()
            out.members.append(
                Member(name, _content_type(name), b"", len(payload), digest, too_large=True)
            )
        else:
            out.members.append(_member(name, payload))
    if not tnef.attachments:
        out.left_out.append("die Outlook-Datei enthält keine Anhänge (nur Nachrichtentext)")
    return out
