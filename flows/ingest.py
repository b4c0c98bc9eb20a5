"""Flow ``ingest_sketches``: mail source → stored raw → outcomes → fields → checks → summary.

The batch work runs in the subflow ``ingest_steps``, whose task runner the caller picks
(``task_runner="threads"`` in-process, ``"dask"`` on a local Dask cluster): a flow's runner
is fixed when it is decorated, so the public flow hands it over with ``with_options``.

No parameter holds a password: a source URL with one breaks the parameter schema (the
Prefect server refuses the flow run before storing it) and is refused here too; the IMAP
and database passwords come from the settings where the connection is made.
"""

from __future__ import annotations

from typing import Annotated, Any

from prefect import flow
from pydantic import Field

from flows import tasks
from flows.tasks import TaskRunnerKind
from skizzen.intake.sources import validate_source
from skizzen.settings import NO_PASSWORD_PATTERN, RuntimeConfig, load_runtime, refuse_password
from skizzen.steps.runs import ProgressStep

MailSource = Annotated[
    str,
    Field(
        description="Ordner mit .eml-Dateien, Maildir oder imap://benutzer@host/ORDNER "
        "(ohne Passwort)",
        json_schema_extra={"pattern": NO_PASSWORD_PATTERN},
    ),
]


def new_messages_line(counts: dict[str, Any]) -> str:
    """What the intake found, for staff: ``0 neue Nachrichten (3 gelesen)``."""
    n = counts.get("new_messages", 0)
    return f"{n} neue Nachricht{'' if n == 1 else 'en'} ({counts.get('seen', 0)} gelesen)"


@flow(name="ingest_sketches", log_prints=True)
def ingest_sketches(
    source: MailSource | None = None,
    task_runner: TaskRunnerKind = "threads",
    config: RuntimeConfig | None = None,
) -> dict[str, Any]:
    """Ingest a mail source (folder of .eml files or a Maildir; default: the configured inbox).

    ``config`` comes from the caller's edge (the CLI); a run from the Prefect UI or a
    schedule reads the settings here, once.
    """
    config = config or load_runtime()
    # a missing inbox or a password in a URL fails here, not retried, before a run is recorded
    src = refuse_password(source or config.default_source, "source")
    src = validate_source(src, inbox=not source)
    run_id = tasks.start_run(config, "ingest_sketches", {"source": src})
    runner, batch_config = tasks.runner_for(task_runner, config)
    steps = ingest_steps.with_options(task_runner=runner)(
        config=batch_config, source=src, run_id=run_id
    )
    summary = tasks.finish_run(config, run_id, steps)
    tasks.publish_artifacts(summary)
    return summary


@flow(name="ingest_steps", log_prints=True)
def ingest_steps(config: RuntimeConfig, source: MailSource, run_id: int) -> dict[str, Any]:
    """Intake, then outcomes and extraction in parallel batches, then versions and checks.

    Each step hands the next what it made; the database is asked once, first, for work a
    killed run left (messages without outcome, sketches not extracted or not checked).
    """
    left = tasks.leftover_work(config)
    reading = ProgressStep("Eingang", None, "Nachrichten")
    stored = tasks.intake(config, source, run_id)
    steps: dict[str, Any] = {"intake": stored.counts()}
    reading.finish(steps["intake"].get("seen", 0))
    print(new_messages_line(steps["intake"]))  # the flow run's log in the Prefect UI
    messages = [*left.messages, *stored.message_pks]
    received = tasks.run_batches(
        tasks.receive_messages, config, messages, run_id, progress=("Verarbeitung", "Nachrichten")
    )
    steps["outcomes_this_run"] = received.get("outcomes", {})
    done = set(received.get("extracted_ids", []))
    rest = [i for i in left.extract if i not in done]
    resumed = tasks.run_batches(
        tasks.extract_sketches, config, rest, run_id, True, progress=("Extraktion", "Skizzen")
    )
    steps["extract"] = tasks.merge_results([received, resumed]).get("extract", {})
    steps["batch_seconds"] = received["seconds"] + resumed["seconds"]
    steps["versions_linked"] = tasks.link_versions(config)
    to_check = sorted({*left.check, *done, *resumed.get("extracted_ids", [])})
    checking = ProgressStep("Prüfung", len(to_check), "Skizzen")
    steps["check"] = tasks.check_sketches(config, to_check, run_id)
    checking.finish()
    return steps
