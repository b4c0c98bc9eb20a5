"""ChildProcess: warm reuse, time limit, a child that dies, restart, thread safety, a child
that cannot start."""

from __future__ import annotations

import os
import sys
from concurrent.futures import ThreadPoolExecutor

import pytest

from skizzen.documents.sandbox import ChildProcess, WorkerStartError, child_environment

ENTRY = "tests.skizzen.documents.sandbox_child:main"


@pytest.fixture()
def child() -> ChildProcess:
    proc = ChildProcess(ENTRY, ("hallo",))
    yield proc
    proc.close()


def test_a_warm_child_answers_again_and_again(child: ChildProcess) -> None:
    first = child.ask([1, "ä"], timeout_s=30)
    second = child.ask({"x": b"\x00"}, timeout_s=30)
    assert first.status == second.status == "reply"
    assert first.reply["greeting"] == "hallo" and first.reply["echo"] == [1, "ä"]
    assert second.reply["echo"] == {"x": b"\x00"}
    assert (first.reply["pid"], second.reply["asked"]) == (second.reply["pid"], 2)
    assert child.requests == 2


@pytest.mark.parametrize(
    ("request_", "status", "exitcode"),
    [("sleep", "timeout", None), ("die", "died", 3)],
    ids=["overrun-is-killed", "death-is-reported"],
)
def test_a_failing_request_ends_the_child_and_the_next_one_starts_afresh(
    child: ChildProcess, request_: str, status: str, exitcode: int | None
) -> None:
    before = child.ask("ping", timeout_s=30).reply["pid"]
    answer = child.ask(request_, timeout_s=1.0)
    assert (answer.status, answer.exitcode) == (status, exitcode)
    assert child.pid is None and not child.alive()
    again = child.ask("ping", timeout_s=30)
    assert again.status == "reply" and again.reply["pid"] != before and again.reply["asked"] == 1


def test_requests_from_many_threads_queue_on_one_child(child: ChildProcess) -> None:
    with ThreadPoolExecutor(4) as ex:
        answers = list(ex.map(lambda n: child.ask(n, timeout_s=30), range(20)))
    assert [a.reply["echo"] for a in answers] == list(range(20))
    assert sorted(a.reply["asked"] for a in answers) == list(range(1, 21))


def test_close_ends_the_child_and_a_closed_child_restarts_on_demand(child: ChildProcess) -> None:
    child.start()
    assert child.alive()
    child.close()
    assert child.pid is None
    assert child.ask("ping", timeout_s=30).status == "reply"


def test_a_child_that_cannot_start_is_an_installation_error() -> None:
    broken = ChildProcess("tests.skizzen.documents.no_such_module:main", startup_timeout_s=30)
    with pytest.raises(WorkerStartError):
        broken.ask("ping", timeout_s=5)


def test_a_child_sees_no_secret_of_the_parent(
    child: ChildProcess, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SKIZZEN_DATABASE_URL", "postgresql://skizzen:geheim@db/skizzen")
    monkeypatch.setenv("SKIZZEN_IMAP_PASSWORD", "geheim")
    monkeypatch.setenv("PGPASSWORD", "geheim")
    monkeypatch.setenv("PREFECT_API_KEY", "geheim")
    monkeypatch.setenv("LC_ALL", "C.UTF-8")
    child.recycle()  # a fresh child, started with the environment above
    env = child.ask("env", timeout_s=30).reply
    assert "geheim" not in repr(env)
    assert not [k for k in env if k.startswith(("SKIZZEN_", "PREFECT_", "PG"))]
    assert env["LC_ALL"] == "C.UTF-8" and "PYTHONPATH" in env


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="Linux capabilities")
def test_a_child_gives_up_root_powers(child: ChildProcess) -> None:
    status = child.ask("status", timeout_s=30).reply
    assert status["NoNewPrivs"].strip() == "1"
    if os.geteuid() == 0:  # root without capabilities: no permission override, no kill, no chown
        for key in ("CapEff", "CapPrm", "CapBnd", "CapInh"):
            assert int(status[key], 16) == 0, key


def test_environment_allow_list() -> None:
    env = child_environment(
        {"PATH": "/bin", "LC_CTYPE": "de_DE.UTF-8", "SKIZZEN_X": "1", "DATABASE_URL": "x"}
    )
    assert env == {"PATH": "/bin", "LC_CTYPE": "de_DE.UTF-8"}
