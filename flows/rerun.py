"""Flow ``rerun_extraction``: re-extract and re-check a scope from the parse cache."""

from __future__ import annotations

from collections import Counter
from typing import Any

from prefect import flow

from flows import tasks
from skizzen.scope import RerunScope
from skizzen.settings import load_runtime


@flow(name="rerun_extraction", log_prints=True)
def rerun_extraction(scope: RerunScope | None = None) -> dict[str, Any]:
    """Re-run extraction and checks for all sketches, listed ones, or a received-date range.

    Staff corrections stay the current values; new machine values are stored beside them.
    """
    config = load_runtime()
    scope = scope or RerunScope()
    run_id = tasks.start_run(config, "rerun_extraction", {"scope": scope.model_dump(mode="json")})
    ids = tasks.select_scope(config, scope)
    extracted: Counter[str] = Counter()
    for batch in tasks.batches(ids, config.batch_size):
        extracted.update(tasks.extract_sketches(config, batch, run_id))
    steps: dict[str, Any] = {"scope": len(ids), "extract": dict(extracted)}
    steps["versions_linked"] = tasks.link_versions(config)
    steps["check"] = tasks.check_sketches(config, ids, run_id)
    summary = tasks.finish_run(config, run_id, steps)
    tasks.publish_artifacts(summary)
    return summary
