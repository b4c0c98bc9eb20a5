"""Run bookkeeping: the Run row, the summary staff read, and the Prefect artifacts."""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version
from typing import Any

from models import repo
from models.db import session_scope
from skizzen.settings import RuntimeConfig
from skizzen.steps import pipeline


def component_versions(config: RuntimeConfig) -> dict[str, str]:
    """Versions that decide results, stored with every run so reruns are traceable."""
    from pathlib import Path

    from extractors.versions import DEFAULT_MODEL_DIR, field_model_info, model_version
    from skizzen.documents.parsing import PARSER_VERSION

    model_dir = Path(config.theme_model_dir) if config.theme_model_dir else DEFAULT_MODEL_DIR
    out = {
        "parser": PARSER_VERSION,
        "theme_model": model_version(model_dir.resolve()),
        "field_model": field_model_info(config.field_model)[0],
    }
    for dist in ("skizzen", "pdfplumber", "spacy", "great-expectations", "prefect"):
        try:
            out[dist] = version(dist)
        except PackageNotFoundError:
            out[dist] = "unknown"
    return out


def start(config: RuntimeConfig, *, flow: str, parameters: dict[str, Any]) -> int:
    """Open a run row; runs that were killed mid-way are marked abandoned first, so no row
    says ``running`` forever."""
    from datetime import timedelta

    with session_scope(config.database_url) as session:
        repo.mark_abandoned_runs(session, older_than=timedelta(hours=config.abandoned_run_hours))
        run = repo.start_run(
            session, flow=flow, parameters=parameters, versions=component_versions(config)
        )
        return int(run.id)  # type: ignore[arg-type]


def finish(config: RuntimeConfig, *, run_id: int, steps: dict[str, Any]) -> dict[str, Any]:
    """Close the run and build its summary: outcome counts and the review queue."""
    with session_scope(config.database_url) as session:
        outcomes = pipeline.outcome_counts(session)
        queue = pipeline.review_queue(session)
        docs = (steps.get("check") or {}).get("data_docs")
        pruef = (steps.get("check") or {}).get("pruefbericht")
        run = repo.finish_run(
            session,
            run_id=run_id,
            counts={"outcomes": outcomes, "steps": steps, "needs_review": len(queue)},
            data_docs=docs,
        )
        return {
            "run_id": run_id,
            "flow": run.flow,
            "database_url": _redact(config.database_url),
            "data_dir": config.data_dir,
            "steps": steps,
            "outcomes": outcomes,
            "review_queue": queue,
            "data_docs": docs,
            "pruefbericht": pruef,
        }


def _redact(url: str) -> str:
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)


def summary_markdown(summary: dict[str, Any]) -> str:
    """German run summary for staff (Prefect artifact and CLI)."""
    lines = [
        f"# Lauf {summary['run_id']} ({summary['flow']})",
        "",
        "| Ergebnis | Anzahl |",
        "| --- | ---: |",
    ]
    lines += [f"| {k} | {v} |" for k, v in summary["outcomes"].items()]
    queue = summary["review_queue"]
    lines += ["", f"**Zu prüfen: {len(queue)} Skizze(n)**", ""]
    if queue:
        lines += [
            "| Skizze | Eingang | Datei | Antragsteller | Gründe |",
            "| --- | --- | --- | --- | --- |",
        ]
        cols = ("sketch", "eingang", "datei", "antragsteller", "gruende")
        lines += ["| " + " | ".join(str(q[c]) for c in cols) + " |" for q in queue]
    if summary.get("pruefbericht"):
        lines += ["", f"Prüfbericht: `{summary['pruefbericht']}`"]
    if summary.get("data_docs"):
        lines += ["", f"Data Docs: `{summary['data_docs']}`"]
    return "\n".join(lines)


def publish_artifacts(summary: dict[str, Any]) -> None:
    """Markdown summary plus a table of the sketches needing review, on the current run."""
    from prefect.artifacts import create_markdown_artifact, create_table_artifact

    create_markdown_artifact(
        key="skizzen-summary",
        markdown=summary_markdown(summary),
        description="Ergebnisse je Ausgang und zu prüfende Skizzen",
    )
    create_table_artifact(
        key="skizzen-review-queue",
        table=summary["review_queue"] or [{"sketch": "", "gruende": "keine"}],
        description="Skizzen mit Status needs_review",
    )
