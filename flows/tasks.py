"""Thin Prefect task adapters around the domain steps in ``skizzen.steps``.

Only transient errors are retried: I/O tasks on OS / database connection errors, CPU tasks
only on a lost database connection (their steps are idempotent and commit per item, so a
retry resumes where the outage hit). A missing or forbidden path (a mail source that is not
there) and a bad value (ValueError) fail at once: a retry would find them the same. A bad
document never raises here: the domain step turns it into an outcome. Delays:
SKIZZEN_TASK_RETRY_DELAYS (seconds, comma-separated; default 2,10,30 — the fault tests use
shorter ones).
"""

from __future__ import annotations

import os
import time
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Literal

from prefect import Task, task
from prefect.cache_policies import NONE
from prefect.task_runners import TaskRunner, ThreadPoolTaskRunner

from skizzen.settings import RuntimeConfig, Settings
from skizzen.steps import intake as intake_step
from skizzen.steps import pipeline, quality, runs, versions
from skizzen.steps.scope import RerunScope

TRANSIENT = (OSError, ConnectionError, TimeoutError)
PERMANENT = (FileNotFoundError, NotADirectoryError, IsADirectoryError, PermissionError)
"""OS errors that a retry seconds later would meet again."""


def _transient(task_: Any, task_run: Any, state: Any) -> bool:
    """Retry only when the failure looks transient (I/O or a lost database connection)."""
    from sqlalchemy.exc import DisconnectionError, OperationalError

    exc = state.result(raise_on_failure=False)
    if isinstance(exc, PERMANENT):
        return False
    return isinstance(exc, (*TRANSIENT, OperationalError, DisconnectionError))


def _db_transient(task_: Any, task_run: Any, state: Any) -> bool:
    """Retry a CPU task only when it lost the database (outage, restart, failover)."""
    from sqlalchemy.exc import DisconnectionError, OperationalError

    exc = state.result(raise_on_failure=False)
    return isinstance(exc, (OperationalError, DisconnectionError))


def retry_delays() -> list[float]:
    """Seconds between retries of a transient failure (one retry per entry)."""
    raw = Settings().task_retry_delays
    return [float(part) for part in raw.split(",") if part.strip()]


_DELAYS = retry_delays()
io_task = task(
    cache_policy=NONE,
    retries=len(_DELAYS),
    retry_delay_seconds=_DELAYS,
    retry_condition_fn=_transient,
)
cpu_task = task(
    cache_policy=NONE,
    retries=len(_DELAYS),
    retry_delay_seconds=_DELAYS,
    retry_condition_fn=_db_transient,
)


@io_task
def start_run(config: RuntimeConfig, flow: str, parameters: dict[str, Any]) -> int:
    return runs.start(config, flow=flow, parameters=parameters)


@io_task
def leftover_work(config: RuntimeConfig) -> pipeline.Leftover:
    return pipeline.leftover_work(config)


@io_task
def intake(config: RuntimeConfig, source: str, run_id: int) -> intake_step.IntakeResult:
    return intake_step.intake(config, source=source, run_id=run_id)


@cpu_task
def receive_messages(
    config: RuntimeConfig, message_pks: Sequence[int], run_id: int
) -> dict[str, Any]:
    return pipeline.receive_messages(config, message_pks=message_pks, run_id=run_id)


@cpu_task
def extract_sketches(
    config: RuntimeConfig, sketch_ids: Sequence[int], run_id: int, resume: bool = False
) -> dict[str, Any]:
    return pipeline.extract_sketches(config, sketch_ids=sketch_ids, run_id=run_id, resume=resume)


@io_task
def select_scope(config: RuntimeConfig, scope: RerunScope) -> list[int]:
    return pipeline.select_scope(config, scope)


@io_task
def link_versions(config: RuntimeConfig) -> int:
    return versions.link_versions(config)


@cpu_task
def check_sketches(config: RuntimeConfig, sketch_ids: Sequence[int], run_id: int) -> dict[str, Any]:
    docs = Path(config.data_docs_dir) / f"run-{run_id}"
    return pipeline.check_sketches(config, sketch_ids=sketch_ids, run_id=run_id, data_docs_dir=docs)


@io_task
def finish_run(config: RuntimeConfig, run_id: int, steps: dict[str, Any]) -> dict[str, Any]:
    return runs.finish(config, run_id=run_id, steps=steps)


@cpu_task
def publish_artifacts(summary: dict[str, Any]) -> None:
    runs.publish_artifacts(summary)


@io_task
def sketch_state(config: RuntimeConfig, sketch_ids: Sequence[int]) -> dict[int, str]:
    return runs.sketch_state(config, sketch_ids)


@io_task
def run_changes(
    config: RuntimeConfig, before: dict[int, str], extracted_ids: Sequence[int]
) -> dict[str, Any]:
    return runs.run_changes(config, before, extracted_ids)


def batches(items: Sequence[int], size: int) -> list[list[int]]:
    """Documents per task, so orchestration overhead stays small."""
    return [list(items[i : i + size]) for i in range(0, len(items), size)]


TaskRunnerKind = Literal["threads", "dask"]


def make_task_runner(
    kind: TaskRunnerKind, *, workers: int | None = None, dask_workers: int = 2
) -> TaskRunner[Any]:
    """The runner for a flow's batch tasks: threads in-process, or a local Dask cluster.

    Threads: one more than the parse workers (default the core count), so that while the
    parse sandboxes keep the cores busy one batch extracts or writes; Prefect's default is
    unbounded, which started every batch of a 10,000-sketch archive at once.

    The Dask cluster uses worker *processes* (one thread each), so CPU-bound parsing and
    extraction run in parallel despite the GIL. Everything binds to loopback; the dashboard
    is off and the scheduler's small health endpoint takes a free port (a fixed 8787 would
    collide with a second cluster). The workers report to this process's Prefect API
    (``prefect_api_url``).
    """
    if kind == "threads":
        return ThreadPoolTaskRunner(max_workers=(workers or os.cpu_count() or 1) + 1)
    if kind == "dask":
        from prefect_dask import DaskTaskRunner

        api = prefect_api_url()
        return DaskTaskRunner(
            cluster_kwargs={
                "n_workers": dask_workers,
                "threads_per_worker": 1,
                "processes": True,
                "host": "127.0.0.1",
                "dashboard_address": "127.0.0.1:0",
                "scheduler_kwargs": {"dashboard": False},
                "env": {"PREFECT_API_URL": api} if api else {},
            }
        )
    raise ValueError(f"unknown task runner: {kind!r}")


def prefect_api_url() -> str | None:
    """The Prefect API this process reports to: the configured one, or the temporary server
    Prefect started for it (a flow run without ``PREFECT_API_URL``).

    Dask worker processes must be told: without it each one starts a temporary server of
    its own, seconds of CPU per worker on every run."""
    from prefect.settings import PREFECT_API_URL

    if url := PREFECT_API_URL.value():
        return str(url)
    from prefect.server.api.server import SubprocessASGIServer

    server = SubprocessASGIServer()  # the process's one temporary server, if it runs
    return server.api_url if server.running else None


def runner_for(
    kind: TaskRunnerKind, config: RuntimeConfig
) -> tuple[TaskRunner[Any], RuntimeConfig]:
    """The flow's batch runner and the config its batches run with. On a local Dask cluster
    of N worker processes each batch's parse and extraction pools get 1/N of the workers
    (at least one), so that N Dask workers share the cores instead of each taking them all,
    and batches have ``dask_batch_size`` documents."""
    if kind != "dask":
        return make_task_runner(kind, workers=config.parse_workers), config
    n = config.dask_workers
    share = max(1, (config.parse_workers or os.cpu_count() or 1) // n)
    runner = make_task_runner(kind, workers=config.parse_workers, dask_workers=n)
    return runner, config.model_copy(
        update={"parse_workers": share, "batch_size": config.dask_batch_size}
    )


def run_batches(
    task_: Task[..., dict[str, Any]],
    config: RuntimeConfig,
    ids: Sequence[int],
    *args: Any,
    progress: tuple[str, str] | None = None,
) -> dict[str, Any]:
    """Submit one task per batch through the flow's task runner and merge what they return:
    counts are added up (also one level down), lists of ids joined in batch order;
    ``seconds``: the wall time of the batches (what a Dask cluster spreads).

    ``progress``: (step, unit), e.g. ("Extraktion", "Skizzen"): each batch's items are
    reported as its result arrives (``runs.ProgressStep``)."""
    started = time.perf_counter()
    quality.preload()  # the checks run in this process next: GX loads while the batches run
    parts = batches(ids, config.batch_size)
    step = runs.ProgressStep(progress[0], len(ids), progress[1]) if progress and ids else None
    futures = [task_.submit(config, batch, *args) for batch in parts]
    results = []
    for batch, fut in zip(parts, futures, strict=True):
        results.append(fut.result())
        if step is not None:
            step.advance(len(batch))
    merged = merge_results(results)
    merged["seconds"] = round(time.perf_counter() - started, 3)
    return merged


def merge_results(parts: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """``{"a": 1, "n": {"x": 2}, "ids": [3]}`` per batch -> one dict of the same shape."""
    counts: Counter[str] = Counter()
    nested: dict[str, Counter[str]] = {}
    lists: dict[str, list[Any]] = {}
    for part in parts:
        for key, value in part.items():
            if isinstance(value, dict):
                nested.setdefault(key, Counter()).update(value)
            elif isinstance(value, list):
                lists.setdefault(key, []).extend(value)
            else:
                counts[key] += value
    return {**counts, **{k: dict(v) for k, v in nested.items()}, **lists}
