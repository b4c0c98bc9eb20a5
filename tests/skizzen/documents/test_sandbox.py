"""ChildProcess: warm reuse, time limit, a child that dies, restart, thread safety, a child
that cannot start."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest

from skizzen.documents.sandbox import ChildProcess, WorkerStartError

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
