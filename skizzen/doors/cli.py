"""Command line: ``skizzen ingest | rerun | export | evaluate | demo``.

The CLI is one of three doors (with the Prefect flows and the review page) into the same
functions. Options --database-url / --data-dir override SKIZZEN_DATABASE_URL /
SKIZZEN_DATA_DIR; they are applied once, here at the edge. What a command takes in is
checked in :mod:`skizzen.doors.cli_input` before its flow starts.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table
from typer.core import TyperGroup

from skizzen.doors.cli_input import (
    TEXTS,
    UsageError,
    check_scope,
    edge_config,
    mail_source,
    reach_database,
    rerun_scope,
)
from skizzen.settings import RuntimeConfig


class _Commands(TyperGroup):
    """The root command: the one place where a :class:`UsageError` of any subcommand
    becomes its line on stderr and its exit status (``--debug``: raised, with traceback)."""

    def invoke(self, ctx: Any) -> Any:  # a click.Context (click comes with typer)
        try:
            return super().invoke(ctx)
        except UsageError as exc:
            if ctx.params.get("debug"):
                raise
            typer.echo(" ".join(str(exc).splitlines()), err=True)
            raise typer.Exit(exc.status) from None


# no locals in a traceback (--debug): one of them may be a URL or a password
app = typer.Typer(
    cls=_Commands,
    add_completion=False,
    no_args_is_help=True,
    help=__doc__,
    pretty_exceptions_show_locals=False,
)
console = Console()
err = Console(stderr=True)


@app.callback()
def _options(
    debug: Annotated[
        bool, typer.Option("--debug", help="show the traceback of an error, not its one line")
    ] = False,
) -> None:
    """Options of every command (read by ``_Commands``)."""


DbOpt = Annotated[
    str | None, typer.Option("--database-url", help="SQLAlchemy URL (SKIZZEN_DATABASE_URL)")
]
DirOpt = Annotated[
    Path | None, typer.Option("--data-dir", help="raw store, caches, Data Docs (SKIZZEN_DATA_DIR)")
]


class _Launch:
    """What a command's flow run would wait for, started before the flow is even imported:
    the analysis workers (they load the models) and, without ``PREFECT_API_URL``, Prefect's
    temporary server. Both take seconds; in parallel with the imports they mostly vanish.

    On a temporary server the flow runs without heartbeats: they detect crashed runs for a
    server that outlives them, this one ends with the command, and the heartbeat thread's
    one-second sleep delayed the end of every flow and subflow.

        launch = _Launch(config)
        from flows.rerun import rerun_extraction
        with launch:
            rerun_extraction(...)
    """

    def __init__(self, config: RuntimeConfig, *, extract: bool = True) -> None:
        """``extract=False``: the run will most likely reuse kept analyses (a rerun), so the
        workers start only when a sketch needs extracting, and hold no memory otherwise."""
        import threading

        from skizzen.settings import apply_offline_env
        from skizzen.steps.analysis import ModelSpec, analysis_fingerprint, warm_up

        apply_offline_env()  # before the server starts: it inherits the environment
        spec = ModelSpec(config.field_model, config.theme_model_dir)
        threading.Thread(target=analysis_fingerprint, args=(spec,), daemon=True).start()
        if extract:
            warm_up(spec, config.parse_workers)
        self.temporary = not os.environ.get("PREFECT_API_URL")
        self._server: threading.Thread | None = None
        if self.temporary:
            self._server = threading.Thread(target=self._start_server, daemon=True)
            self._server.start()
        self._settings: Any = None

    @staticmethod
    def _start_server() -> None:
        # the same server object Prefect's client uses when it finds no API URL; a failed
        # start is retried (and reported) by the client itself
        import contextlib

        from prefect.server.api.server import SubprocessASGIServer

        with contextlib.suppress(Exception):
            SubprocessASGIServer().start()

    def __enter__(self) -> _Launch:
        if self._server is not None:
            self._server.join()
        if self.temporary:
            from prefect.settings import PREFECT_FLOWS_HEARTBEAT_FREQUENCY, temporary_settings

            self._settings = temporary_settings(updates={PREFECT_FLOWS_HEARTBEAT_FREQUENCY: None})
            self._settings.__enter__()
        return self

    def __exit__(self, *exc: object) -> None:
        if self._settings is not None:
            self._settings.__exit__(*exc)
            self._settings = None


@contextmanager
def _progress() -> Iterator[None]:
    """The progress of the command's run on stderr: a bar in a terminal, else lines."""
    from skizzen.doors.progress import ProgressDisplay
    from skizzen.steps.runs import progress_to

    with ProgressDisplay(err) as show, progress_to(show):
        yield


def _print_summary(summary: dict[str, Any]) -> None:
    table = Table(title=f"Lauf {summary['run_id']} – Ergebnisse je Ausgang")
    table.add_column("Ergebnis")
    table.add_column("Anzahl", justify="right")
    from skizzen.labels import outcome_label

    for outcome, n in summary["outcomes"].items():
        table.add_row(outcome_label(outcome), str(n))  # staff read German, as in the UI
    console.print(table)
    intake = summary["steps"].get("intake")
    if intake is not None:  # an ingest
        from flows.ingest import new_messages_line

        console.print(new_messages_line(intake))
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
    if summary.get("pruefbericht"):
        console.print(f"Prüfbericht: {summary['pruefbericht']}")
    if summary.get("data_docs"):
        console.print(f"Data Docs: {summary['data_docs']}")


@app.command()
def ingest(
    source: Annotated[str | None, typer.Argument(help="folder of .eml files or a Maildir")] = None,
    database_url: DbOpt = None,
    data_dir: DirOpt = None,
) -> None:
    """Ingest a mail source with the Prefect flow ingest_sketches and print a summary."""
    config = edge_config(database_url, data_dir, connect=False)
    source = mail_source(source, config)
    reach_database(config.database_url)
    launch = _Launch(config)
    from flows.ingest import ingest_sketches

    with launch, _progress():
        summary = ingest_sketches(source=source, config=config)
    _print_summary(summary)


@app.command()
def rerun(
    all_: Annotated[bool, typer.Option("--all", help="every sketch")] = False,
    sketch: Annotated[
        list[str] | None, typer.Option("--sketch", help="sketch id or sha256")
    ] = None,
    call: Annotated[str | None, typer.Option("--call", help="one call (Förderaufruf)")] = None,
    received_from: Annotated[
        str | None, typer.Option("--from", help="first day received: 01.03.2021 or 2021-03-01")
    ] = None,
    received_to: Annotated[
        str | None, typer.Option("--to", help="last day received (inclusive)")
    ] = None,
    database_url: DbOpt = None,
    data_dir: DirOpt = None,
) -> None:
    """Re-extract and re-check a scope with the Prefect flow rerun_extraction."""
    scope = rerun_scope(
        all_=all_,
        sketches=sketch,
        call=call,
        received_from=received_from,
        received_to=received_to,
    )
    config = edge_config(database_url, data_dir)
    check_scope(config, scope)
    launch = _Launch(config, extract=not config.reuse_analysis)
    from flows.rerun import rerun_extraction

    with launch, _progress():
        summary = rerun_extraction(scope=scope, config=config)
    _print_summary(summary)


@app.command()
def export(
    out: Annotated[Path, typer.Option("--out", help="output file")],
    fmt: Annotated[str, typer.Option("--format", help="jsonl")] = "jsonl",
    attachments: Annotated[
        bool, typer.Option("--attachments", help="one record per attachment instead")
    ] = False,
    call: Annotated[
        str | None,
        typer.Option(
            "--call", help="one call (Förderaufruf); with --attachments: the mails of its sketches"
        ),
    ] = None,
    database_url: DbOpt = None,
    data_dir: DirOpt = None,
) -> None:
    """Export current sketches (or the outcome of every attachment) as JSON lines."""
    if fmt != "jsonl":
        raise UsageError(TEXTS["format"].format(fmt=fmt))
    config = edge_config(database_url, data_dir)
    from models.db import session_scope
    from skizzen.outputs.export import (
        UnknownCall,
        attachment_records,
        sketch_records,
        write_jsonl,
    )

    with session_scope(config.database_url) as session:
        try:
            read = attachment_records if attachments else sketch_records
            records = read(session, call=call)
        except UnknownCall as exc:
            raise UsageError(str(exc)) from exc
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
    leave_out: Annotated[
        str | None,
        typer.Option(
            "--leave-out",
            help="producer | layout: per group, fit every learned part without it "
            "(field scorer, calibration, threshold, theme classifier), score only that group",
        ),
    ] = None,
    also_train: Annotated[
        list[Path] | None,
        typer.Option(
            "--also-train",
            help="with --leave-out: further labelled corpora every fold also learns from "
            "(as the shipped models do, e.g. var/heldout); never scored",
        ),
    ] = None,
) -> None:
    """Ingest a labelled corpus into a temporary database and score it against its truth."""
    from lab.evaluation import load_jsonl

    if leave_out not in (None, "producer", "layout"):
        raise UsageError(TEXTS["leave_out"].format(value=leave_out))
    corpus = corpus.expanduser().resolve()
    for name in ("sketches.jsonl", "messages.jsonl", "mail"):
        if not (corpus / name).exists():
            raise UsageError(TEXTS["no_corpus"].format(path=corpus, missing=name))
    workdir = (keep or Path(tempfile.mkdtemp(prefix="skizzen-eval-"))).resolve()
    # its own database and data folder, and the shipped models whatever the settings say
    config = edge_config(f"sqlite:///{workdir / 'eval.db'}", workdir).model_copy(
        update={"theme_model_dir": None, "field_model": None}
    )
    launch = _Launch(config)
    from flows.ingest import ingest_sketches

    with launch, _progress():
        ingest_sketches(source=str(corpus / "mail"), config=config)
    truth_sketches = load_jsonl(corpus / "sketches.jsonl")
    truth_messages = load_jsonl(corpus / "messages.jsonl")
    if leave_out:
        from lab.crossval import extra_training, leave_one_group_out
        from skizzen.steps.runs import progress_callback

        unit = "Erzeuger" if leave_out == "producer" else "Layouts"
        with _progress():
            folds, pooled = leave_one_group_out(
                config,
                truth_sketches=truth_sketches,
                truth_messages=truth_messages,
                workdir=workdir,
                by=leave_out,
                extra=extra_training([c.expanduser().resolve() for c in also_train or []]),
                progress=progress_callback("Kreuzvalidierung", unit),
            )
        if as_json:
            out = {
                "folds": [
                    {
                        "group": f.group,
                        "sketches": f.sketches,
                        "trained_on": f.trained_on,
                        "threshold": f.threshold,
                        "layouts": f.layouts,
                        **f.report.as_dict(),
                    }
                    for f in folds
                ],
                "pooled": {**pooled.as_dict(), "ready_share": pooled.ready_share},
            }
            sys.stdout.write(json.dumps(out, ensure_ascii=False, indent=2, default=str) + "\n")
            return
        _print_folds(folds, leave_out)
        _print_report(pooled)
        for line in pooled.errors[:show_errors]:
            console.print(f"  {line}", markup=False)
        return
    rep = _score_db(config, truth_sketches, truth_messages)
    if as_json:
        sys.stdout.write(json.dumps(rep.as_dict(), ensure_ascii=False, indent=2) + "\n")
        return
    _print_report(rep)
    for line in rep.errors[:show_errors]:
        console.print(f"  {line}", markup=False)


def _score_db(
    config: RuntimeConfig,
    truth_sketches: list[dict[str, Any]],
    truth_messages: list[dict[str, Any]],
) -> Any:
    from lab.evaluation import score_database
    from skizzen.steps.pipeline import review_threshold

    return score_database(
        config.database_url,
        truth_sketches=truth_sketches,
        truth_messages=truth_messages,
        threshold=review_threshold(config),
    )


def _print_folds(folds: list[Any], by: str) -> None:
    name = "Erzeuger" if by == "producer" else "Layout"
    t = Table(title=f"Je {name} ausgelassen (alle gelernten Teile ohne ihn angepasst)")
    for col in (
        name,
        "Skizzen",
        "Felder",
        "schwächstes Feld",
        "Themen F1",
        "Lösungsart F1",
        "Prüfcodes F1",
        "Schwelle",
        "über Schwelle richtig",
        "ohne Befund",
    ):
        t.add_column(col, justify="left" if col in (name, "schwächstes Feld") else "right")
    for f in folds:
        r = f.report
        worst = min(r.field_accuracy.items(), key=lambda kv: kv[1]) if r.field_accuracy else ("", 0)
        above = r.confidence.get("above", {}).get("accuracy")
        t.add_row(
            f.group,
            str(f.sketches),
            f"{r.overall_field_accuracy:.3f}",
            f"{worst[0]} {worst[1]:.2f}",
            f"{r.themes_f1:.3f}",
            f"{r.loesungsart_f1:.3f}",
            f"{r.violations_f1:.3f}",
            f"{f.threshold:.3f}",
            "–" if above is None else f"{above:.3f}",
            f"{r.clean_ready}/{r.clean_sketches}",
        )
    console.print(t)


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
    if rep.layout_accuracy:
        lt = Table(title="Felder je Layout")
        lt.add_column("Layout")
        lt.add_column("Genauigkeit", justify="right")
        for name, acc in rep.layout_accuracy.items():
            lt.add_row(name, f"{acc:.3f}")
        console.print(lt)
    if rep.reliability:
        ct = Table(title="Verlässlichkeit der Konfidenz")
        for col in ("Konfidenz von", "bis", "Felder", "mittlere Konfidenz", "richtig"):
            ct.add_column(col, justify="right")
        for b in rep.reliability:
            ct.add_row(
                f"{b['from']:.2f}",
                f"{b['to']:.2f}",
                str(b["n"]),
                f"{b['mean_confidence']:.3f}",
                f"{b['accuracy']:.3f}",
            )
        console.print(ct)
    console.print(
        f"Skizzen ohne echten Befund, die „ohne Befund“ enden: {rep.clean_ready} von "
        f"{rep.clean_sketches} ({rep.ready_share:.1%})"
    )


@app.command("train-themes")
def train_themes(
    corpus: Annotated[
        list[Path], typer.Option("--corpus", help="labelled corpus folder(s), e.g. var/zoo")
    ],
    out: Annotated[Path | None, typer.Option("--out", help="model folder")] = None,
    by: Annotated[
        str, typer.Option("--by", help="groups held out by the stack: producer | layout")
    ] = ("producer"),
    exclude_layout: Annotated[
        list[str] | None, typer.Option("--exclude-layout", help="leave these layouts out")
    ] = None,
    seed: Annotated[int, typer.Option("--seed")] = 0,
) -> None:
    """Train the theme classifier (+ the hand-written examples) and its stacked decision.

    The decision per label is fitted on predictions for groups the classifier did not see.
    Without --out the shipped model in extractors/model is replaced; its version (a hash of
    the model and lexicon files) is stored with every extraction.
    """
    from extractors.versions import DEFAULT_MODEL_DIR, model_version
    from lab.training import examples_from_corpus, fit_theme_model

    examples = [
        e
        for c in corpus
        for e in examples_from_corpus(c.resolve(), exclude_layouts=set(exclude_layout or []), by=by)
    ]
    target = (out or DEFAULT_MODEL_DIR).resolve()
    fit_theme_model(examples, out_dir=target, seed=seed)
    size = sum(p.stat().st_size for p in target.rglob("*") if p.is_file())
    console.print(
        f"{len(examples)} Beispiele, Modell in {target} ({size / 1024:.0f} KiB), "
        f"Version {model_version(target)}"
    )


@app.command("train-fields")
def train_fields(
    corpus: Annotated[
        list[Path], typer.Option("--corpus", help="labelled corpus folder(s), e.g. var/zoo")
    ],
    out: Annotated[Path | None, typer.Option("--out", help="fields.json to write")] = None,
    by: Annotated[str, typer.Option("--by", help="calibration groups: producer | layout")] = (
        "producer"
    ),
) -> None:
    """Fit the field scorer (weights, calibration, review threshold) on labelled corpora.

    Calibration and threshold come from leave-one-group-out fits, so they describe
    producers the weights did not see. Without --out the shipped model
    (extractors/model/fields.json) is replaced.
    """
    from extractors.learn import Labelled, train
    from extractors.versions import MODEL_FILE
    from lab.crossval import group_of
    from lab.evaluation import load_jsonl
    from lab.training import truth_file
    from skizzen.documents.parsing import parse_pdf_inprocess

    items = []
    for c in corpus:
        root = c.expanduser().resolve()
        for t in load_jsonl(truth_file(root)):
            pdf = t.get("pdf")
            if not pdf or not str(pdf).endswith(".pdf") or not (root / pdf).exists():
                continue
            try:
                doc = parse_pdf_inprocess((root / pdf).read_bytes())
            except Exception:  # an encrypted or broken file teaches nothing
                continue
            items.append(Labelled(doc, t["fields"], group_of(t, by), t["sketch_id"]))
    model = train(items)
    target = (out or MODEL_FILE).resolve()
    model.save(target)
    console.print(
        f"{len(items)} Skizzen aus {len(model.meta.get('groups', []))} Gruppen, "
        f"Modell {model.version} in {target}, Prüfschwelle {model.threshold}"
    )


@app.command()
def demo(
    out: Annotated[Path, typer.Option("--out", help="folder for the demo .eml files")] = Path(
        "var/demo-mail"
    ),
) -> None:
    """Write the demo mailbox (a few realistic sketch mails, one bad attachment)."""
    from lab.demo import make_demo_mailbox

    paths = make_demo_mailbox(out.expanduser().resolve())
    console.print(f"{len(paths)} Demo-Mails in {out} geschrieben.")


db_app = typer.Typer(no_args_is_help=True, help="Database schema (Alembic migrations).")
app.add_typer(db_app, name="db")


def _db_engine(database_url: str | None, data_dir: Path | None) -> Any:
    config = edge_config(database_url, data_dir)
    from models.db import get_engine

    return get_engine(config.database_url)


@db_app.command("upgrade")
def db_upgrade(
    revision: Annotated[str, typer.Argument(help="target revision")] = "head",
    database_url: DbOpt = None,
    data_dir: DirOpt = None,
) -> None:
    """Migrate the database up (a pre-Alembic database is stamped first)."""
    from models.db import current_revision, upgrade

    engine = _db_engine(database_url, data_dir)
    upgrade(engine, revision)
    console.print(f"Datenbank auf Stand {current_revision(engine)}.")


@db_app.command("downgrade")
def db_downgrade(
    revision: Annotated[str, typer.Argument(help="target revision, e.g. -1 or base")],
    database_url: DbOpt = None,
    data_dir: DirOpt = None,
) -> None:
    """Migrate the database down (``base`` drops every table: data is lost)."""
    from models.db import current_revision, downgrade

    engine = _db_engine(database_url, data_dir)
    downgrade(engine, revision)
    console.print(f"Datenbank auf Stand {current_revision(engine) or 'base'}.")


@db_app.command("current")
def db_current(database_url: DbOpt = None, data_dir: DirOpt = None) -> None:
    """Print the database's revision and the code's head revision."""
    from models.db import current_revision, head_revision

    engine = _db_engine(database_url, data_dir)
    console.print(f"Datenbank: {current_revision(engine) or 'leer'} – Code: {head_revision()}")


user_app = typer.Typer(no_args_is_help=True, help="Users of the review page.")
app.add_typer(user_app, name="user")


@user_app.command("add")
def user_add(
    name: Annotated[str, typer.Argument(help="login name")],
    role: Annotated[str, typer.Option("--role", help="reviewer (may change) | reader")] = "reader",
    password_env: Annotated[
        str | None, typer.Option("--password-env", help="read the password from this env var")
    ] = None,
    database_url: DbOpt = None,
    data_dir: DirOpt = None,
) -> None:
    """Create a user of the review page, or reset password and role of an existing one."""
    from models.users import ROLES
    from skizzen.doors.web.app import add_user

    if role not in ROLES:
        raise UsageError(TEXTS["role"].format(role=role, roles=", ".join(ROLES)))
    config = edge_config(database_url, data_dir)
    if password_env:
        password = os.environ.get(password_env, "")
        if not password:
            raise UsageError(TEXTS["env_empty"].format(var=password_env))
    else:
        password = typer.prompt("Passwort", hide_input=True, confirmation_prompt=True)
    from skizzen.doors.web.security import password_problem

    weak = password_problem(password, user_inputs=[name])  # zxcvbn score >= 3 or 12 chars
    if weak:
        raise UsageError(weak)
    add_user(config, name=name, password=password, role=role)
    console.print(f"Benutzer {name} ({role}) gespeichert.")


@app.command()
def web(
    host: Annotated[str, typer.Option("--host", help="address to listen on")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", help="port")] = 8080,
    database_url: DbOpt = None,
    data_dir: DirOpt = None,
) -> None:
    """Start the staff review page (login, queue, detail with PDF, corrections, report)."""
    import uvicorn
    from sqlalchemy.engine import make_url

    from skizzen.doors.web.app import create_app

    config = edge_config(database_url, data_dir)
    where = make_url(config.database_url).render_as_string(hide_password=True)
    console.print(f"Prüfseite: http://{host}:{port}/ – Datenbank: {where}")
    uvicorn.run(create_app(config), host=host, port=port, log_level="info", proxy_headers=False)


@app.command()
def report(
    out: Annotated[Path, typer.Option("--out", help="folder for bericht.html, CSV and Excel")],
    call: Annotated[str | None, typer.Option("--call", help="one call (Förderaufruf)")] = None,
    database_url: DbOpt = None,
    data_dir: DirOpt = None,
) -> None:
    """Write the German HTML report with charts plus CSV and Excel of the current data."""
    from models.db import session_scope
    from skizzen.outputs.export import UnknownCall
    from skizzen.outputs.report import build_report

    config = edge_config(database_url, data_dir)
    with session_scope(config.database_url) as session:
        try:
            paths = build_report(session, out_dir=out.expanduser().resolve(), call=call)
        except UnknownCall as exc:
            raise UsageError(str(exc)) from exc
    for kind, path in paths.items():
        console.print(f"{kind}: {path}")


@app.command()
def serve(
    port: Annotated[int, typer.Option("--port", help="Prefect server/UI port")] = 4200,
    web_port: Annotated[
        int, typer.Option("--web-port", help="review page port (if `skizzen web` exists)")
    ] = 8080,
    no_web: Annotated[bool, typer.Option("--no-web", help="do not start the review page")] = False,
    ui: Annotated[bool, typer.Option("--ui/--no-ui", help="serve the Prefect UI")] = True,
    data_dir: DirOpt = None,
) -> None:
    """Prefect server on 127.0.0.1 with work pool, deployments (prefect.yaml) and worker.

    The nightly run's source (SKIZZEN_SOURCE, default <data-dir>/inbox) is created if it is
    a folder, so the first night finds an empty inbox rather than none.
    """
    from skizzen.doors.serve import PortBusy, ServeConfig
    from skizzen.doors.serve import serve as run_stack

    config = edge_config(None, data_dir)
    inbox = config.default_source
    if "://" not in inbox:
        try:
            Path(inbox).mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            reason = exc.strerror or type(exc).__name__
            raise UsageError(TEXTS["inbox"].format(path=inbox, reason=reason)) from exc
    cfg = ServeConfig(
        data_dir=config.data_path,
        port=port,
        web_port=None if no_web else web_port,
        ui=ui and os.environ.get("PREFECT_UI_ENABLED", "true").lower() != "false",
        inbox=mail_source(None, config),
    )
    try:
        code = run_stack(cfg)
    except PortBusy as exc:
        raise UsageError(str(exc), status=1) from exc
    raise typer.Exit(code)


def main() -> None:
    """The ``skizzen`` command: run it, then end without tearing the interpreter down.

    The exit handlers run as usual (Prefect's temporary server is stopped, workers are
    told to end, logs are flushed); what is skipped is freeing every module and object one
    by one, which took two seconds after a run had loaded spaCy, pandas and GX. A
    :class:`UsageError` arrives here as its exit status, its line already printed by
    ``_Commands`` (there, so that a test through typer's CliRunner sees the same).
    """
    import atexit

    code: int | str | None = 0
    try:
        app()
    except SystemExit as exc:
        code = exc.code
    finally:
        atexit._run_exitfuncs()
        sys.stdout.flush()
        sys.stderr.flush()
    if isinstance(code, str):
        err.print(code)
        code = 1
    os._exit(code or 0)


if __name__ == "__main__":
    main()
