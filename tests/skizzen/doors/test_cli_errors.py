"""Errors people can act on: every bad input ends a command before any flow starts, with one
German line on stderr and a non-zero status; ``--debug`` shows the traceback instead. (The
checks one by one, without a command: ``test_cli_input.py``.)"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from models.db import DatabaseUrlError, checked_url, get_engine
from skizzen.doors import cli, cli_input
from skizzen.doors.cli import app
from skizzen.doors.cli_input import UsageError
from tests.web.factory import build, make_config

REPO = Path(__file__).resolve().parents[3]
MAIL = b"From: a@example.org\r\nSubject: Test\r\nMessage-ID: <1@x>\r\n\r\nHallo\r\n"


def _free_port() -> int:
    """A loopback port nobody listens on (bound and released: connecting is refused)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """The small review database of the web tests: three sketches in two calls."""
    base = tmp_path_factory.mktemp("cli-errors")
    config = make_config(base)
    ids = build(config)
    get_engine(config.database_url).dispose()
    return {"config": config, "ids": ids}


@pytest.fixture()
def env(seeded: dict[str, Any], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    """Settings from the environment (the seeded database), a file that is not a mail, no
    waits between database attempts."""
    monkeypatch.setenv("SKIZZEN_DATABASE_URL", seeded["config"].database_url)
    monkeypatch.setenv("SKIZZEN_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("SKIZZEN_SOURCE", raising=False)
    monkeypatch.setattr(cli_input, "DB_RETRY_DELAYS", (0.0, 0.0))
    (tmp_path / "records.jsonl").write_text('{"sketch": 1}\n', encoding="utf-8")
    return {"tmp": tmp_path, "port": _free_port(), "ids": seeded["ids"]}


def _ids_text(ids: dict[str, int]) -> str:
    numbers = sorted(ids.values())
    return f"vorhanden: {len(numbers)} Skizze(n), Nummern {numbers[0]} bis {numbers[-1]}"


# args (with {tmp} and {port}), exit status, the line on stderr: exact, or "…" at its end
# for a prefix (lines naming a temporary path or a driver's own text)
CASES = [
    (
        ["ingest", "/does/not/exist"],
        2,
        "Die Mail-Quelle „/does/not/exist“ gibt es nicht.",
    ),
    (["ingest"], 2, "Den Posteingang „{tmp}/data/inbox“ gibt es nicht: `skizzen serve` legt …"),
    (
        ["ingest", "{tmp}/records.jsonl"],
        2,
        "„{tmp}/records.jsonl“ ist keine E-Mail-Datei (.eml), kein Ordner mit .eml-Dateien und "
        "kein Maildir.",
    ),
    (
        ["ingest", "imap://skizzen:geheim@mail.example.de/INBOX"],
        2,
        "Die Mail-Quelle darf kein Passwort enthalten (imap://skizzen:***@mail.example.de/INBOX)"
        ": das Passwort in SKIZZEN_IMAP_PASSWORD setzen (oder einen Prefect-Secret-Block "
        "nennen: …&secret=NAME).",
    ),
    (
        ["rerun", "--all", "--database-url", "postgresql://u:geheim@127.0.0.1:{port}/x"],
        2,
        "Die Datenbank-URL darf kein Passwort enthalten (postgresql://u:***@127.0.0.1:{port}/x): "
        "das Passwort in SKIZZEN_DATABASE_PASSWORD setzen (oder in ~/.pgpass).",
    ),
    (
        ["rerun", "--all", "--database-url", "mysql://u:geheim@db.example.de/x"],
        2,
        "Datenbank „mysql“ wird nicht unterstützt; unterstützt: SQLite (sqlite:///pfad/"
        "skizzen.db) und PostgreSQL (postgresql+psycopg://benutzer@host/datenbank).",
    ),
    (
        ["export", "--out", "{tmp}/x.jsonl", "--database-url", "das ist keine URL"],
        2,
        "Ungültige Datenbank-URL: erwartet SQLite (sqlite:///pfad/skizzen.db) oder PostgreSQL "
        "(postgresql+psycopg://benutzer@host/datenbank).",
    ),
    (
        ["report", "--out", "{tmp}/r", "--database-url", "postgresql+psycopg2://u@h/x"],
        2,
        "Datenbanktreiber „psycopg2“ wird nicht unterstützt; PostgreSQL: "
        "postgresql+psycopg://benutzer@host/datenbank.",
    ),
    (
        ["rerun", "--all", "--database-url", "postgresql://u@127.0.0.1:{port}/x"],
        1,
        "Datenbank nicht erreichbar: postgresql://u@127.0.0.1:{port}/x (connection failed…",
    ),
    (
        ["rerun", "--from", "2021-13-45"],
        2,
        "Ungültiges Datum „2021-13-45“: erwartet TT.MM.JJJJ oder JJJJ-MM-TT",
    ),
    (
        ["rerun", "--to", "31.02.2021"],
        2,
        "Ungültiges Datum „31.02.2021“: erwartet TT.MM.JJJJ oder JJJJ-MM-TT",
    ),
    (
        ["rerun", "--from", "2021-05-01", "--to", "01.03.2021"],
        2,
        "Zeitraum verkehrt: --from 01.05.2021 liegt nach --to 01.03.2021.",
    ),
    (
        ["rerun", "--call", "NOPE"],
        2,
        "Unbekannter Förderaufruf: NOPE (vorhanden: heimat-2.0, heimat-3.0)",
    ),
    (["rerun", "--sketch", "99999"], 2, "Skizze 99999 gibt es nicht; {known}."),
    (
        ["rerun", "--sketch", "1", "--sketch", "deadbeef00", "--sketch", "99999"],
        2,
        "Skizzen deadbeef00, 99999 gibt es nicht; {known}.",
    ),
    (
        ["rerun", "--sketch", "abc"],
        2,
        "Skizze „abc“: erwartet eine Nummer oder einen SHA-256-Präfix (8 bis 64 Hexziffern).",
    ),
    (
        ["rerun"],
        2,
        "Bitte einen Umfang angeben: --all, --sketch, --call oder --from/--to.",
    ),
    (
        ["export", "--out", "{tmp}/x.csv", "--format", "csv"],
        2,
        "Unbekanntes Format: csv (unterstützt: jsonl)",
    ),
    (
        ["evaluate", "--corpus", "{tmp}"],
        2,
        "„{tmp}“ ist kein gelabeltes Korpus: sketches.jsonl fehlt.",
    ),
]
IDS = [
    "missing-path",
    "missing-inbox",
    "jsonl-not-a-mailbox",
    "imap-url-with-password",
    "database-url-with-password",
    "unsupported-database",
    "unparseable-database-url",
    "unsupported-driver",
    "unreachable-database",
    "invalid-date",
    "impossible-german-date",
    "reversed-dates",
    "unknown-call",
    "unknown-sketch",
    "unknown-sketches",
    "not-a-sketch-reference",
    "no-scope",
    "unknown-format",
    "not-a-corpus",
]


@pytest.mark.parametrize(("args", "status", "line"), CASES, ids=IDS)
def test_a_bad_input_ends_with_one_german_line(
    env: dict[str, Any], args: list[str], status: int, line: str
) -> None:
    fill = {"tmp": env["tmp"], "port": env["port"], "known": _ids_text(env["ids"])}
    result = CliRunner().invoke(app, [a.format(**fill) for a in args])
    assert result.exit_code == status, result.output
    assert "Traceback" not in result.output
    lines = result.stderr.splitlines()
    if status == 1:  # a database server that does not answer: two retries announced first
        assert lines[:2] == ["Datenbank nicht erreichbar, neuer Versuch in 0 s …"] * 2
        lines = lines[2:]
    assert len(lines) == 1, result.stderr
    expected = line.format(**fill)
    if expected.endswith("…"):
        assert lines[0].startswith(expected[:-1]), lines[0]
    else:
        assert lines[0] == expected
    assert "geheim" not in result.stderr  # a password in a URL is never repeated


def test_debug_shows_the_traceback_instead(env: dict[str, Any]) -> None:
    result = CliRunner().invoke(app, ["--debug", "ingest", "/does/not/exist"])
    assert result.exit_code != 0
    assert isinstance(result.exception, UsageError)
    assert result.stderr == ""


def test_a_german_date_range_is_accepted_up_to_the_run(
    env: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    """``--from 01.03.2021`` passes every check; the flow itself is not started here."""
    started: list[Any] = []

    class _Stop(Exception):
        pass

    def launch(config: Any, **_: Any) -> None:
        started.append(config)
        raise _Stop

    monkeypatch.setattr(cli, "_Launch", launch)
    result = CliRunner().invoke(app, ["rerun", "--from", "01.03.2021", "--to", "2021-04-01"])
    assert isinstance(result.exception, _Stop), result.output
    assert len(started) == 1


@pytest.mark.parametrize(
    ("url", "opened"),
    [
        ("sqlite:///var/skizzen.db", "sqlite:///var/skizzen.db"),
        ("sqlite://", "sqlite://"),
        ("postgresql://u@h/x", "postgresql+psycopg://u@h/x"),
        ("postgres://u@h:5433/x", "postgresql+psycopg://u@h:5433/x"),
        ("postgresql+psycopg://u@h/x", "postgresql+psycopg://u@h/x"),
    ],
    ids=["sqlite-file", "sqlite-memory", "postgresql", "postgres-alias", "psycopg"],
)
def test_supported_database_urls(url: str, opened: str) -> None:
    assert checked_url(url).render_as_string() == opened


@pytest.mark.parametrize(
    "url",
    ["", "garbage", "postgresql://u@h:port/x", "mysql://u@h/x", "oracle+cx_oracle://h/x"],
    ids=["empty", "garbage", "bad-port", "mysql", "oracle"],
)
def test_unsupported_database_urls(url: str) -> None:
    with pytest.raises(DatabaseUrlError):
        checked_url(url)


@pytest.mark.parametrize(
    ("exc", "retried"),
    [
        (FileNotFoundError(2, "No such file or directory"), False),
        (NotADirectoryError(20, "Not a directory"), False),
        (PermissionError(13, "Permission denied"), False),
        (ValueError("kaputt"), False),
        (ConnectionResetError(104, "Connection reset by peer"), True),
        (TimeoutError("timed out"), True),
        (OSError(5, "Input/output error"), True),
    ],
    ids=["missing-path", "not-a-folder", "forbidden", "value-error", "reset", "timeout", "io"],
)
def test_only_transient_errors_are_retried(exc: BaseException, retried: bool) -> None:
    from flows.tasks import _transient

    class _State:
        def result(self, raise_on_failure: bool = True) -> BaseException:
            return exc

    assert _transient(None, None, _State()) is retried


def test_a_missing_path_fails_fast_in_a_real_process(tmp_path: Path) -> None:
    """The command as staff run it: no Prefect server, no retries, one line."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SKIZZEN_", "PREFECT_API"))}
    cmd = [sys.executable, "-m", "skizzen.doors.cli", "ingest", "/does/not/exist"]
    started = time.monotonic()
    done = subprocess.run(
        [*cmd, "--data-dir", str(tmp_path / "data")],
        cwd=REPO,
        env={**env, "PYTHONPATH": str(REPO)},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    print(f"skizzen ingest /does/not/exist: {time.monotonic() - started:.2f} s")
    assert done.returncode == 2, done.stderr
    assert done.stderr == "Die Mail-Quelle „/does/not/exist“ gibt es nicht.\n"
    assert not (tmp_path / "data" / "skizzen.db").exists()  # the database was not touched
