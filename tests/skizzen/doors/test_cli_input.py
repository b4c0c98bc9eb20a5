"""What a command takes in, checked before any flow starts: each bad input is one German line
(a :class:`UsageError` with its exit status), each good one reaches the command as given.
The same lines as the commands print them: ``test_cli_errors.py``."""

from __future__ import annotations

import socket
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from models.db import get_engine, init_db
from skizzen.doors import cli_input
from skizzen.doors.cli_input import (
    UsageError,
    check_scope,
    edge_config,
    german_day,
    mail_source,
    parse_day,
    reach_database,
    rerun_scope,
)
from skizzen.steps.scope import RerunScope


@pytest.fixture()
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Settings from a fresh data folder, no database URL or source set, no retry waits."""
    monkeypatch.setenv("SKIZZEN_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("SKIZZEN_DATABASE_URL", raising=False)
    monkeypatch.delenv("SKIZZEN_SOURCE", raising=False)
    monkeypatch.setattr(cli_input, "DB_RETRY_DELAYS", (0.0, 0.0))
    return tmp_path


def _free_port() -> int:
    """A loopback port nobody listens on (bound and released: connecting is refused)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


BAD_SKETCH = "Skizze „{}“: erwartet eine Nummer oder einen SHA-256-Präfix (8 bis 64 Hexziffern)."
BAD_DATE = "Ungültiges Datum „{}“: erwartet TT.MM.JJJJ oder JJJJ-MM-TT"
MARCH_1, APRIL_1 = date(2021, 3, 1), date(2021, 4, 1)


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("2021-03-01", date(2021, 3, 1)),
        ("01.03.2021", date(2021, 3, 1)),
        ("1.3.2021", date(2021, 3, 1)),
        (" 31.12.2021 ", date(2021, 12, 31)),
        ("29.02.2024", date(2024, 2, 29)),
    ],
    ids=["iso", "german", "german-short", "spaces", "leap-day"],
)
def test_dates_are_iso_or_german(text: str, day: date) -> None:
    assert parse_day(text) == day


@pytest.mark.parametrize(
    "text",
    ["2021-13-45", "29.02.2021", "1.3.21", "2021/03/01", "03/01/2021", "gestern", ""],
    ids=["month-13", "no-leap-day", "two-digit-year", "slashes", "us", "word", "empty"],
)
def test_other_dates_are_refused(text: str) -> None:
    with pytest.raises(UsageError) as info:
        parse_day(text)
    assert str(info.value) == BAD_DATE.format(text)
    assert info.value.status == 2


@pytest.mark.parametrize(
    ("day", "text"),
    [(date(2021, 3, 1), "01.03.2021"), (date(2024, 12, 31), "31.12.2024")],
    ids=["padded", "year-end"],
)
def test_days_are_written_as_staff_write_them(day: date, text: str) -> None:
    assert german_day(day) == text


NO_OPTIONS: dict[str, Any] = {
    "all_": False,
    "sketches": None,
    "call": None,
    "received_from": None,
    "received_to": None,
}


@pytest.mark.parametrize(
    ("options", "scope"),
    [
        ({"all_": True}, {"mode": "all"}),
        ({"sketches": ["7", "DEADBEEF00"]}, {"mode": "sketches", "sketches": ["7", "deadbeef00"]}),
        ({"sketches": ["7"], "call": "h-2", "all_": True}, {"mode": "sketches", "sketches": ["7"]}),
        ({"call": "h-2", "received_from": "2021-03-01"}, {"mode": "call", "call_id": "h-2"}),
        ({"received_from": "01.03.2021"}, {"mode": "received", "received_from": MARCH_1}),
        ({"received_to": "2021-04-01", "all_": True}, {"mode": "received", "received_to": APRIL_1}),
        (
            {"received_from": "1.3.2021", "received_to": "1.3.2021"},
            {"mode": "received", "received_from": MARCH_1, "received_to": MARCH_1},
        ),
    ],
    ids=[
        "all",
        "sketches-lowered",
        "sketches-first",
        "call-before-dates",
        "from-only",
        "dates-before-all",
        "one-day",
    ],
)
def test_the_rerun_scope_is_the_first_option_given(
    options: dict[str, Any], scope: dict[str, Any]
) -> None:
    assert rerun_scope(**(NO_OPTIONS | options)) == RerunScope(**scope)


@pytest.mark.parametrize(
    ("options", "line"),
    [
        ({}, "Bitte einen Umfang angeben: --all, --sketch, --call oder --from/--to."),
        ({"sketches": ["abc"]}, BAD_SKETCH.format("abc")),
        ({"sketches": ["1", "deadbeef", "x" * 8]}, BAD_SKETCH.format("x" * 8)),
        ({"sketches": ["f" * 65]}, BAD_SKETCH.format("f" * 65)),
        (
            {"received_from": "2021-05-01", "received_to": "01.03.2021"},
            "Zeitraum verkehrt: --from 01.05.2021 liegt nach --to 01.03.2021.",
        ),
        ({"all_": True, "received_to": "31.02.2021"}, BAD_DATE.format("31.02.2021")),
        ({"sketches": ["abc"], "received_from": "morgen"}, BAD_DATE.format("morgen")),
    ],
    ids=[
        "nothing",
        "not-a-reference",
        "one-bad-among-good",
        "longer-than-sha256",
        "reversed-dates",
        "bad-date-beside-all",
        "dates-checked-first",
    ],
)
def test_a_bad_rerun_scope_is_one_line(options: dict[str, Any], line: str) -> None:
    with pytest.raises(UsageError) as info:
        rerun_scope(**(NO_OPTIONS | options))
    assert (str(info.value), info.value.status) == (line, 2)


@pytest.mark.parametrize(
    ("url", "line"),
    [
        ("postgresql://u:geheim@127.0.0.1/x",
         "Die Datenbank-URL darf kein Passwort enthalten (postgresql://u:***@127.0.0.1/x): "
         "das Passwort in SKIZZEN_DATABASE_PASSWORD setzen (oder in ~/.pgpass)."),
        ("mysql://u:geheim@db.example.de/x",
         "Datenbank „mysql“ wird nicht unterstützt; unterstützt: SQLite (sqlite:///pfad/"
         "skizzen.db) und PostgreSQL (postgresql+psycopg://benutzer@host/datenbank)."),
        ("das ist keine URL",
         "Ungültige Datenbank-URL: erwartet SQLite (sqlite:///pfad/skizzen.db) oder PostgreSQL "
         "(postgresql+psycopg://benutzer@host/datenbank)."),
    ],
    ids=["password", "unsupported-database", "unparseable"],
)  # fmt: skip
def test_a_bad_database_url_is_refused_before_any_connection(
    env: Path, url: str, line: str
) -> None:
    with pytest.raises(UsageError) as info:
        edge_config(url, None, connect=False)
    assert (str(info.value), info.value.status) == (line, 2)


@pytest.mark.parametrize(
    ("url", "data_dir", "expected"),
    [
        (None, None, "sqlite:///{tmp}/data/skizzen.db"),
        (None, "{tmp}/other", "sqlite:///{tmp}/other/skizzen.db"),
        ("sqlite:///{tmp}/own.db", None, "sqlite:///{tmp}/own.db"),
    ],
    ids=["settings", "data-dir-option", "database-option"],
)
def test_the_options_go_on_top_of_the_settings(
    env: Path, url: str | None, data_dir: str | None, expected: str
) -> None:
    config = edge_config(
        url.format(tmp=env) if url else None,
        Path(data_dir.format(tmp=env)) if data_dir else None,
        connect=False,
    )
    assert config.database_url == expected.format(tmp=env)


def test_a_database_server_that_does_not_answer_is_tried_three_times(
    env: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url = f"postgresql://u@127.0.0.1:{_free_port()}/x"
    with pytest.raises(UsageError) as info:
        reach_database(url)
    assert info.value.status == 1
    assert str(info.value).startswith(f"Datenbank nicht erreichbar: {url} (")
    retries = capsys.readouterr().err.splitlines()
    assert retries == ["Datenbank nicht erreichbar, neuer Versuch in 0 s …"] * 2


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("{tmp}/mail", "{tmp}/mail"),
        ("{tmp}/mail/../mail", "{tmp}/mail"),
        (None, "{tmp}/data/inbox"),
    ],
    ids=["folder", "made-absolute", "inbox"],
)
def test_a_mail_source_is_checked_and_made_absolute(
    env: Path, source: str | None, expected: str
) -> None:
    folder = Path(expected.format(tmp=env))
    folder.mkdir(parents=True)
    given = source.format(tmp=env) if source else None
    assert mail_source(given, edge_config(None, None, connect=False)) == str(folder)


@pytest.mark.parametrize(
    ("source", "line"),
    [
        ("/does/not/exist", "Die Mail-Quelle „/does/not/exist“ gibt es nicht."),
        (None, "Den Posteingang „{tmp}/data/inbox“ gibt es nicht: `skizzen serve` legt …"),
        ("imap://skizzen:geheim@mail.example.de/INBOX",
         "Die Mail-Quelle darf kein Passwort enthalten (imap://skizzen:***@mail.example.de/INBOX)"
         ": das Passwort in SKIZZEN_IMAP_PASSWORD setzen (oder einen Prefect-Secret-Block "
         "nennen: …&secret=NAME)."),
    ],
    ids=["missing-path", "missing-inbox", "imap-password"],
)  # fmt: skip
def test_a_bad_mail_source_is_one_line(env: Path, source: str | None, line: str) -> None:
    with pytest.raises(UsageError) as info:
        mail_source(source, edge_config(None, None, connect=False))
    expected = line.format(tmp=env)
    got = str(info.value)
    assert got.startswith(expected[:-1]) if expected.endswith("…") else got == expected
    assert info.value.status == 2
    assert "geheim" not in got


@pytest.mark.parametrize(
    ("scope", "line"),
    [
        (RerunScope(mode="all"), None),
        (RerunScope(mode="received", received_from=date(2021, 3, 1)), None),
        (RerunScope(mode="sketches", sketches=["1"]),
         "Skizze 1 gibt es nicht; die Datenbank enthält noch keine Skizzen."),
        (RerunScope(mode="sketches", sketches=["2", "deadbeef"]),
         "Skizzen 2, deadbeef gibt es nicht; die Datenbank enthält noch keine Skizzen."),
        (RerunScope(mode="call", call_id="heimat-2.0"),
         "Unbekannter Förderaufruf: heimat-2.0 (vorhanden: keiner)"),
    ],
    ids=["all", "received", "unknown-sketch", "unknown-sketches", "unknown-call"],
)  # fmt: skip
def test_a_scope_the_empty_database_does_not_know_is_an_error(
    env: Path, scope: RerunScope, line: str | None
) -> None:
    config = edge_config(None, None)
    init_db(get_engine(config.database_url))
    try:
        if line is None:
            check_scope(config, scope)
            return
        with pytest.raises(UsageError) as info:
            check_scope(config, scope)
        assert (str(info.value), info.value.status) == (line, 2)
    finally:
        get_engine(config.database_url).dispose()
