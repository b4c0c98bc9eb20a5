"""A real, throw-away Dovecot IMAP server for tests (Debian package ``dovecot-imapd``).

Everything lives in one temporary folder: the config, the runtime/state dirs, the log, a
passwd-file with one ``{PLAIN}`` user and that user's Maildir. The server listens on
127.0.0.1 only, on free ports: plain IMAP with STARTTLS (``port``) and implicit TLS
(``tls_port``), both with a self-signed certificate for ``127.0.0.1``/``localhost``
(``ca_file``). ``restart()`` keeps port and data, so tests can drop every client connection
mid-batch, as a real server restart would.

Dovecot refuses mail access as root, so when the tests run as root (CI), mail is stored as
``nobody`` and the folder is made traversable for it.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import pwd
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from imap_tools import MailBoxUnencrypted

__all__ = ["DovecotServer", "dovecot_available", "free_port", "running_dovecot"]

DOVECOT = shutil.which("dovecot") or "/usr/sbin/dovecot"
USER = "skizzen"


def dovecot_available() -> bool:
    """True where the Dovecot binary and its IMAP service are installed."""
    return Path(DOVECOT).exists() and Path("/usr/lib/dovecot/imap").exists()


def free_port() -> int:
    """A port that was free a moment ago on 127.0.0.1 (the kernel picks it)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _self_signed(cert: Path, key: Path) -> None:
    """A short-lived certificate for 127.0.0.1 and localhost (EC key, fast to make)."""
    import ipaddress

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    pkey = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = dt.datetime.now(dt.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(pkey.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=2))
        .add_extension(
            x509.SubjectAlternativeName(
                [x509.IPAddress(ipaddress.ip_address("127.0.0.1")), x509.DNSName("localhost")]
            ),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(pkey, hashes.SHA256())
    )
    cert.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    key.write_bytes(
        pkey.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    key.chmod(0o600)


@dataclass
class DovecotServer:
    """One Dovecot instance rooted in ``root``; start/stop/restart keep ports and mail."""

    root: Path
    password: str = "geheim-Test-7"
    user: str = USER
    port: int = field(default_factory=free_port)
    tls_port: int = field(default_factory=free_port)
    host: str = "127.0.0.1"
    extra_config: str = ""  # appended verbatim, e.g. "imap_capability = IMAP4rev1 UIDPLUS"
    _proc: subprocess.Popen[bytes] | None = field(default=None, init=False, repr=False)

    @property
    def conf(self) -> Path:
        return self.root / "dovecot.conf"

    @property
    def log(self) -> Path:
        return self.root / "dovecot.log"

    @property
    def ca_file(self) -> Path:
        return self.root / "cert.pem"

    @property
    def maildir(self) -> Path:
        return self.root / "home" / self.user / "Maildir"

    def _mail_owner(self) -> tuple[int, int]:
        if os.geteuid() != 0:
            return os.getuid(), os.getgid()
        nobody = pwd.getpwnam("nobody")
        return nobody.pw_uid, nobody.pw_gid

    def write_config(self) -> None:
        """Config, passwd-file, certificate and an owned, empty home (idempotent)."""
        uid, gid = self._mail_owner()
        self.root.chmod(0o755)
        for sub in ("run", "state"):
            (self.root / sub).mkdir(exist_ok=True)
        home = self.root / "home" / self.user
        home.mkdir(parents=True, exist_ok=True)
        for path in (self.root / "home", home):
            os.chown(path, uid, gid)
        if not self.ca_file.exists():
            _self_signed(self.ca_file, self.root / "key.pem")
        (self.root / "passwd").write_text(f"{self.user}:{{PLAIN}}{self.password}::::::\n")
        if os.geteuid() == 0:
            users = "default_internal_user = dovecot\ndefault_login_user = dovenull\n"
        else:
            me = pwd.getpwuid(os.getuid()).pw_name
            users = f"default_internal_user = {me}\ndefault_login_user = {me}\n"
        self.conf.write_text(
            f"""\
protocols = imap
listen = {self.host}
base_dir = {self.root}/run
state_dir = {self.root}/state
log_path = {self.log}
instance_name = skizzen-test-{self.port}
{users}first_valid_uid = {min(uid, 500)}
first_valid_gid = 0
ssl = yes
ssl_cert = <{self.ca_file}
ssl_key = <{self.root}/key.pem
ssl_min_protocol = TLSv1.2
disable_plaintext_auth = no
auth_mechanisms = plain login
auth_failure_delay = 0
mail_location = maildir:~/Maildir
namespace inbox {{
  inbox = yes
  separator = /
}}
passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {self.root}/passwd
}}
userdb {{
  driver = static
  args = uid={uid} gid={gid} home={self.root}/home/%u
}}
service imap-login {{
  chroot =
  inet_listener imap {{
    address = {self.host}
    port = {self.port}
  }}
  inet_listener imaps {{
    address = {self.host}
    port = {self.tls_port}
    ssl = yes
  }}
}}
service anvil {{
  chroot =
}}
service stats {{
  unix_listener stats-reader {{
    mode = 0666
  }}
  unix_listener stats-writer {{
    mode = 0666
  }}
}}
{self.extra_config}
"""
        )

    def start(self, timeout: float = 15.0) -> None:
        """Run ``dovecot -F`` as a child and wait until it greets on the IMAP port."""
        if self._proc is not None:
            raise RuntimeError("dovecot already running")
        self.write_config()
        self._proc = subprocess.Popen(  # fixed binary, our own config
            [DOVECOT, "-F", "-c", str(self.conf)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            start_new_session=True,  # own process group: stop() can end every child
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self._proc.poll() is not None:
                err = self._proc.stderr.read().decode(errors="replace") if self._proc.stderr else ""
                self._proc = None
                raise RuntimeError(f"dovecot exited at start: {err}\n{self.log_text()}")
            try:
                with socket.create_connection((self.host, self.port), timeout=1) as sock:
                    if sock.recv(64).startswith(b"* OK"):
                        return
            except OSError:
                time.sleep(0.05)
        self.stop()
        raise RuntimeError(f"dovecot did not answer within {timeout}s\n{self.log_text()}")

    def stop(self, timeout: float = 10.0) -> None:
        """End the master and every child, so all client connections drop (like a crash/restart).

        The master alone would leave logged-in ``imap`` processes running (and serving their
        clients), hence SIGTERM to the whole process group this server was started in.
        """
        proc, self._proc = self._proc, None
        if proc is None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=timeout)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:  # children ignoring SIGTERM get SIGKILL
            try:
                os.killpg(proc.pid, 0)
            except ProcessLookupError:
                break
            time.sleep(0.05)
        else:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)
        if proc.stderr:
            proc.stderr.close()
        # the master may return before its listeners are gone; wait until the port is free
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                socket.create_connection((self.host, self.port), timeout=0.2).close()
            except OSError:
                return
            time.sleep(0.05)

    def restart(self) -> None:
        """Stop and start on the same ports and data: every open connection is dropped."""
        self.stop()
        self.start()

    def log_text(self) -> str:
        return self.log.read_text(errors="replace") if self.log.exists() else ""

    # --- client helpers for tests (plain login; never used by the code under test) --------

    @contextmanager
    def mailbox(self, folder: str | None = "INBOX") -> Iterator[MailBoxUnencrypted]:
        box = MailBoxUnencrypted(self.host, self.port, timeout=10)
        box.login(self.user, self.password, initial_folder=folder)
        try:
            yield box
        finally:
            with contextlib.suppress(Exception):  # connection may already be gone
                box.logout()

    def append(self, messages: list[bytes], folder: str = "INBOX") -> None:
        """APPEND raw messages (creating the folder if missing), in order."""
        with self.mailbox(None) as box:
            if folder != "INBOX" and not box.folder.exists(folder):
                box.folder.create(folder)
            for raw in messages:
                box.append(raw, folder, dt=dt.datetime(2026, 1, 5, 9, 0, tzinfo=dt.UTC))

    def raw_messages(self, folder: str = "INBOX") -> list[bytes]:
        """Raw bytes of every message in ``folder`` (UID order; [] if it does not exist)."""
        with self.mailbox(None) as box:
            if not box.folder.exists(folder):
                return []
            box.folder.set(folder, readonly=True)
            typ, data = box.client.uid("FETCH", "1:*", "(UID BODY.PEEK[])")
            if typ != "OK":
                raise RuntimeError(f"fetch failed: {data!r}")
            return [part[1] for part in data if isinstance(part, tuple)]

    def flags(self, folder: str = "INBOX") -> list[tuple[str, ...]]:
        """Flags of every message in ``folder``, in UID order."""
        with self.mailbox(folder) as box:
            return [m.flags for m in box.fetch(mark_seen=False, headers_only=True)]

    def uidvalidity(self, folder: str = "INBOX") -> int:
        with self.mailbox(None) as box:
            return int(box.folder.status(folder, ["UIDVALIDITY"])["UIDVALIDITY"])

    def reset_uidvalidity(self, folder: str = "INBOX") -> None:
        """Make the server assign a new UIDVALIDITY (and new UIDs) to ``folder``.

        Dovecot keeps UIDVALIDITY in ``dovecot-uidlist`` and its index; removing both while
        the server is down is what a restored backup or a migrated mailbox looks like.
        """
        self.stop()
        base = self.maildir if folder == "INBOX" else self.maildir / f".{folder}"
        for path in base.iterdir():
            if path.name.startswith("dovecot"):
                path.unlink()
        time.sleep(1.1)  # UIDVALIDITY is a timestamp: make sure it really changes
        self.start()


@contextmanager
def running_dovecot(root: Path | None = None, *, extra_config: str = "") -> Iterator[DovecotServer]:
    """Start a Dovecot in ``root`` (default: a fresh temp folder) and always stop it."""
    own = root is None
    base = Path(tempfile.mkdtemp(prefix="skizzen-dovecot-")) if root is None else root
    server = DovecotServer(base, extra_config=extra_config)
    server.start()
    try:
        yield server
    finally:
        server.stop()
        if own:
            shutil.rmtree(base, ignore_errors=True)


def synthetic_mail(i: int, *, body: str = "Guten Tag,\r\nanbei nichts.\r\n") -> bytes:
    """A small RFC 5322 message with a unique Message-ID (no attachment)."""
    return (
        f"From: Gemeinde {i} <post{i}@gemeinde.example>\r\n"
        f"To: skizzen@land.example\r\n"
        f"Subject: Projektskizze Nr. {i}\r\n"
        f"Date: Mon, 05 Jan 2026 09:{i % 60:02d}:00 +0100\r\n"
        f"Message-ID: <skizze-{i}@gemeinde.example>\r\n"
        f"MIME-Version: 1.0\r\n"
        f"Content-Type: text/plain; charset=utf-8\r\n\r\n{body}"
    ).encode()


def as_crlf(raw: bytes) -> bytes:
    """IMAP stores CRLF lines; normalise so stored bytes compare exactly with what we sent."""
    return raw.replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")
