"""Fixtures for IMAP tests: a fresh real Dovecot per test and sample messages to seed it."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.servers.dovecot import DovecotServer, as_crlf, dovecot_available, running_dovecot

PASSWORD_ENV = "SKIZZEN_IMAP_PASSWORD"


@pytest.fixture()
def dovecot(request: pytest.FixtureRequest) -> Iterator[DovecotServer]:
    """A running Dovecot with an empty INBOX (about one second to start).

    Its folder is not under tmp_path: that one is private to root, and mail is stored as
    nobody when the tests run as root. Indirect parametrisation adds config lines.
    """
    if not dovecot_available():
        pytest.skip("dovecot-imapd is not installed (apt-get install -y dovecot-imapd)")
    extra = getattr(request, "param", "")
    with running_dovecot(extra_config=extra) as server:
        yield server


@pytest.fixture()
def imap_url(
    dovecot: DovecotServer, skizzen_env: Path, monkeypatch: pytest.MonkeyPatch
) -> Callable[..., str]:
    """Settings for a test against ``dovecot``; returns a source-URL builder.

    The password is only in the environment; reconnect backoff is short so outage tests
    take seconds.
    """
    monkeypatch.setenv(PASSWORD_ENV, dovecot.password)
    monkeypatch.setenv("SKIZZEN_IMAP_BACKOFF_S", "0.2")
    monkeypatch.setenv("SKIZZEN_IMAP_RETRIES", "6")
    return lambda folder="INBOX", **query: source_url(dovecot, folder, **query)


def source_url(
    server: DovecotServer, folder: str = "INBOX", *, security: str = "plain", **query: str
) -> str:
    """``imap://`` source for ``server`` (no password in it)."""
    port = server.tls_port if security == "tls" else server.port
    params = {"security": security, **query}
    if security != "plain":
        params.setdefault("ca_file", str(server.ca_file))
    qs = "&".join(f"{k}={v}" for k, v in params.items())
    return f"imap://{server.user}@{server.host}:{port}/{folder}?{qs}"


@pytest.fixture(scope="session")
def sample_mails(tmp_path_factory: pytest.TempPathFactory) -> list[bytes]:
    """The demo mailbox plus a few corpus mails when the corpus is present (CRLF, as sent)."""
    from lab.demo import make_demo_mailbox
    from tests.conftest import CORPUS

    paths = make_demo_mailbox(tmp_path_factory.mktemp("demo-mail"))
    corpus = sorted((CORPUS / "mail").glob("*.eml"))[:8] if (CORPUS / "mail").is_dir() else []
    return [as_crlf(p.read_bytes()) for p in [*paths, *corpus]]
