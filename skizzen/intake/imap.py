"""IMAP mail source: fetch raw messages by UID, move or flag each one only after commit.

Source string::

    imap://USER@HOST[:PORT]/FOLDER?security=tls|starttls|plain&processed=Verarbeitet
        &ack=move|flag&flag=$SkizzenIngested&password_env=NAME&secret=BLOCK&ca_file=PATH
        &batch_size=20

Query keys are optional (defaults from the ``SKIZZEN_IMAP_*`` settings). The password is
never part of the URL (rejected), of the settings or of any flow parameter: it is read at
connect time from a Prefect Secret block (``secret=``) or an environment variable
(``password_env=``, default ``SKIZZEN_IMAP_PASSWORD``).

Why it is safe to stop anywhere: messages are fetched with ``BODY.PEEK[]`` (no ``\\Seen``),
in UID batches (bounded memory); the pipeline calls ``ack`` only after the raw bytes and rows
are committed (or the Message-ID was already known), and only then is the message moved to
the processed folder (or flagged). A message not yet acked stays where it was and is seen
again by the next run, where Message-ID dedupe turns it into a plain ack. For the same
reason a changed UIDVALIDITY cannot duplicate or lose anything: the folder is simply
rescanned from the start. A dropped connection is re-opened with exponential backoff
(bounded); after that :class:`ImapUnavailable` (a ``ConnectionError``) lets the Prefect
task retry take over.
"""

from __future__ import annotations

import contextlib
import imaplib
import ipaddress
import logging
import os
import re
import ssl
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any, TypeVar
from urllib.parse import parse_qs, unquote, urlsplit

from imap_tools import MailBox, MailBoxStartTls, MailBoxUnencrypted
from imap_tools.errors import ImapToolsError, MailboxLoginError
from imap_tools.utils import encode_folder

from skizzen.intake.item import SourceItem
from skizzen.settings import RuntimeConfig

__all__ = [
    "ImapAuthError",
    "ImapSource",
    "ImapSourceError",
    "ImapUnavailable",
    "is_imap_source",
    "iter_imap",
    "parse_imap_source",
    "redact_source",
    "resolve_password",
]

log = logging.getLogger(__name__)

T = TypeVar("T")

_SECURITY = ("tls", "starttls", "plain")
_ACK = ("move", "flag")
_QUERY_KEYS = frozenset(
    {"security", "processed", "ack", "flag", "password_env", "secret", "ca_file", "batch_size"}
)
_FLAG_RE = re.compile(r"^\$?[A-Za-z0-9_.-]{1,64}$")
_UID_RE = re.compile(rb"UID (\d+)")
# what a dropped or reset connection looks like through imaplib and ssl
_DROPPED: tuple[type[BaseException], ...] = (imaplib.IMAP4.abort, OSError, EOFError)
_MAX_RESCANS = 3
_MAX_BATCH_BYTES = 64 * 1024 * 1024  # a batch holds at most this much raw mail (or 1 message)
_SIZE_RE = re.compile(rb"RFC822\.SIZE (\d+)")


class ImapSourceError(ValueError):
    """The IMAP source string or its settings are unusable (fix the configuration)."""


class ImapAuthError(RuntimeError):
    """The server refused the login; retrying with the same password cannot help."""


class ImapUnavailable(ConnectionError):
    """The server stayed unreachable after all reconnect attempts (transient for Prefect)."""


@dataclass(frozen=True)
class ImapSource:
    """Everything needed to read one IMAP folder; holds where the password is, not the password.

    Built only by :func:`parse_imap_source`, whose defaults come from the settings.
    """

    host: str
    port: int
    user: str
    folder: str
    security: str
    ack: str
    processed_folder: str
    flag: str
    password_env: str
    secret_block: str | None
    ca_file: str | None
    batch_size: int
    retries: int
    backoff_s: float
    timeout_s: float

    @property
    def label(self) -> str:
        """For logs and errors: no secret in it."""
        return f"imap://{self.user}@{self.host}:{self.port}/{self.folder}"

    def key(self, uidvalidity: int, uid: int) -> str:
        return f"imap:{self.folder}:{uidvalidity}:{uid}"


def is_imap_source(source: object) -> bool:
    """True for ``imap://`` / ``imaps://`` source strings."""
    return isinstance(source, str) and source.lower().startswith(("imap://", "imaps://"))


def redact_source(source: str) -> str:
    """The source string without any password a user may have put into it (for logs)."""
    parts = urlsplit(source)
    if parts.password is None:
        return source
    netloc = parts.netloc.rsplit("@", 1)[1]
    user = parts.username or ""
    return parts._replace(netloc=f"{user}:***@{netloc}").geturl()


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def parse_imap_source(source: str, *, config: RuntimeConfig | None = None) -> ImapSource:
    """Parse and validate an ``imap://`` source; defaults come from ``config``."""
    cfg = config or RuntimeConfig.model_construct()  # field defaults only
    parts = urlsplit(source)
    if parts.scheme.lower() not in ("imap", "imaps"):
        raise ImapSourceError(f"not an IMAP source: {redact_source(source)}")
    if parts.password is not None:
        raise ImapSourceError(
            "the IMAP source must not contain a password; give the name of an environment "
            "variable (password_env=…) or of a Prefect Secret block (secret=…) instead: "
            f"{redact_source(source)}"
        )
    if not parts.hostname or not parts.username:
        raise ImapSourceError(f"IMAP source needs user and host (imap://user@host/…): {source}")
    query = {k: v[-1] for k, v in parse_qs(parts.query, keep_blank_values=True).items()}
    unknown = sorted(set(query) - _QUERY_KEYS)
    if unknown:
        raise ImapSourceError(
            f"unknown IMAP source option(s) {unknown}; known: {sorted(_QUERY_KEYS)}"
        )
    default_security = "tls" if parts.scheme.lower() == "imaps" else cfg.imap_security
    security = query.get("security", default_security).lower()
    if security not in _SECURITY:
        raise ImapSourceError(f"security must be one of {_SECURITY}, not {security!r}")
    if security == "plain" and not _is_loopback(parts.hostname):
        raise ImapSourceError(
            "security=plain sends the password unencrypted and is only allowed for a server "
            "on this machine (127.0.0.1/localhost); use tls or starttls"
        )
    ack = query.get("ack", cfg.imap_ack).lower()
    if ack not in _ACK:
        raise ImapSourceError(f"ack must be one of {_ACK}, not {ack!r}")
    flag = query.get("flag", cfg.imap_flag)
    if not _FLAG_RE.match(flag):
        raise ImapSourceError(f"flag must be an IMAP keyword like $SkizzenIngested: {flag!r}")
    folder = unquote(parts.path.lstrip("/")) or "INBOX"
    processed = query.get("processed", cfg.imap_processed_folder)
    if ack == "move" and processed == folder:
        raise ImapSourceError("the processed folder must differ from the folder that is read")
    try:
        batch_size = int(query.get("batch_size", cfg.imap_batch_size))
        port = parts.port or (993 if security == "tls" else 143)
    except ValueError as exc:
        raise ImapSourceError(f"invalid number in IMAP source: {exc}") from None
    if batch_size < 1:
        raise ImapSourceError("batch_size must be at least 1")
    return ImapSource(
        host=parts.hostname,
        port=port,
        user=unquote(parts.username),
        folder=folder,
        security=security,
        ack=ack,
        processed_folder=processed,
        flag=flag,
        password_env=query.get("password_env", cfg.imap_password_env),
        secret_block=query.get("secret", cfg.imap_secret_block) or None,
        ca_file=query.get("ca_file", cfg.imap_ca_file) or None,
        batch_size=batch_size,
        retries=cfg.imap_retries,
        backoff_s=cfg.imap_backoff_s,
        timeout_s=cfg.imap_timeout_s,
    )


def resolve_password(src: ImapSource) -> str:
    """The password from the Prefect Secret block if one is named, else from the env variable."""
    if src.secret_block:
        from prefect.blocks.system import Secret

        try:
            value = Secret.load(src.secret_block).get()
        except Exception as exc:  # say which block, never echo a value
            raise ImapSourceError(
                f"Prefect Secret block {src.secret_block!r} could not be loaded "
                f"({type(exc).__name__})"
            ) from None
        if not isinstance(value, str) or not value:
            raise ImapSourceError(f"Prefect Secret block {src.secret_block!r} holds no password")
        return value
    value = os.environ.get(src.password_env, "")
    if not value:
        raise ImapSourceError(
            f"no IMAP password: set the environment variable {src.password_env} "
            "or name a Prefect Secret block (secret=… / SKIZZEN_IMAP_SECRET_BLOCK)"
        )
    return value


def _ssl_context(src: ImapSource) -> ssl.SSLContext:
    ctx = ssl.create_default_context(cafile=src.ca_file)
    ctx.minimum_version = ssl.TLSVersion.TLSv1_2
    return ctx


def _open(src: ImapSource) -> Any:
    """A connected (not yet logged in) imap-tools mailbox for the configured security."""
    if src.security == "tls":
        return MailBox(src.host, src.port, timeout=src.timeout_s, ssl_context=_ssl_context(src))
    if src.security == "starttls":
        return MailBoxStartTls(
            src.host, src.port, timeout=src.timeout_s, ssl_context=_ssl_context(src)
        )
    return MailBoxUnencrypted(src.host, src.port, timeout=src.timeout_s)


def _check(result: tuple[str, Any], what: str) -> Any:
    typ, data = result
    if typ != "OK":
        raise ImapToolsError(f"IMAP {what} failed: {typ} {data!r}")
    return data


class _Connection:
    """One logged-in connection with the source folder selected; reconnects on demand."""

    def __init__(
        self,
        src: ImapSource,
        password: str,
        *,
        sleep: Callable[[float], None],
        connect: Callable[[ImapSource], Any],
    ) -> None:
        self.src = src
        self._password = password
        self._sleep = sleep
        self._connect = connect
        self.box: Any = None
        self.uidvalidity: int | None = None
        self._processed_ready = False
        self.reconnects = 0

    def _login(self) -> None:
        box = self._connect(self.src)
        try:
            box.login(self.src.user, self._password, initial_folder=None)
            # imaplib keeps the pre-login capabilities; MOVE/UIDPLUS often come only now
            box.client._get_capabilities()
            status = box.folder.status(self.src.folder, ["UIDVALIDITY"])
            box.folder.set(self.src.folder)
        except MailboxLoginError:
            _close_quietly(box)
            raise ImapAuthError(f"login refused by {self.src.label}") from None
        except BaseException:
            _close_quietly(box)
            raise
        self.box = box
        new_validity = int(status["UIDVALIDITY"])
        if self.uidvalidity is not None and new_validity != self.uidvalidity:
            log.warning(
                "UIDVALIDITY of %s changed (%s -> %s); rescanning the folder",
                self.src.label,
                self.uidvalidity,
                new_validity,
            )
        self.uidvalidity = new_validity
        self._processed_ready = False

    def call(self, op: Callable[[Any], T], what: str) -> T:
        """Run ``op(box)``; on a dropped connection reconnect with backoff and run it again."""
        attempt = 0
        while True:
            try:
                if self.box is None:
                    self._login()
                return op(self.box)
            except ssl.SSLCertVerificationError as exc:  # configuration, not an outage
                self.close()
                raise ImapSourceError(
                    f"TLS certificate of {self.src.label} not trusted ({exc.verify_message}); "
                    "set ca_file=… / SKIZZEN_IMAP_CA_FILE"
                ) from None
            except _DROPPED as exc:
                self.close()
                if attempt >= self.src.retries:
                    raise ImapUnavailable(
                        f"{self.src.label} unreachable during {what} after "
                        f"{attempt + 1} attempts: {type(exc).__name__}: {exc}"
                    ) from None
                delay = min(self.src.backoff_s * 2**attempt, 60.0)
                attempt += 1
                self.reconnects += 1
                log.warning(
                    "IMAP connection to %s lost during %s (%s); reconnect %d/%d in %.1f s",
                    self.src.label,
                    what,
                    type(exc).__name__,
                    attempt,
                    self.src.retries,
                    delay,
                )
                self._sleep(delay)

    def close(self) -> None:
        box, self.box = self.box, None
        if box is not None:
            _close_quietly(box)

    # --- operations (each runs inside ``call``) ------------------------------------------

    def pending_uids(self, after: int) -> list[int]:
        """UIDs above ``after`` still to ingest (not deleted; not flagged in flag mode)."""

        def op(box: Any) -> list[int]:
            criteria = f"UID {after + 1}:* UNDELETED"
            if self.src.ack == "flag":
                criteria += f" UNKEYWORD {self.src.flag}"
            data = _check(box.client.uid("SEARCH", None, criteria), "SEARCH")
            # "n:*" always matches the highest UID, even below n: filter
            return sorted(u for u in (int(x) for x in (data[0] or b"").split()) if u > after)

        return self.call(op, "search")

    def sizes(self, uids: list[int]) -> dict[int, int]:
        """Server-side sizes, so a batch of large mails stays within the memory bound."""

        def op(box: Any) -> dict[int, int]:
            data = _check(
                box.client.uid("FETCH", ",".join(map(str, uids)), "(UID RFC822.SIZE)"), "FETCH"
            )
            out: dict[int, int] = {}
            for part in data:
                line = part[0] if isinstance(part, tuple) else part
                uid, size = _UID_RE.search(line or b""), _SIZE_RE.search(line or b"")
                if uid and size:
                    out[int(uid.group(1))] = int(size.group(1))
            return out

        return self.call(op, "size")

    def fetch(self, uids: list[int]) -> dict[int, bytes]:
        """Raw RFC 822 bytes exactly as stored, without setting \\Seen."""

        def op(box: Any) -> dict[int, bytes]:
            data = _check(
                box.client.uid("FETCH", ",".join(map(str, uids)), "(UID BODY.PEEK[])"), "FETCH"
            )
            out: dict[int, bytes] = {}
            for part in data:
                if isinstance(part, tuple) and len(part) == 2:
                    match = _UID_RE.search(part[0])
                    if match:
                        out[int(match.group(1))] = bytes(part[1])
            return out

        return self.call(op, "fetch")

    def acknowledge(self, uid: int, uidvalidity: int) -> bool:
        """Move or flag one message; False if its UID is stale (UIDVALIDITY changed)."""

        def op(box: Any) -> bool:
            if self.uidvalidity != uidvalidity:
                return False
            client = box.client
            if self.src.ack == "flag":
                _check(
                    client.uid("STORE", str(uid), "+FLAGS", f"({self.src.flag} \\Seen)"), "STORE"
                )
                return True
            target = encode_folder(self.src.processed_folder)
            if not self._processed_ready:
                if not box.folder.exists(self.src.processed_folder):
                    log.info("creating IMAP folder %s", self.src.processed_folder)
                    _check(client.create(target), "CREATE")
                self._processed_ready = True
            _check(client.uid("STORE", str(uid), "+FLAGS", "(\\Seen)"), "STORE")
            if "MOVE" in client.capabilities:
                _check(client.uid("MOVE", str(uid), target), "MOVE")
            else:  # COPY + delete just this UID (never expunge other \Deleted mail)
                _check(client.uid("COPY", str(uid), target), "COPY")
                _check(client.uid("STORE", str(uid), "+FLAGS", "(\\Deleted)"), "STORE")
                if "UIDPLUS" in client.capabilities:
                    _check(client.uid("EXPUNGE", str(uid)), "EXPUNGE")
            return True

        return self.call(op, "ack")


def _close_quietly(box: Any) -> None:
    try:
        box.client.logout()
    except Exception:  # the connection may already be gone
        with contextlib.suppress(Exception):
            box.client.shutdown()


def iter_imap(
    src: ImapSource,
    *,
    password: str | None = None,
    sleep: Callable[[float], None] = time.sleep,
    connect: Callable[[ImapSource], Any] = _open,
) -> Iterator[SourceItem]:
    """Yield every message of the folder (UID order) with an ``ack`` that moves/flags it.

    The ack must be called while the iterator is suspended (intake does); it shares the
    connection. A changed UIDVALIDITY restarts the scan from UID 1 (bounded), relying on
    Message-ID dedupe downstream.
    """
    conn = _Connection(
        src,
        password if password is not None else resolve_password(src),
        sleep=sleep,
        connect=connect,
    )
    try:
        conn.call(lambda box: None, "login")
        validity = conn.uidvalidity
        log.info("reading %s (uidvalidity %s)", src.label, validity)
        last, rescans = 0, 0
        while True:
            uids = conn.pending_uids(last)
            head = uids[: src.batch_size]
            batch = _bounded(head, conn.sizes(head)) if head else []
            fetched = conn.fetch(batch) if batch else {}
            if conn.uidvalidity != validity:
                rescans += 1
                if rescans > _MAX_RESCANS:
                    raise ImapUnavailable(f"UIDVALIDITY of {src.label} keeps changing")
                validity, last = conn.uidvalidity, 0
                continue
            if not batch:
                break
            assert validity is not None
            for uid in batch:
                raw = fetched.get(uid)
                if raw is None:  # expunged meanwhile by another client
                    continue
                yield SourceItem(
                    key=src.key(validity, uid), raw=raw, ack=_acker(conn, uid, validity)
                )
            last = batch[-1]
        log.info("done with %s (%d reconnects)", src.label, conn.reconnects)
    finally:
        conn.close()


def _bounded(uids: list[int], sizes: dict[int, int]) -> list[int]:
    """The longest prefix of ``uids`` within ``_MAX_BATCH_BYTES`` (never empty if uids)."""
    total = 0
    for n, uid in enumerate(uids):
        total += sizes.get(uid, 0)
        if n and total > _MAX_BATCH_BYTES:
            return uids[:n]
    return uids


def _acker(conn: _Connection, uid: int, validity: int) -> Callable[[], None]:
    def ack() -> None:
        if not conn.acknowledge(uid, validity):
            log.warning(
                "not acknowledging UID %s of %s: UIDVALIDITY changed; it is rescanned",
                uid,
                conn.src.label,
            )

    return ack
