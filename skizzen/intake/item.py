"""One raw message as a source hands it to intake (folders, Maildir, IMAP alike)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from skizzen.intake.mapped import RawMail

__all__ = ["SourceItem"]


@dataclass(frozen=True)
class SourceItem:
    """One raw message; ``key`` is stable within its source (relative POSIX path).

    ``ack`` is called by intake once the raw bytes and the rows of this message are committed
    (or were already there); a server source uses it to move or flag the message only then.
    """

    key: str
    raw: RawMail = field(repr=False)
    """The bytes, or for a large mail file its mapping (``skizzen.intake.mapped``)."""
    ack: Callable[[], None] | None = field(default=None, repr=False, compare=False)
