"""Flow ``ingest_sketches``: mail source → stored raw → outcomes → fields → checks → summary."""

from __future__ import annotations

from collections import Counter
from typing import Any

from prefect import flow

from flows import tasks
from skizzen.settings import load_runtime


@flow(name="ingest_sketches", log_prints=True)
def ingest_sketches(source: str | None = None) -> dict[str, Any]:
    """Ingest a mail source (folder of .eml files or a Maildir; default: the configured inbox)."""
    config = load_runtime()
    src = source or config.default_source
    run_id = tasks.start_run(config, "ingest_sketches", {"source": src})
    steps: dict[str, Any] = {"intake": tasks.intake(config, src, run_id)}
    outcomes: Counter[str] = Counter()
    futures = [
        tasks.process_messages.submit(config, batch)
        for batch in tasks.batches(tasks.pending_messages(config), config.batch_size)
    ]
    for fut in futures:
        outcomes.update(fut.result())
    steps["outcomes_this_run"] = dict(outcomes)
    extracted: Counter[str] = Counter()
    for batch in tasks.batches(tasks.sketches_to_extract(config), config.batch_size):
        extracted.update(tasks.extract_sketches(config, batch, run_id))
    steps["extract"] = dict(extracted)
    steps["versions_linked"] = tasks.link_versions(config)
    steps["check"] = tasks.check_sketches(config, tasks.sketches_to_check(config), run_id)
    summary = tasks.finish_run(config, run_id, steps)
    tasks.publish_artifacts(summary)
    return summary
