"""IMAP server restarted (or down for a while) in the middle of an ingest batch.

Every scenario ends the same way: each message is in the database exactly once and has been
moved to the processed folder exactly once; the INBOX is empty. Restart points:

- ``fetch``: the server restarts right before the FETCH of the second UID batch;
- ``ack``: right after a message's rows are committed, before it is moved;
- ``concurrent``: a background thread restarts the server once a few messages are moved
  (no hook in the code under test: the timing is whatever it is);
- ``outage``: the server is down longer than the reconnect budget, intake fails with a
  transient error (as the Prefect task would), and the retry completes the batch.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlmodel import func, select

import skizzen.intake.imap as imap
from models.db import session_scope
from models.tables import Message
from skizzen.intake.imap import ImapUnavailable
from skizzen.intake.mail import parse_message
from skizzen.settings import load_runtime
from skizzen.steps import intake as intake_step
from tests.conftest import CORPUS
from tests.servers.dovecot import DovecotServer, as_crlf, dovecot_available, running_dovecot

pytestmark = [pytest.mark.faults, pytest.mark.imap, pytest.mark.timeout(300)]

N_CORPUS = 30
PROCESSED = "Verarbeitet"


@pytest.fixture()
def dovecot() -> Iterator[DovecotServer]:
    if not dovecot_available():
        pytest.skip("dovecot-imapd is not installed (apt-get install -y dovecot-imapd)")
    with running_dovecot() as server:
        yield server


@pytest.fixture(scope="module")
def mails(tmp_path_factory: pytest.TempPathFactory) -> list[bytes]:
    """Corpus mails (with real PDFs) when present, plus the demo mailbox."""
    from lab.demo import make_demo_mailbox

    paths = make_demo_mailbox(tmp_path_factory.mktemp("demo"))
    if (CORPUS / "mail").is_dir():
        paths += sorted((CORPUS / "mail").glob("*.eml"))[:N_CORPUS]
    raws = [as_crlf(p.read_bytes()) for p in paths]
    ids = [parse_message(r).message_id for r in raws]
    return [r for r, i in zip(raws, ids, strict=True) if ids.count(i) == 1]


def _processed_count(server: DovecotServer) -> int:
    folder = server.maildir / f".{PROCESSED}"
    return sum(len(list((folder / d).iterdir())) for d in ("cur", "new") if (folder / d).is_dir())


def _inject(
    scenario: str, server: DovecotServer, monkeypatch: pytest.MonkeyPatch
) -> Callable[[], None]:
    """Arm the fault; returns a function to call after the run (joins helper threads)."""
    if scenario == "fetch":
        real_fetch = imap._Connection.fetch
        calls = {"n": 0}

        def fetch(self: Any, uids: list[int]) -> dict[int, bytes]:
            calls["n"] += 1
            if calls["n"] == 2:
                server.restart()
            return real_fetch(self, uids)

        monkeypatch.setattr(imap._Connection, "fetch", fetch)
    elif scenario in ("ack", "outage"):
        real_store = intake_step._store_message
        stored = {"n": 0}

        def store(*args: Any, **kw: Any) -> bool:
            stored["n"] += 1
            if stored["n"] == 3:
                server.stop() if scenario == "outage" else server.restart()
            return real_store(*args, **kw)

        monkeypatch.setattr(intake_step, "_store_message", store)
    elif scenario == "concurrent":
        done = threading.Event()

        def watch() -> None:
            while not done.wait(0.005):
                if _processed_count(server) >= 4:
                    server.restart()
                    return

        thread = threading.Thread(target=watch, daemon=True)
        thread.start()

        def join() -> None:
            done.set()
            thread.join(timeout=30)

        return join
    return lambda: None


@pytest.mark.parametrize("scenario", ["fetch", "ack", "concurrent", "outage"], ids=str)
def test_imap_restart_mid_batch_loses_nothing(
    scenario: str,
    dovecot: DovecotServer,
    mails: list[bytes],
    skizzen_env: Path,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    monkeypatch.setenv("SKIZZEN_IMAP_PASSWORD", dovecot.password)
    monkeypatch.setenv("SKIZZEN_IMAP_BACKOFF_S", "0.2")
    monkeypatch.setenv("SKIZZEN_IMAP_RETRIES", "6")
    dovecot.append(mails)
    source = (
        f"imap://{dovecot.user}@{dovecot.host}:{dovecot.port}/INBOX"
        f"?security=plain&processed={PROCESSED}&batch_size=5"
    )
    caplog.set_level(logging.INFO, logger="skizzen.intake.imap")
    config = load_runtime()
    with monkeypatch.context() as fault:
        finish = _inject(scenario, dovecot, fault)
        try:
            if scenario == "outage":  # a short reconnect budget, then the task would retry
                fault.setenv("SKIZZEN_IMAP_BACKOFF_S", "0.05")
                fault.setenv("SKIZZEN_IMAP_RETRIES", "2")
                with pytest.raises(ImapUnavailable):
                    intake_step.intake(load_runtime(), source=source, run_id=None)
            else:
                intake_step.intake(config, source=source, run_id=None)
        finally:
            finish()
    if scenario == "outage":  # the server is back: the retry completes the batch
        dovecot.start()
        intake_step.intake(config, source=source, run_id=None)

    assert "lost during" in caplog.text or scenario == "outage"  # the fault really hit
    ids = sorted(parse_message(r).message_id for r in mails)
    with session_scope(config.database_url) as session:
        rows = session.exec(select(Message.message_id)).all()
        assert session.exec(select(func.count()).select_from(Message)).one() == len(ids)
    assert sorted(rows) == ids  # every message exactly once
    assert dovecot.raw_messages() == []
    assert sorted(dovecot.raw_messages(PROCESSED)) == sorted(mails)  # each moved exactly once
