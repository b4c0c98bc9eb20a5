"""Content-addressed blob store: every received byte is kept once, under its sha256.

Keeping attachments by content hash makes re-ingestion idempotent (the same PDF sent
twice is stored once) and lets reruns find the exact bytes a result was built from.
"""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
from pathlib import Path

from skizzen.intake.mapped import MappedMail, RawMail

__all__ = ["BlobStore"]

_SHA256 = re.compile(r"^[0-9a-f]{64}$")


def write_atomically(path: Path, data: bytes, *, durable: bool = False) -> None:
    """Write ``data`` to ``path`` so that a reader never sees half a file (a temp file in
    the same folder, renamed); ``durable``: flushed to disk before the rename."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=".part")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            if durable:
                fh.flush()
                os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


class BlobStore:
    """Files under ``root/ab/cd/<sha256>``; writes are atomic (temp file + rename)."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root)

    def path(self, sha256: str) -> Path:
        """Where the blob with this hash lives (whether or not it exists)."""
        if not _SHA256.match(sha256):
            raise ValueError(f"not a lowercase sha256 hex digest: {sha256!r}")
        return self.root / sha256[:2] / sha256[2:4] / sha256

    def has(self, sha256: str) -> bool:
        return self.path(sha256).is_file()

    def get(self, sha256: str) -> bytes:
        """The stored bytes; ``FileNotFoundError`` if absent."""
        return self.path(sha256).read_bytes()

    def put(self, data: RawMail, *, sha256: str | None = None) -> str:
        """Store ``data`` (idempotent) and return its sha256.

        ``sha256``: the digest the caller has just computed from these very bytes (the mail
        parser hashes every attachment), so that a large attachment is not hashed twice.
        A mapped mail is copied and hashed in one pass, window by window.
        """
        if isinstance(data, MappedMail):
            return self._put_mapped(data)
        sha = sha256 or hashlib.sha256(data).hexdigest()
        target = self.path(sha)
        if target.is_file() and target.stat().st_size == len(data):
            return sha
        write_atomically(target, data, durable=True)
        return sha

    def _put_mapped(self, data: MappedMail) -> str:
        """Copy a mapped mail into a temp file of the store while hashing it, then rename it
        to its hash (or drop the copy if that blob is there already)."""
        self.root.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=self.root, prefix=".tmp-", suffix=".part")
        try:
            digest = hashlib.sha256()
            with os.fdopen(fd, "wb") as fh:
                for chunk in data.chunks():
                    digest.update(chunk)
                    fh.write(chunk)
                fh.flush()
                os.fsync(fh.fileno())
            sha = digest.hexdigest()
            target = self.path(sha)
            if target.is_file() and target.stat().st_size == len(data):
                Path(tmp).unlink()
                return sha
            target.parent.mkdir(parents=True, exist_ok=True)
            os.replace(tmp, target)
            return sha
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
