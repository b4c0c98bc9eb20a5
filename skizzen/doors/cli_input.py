"""What a command of the CLI takes in, checked before any flow or Prefect server starts.

The settings with the command's options on top (a database URL refused with a password, the
database reached), the mail source, days and the scope of a rerun: each check ends the
command with one German line from :data:`TEXTS` (or from the check that found it), raised as
a :class:`UsageError`, so that staff can put the call right before anything has run.
"""

from __future__ import annotations

import re
import time
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from skizzen.settings import PasswordInUrl, RuntimeConfig, load_runtime, refuse_password

if TYPE_CHECKING:
    from skizzen.steps.scope import RerunScope


class UsageError(Exception):
    """Something the caller can put right (a path, a date, a database URL, a database that is
    down), found by the checks at the edge before any flow or Prefect server starts: the
    command ends with this one German line on stderr and ``status`` (2: the call or its
    input, 1: the environment, e.g. a database that does not answer)."""

    def __init__(self, message: str, *, status: int = 2) -> None:
        super().__init__(message)
        self.status = status


TEXTS = {
    "no_scope": "Bitte einen Umfang angeben: --all, --sketch, --call oder --from/--to.",
    "bad_date": "Ungültiges Datum „{value}“: erwartet TT.MM.JJJJ oder JJJJ-MM-TT",
    "reversed": "Zeitraum verkehrt: --from {lo} liegt nach --to {hi}.",
    "bad_sketch": "Skizze „{value}“: erwartet eine Nummer oder einen SHA-256-Präfix "
    "(8 bis 64 Hexziffern).",
    "unknown_sketch": "{what} {values} gibt es nicht; {known}.",
    "known_sketches": "vorhanden: {n} Skizze(n), Nummern {lo} bis {hi}",
    "no_sketches": "die Datenbank enthält noch keine Skizzen",
    "bad_source": "Mail-Quelle ungültig: {reason}",
    "db_retry": "Datenbank nicht erreichbar, neuer Versuch in {seconds:g} s …",
    "db_unreachable": "Datenbank nicht erreichbar: {url} ({reason})",
    "no_corpus": "„{path}“ ist kein gelabeltes Korpus: {missing} fehlt.",
    "leave_out": "--leave-out kennt nur producer oder layout, nicht „{value}“.",
    "format": "Unbekanntes Format: {fmt} (unterstützt: jsonl)",
    "role": "Unbekannte Rolle: {role} (erlaubt: {roles})",
    "env_empty": "Die Umgebungsvariable {var} ist leer oder nicht gesetzt.",
    "inbox": "Posteingang „{path}“ lässt sich nicht anlegen: {reason}",
}
"""Every German error line of the commands, defined once (those about a mail source, a
database URL or a call come from the check that finds them: ``validate_source``,
``checked_url``, ``call_sketch_ids``, ``refuse_password``)."""

DB_RETRY_DELAYS = (1.0, 2.0)
"""Seconds between the three attempts to reach a database server before a command gives up
(the flow's own task retries are for outages in the middle of a run)."""


def edge_config(
    database_url: str | None, data_dir: Path | None, *, connect: bool = True
) -> RuntimeConfig:
    """The settings, read once here (environment and ``SKIZZEN_`` variables, with the
    command's options on top), frozen and passed on as parameters; the database URL checked
    and, with ``connect``, the database reached (see :func:`reach_database`).

    A URL with a password (the database's or the mail source's) is refused here, before any
    flow run could store it among its parameters: passwords come from the settings
    (SKIZZEN_DATABASE_PASSWORD, SKIZZEN_IMAP_PASSWORD) where the connection is made."""
    from models.db import DatabaseUrlError, checked_url

    try:
        if database_url:  # an unsupported database is named first, the password next
            checked_url(database_url)
        config = load_runtime(
            database_url=database_url,
            data_dir=data_dir.expanduser().resolve() if data_dir else None,
        )
        checked_url(config.database_url)
    except (DatabaseUrlError, PasswordInUrl) as exc:
        raise UsageError(str(exc)) from exc
    if connect:
        reach_database(config.database_url)
    return config


def reach_database(url: str) -> None:
    """Reach the database before a run, so that one that is down ends the command within
    seconds: a server gets three attempts (:data:`DB_RETRY_DELAYS`), a SQLite file one."""
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import OperationalError

    from models.db import connect_error

    parsed = make_url(url)
    delays = () if parsed.get_backend_name() == "sqlite" else DB_RETRY_DELAYS
    for delay in (*delays, None):
        exc = connect_error(url)
        if exc is None:
            return
        if delay is None or not isinstance(exc, OperationalError):
            break
        typer.echo(TEXTS["db_retry"].format(seconds=delay), err=True)
        time.sleep(delay)
    reason = str(getattr(exc, "orig", None) or exc).strip().splitlines()[0]
    where = parsed.render_as_string(hide_password=True)
    raise UsageError(TEXTS["db_unreachable"].format(url=where, reason=reason), status=1) from exc


def mail_source(source: str | None, config: RuntimeConfig) -> str:
    """The mail source of an ingest (default: the configured inbox), a path made absolute,
    checked before the run: a missing path or a file that is not a mail is an error."""
    from skizzen.intake.sources import SourceError, validate_source

    src = source or config.default_source
    if "://" not in src:  # a folder or Maildir; URLs (imap://) stay as given
        src = str(Path(src).expanduser().resolve())
    try:
        return validate_source(refuse_password(src, "source"), inbox=not source)
    except (SourceError, PasswordInUrl) as exc:
        raise UsageError(str(exc)) from exc
    except ValueError as exc:  # an IMAP URL the IMAP reader refuses
        raise UsageError(TEXTS["bad_source"].format(reason=exc)) from exc


_ISO_DAY = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_GERMAN_DAY = re.compile(r"(\d{1,2})\.(\d{1,2})\.(\d{4})")


def parse_day(value: str) -> date:
    """``2021-03-01``, ``01.03.2021`` or ``1.3.2021`` (a four-digit year: ``1.3.21`` would
    be the year 21)."""
    text = value.strip()
    try:
        if m := _ISO_DAY.fullmatch(text):
            return date(int(m[1]), int(m[2]), int(m[3]))
        if m := _GERMAN_DAY.fullmatch(text):
            return date(int(m[3]), int(m[2]), int(m[1]))
    except ValueError:  # 2021-13-45
        pass
    raise UsageError(TEXTS["bad_date"].format(value=value))


def german_day(day: date) -> str:
    """A day as staff write it in the error lines: ``01.03.2021``."""
    return day.strftime("%d.%m.%Y")


_SHA_PREFIX = re.compile(r"[0-9a-f]{8,64}")


def rerun_scope(
    *,
    all_: bool,
    sketches: list[str] | None,
    call: str | None,
    received_from: str | None,
    received_to: str | None,
) -> RerunScope:
    """The scope of ``skizzen rerun`` from its options, the first given of --sketch, --call,
    --from/--to, --all; the days and sketch references checked, whatever scope wins."""
    from skizzen.steps.scope import RerunScope

    lo = parse_day(received_from) if received_from else None
    hi = parse_day(received_to) if received_to else None
    if lo and hi and lo > hi:
        raise UsageError(TEXTS["reversed"].format(lo=german_day(lo), hi=german_day(hi)))
    if sketches:
        bad = [v for v in sketches if not (v.isdigit() or _SHA_PREFIX.fullmatch(v.lower()))]
        if bad:
            raise UsageError(TEXTS["bad_sketch"].format(value=bad[0]))
        return RerunScope(mode="sketches", sketches=[v.lower() for v in sketches])
    if call:
        return RerunScope(mode="call", call_id=call)
    if lo or hi:
        return RerunScope(mode="received", received_from=lo, received_to=hi)
    if all_:
        return RerunScope(mode="all")
    raise UsageError(TEXTS["no_scope"])


def check_scope(config: RuntimeConfig, scope: RerunScope) -> None:
    """A call or sketch the database does not know is an error, not an empty run."""
    if scope.mode not in ("call", "sketches"):
        return
    from models import repo
    from models.db import session_scope
    from skizzen.outputs.export import UnknownCall, call_sketch_ids

    with session_scope(config.database_url) as session:
        if scope.mode == "call":
            try:
                call_sketch_ids(session, scope.call_id)
            except UnknownCall as exc:
                raise UsageError(str(exc)) from exc
            return
        ids = {int(v) for v in scope.sketches if v.isdigit()}
        found = (
            {s.id for s in repo.sketches_in_scope(session, sketch_ids=sorted(ids))}
            if ids
            else set()
        )
        prefixes = [v for v in scope.sketches if not v.isdigit()]
        if found == ids and not prefixes:
            return
        every = repo.sketches_in_scope(session)
    missing = [
        v
        for v in scope.sketches
        if (int(v) not in found if v.isdigit() else not any(s.sha256.startswith(v) for s in every))
    ]
    if not missing:
        return
    numbers = [int(s.id) for s in every]  # type: ignore[arg-type]
    known = (
        TEXTS["known_sketches"].format(n=len(numbers), lo=min(numbers), hi=max(numbers))
        if numbers
        else TEXTS["no_sketches"]
    )
    what = "Skizze" if len(missing) == 1 else "Skizzen"
    raise UsageError(
        TEXTS["unknown_sketch"].format(what=what, values=", ".join(missing), known=known)
    )
