"""Run bookkeeping: the Run row, the summary staff read, the Prefect artifacts, what a
run changed, and the progress of its long steps."""

from __future__ import annotations

import hashlib
import json
import logging
import time
from collections import Counter
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from importlib.metadata import PackageNotFoundError, version
from typing import Any

from models import repo
from models.db import session_scope
from skizzen.settings import RuntimeConfig
from skizzen.steps import pipeline

log = logging.getLogger(__name__)


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
            "web_base_url": config.web_base_url,
            "steps": steps,
            "outcomes": outcomes,
            "review_queue": queue,
            "data_docs": docs,
            "pruefbericht": pruef,
        }


def _redact(url: str) -> str:
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)


def review_link(summary: Mapping[str, Any], sketch_id: object) -> str:
    """The sketch's review page (``SKIZZEN_WEB_BASE_URL`` + ``/skizze/<id>``)."""
    base = str(summary.get("web_base_url") or "http://127.0.0.1:8080").rstrip("/")
    return f"{base}/skizze/{sketch_id}"


def _queue_rows(summary: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The review queue the run's artifacts show: all of it after an ingest, after a
    rerun only the sketches of its scope."""
    queue = list(summary["review_queue"])
    changes = (summary.get("steps") or {}).get("changes")
    if changes is None:
        return queue
    mine = set(changes.get("needs_review", []))
    return [q for q in queue if q["sketch"] in mine]


def _cell(value: object) -> str:
    return str(value).replace("|", "\\|").replace("\n", " ")


def _queue_markdown(summary: Mapping[str, Any], queue: Sequence[Mapping[str, Any]]) -> list[str]:
    """The queue as a table, each sketch linked to its review page, reasons in German."""
    from skizzen.labels import code_label

    if not queue:
        return []
    lines = [
        "| Skizze | Eingang | Datei | Antragsteller | Gründe |",
        "| --- | --- | --- | --- | --- |",
    ]
    for q in queue:
        link = f"[{q['sketch']}]({review_link(summary, q['sketch'])})"
        reasons = "; ".join(code_label(c) for c in str(q["gruende"]).split(", ") if c)
        cells = (q["eingang"], q["datei"], q["antragsteller"], reasons)
        lines.append(f"| {link} | " + " | ".join(_cell(c) for c in cells) + " |")
    return lines


def _changes_markdown(summary: Mapping[str, Any], changes: Mapping[str, Any]) -> list[str]:
    """What a rerun changed: its scope, the sketches extracted again, the fields whose
    machine value changed, the status changes; per changed sketch a link."""
    from skizzen.labels import field_label, status_label

    fields: Mapping[str, int] = changes.get("fields", {})
    statuses: Mapping[str, int] = changes.get("status", {})
    rows: Sequence[Mapping[str, Any]] = changes.get("sketches", [])
    lines = [
        "| Dieser Lauf | Anzahl |",
        "| --- | ---: |",
        f"| Skizzen im Umfang | {changes.get('scope', 0)} |",
        f"| neu extrahiert | {changes.get('re_extracted', 0)} |",
        f"| Skizzen mit geänderten Maschinenwerten | {changes.get('changed_sketches', 0)} |",
        f"| geänderte Maschinenwerte | {sum(fields.values())} |",
        f"| Statuswechsel | {sum(statuses.values())} |",
    ]
    if fields:
        lines += ["", "| Feld | Skizzen mit neuem Maschinenwert |", "| --- | ---: |"]
        lines += [f"| {field_label(f)} | {n} |" for f, n in fields.items()]
    if statuses:
        lines += ["", "| Status vorher → nachher | Skizzen |", "| --- | ---: |"]
        for key, n in statuses.items():
            old, _, new = key.partition(">")
            lines.append(f"| {status_label(old)} → {status_label(new)} | {n} |")
    if rows:
        lines += [
            "",
            "| Skizze | geänderte Felder | Status vorher | Status nachher |",
            "| --- | --- | --- | --- |",
        ]
        for r in rows:
            link = f"[{r['sketch']}]({review_link(summary, r['sketch'])})"
            names = ", ".join(field_label(f) for f in r["fields"]) or "–"
            lines.append(
                f"| {link} | {names} | {status_label(r['before'])} | {status_label(r['after'])} |"
            )
        if changes.get("more"):
            lines += ["", f"… und {changes['more']} weitere geänderte Skizze(n)."]
    if not (fields or statuses):
        lines += ["", "Keine Maschinenwerte und keinen Status geändert."]
    return lines


def summary_markdown(summary: Mapping[str, Any]) -> str:
    """German run summary for staff (Prefect artifact): after an ingest what arrived and
    the whole review queue, after a rerun what it changed and the queue of its scope;
    each sketch links to its review page."""
    from skizzen.labels import outcome_label

    steps = summary.get("steps") or {}
    changes = steps.get("changes")
    lines = [f"# Lauf {summary['run_id']} ({summary['flow']})", ""]
    if changes is not None:
        lines += _changes_markdown(summary, changes)
    else:
        if "intake" in steps:
            intake = steps["intake"]
            n = intake.get("new_messages", 0)
            lines += [
                f"{n} neue Nachricht{'' if n == 1 else 'en'} ({intake.get('seen', 0)} gelesen)",
                "",
            ]
        this_run = steps.get("outcomes_this_run")
        if this_run:
            lines += ["| Ergebnis dieses Laufs | Anzahl |", "| --- | ---: |"]
            lines += [f"| {outcome_label(k)} | {v} |" for k, v in this_run.items()]
            lines += [""]
        lines += ["| Ergebnis (Bestand) | Anzahl |", "| --- | ---: |"]
        lines += [f"| {outcome_label(k)} | {v} |" for k, v in summary["outcomes"].items()]
    queue = _queue_rows(summary)
    where = " im Umfang dieses Laufs" if changes is not None else ""
    lines += ["", f"**Zu prüfen{where}: {len(queue)} Skizze(n)**", ""]
    lines += _queue_markdown(summary, queue)
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
        description="Was der Lauf verarbeitet oder geändert hat, und zu prüfende Skizzen",
    )
    queue = _queue_rows(summary)
    create_table_artifact(
        key="skizzen-review-queue",
        table=[{**q, "seite": review_link(summary, q["sketch"])} for q in queue]
        or [{"sketch": "", "gruende": "keine"}],
        description="Skizzen mit Status needs_review (nach einem Rerun: in seinem Umfang)",
    )


# --- what a rerun changed -------------------------------------------------------------------

CHANGES_LISTED = 200
"""Changed sketches listed one by one in a run's summary (the rest are counted)."""


def state_text(status: str, values: Mapping[str, Any]) -> str:
    """One sketch's status and a digest of each machine value, as JSON text: 10,000
    sketches take a few MB, and Prefect need not walk every value of a task's argument
    (looking for futures) as it would in nested dicts."""
    digests = {
        name: hashlib.blake2b(
            json.dumps(value, sort_keys=True, default=str).encode(), digest_size=8
        ).hexdigest()
        for name, value in values.items()
    }
    return json.dumps({"status": status, "fields": digests}, sort_keys=True)


def sketch_state(config: RuntimeConfig, sketch_ids: Sequence[int]) -> dict[int, str]:
    """Machine values (fields, themes, solution kinds) and status of these sketches
    (:func:`state_text`), to compare with after the run: the database keeps only the newest
    machine value."""
    from sqlmodel import col, select

    from models.tables import FieldValue, Sketch

    ids = list(sketch_ids)
    if not ids:
        return {}
    values: dict[int, dict[str, Any]] = {i: {} for i in ids}
    with session_scope(config.database_url) as session:
        stmt = select(FieldValue.sketch_id, FieldValue.field, FieldValue.value)
        for sid, name, value in session.exec(stmt.where(col(FieldValue.sketch_id).in_(ids))):
            values[sid][name] = value
        stmt2 = select(Sketch.id, Sketch.status, Sketch.themes, Sketch.loesungsart)
        rows = list(session.exec(stmt2.where(col(Sketch.id).in_(ids))))
    out: dict[int, str] = {}
    for sid, status, themes, loesungsart in rows:
        labels = {"themes": themes, "loesungsart": loesungsart}
        for name in repo.LABEL_FIELDS:  # the machine's labels, strongest first
            values[sid][name] = [str(t["label"]) for t in labels[name] or []]
        out[int(sid)] = state_text(status, values[sid])  # type: ignore[arg-type]
    return out


def run_changes(
    config: RuntimeConfig, before: Mapping[int, str], extracted_ids: Sequence[int]
) -> dict[str, Any]:
    """What the run changed in the sketches of ``before``: counts per field whose machine
    value changed and per status change, the first :data:`CHANGES_LISTED` changed sketches
    one by one, and the sketches of the scope that need review now."""
    after_text = sketch_state(config, list(before))
    fields: Counter[str] = Counter()
    statuses: Counter[str] = Counter()
    rows: list[dict[str, Any]] = []
    needs_review: list[int] = []
    for sid in sorted(before):
        old = json.loads(before[sid])
        new = json.loads(after_text.get(sid, before[sid]))
        if new["status"] == "needs_review":
            needs_review.append(sid)
        names = sorted(
            f
            for f in {*old["fields"], *new["fields"]}
            if old["fields"].get(f) != new["fields"].get(f)
        )
        fields.update(names)
        if old["status"] != new["status"]:
            statuses[f"{old['status']}>{new['status']}"] += 1
        if names or old["status"] != new["status"]:
            rows.append(
                {"sketch": sid, "fields": names, "before": old["status"], "after": new["status"]}
            )
    return {
        "scope": len(before),
        "re_extracted": len(set(extracted_ids)),
        "changed_sketches": sum(bool(r["fields"]) for r in rows),
        "fields": dict(sorted(fields.items())),
        "status": dict(sorted(statuses.items())),
        "sketches": rows[:CHANGES_LISTED],
        "more": max(0, len(rows) - CHANGES_LISTED),
        "needs_review": needs_review,
    }


# --- progress -------------------------------------------------------------------------------

PROGRESS_RECORD = "skizzen_progress"
"""Attribute set on the log records of progress lines, so a door that draws them itself (the
CLI's bar) keeps them off the console; the Prefect API (UI) still gets them."""


@dataclass(frozen=True)
class Progress:
    """One step of a run, how far it is: what a progress bar shows and a log line says.

    ``milestone``: the first item, each further tenth and the end (what is logged).
    """

    step: str
    done: int
    total: int | None
    unit: str
    seconds: float
    milestone: bool = False

    @property
    def rate(self) -> float | None:
        """Items per second so far (None before the first one)."""
        return self.done / self.seconds if self.done and self.seconds > 0 else None

    def line(self) -> str:
        """German, e.g. ``Extraktion: 50/200 Skizzen (25 %), 3,2 Skizzen/s``."""
        from skizzen.german import format_number

        if self.total is None:
            text = f"{self.step}: {self.done} {self.unit}"
        else:
            pct = 100 * self.done // self.total if self.total else 100
            text = f"{self.step}: {self.done}/{self.total} {self.unit} ({pct} %)"
        if self.rate is not None:
            text += f", {format_number(self.rate, decimals=1)} {self.unit}/s"
        return text


ProgressSink = Callable[[Progress], None]
_SINKS: list[ProgressSink] = []


@contextmanager
def progress_to(sink: ProgressSink) -> Iterator[None]:
    """Send the progress of the runs in this process to ``sink`` (the CLI's display) while
    the block runs; a flow called in-process reports here, one on a worker only logs."""
    _SINKS.append(sink)
    try:
        yield
    finally:
        _SINKS.remove(sink)


class ProgressStep:
    """A long step of a run that reports as it goes: every change to the sinks, and the
    milestones as lines in the flow run's log (the Prefect UI; a worker's console).

        step = ProgressStep("Extraktion", len(ids), "Skizzen")
        for batch in batches:
            ...
            step.advance(len(batch))
    """

    def __init__(
        self,
        step: str,
        total: int | None,
        unit: str,
        *,
        clock: Callable[[], float] = time.perf_counter,
    ) -> None:
        self.step, self.total, self.unit = step, total, unit
        self.done = 0
        self._clock = clock
        self._started = clock()
        self._tenth = -1
        self._emit(milestone=False)

    def advance(self, n: int = 1) -> None:
        self.done += n
        self._emit(milestone=self._crossed())

    def finish(self, done: int | None = None) -> None:
        """The step is over: ``done`` items (default: the total, or what was counted)."""
        if done is None:
            done = self.total if self.total is not None else self.done
        self.done = done
        if self.total is None or self.total < done:
            self.total = done
        self._emit(milestone=self._tenth < 10)
        self._tenth = 10

    def _crossed(self) -> bool:
        if self.total is None:  # how far is unknown: logged when it ends
            return False
        tenth = 10 * self.done // self.total if self.total else 10
        if self.done and tenth > self._tenth:
            self._tenth = tenth
            return True
        return False

    def _emit(self, *, milestone: bool) -> None:
        event = Progress(
            self.step,
            self.done,
            self.total,
            self.unit,
            self._clock() - self._started,
            milestone,
        )
        for sink in list(_SINKS):
            sink(event)
        if milestone:
            _log_progress(event.line())


def progress_callback(step: str, unit: str) -> Callable[[int, int], None]:
    """``(done, total)`` calls of a loop outside a flow (the evaluation's folds) as a
    :class:`ProgressStep`."""
    current: list[ProgressStep] = []

    def report(done: int, total: int) -> None:
        if not current:
            current.append(ProgressStep(step, total, unit))
        progress = current[0]
        if done >= total:
            progress.finish(done)
        elif done > progress.done:
            progress.advance(done - progress.done)

    return report


def _log_progress(line: str) -> None:
    """A progress line in the current flow run's log (outside a run: this module's log)."""
    from prefect import get_run_logger
    from prefect.exceptions import MissingContextError

    try:
        logger: Any = get_run_logger()
    except MissingContextError:
        logger = log
    logger.info(line, extra={PROGRESS_RECORD: True})
