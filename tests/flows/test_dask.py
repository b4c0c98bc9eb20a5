"""Scale-out: the flows on a local 2-process Dask cluster give exactly the default results.

Both runners ingest the demo mailbox in batches of two documents (so several batches really
run side by side) into separate data folders; the exports must be equal. Only the internal
``sketch_id`` may differ: parallel batches may create sketch rows in another order.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from models.db import session_scope
from skizzen.settings import load_runtime

pytestmark = [pytest.mark.flows, pytest.mark.slow, pytest.mark.timeout(900)]


def _ingest(mail: Path, data: Path, runner: str) -> tuple[dict[str, Any], list[Any], list[Any]]:
    from flows.ingest import ingest_sketches
    from skizzen.outputs.export import attachment_records, sketch_records

    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("SKIZZEN_DATA_DIR", str(data))
        mp.setenv("SKIZZEN_BATCH_SIZE", "2")
        mp.setenv("SKIZZEN_DASK_BATCH_SIZE", "2")
        mp.delenv("SKIZZEN_DATABASE_URL", raising=False)
        summary = ingest_sketches(source=str(mail), task_runner=runner)  # type: ignore[arg-type]
        url = load_runtime().database_url
    with session_scope(url) as s:
        sketches = sorted(
            ({k: v for k, v in r.items() if k != "sketch_id"} for r in sketch_records(s)),
            key=lambda r: r["attachment_sha256"],
        )
        return summary, sketches, list(attachment_records(s))


@pytest.fixture(scope="module")
def both(
    prefect_harness: None, tmp_path_factory: pytest.TempPathFactory
) -> dict[str, tuple[dict[str, Any], list[Any], list[Any]]]:
    from lab.demo import make_demo_mailbox

    base = tmp_path_factory.mktemp("dask")
    make_demo_mailbox(base / "mail")
    return {kind: _ingest(base / "mail", base / kind, kind) for kind in ("threads", "dask")}


@pytest.mark.parametrize(("index", "what"), [(1, "sketches"), (2, "attachments")], ids=str)
def test_dask_exports_equal_default_runner(
    both: dict[str, tuple[dict[str, Any], list[Any], list[Any]]], index: int, what: str
) -> None:
    threads, dask = both["threads"][index], both["dask"][index]
    assert threads, f"no {what} exported"
    assert dask == threads


def test_dask_run_summary_matches(
    both: dict[str, tuple[dict[str, Any], list[Any], list[Any]]],
) -> None:
    (t, *_), (d, *_) = both["threads"], both["dask"]
    assert d["outcomes"] == t["outcomes"]
    assert d["steps"]["outcomes_this_run"] == t["steps"]["outcomes_this_run"]
    assert d["steps"]["extract"] == t["steps"]["extract"] == {"extracted": t["outcomes"]["sketch"]}

    def queue(summary: dict[str, Any]) -> list[tuple[str, str]]:
        return sorted((str(q["datei"]), str(q["gruende"])) for q in summary["review_queue"])

    assert queue(d) == queue(t) != []


@pytest.mark.parametrize(
    ("kind", "expected"),
    [("threads", "ThreadPoolTaskRunner"), ("dask", "DaskTaskRunner")],
    ids=["threads", "dask"],
)
def test_make_task_runner(kind: str, expected: str) -> None:
    from flows.tasks import make_task_runner

    assert type(make_task_runner(kind)).__name__ == expected  # type: ignore[arg-type]


def test_unknown_task_runner_is_refused() -> None:
    from flows.tasks import make_task_runner

    with pytest.raises(ValueError, match="unknown task runner"):
        make_task_runner("ray")  # type: ignore[arg-type]


def test_runtime_config_pickles() -> None:
    import pickle

    config = load_runtime(data_dir=Path("/tmp/x"))
    assert pickle.loads(pickle.dumps(config)) == config


@pytest.mark.parametrize(
    ("kind", "workers", "dask_workers", "share"),
    [
        ("threads", 4, 2, 4),
        ("dask", 4, 2, 2),
        ("dask", 2, 1, 2),
        ("dask", 1, 2, 1),
        ("dask", 3, 2, 1),
    ],
    ids=[
        "threads-keep-all",
        "dask-half-each",
        "dask-one-takes-all",
        "dask-at-least-one",
        "dask-floor",
    ],
)
def test_dask_workers_share_the_extraction_workers(
    kind: str, workers: int, dask_workers: int, share: int
) -> None:
    from flows.tasks import runner_for

    config = load_runtime(data_dir=Path("/tmp/x"), parse_workers=workers, dask_workers=dask_workers)
    runner, batch_config = runner_for(kind, config)  # type: ignore[arg-type]
    assert batch_config.parse_workers == share
    batch = config.dask_batch_size if kind == "dask" else config.batch_size
    assert batch_config.batch_size == batch
    same = batch_config.model_copy(update={"parse_workers": workers, "batch_size": 25})
    assert same == config
    if kind == "dask":
        assert runner.cluster_kwargs["n_workers"] == dask_workers  # type: ignore[attr-defined]


_PROBE = """
from prefect import flow, task
from flows.tasks import make_task_runner


@task
def own_server() -> bool:
    from prefect.server.api.server import SubprocessASGIServer

    return SubprocessASGIServer().running


@flow
def probe() -> bool:
    runner = make_task_runner("dask", dask_workers=1)
    with runner.duplicate() as r:
        return r.submit(own_server, parameters={}).result()


if __name__ == "__main__":
    print("OWN-SERVER", probe())
"""


def test_dask_workers_use_the_flows_temporary_server(tmp_path: Path) -> None:
    """Run as the CLI does, with no PREFECT_API_URL: Prefect starts a temporary server for
    the flow. A Dask worker not told its address starts one of its own (seconds of CPU per
    worker on every run, the worst of what kept 2 workers from being twice as fast as 1)."""
    import os
    import subprocess
    import sys

    script = tmp_path / "probe.py"
    script.write_text(_PROBE)
    env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_API")}
    env.update(
        PREFECT_HOME=str(tmp_path / "prefect"),
        PYTHONPATH=str(Path(__file__).resolve().parents[2]),
        PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS="120",
        PREFECT_LOGGING_LEVEL="WARNING",
    )
    done = subprocess.run(
        [sys.executable, str(script)], env=env, capture_output=True, text=True, timeout=300
    )
    assert "OWN-SERVER False" in done.stdout, done.stdout + done.stderr[-3000:]
