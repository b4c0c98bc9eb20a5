"""Thin Prefect task adapters around the domain steps in ``skizzen.pipeline``.

Only I/O-bound tasks retry, and only for transient errors (OS / database connection errors);
a bad document never raises here: the domain step turns it into an outcome.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from prefect import task
from prefect.cache_policies import NONE

from skizzen import pipeline, runs
from skizzen.scope import RerunScope
from skizzen.settings import RuntimeConfig

TRANSIENT = (OSError, ConnectionError, TimeoutError)


def _transient(task_: Any, task_run: Any, state: Any) -> bool:
    """Retry only when the failure looks transient (I/O or a lost database connection)."""
    from sqlalchemy.exc import DisconnectionError, OperationalError

    exc = state.result(raise_on_failure=False)
    return isinstance(exc, (*TRANSIENT, OperationalError, DisconnectionError))


io_task = task(
    cache_policy=NONE, retries=3, retry_delay_seconds=[2, 10, 30], retry_condition_fn=_transient
)
cpu_task = task(cache_policy=NONE)


@io_task
def start_run(config: RuntimeConfig, flow: str, parameters: dict[str, Any]) -> int:
    return runs.start(config, flow=flow, parameters=parameters)


@io_task
def intake(config: RuntimeConfig, source: str, run_id: int) -> dict[str, Any]:
    return pipeline.intake(config, source=source, run_id=run_id).__dict__


@io_task
def pending_messages(config: RuntimeConfig) -> list[int]:
    return pipeline.pending_message_pks(config)


@cpu_task
def process_messages(config: RuntimeConfig, message_pks: Sequence[int]) -> dict[str, int]:
    return pipeline.process_messages(config, message_pks=message_pks)


@io_task
def sketches_to_extract(config: RuntimeConfig) -> list[int]:
    return pipeline.sketches_to_extract(config)


@cpu_task
def extract_sketches(
    config: RuntimeConfig, sketch_ids: Sequence[int], run_id: int
) -> dict[str, int]:
    return pipeline.extract_sketches(config, sketch_ids=sketch_ids, run_id=run_id)


@io_task
def select_scope(config: RuntimeConfig, scope: RerunScope) -> list[int]:
    return pipeline.select_scope(config, scope)


@io_task
def link_versions(config: RuntimeConfig) -> int:
    return pipeline.link_versions(config)


@io_task
def sketches_to_check(config: RuntimeConfig) -> list[int]:
    return pipeline.sketches_to_check(config)


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


def batches(items: Sequence[int], size: int) -> list[list[int]]:
    """Documents per task, so orchestration overhead stays small."""
    return [list(items[i : i + size]) for i in range(0, len(items), size)]
