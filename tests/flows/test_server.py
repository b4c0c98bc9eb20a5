"""Issue 4: the staff server (``make serve``) with deployments, schedule and a "Custom run".

One real Prefect server and process worker for the module (see tests/servers). The rerun is
triggered through the API exactly as the UI's "Custom run" does (create a flow run from the
deployment with the form's parameters) and then checked in the database.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from models import repo
from models.db import session_scope
from skizzen.doors.serve import Stack
from skizzen.settings import load_runtime


def server_test(fn: Any) -> Any:
    """Marks a test that needs the module's real server (slow, marker prefect_server)."""
    return pytest.mark.prefect_server(pytest.mark.slow(pytest.mark.timeout(600)(fn)))


@pytest.mark.parametrize(
    ("key", "expected"),
    [
        ("PREFECT_API_URL", "http://127.0.0.1:4321/api"),
        ("PREFECT_HOME", "/srv/skizzen/prefect"),
        ("PREFECT_SERVER_ANALYTICS_ENABLED", "false"),
        ("DO_NOT_TRACK", "1"),
        ("PREFECT_UI_ENABLED", "true"),
        ("PREFECT_SERVER_UI_ENABLED", "true"),
        ("SKIZZEN_DATA_DIR", "/srv/skizzen"),
        ("SKIZZEN_HOME", str(Path(__file__).resolve().parents[2])),
        ("SKIZZEN_WEB_BASE_URL", "http://127.0.0.1:8080"),  # run summaries link the review page
        ("KEEP_ME", "yes"),
    ],
    ids=lambda v: str(v)[:24],
)
def test_child_env(key: str, expected: str) -> None:
    from skizzen.doors.serve import ServeConfig, child_env

    cfg = ServeConfig(data_dir=Path("/srv/skizzen"), port=4321)
    env = child_env(cfg, {"KEEP_ME": "yes", "PREFECT_SERVER_ANALYTICS_ENABLED": "true"})
    assert env[key] == expected


def test_child_env_without_ui() -> None:
    from skizzen.doors.serve import ServeConfig, child_env

    env = child_env(ServeConfig(data_dir=Path("/d"), ui=False), {})
    assert env["PREFECT_UI_ENABLED"] == env["PREFECT_SERVER_UI_ENABLED"] == "false"


def test_the_stack_starts_a_web_command_the_cli_has() -> None:
    """``serve`` spawns ``skizzen web``: the CLI must offer it."""
    from skizzen.doors.cli import app

    names = {c.name or (c.callback.__name__ if c.callback else "") for c in app.registered_commands}
    assert "web" in names


def test_wait_healthy_fails_fast_when_the_process_died() -> None:
    import subprocess
    import sys

    from skizzen.doors.serve import wait_healthy
    from tests.servers.prefect_server import free_port

    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    with pytest.raises(RuntimeError, match="Prozess beendet"):
        wait_healthy(f"http://127.0.0.1:{free_port()}/health", timeout_s=30, proc=proc)


def _gone(pid: int, *, group: bool, within_s: float = 5.0) -> bool:
    import os
    import time

    deadline = time.monotonic() + within_s
    while time.monotonic() < deadline:
        try:
            (os.killpg if group else os.kill)(pid, 0)
        except ProcessLookupError:
            return True
        time.sleep(0.1)
    return False


def test_stop_ends_grandchildren_in_other_sessions(tmp_path: Path) -> None:
    """Like a flow run the process worker starts in a session of its own."""
    import subprocess
    import sys
    import time

    from skizzen.doors.serve import ServeConfig

    pidfile = tmp_path / "grandchild"
    code = (
        "import pathlib, subprocess, sys, time\n"
        "p = subprocess.Popen(['sleep', '120'], start_new_session=True)\n"
        f"pathlib.Path({str(pidfile)!r}).write_text(str(p.pid))\n"
        "time.sleep(120)\n"
    )
    stack = Stack(ServeConfig(data_dir=tmp_path))
    stack.children["fake"] = child = subprocess.Popen([sys.executable, "-c", code])
    while not pidfile.exists() or not pidfile.read_text():
        assert child.poll() is None
        time.sleep(0.05)
    grandchild = int(pidfile.read_text())
    stack.stop(grace_s=2)
    assert child.returncode is not None
    assert _gone(grandchild, group=False)
    assert "stop_fake" in stack.timings


def test_start_refuses_a_busy_port(tmp_path: Path) -> None:
    """Another server on the port would answer our health check: refuse before starting."""
    import socket

    from skizzen.doors.serve import ServeConfig

    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        stack = Stack(ServeConfig(data_dir=tmp_path, port=port, web_port=None))
        with pytest.raises(RuntimeError, match="belegt"):
            stack.start()
    assert stack.children == {}


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    from tests.servers.prefect_server import prefect_stack

    base = tmp_path_factory.mktemp("serve")
    with pytest.MonkeyPatch.context() as mp:
        mp.delenv("SKIZZEN_DATABASE_URL", raising=False)
        with prefect_stack(base / "data") as running:
            yield running


def _deployments() -> dict[str, Any]:
    from prefect.client.orchestration import get_client

    with get_client(sync_client=True) as client:
        return {
            f"{client.read_flow(d.flow_id).name}/{d.name}": d for d in client.read_deployments()
        }


def _run(name: str, parameters: dict[str, Any]) -> Any:
    """Create a flow run from the deployment (what "Custom run" does) and wait for it."""
    from prefect.deployments import run_deployment

    return run_deployment(name, parameters=parameters, timeout=300, poll_interval=1)


@server_test
def test_stack_serves_health_and_both_deployments(stack: Stack) -> None:
    assert set(stack.children) == {"server", "worker"}
    assert all(p.poll() is None for p in stack.children.values())
    deps = _deployments()
    assert set(deps) == {"ingest_sketches/nightly", "rerun_extraction/on-demand"}
    assert {d.work_pool_name for d in deps.values()} == {"skizzen"}
    assert stack.timings["server"] < 120


@server_test
def test_the_nightly_run_on_an_empty_inbox_succeeds(stack: Stack) -> None:
    """Out of the box: the nightly deployment, run by the worker against the real server,
    reads the empty inbox `skizzen serve` made and says so ("0 neue Nachrichten")."""
    import time

    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import (
        FlowRunFilter,
        FlowRunFilterParentFlowRunId,
        LogFilter,
        LogFilterFlowRunId,
    )

    inbox = Path(stack.cfg.data_dir) / "inbox"
    inbox.mkdir(parents=True, exist_ok=True)  # as `skizzen serve` does (test_inbox.py)
    assert not any(inbox.iterdir())
    run = _run("ingest_sketches/nightly", {})
    assert run.state.is_completed(), run.state
    found: list[str] = []
    deadline = time.monotonic() + 60  # the worker's process sends its logs as it ends
    while not any("0 neue Nachrichten" in m for m in found) and time.monotonic() < deadline:
        time.sleep(1)
        with get_client(sync_client=True) as client:
            children = client.read_flow_runs(  # the steps run as a subflow
                flow_run_filter=FlowRunFilter(
                    parent_flow_run_id=FlowRunFilterParentFlowRunId(any_=[run.id])
                )
            )
            ids = [run.id, *(c.id for c in children)]
            logs = client.read_logs(log_filter=LogFilter(flow_run_id=LogFilterFlowRunId(any_=ids)))
        found = [log.message for log in logs]
    assert any("0 neue Nachrichten" in m for m in found), "\n".join(found)


@server_test
def test_nightly_ingest_has_the_cron_schedule() -> None:
    nightly = _deployments()["ingest_sketches/nightly"]
    [sched] = nightly.schedules
    assert sched.active
    assert sched.schedule.cron == "0 2 * * *"
    assert sched.schedule.timezone == "Europe/Berlin"
    assert not _deployments()["rerun_extraction/on-demand"].schedules


@server_test
@pytest.mark.parametrize(
    ("path", "expected"),
    [
        (("mode", "enum"), ["all", "sketches", "call", "received"]),
        (("sketches", "type"), "array"),
        (("sketches", "items"), {"type": "string"}),
        (("received_from", "anyOf", 0), {"format": "date", "type": "string"}),
        (("received_to", "anyOf", 0), {"format": "date", "type": "string"}),
        (("call_id", "anyOf", 0), {"type": "string"}),
    ],
    ids=["mode-enum", "sketches-list", "sketches-strings", "from-date", "to-date", "call"],
)
def test_custom_run_form_is_typed(path: tuple[Any, ...], expected: Any) -> None:
    schema = _deployments()["rerun_extraction/on-demand"].parameter_openapi_schema
    assert schema["properties"]["scope"]["anyOf"][0] == {"$ref": "#/definitions/RerunScope"}
    assert schema["properties"]["task_runner"]["enum"] == ["threads", "dask"]
    node: Any = schema["definitions"]["RerunScope"]["properties"]
    for key in path:
        node = node[key]
    assert node == expected


@pytest.fixture(scope="module")
def ingested(stack: Stack, tmp_path_factory: pytest.TempPathFactory) -> str:
    """The demo mailbox ingested by the flow in this process, reporting to the test server."""
    from flows.ingest import ingest_sketches
    from lab.demo import make_demo_mailbox

    mail = tmp_path_factory.mktemp("mail")
    make_demo_mailbox(mail)
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("SKIZZEN_DATA_DIR", str(stack.cfg.data_dir))
        summary = ingest_sketches(source=str(mail))
        url = load_runtime().database_url
    assert summary["outcomes"]["sketch"] >= 2
    return url


@server_test
def test_custom_run_reruns_listed_sketch_and_keeps_correction(ingested: str) -> None:
    url = ingested
    with session_scope(url) as s:
        ids = [int(x.id) for x in repo.sketches_in_scope(s)]  # type: ignore[arg-type]
        sid, other = ids[0], ids[1]
        before = repo.machine_values(s, sketch_ids=[sid, other])
        repo.set_correction(s, sketch_id=sid, field="projekttitel", value="Korrigiert", author="t")

    scope = {"mode": "sketches", "sketches": [str(sid)]}
    rerun = _run("rerun_extraction/on-demand", {"scope": scope})
    assert rerun.state.is_completed(), rerun.state
    assert rerun.parameters["scope"] == scope

    with session_scope(url) as s:
        after = repo.machine_values(s, sketch_ids=[sid, other])
        assert repo.current_values(s, sketch_ids=[sid])[sid]["projekttitel"] == "Korrigiert"
    new, old = after[sid]["projekttitel"], before[sid]["projekttitel"]
    assert new.run_id is not None and old.run_id is not None and new.run_id > old.run_id
    assert new.updated_at > old.updated_at
    assert new.value == old.value  # same PDF, same extractor: the machine value is stable
    assert after[other]["projekttitel"].run_id == before[other]["projekttitel"].run_id


@server_test
def test_sigterm_stops_every_child(stack: Stack) -> None:
    """Last in the module: the launcher's signal handling ends server and worker groups."""
    import os
    import signal
    import threading

    pids = [p.pid for p in stack.children.values()]
    threading.Timer(0.5, os.kill, (os.getpid(), signal.SIGTERM)).start()
    assert stack.supervise() == 0
    assert stack.children == {}
    assert all(_gone(pid, group=True) for pid in pids)
