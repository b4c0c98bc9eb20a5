"""Flow ``rerun_extraction``: re-extract and re-check a scope from the parse cache.

Staff start it from the Prefect UI ("Custom run"): ``scope`` is a pydantic model, so the UI
renders a typed form (mode, sketch list, call, received-date range). Its summary says what
this run changed (``runs.run_changes``), not the totals of the database.
"""

from __future__ import annotations

from typing import Any

from prefect import flow

from flows import tasks
from flows.tasks import TaskRunnerKind
from skizzen.settings import RuntimeConfig, load_runtime
from skizzen.steps.runs import ProgressStep
from skizzen.steps.scope import RerunScope


@flow(name="rerun_extraction", log_prints=True)
def rerun_extraction(
    scope: RerunScope | None = None,
    task_runner: TaskRunnerKind = "threads",
    config: RuntimeConfig | None = None,
) -> dict[str, Any]:
    """Re-run extraction and checks for all sketches, listed ones, a call or a date range.

    Staff corrections stay the current values; new machine values are stored beside them.
    ``config`` comes from the caller's edge (the CLI); a run from the Prefect UI or a
    schedule reads the settings here, once.
    """
    config = config or load_runtime()
    scope = scope or RerunScope()
    run_id = tasks.start_run(config, "rerun_extraction", {"scope": scope.model_dump(mode="json")})
    runner, batch_config = tasks.runner_for(task_runner, config)
    steps = rerun_steps.with_options(task_runner=runner)(
        config=batch_config, scope=scope, run_id=run_id
    )
    summary = tasks.finish_run(config, run_id, steps)
    tasks.publish_artifacts(summary)
    return summary


@flow(name="rerun_steps", log_prints=True)
def rerun_steps(config: RuntimeConfig, scope: RerunScope, run_id: int) -> dict[str, Any]:
    """Select the scope, note its machine values and statuses, re-extract it in parallel
    batches, relink versions, re-check, and compare."""
    ids = tasks.select_scope(config, scope)
    steps: dict[str, Any] = {"scope": len(ids)}
    before = tasks.sketch_state(config, ids)
    extracted = tasks.run_batches(
        tasks.extract_sketches, config, ids, run_id, progress=("Extraktion", "Skizzen")
    )
    steps["extract"] = extracted.get("extract", {})
    steps["batch_seconds"] = extracted["seconds"]
    steps["versions_linked"] = tasks.link_versions(config)
    checking = ProgressStep("Prüfung", len(ids), "Skizzen")
    steps["check"] = tasks.check_sketches(config, ids, run_id)
    checking.finish()
    steps["changes"] = tasks.run_changes(config, before, extracted.get("extracted_ids", []))
    return steps
