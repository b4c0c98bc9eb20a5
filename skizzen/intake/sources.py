"""Where raw mail comes from: a folder of ``.eml`` files, a Maildir or an IMAP folder.

``imap://…`` sources are read by :mod:`skizzen.intake.imap` (moved/flagged on ``ack`` only).

Choice on unreadable input: a file that cannot be read (permissions, vanished between
listing and reading) or that does not look like a mail is skipped, not yielded, so one
bad file never stops a batch. Skipping is safe because the source itself is untouched:
the next run sees the file again. Items come in a stable, sorted order with a stable key
(path relative to the source root) so reruns are reproducible.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from skizzen.settings import RuntimeConfig

__all__ = ["SourceError", "SourceItem", "is_maildir", "iter_source", "validate_source"]

from skizzen.intake.item import SourceItem
from skizzen.intake.mapped import read_mail

log = logging.getLogger(__name__)

_HEADER_LINE = re.compile(rb"^[!-9;-~]+:[ \t]?", re.MULTILINE)
_MAIL_HEADERS = (b"from:", b"date:", b"message-id:", b"subject:", b"received:", b"mime-version:")


class SourceError(ValueError):
    """A mail source no run can read (missing, or not a mailbox): the run fails at once,
    before it is recorded, and no retry would help. The message is one German line."""


SOURCE_TEXTS = {
    "missing": "Die Mail-Quelle „{path}“ gibt es nicht.",
    "missing_inbox": "Den Posteingang „{path}“ gibt es nicht: `skizzen serve` legt ihn an "
    "(oder mkdir); eine andere Quelle als Argument oder mit SKIZZEN_SOURCE.",
    "not_mail": "„{path}“ ist keine E-Mail-Datei (.eml), kein Ordner mit .eml-Dateien und kein "
    "Maildir.",
    "unreadable": "„{path}“ ist nicht lesbar ({reason}).",
}


def is_maildir(root: Path) -> bool:
    """A Maildir has ``cur/`` and ``new/`` (``tmp/`` is optional and never read)."""
    return (root / "cur").is_dir() and (root / "new").is_dir()


def _looks_like_mail(raw: bytes) -> bool:
    """Header block with at least one typical RFC 5322 header near the start."""
    head = raw[:8192].split(b"\r\n\r\n", 1)[0].split(b"\n\n", 1)[0]
    if not head or not _HEADER_LINE.match(head.lstrip(b"\r\n")):
        return False
    lower = head.lower()
    return any(h in lower for h in _MAIL_HEADERS)


def _candidates(root: Path) -> list[Path]:
    if is_maildir(root):
        files = [p for sub in ("cur", "new") for p in (root / sub).iterdir() if p.is_file()]
        files = [p for p in files if not p.name.startswith(".")]
    else:
        files = [p for p in root.rglob("*.eml") if p.is_file()]
    return sorted(files, key=lambda p: p.relative_to(root).as_posix())


def iter_source(source: str | Path, *, config: RuntimeConfig | None = None) -> Iterator[SourceItem]:
    """Yield every readable message of a folder of ``.eml`` files (recursive), a Maildir or
    an ``imap://`` folder (IMAP defaults from ``config``, else from the settings).

    A single ``.eml`` file is accepted as a source of one message.
    """
    from skizzen.intake.imap import is_imap_source

    if is_imap_source(source):
        yield from _iter_imap(str(source), config=config)
        return
    root = Path(source)
    if root.is_file():
        files, base = [root], root.parent
    elif root.is_dir():
        files, base = _candidates(root), root
    else:
        raise FileNotFoundError(SOURCE_TEXTS["missing"].format(path=root))
    for path in files:
        try:
            raw = read_mail(path)  # a large one mapped, never read whole
        except OSError as exc:
            log.warning("skipping unreadable mail file %s: %s", path, exc)
            continue
        if not _looks_like_mail(raw):
            log.warning("skipping %s: does not look like an RFC 5322 message", path)
            continue
        yield SourceItem(key=path.relative_to(base).as_posix(), raw=raw)


def validate_source(source: str, *, inbox: bool = False) -> str:
    """Fail fast (before a run is recorded) on a source no run can read: a bad server URL
    (e.g. one with a password), a path that does not exist, a file that is not a mail.

    ``inbox``: the source is the configured default, so the message says how to create it.
    A folder is always a source, an empty one of no messages.
    """
    from skizzen.intake.imap import is_imap_source, parse_imap_source

    if is_imap_source(source):
        parse_imap_source(source)
        return source
    path = Path(source)
    if path.is_file():
        try:
            with path.open("rb") as fh:
                head = fh.read(8192)
        except OSError as exc:
            reason = exc.strerror or type(exc).__name__
            raise SourceError(SOURCE_TEXTS["unreadable"].format(path=path, reason=reason)) from None
        if not _looks_like_mail(head):
            raise SourceError(SOURCE_TEXTS["not_mail"].format(path=path))
    elif not path.is_dir():
        raise SourceError(SOURCE_TEXTS["missing_inbox" if inbox else "missing"].format(path=path))
    return source


def _iter_imap(source: str, *, config: RuntimeConfig | None) -> Iterator[SourceItem]:
    from skizzen.intake.imap import iter_imap, parse_imap_source

    # without a config (a caller below the edge), the defaults of the settings apply
    yield from iter_imap(parse_imap_source(source, config=config))
