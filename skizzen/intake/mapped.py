"""A mail file too large to hold whole, read through a window that gives its pages back.

A 150 MB attachment arrives as a 203 MB mail file. Read with ``read_bytes`` it sits in memory
beside everything the ingest process holds already (Prefect, spaCy, the GX suite: about
200 MB), so the process peaked above 400 MB although the intake never needs the whole file
at once: it hashes it, copies it to the blob store and scans it for MIME boundaries.
``MappedMail`` maps the file read-only and offers what that scan uses (``find``, ``count``,
``startswith``, slices, ``len``, ``chunks``); after each window it tells the kernel the pages
are not needed (``MADV_DONTNEED``), so they leave the process's resident set (they stay in
the page cache, where the kernel may drop them). Small mails stay plain ``bytes``.
"""

from __future__ import annotations

import hashlib
import mmap
from collections.abc import Iterator
from pathlib import Path

__all__ = ["MAP_ABOVE", "MappedMail", "RawMail", "read_mail", "sha256_of"]

MAP_ABOVE = 16 << 20
"""Mail files larger than this are mapped, not read (below it the copy costs little)."""
WINDOW = 8 << 20
"""Bytes touched between two give-backs: the resident cost of reading a mapped mail."""


class MappedMail:
    """The bytes of one mail file, mapped read-only; the bytes-like calls the intake uses."""

    def __init__(self, path: Path) -> None:
        with path.open("rb") as fh:
            self._mm = mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ)
        self._page = mmap.PAGESIZE

    def __len__(self) -> int:
        return len(self._mm)

    def __getitem__(self, key: slice) -> bytes:
        if not isinstance(key, slice):
            raise TypeError("MappedMail takes slices only")
        start, stop, _ = key.indices(len(self._mm))
        if stop - start <= WINDOW:
            data = self._mm[start:stop]
            self._give_back(start, stop)
            return data
        return b"".join(self.chunks(start, stop))

    def chunks(self, start: int = 0, stop: int | None = None) -> Iterator[bytes]:
        """``self[start:stop]`` in windows, each window's pages given back once copied."""
        stop = len(self._mm) if stop is None else min(stop, len(self._mm))
        for at in range(start, stop, WINDOW):
            end = min(at + WINDOW, stop)
            data = self._mm[at:end]
            self._give_back(at, end)
            yield data

    def find(self, sub: bytes, start: int = 0, end: int | None = None) -> int:
        """Offset of the first ``sub`` in ``[start, end)``, or -1 (window by window)."""
        end = len(self._mm) if end is None else min(end, len(self._mm))
        overlap = max(0, len(sub) - 1)
        for at in range(max(0, start), end, WINDOW):
            found = self._mm.find(sub, at, min(at + WINDOW + overlap, end))
            self._give_back(at, min(at + WINDOW + overlap, end))
            if found >= 0:
                return found
        return -1

    def count(self, sub: bytes) -> int:
        """Non-overlapping occurrences of ``sub`` (``bytes.count``), window by window."""
        n, pos = 0, 0
        while (pos := self.find(sub, pos)) >= 0:
            n += 1
            pos += len(sub)
        return n

    def startswith(self, prefix: bytes, start: int = 0) -> bool:
        return self[start : start + len(prefix)] == prefix

    def close(self) -> None:
        self._mm.close()

    def _give_back(self, start: int, stop: int) -> None:
        first = start - start % self._page
        if stop > first:
            self._mm.madvise(mmap.MADV_DONTNEED, first, min(stop, len(self._mm)) - first)


RawMail = bytes | MappedMail
"""What a source hands to intake: the mail's bytes, or the mapped file of a large one."""


def read_mail(path: Path) -> RawMail:
    """A mail file's bytes: read whole if small, mapped if larger than ``MAP_ABOVE``."""
    if path.stat().st_size > MAP_ABOVE:
        return MappedMail(path)
    return path.read_bytes()


def sha256_of(raw: RawMail) -> str:
    """The sha256 of a mail's bytes, without holding a mapped one whole."""
    if isinstance(raw, MappedMail):
        digest = hashlib.sha256()
        for chunk in raw.chunks():
            digest.update(chunk)
        return digest.hexdigest()
    return hashlib.sha256(raw).hexdigest()
