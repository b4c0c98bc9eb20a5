"""Command line: ``skizzen ingest | rerun | export | evaluate | demo``.

The CLI is one of three doors (with the Prefect flows and the review page) into the same
functions. Options --database-url / --data-dir override SKIZZEN_DATABASE_URL /
SKIZZEN_DATA_DIR; they are applied once, here at the edge.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
from datetime import date, datetime
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from skizzen.settings import apply_offline_env, load_runtime

app = typer.Typer(add_completion=False, no_args_is_help=True, help=__doc__)
console = Console()
err = Console(stderr=True)

DbOpt = Annotated[
    str | None, typer.Option("--database-url", help="SQLAlchemy URL (SKIZZEN_DATABASE_URL)")
]
DirOpt = Annotated[
    Path | None, typer.Option("--data-dir", help="raw store, caches, Data Docs (SKIZZEN_DATA_DIR)")
]


def _edge(database_url: str | None, data_dir: Path | None) -> None:
    """Apply CLI overrides to the environment the flows read their settings from."""
    apply_offline_env()
    if database_url:
        os.environ["SKIZZEN_DATABASE_URL"] = database_url
    if data_dir:
        os.environ["SKIZZEN_DATA_DIR"] = str(data_dir.expanduser().resolve())


def _print_summary(summary: dict[str, Any]) -> None:
    table = Table(title=f"Lauf {summary['run_id']} – Ergebnisse je Ausgang")
    table.add_column("Ergebnis")
    table.add_column("Anzahl", justify="right")
    for outcome, n in summary["outcomes"].items():
        table.add_row(outcome, str(n))
    console.print(table)
    queue = summary["review_queue"]
    if queue:
        q = Table(title=f"Zu prüfen: {len(queue)} Skizze(n)")
        for col in ("sketch", "eingang", "datei", "antragsteller", "gruende"):
            q.add_column(col)
        for row in queue:
            q.add_row(
                *(str(row[c]) for c in ("sketch", "eingang", "datei", "antragsteller", "gruende"))
            )
        console.print(q)
    console.print(f"Datenbank: {summary['database_url']}")
    console.print(f"Datenordner: {summary['data_dir']}")
    if summary.get("data_docs"):
        console.print(f"Data Docs: {summary['data_docs']}")


@app.command()
def ingest(
    source: Annotated[str | None, typer.Argument(help="folder of .eml files or a Maildir")] = None,
    database_url: DbOpt = None,
    data_dir: DirOpt = None,
) -> None:
    """Ingest a mail source with the Prefect flow ingest_sketches and print a summary."""
    _edge(database_url, data_dir)
    from flows.ingest import ingest_sketches

    src = str(Path(source).expanduser().resolve()) if source else None
    _print_summary(ingest_sketches(source=src))


@app.command()
def rerun(
    all_: Annotated[bool, typer.Option("--all", help="every sketch")] = False,
    sketch: Annotated[
        list[str] | None, typer.Option("--sketch", help="sketch id or sha256")
    ] = None,
    call: Annotated[str | None, typer.Option("--call", help="one call (Förderaufruf)")] = None,
    received_from: Annotated[datetime | None, typer.Option("--from", formats=["%Y-%m-%d"])] = None,
    received_to: Annotated[datetime | None, typer.Option("--to", formats=["%Y-%m-%d"])] = None,
    database_url: DbOpt = None,
    data_dir: DirOpt = None,
) -> None:
    """Re-extract and re-check a scope with the Prefect flow rerun_extraction."""
    _edge(database_url, data_dir)
    from flows.rerun import rerun_extraction
    from skizzen.scope import RerunScope

    def _day(d: datetime | None) -> date | None:
        return d.date() if d else None

    if sketch:
        scope = RerunScope(mode="sketches", sketches=sketch)
    elif call:
        scope = RerunScope(mode="call", call_id=call)
    elif received_from or received_to:
        scope = RerunScope(
            mode="received", received_from=_day(received_from), received_to=_day(received_to)
        )
    elif all_:
        scope = RerunScope(mode="all")
    else:
        err.print("Bitte einen Umfang angeben: --all, --sketch, --call oder --from/--to.")
        raise typer.Exit(2)
    _print_summary(rerun_extraction(scope=scope))


@app.command()
def export(
    out: Annotated[Path, typer.Option("--out", help="output file")],
    fmt: Annotated[str, typer.Option("--format", help="jsonl")] = "jsonl",
    attachments: Annotated[
        bool, typer.Option("--attachments", help="one record per attachment instead")
    ] = False,
    database_url: DbOpt = None,
    data_dir: DirOpt = None,
) -> None:
    """Export current sketches (or the outcome of every attachment) as JSON lines."""
    _edge(database_url, data_dir)
    if fmt != "jsonl":
        err.print(f"Unbekanntes Format: {fmt} (unterstützt: jsonl)")
        raise typer.Exit(2)
    from models.db import session_scope
    from skizzen.export import attachment_records, sketch_records, write_jsonl

    config = load_runtime()
    with session_scope(config.database_url) as session:
        records = attachment_records(session) if attachments else sketch_records(session)
        n = write_jsonl(records, out)
    console.print(f"{n} Datensätze nach {out} geschrieben.")


@app.command()
def evaluate(
    corpus: Annotated[Path, typer.Option("--corpus", help="labelled corpus folder (sample/)")],
    as_json: Annotated[bool, typer.Option("--json", help="print JSON")] = False,
    keep: Annotated[
        Path | None, typer.Option("--keep", help="keep the evaluation data folder here")
    ] = None,
    show_errors: Annotated[int, typer.Option("--errors", help="list N mismatches")] = 0,
) -> None:
    """Ingest a labelled corpus into a temporary database and score it against its truth."""
    from skizzen.evaluation import load_jsonl, score

    corpus = corpus.expanduser().resolve()
    workdir = keep or Path(tempfile.mkdtemp(prefix="skizzen-eval-"))
    _edge(f"sqlite:///{workdir.resolve() / 'eval.db'}", workdir)
    from sqlmodel import select

    from flows.ingest import ingest_sketches
    from models.db import session_scope
    from models.tables import FieldValue, Sketch
    from skizzen.export import attachment_records, sketch_records

    ingest_sketches(source=str(corpus / "mail"))
    config = load_runtime()
    with session_scope(config.database_url) as session:
        sketches = list(sketch_records(session))
        atts = list(attachment_records(session))
        sha = {s.id: s.sha256 for s in session.exec(select(Sketch))}
        confidences: dict[str, dict[str, float]] = {}
        for fv in session.exec(select(FieldValue)):
            confidences.setdefault(sha[fv.sketch_id], {})[fv.field] = fv.confidence
    rep = score(
        truth_sketches=load_jsonl(corpus / "sketches.jsonl"),
        truth_messages=load_jsonl(corpus / "messages.jsonl"),
        sketches=sketches,
        attachments=atts,
        confidences=confidences,
        threshold=config.confidence_threshold,
    )
    if as_json:
        sys.stdout.write(json.dumps(rep.as_dict(), ensure_ascii=False, indent=2) + "\n")
        return
    _print_report(rep)
    for line in rep.errors[:show_errors]:
        console.print(f"  {line}", markup=False)


def _print_report(rep: Any) -> None:
    t = Table(title=f"Felder ({rep.sketches_found}/{rep.sketches_truth} Skizzen gefunden)")
    t.add_column("Feld")
    t.add_column("Genauigkeit", justify="right")
    for name, acc in rep.field_accuracy.items():
        t.add_row(name, f"{acc:.3f}")
    t.add_row("[b]gesamt[/b]", f"[b]{rep.overall_field_accuracy:.3f}[/b]")
    console.print(t)
    s = Table(title="Zusammenfassung")
    s.add_column("Maß")
    s.add_column("Wert", justify="right")
    s.add_row("Feldgenauigkeit gesamt", f"{rep.overall_field_accuracy:.3f}")
    s.add_row("Themenfelder micro-F1", f"{rep.themes_f1:.3f}")
    s.add_row("Lösungsarten micro-F1", f"{rep.loesungsart_f1:.3f}")
    s.add_row("Prüfcodes micro-F1", f"{rep.violations_f1:.3f}")
    s.add_row("supersedes richtig", f"{rep.supersedes_accuracy:.3f}")
    s.add_row(f"Ausgang je Anhang ({rep.outcomes_total})", f"{rep.outcome_accuracy:.3f}")
    conf = rep.confidence
    for k in ("above", "below"):
        b = conf.get(k, {})
        acc = "–" if b.get("accuracy") is None else f"{b['accuracy']:.3f}"
        label = "über" if k == "above" else "unter"
        s.add_row(
            f"Felder {label} Schwelle {conf.get('threshold')}: Anteil / richtig",
            f"{b.get('share', 0):.3f} / {acc}",
        )
    console.print(s)


@app.command()
def demo(
    out: Annotated[Path, typer.Option("--out", help="folder for the demo .eml files")] = Path(
        "var/demo-mail"
    ),
) -> None:
    """Write the demo mailbox (a few realistic sketch mails, one bad attachment)."""
    from skizzen.demo import make_demo_mailbox

    paths = make_demo_mailbox(out.expanduser().resolve())
    console.print(f"{len(paths)} Demo-Mails in {out} geschrieben.")


if __name__ == "__main__":
    app()
