"""No password in a URL: refused at the edge (one German line, exit 2, no flow run), by the
flows' parameter schema (what the Prefect server enforces for deployments), and the
database password taken from the settings where the connection is made."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from skizzen.doors import cli
from skizzen.doors.cli import app
from skizzen.settings import (
    NO_PASSWORD_PATTERN,
    PasswordInUrl,
    RuntimeConfig,
    has_password,
    load_runtime,
    redact_url,
)

URLS = [
    ("postgresql+psycopg://skizzen:geheim@db.example.de:5432/skizzen", True,
     "postgresql+psycopg://skizzen:***@db.example.de:5432/skizzen"),
    ("postgresql://skizzen@db.example.de/skizzen", False, None),
    ("imap://anna:geheim@mail.example.de/INBOX", True, "imap://anna:***@mail.example.de/INBOX"),
    ("imap://anna@mail.example.de:993/INBOX?processed=a@b", False, None),
    ("imap://anna%40amt.de:ge:heim@mail.example.de/INBOX", True,
     "imap://anna%40amt.de:***@mail.example.de/INBOX"),
    ("imap://a@b:geheim@mail.example.de/INBOX", True, "imap://a@b:***@mail.example.de/INBOX"),
    ("imap://anna:@mail.example.de/INBOX", False, None),
    ("sqlite:////srv/a:b@c/skizzen.db", False, None),
    ("/srv/mail/x:y@z", False, None),
]  # fmt: skip
URL_IDS = [
    "pg-password",
    "pg-none",
    "imap-password",
    "imap-at-in-query",
    "imap-colon-in-password",
    "imap-at-in-user",
    "imap-empty-password",
    "sqlite-path",
    "folder",
]


@pytest.mark.parametrize(("url", "secret", "redacted"), URLS, ids=URL_IDS)
def test_password_in_url(url: str, secret: bool, redacted: str | None) -> None:
    assert has_password(url) is secret
    # the JSON Schema pattern (the Prefect server applies it with re.search) agrees
    assert (re.search(NO_PASSWORD_PATTERN, url) is None) is secret
    if redacted:
        assert redact_url(url) == redacted
        assert "geheim" not in redact_url(url)


@pytest.mark.parametrize(
    ("field", "url"),
    [
        ("database_url", "postgresql+psycopg://u:geheim@h/x"),
        ("default_source", "imap://u:geheim@h/INBOX"),
    ],
    ids=["database", "source"],
)
def test_a_config_never_holds_a_password(field: str, url: str) -> None:
    """Also as a flow parameter: the error names no password (a pydantic ValidationError
    would repeat its input, and Prefect logs why a run's parameters were refused)."""
    from pydantic import validate_call

    base = load_runtime(data_dir=Path("/tmp/skizzen-x")).model_dump()
    with pytest.raises(PasswordInUrl, match="darf kein Passwort enthalten") as info:
        RuntimeConfig(**(base | {field: url}))
    assert "geheim" not in str(info.value)

    @validate_call
    def flow(config: RuntimeConfig | None = None) -> None:
        """Parameters as Prefect validates them."""

    with pytest.raises(PasswordInUrl) as info:
        flow(config=base | {field: url})
    assert "geheim" not in str(info.value)
    assert RuntimeConfig.model_json_schema()["properties"][field]["pattern"] == NO_PASSWORD_PATTERN


def _flow_schema(flow: Any) -> dict[str, Any]:
    from prefect.utilities.callables import parameter_schema

    return parameter_schema(flow).model_dump()


@pytest.mark.parametrize(
    ("flow", "parameters", "refused"),
    [
        ("ingest", {"source": "imap://u:geheim@h/INBOX"}, True),
        ("ingest", {"source": "imap://u@h/INBOX?security=tls"}, False),
        ("ingest", {"source": "/srv/skizzen/inbox"}, False),
        ("ingest", {"config": {"database_url": "postgresql://u:geheim@h/x"}}, True),
        ("rerun", {"config": {"database_url": "postgresql://u:geheim@h/x"}}, True),
        ("rerun", {"config": {"default_source": "imap://u:geheim@h/INBOX"}}, True),
        ("rerun", {"scope": {"mode": "all"}}, False),
    ],
    ids=[
        "source-password",
        "source-imap",
        "source-folder",
        "ingest-config-password",
        "rerun-config-password",
        "rerun-config-source-password",
        "rerun-scope",
    ],
)
def test_the_deployment_schema_refuses_a_password(
    flow: str, parameters: dict[str, Any], refused: bool
) -> None:
    """What the Prefect server checks before it creates a flow run from a deployment
    (``enforce_parameter_schema: true`` in prefect.yaml)."""
    from prefect.utilities.schema_tools import ValidationError, validate

    from flows.ingest import ingest_sketches
    from flows.rerun import rerun_extraction

    config = load_runtime(data_dir=Path("/tmp/skizzen-x")).model_dump(mode="json")
    if "config" in parameters:
        parameters = {"config": config | parameters["config"]}
    schema = _flow_schema(ingest_sketches if flow == "ingest" else rerun_extraction)
    if refused:
        with pytest.raises(ValidationError, match="does not match"):
            validate(parameters, schema, raise_on_error=True)
    else:
        validate(parameters, schema, raise_on_error=True)


def test_prefect_yaml_enforces_the_parameter_schema() -> None:
    import yaml

    doc = yaml.safe_load((Path(__file__).resolve().parents[3] / "prefect.yaml").read_text())
    assert [d.get("enforce_parameter_schema") for d in doc["deployments"]] == [True, True]


class _NoLaunch:
    """Fails the test if a command gets as far as starting its flow."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        raise AssertionError("a flow was about to start")


DB_LINE = (
    "Die Datenbank-URL darf kein Passwort enthalten (postgresql+psycopg://skizzen:***@"
    "127.0.0.1:5432/skizzen): das Passwort in SKIZZEN_DATABASE_PASSWORD setzen (oder in "
    "~/.pgpass)."
)
SOURCE_LINE = (
    "Die Mail-Quelle darf kein Passwort enthalten (imap://skizzen:***@mail.example.de/INBOX): "
    "das Passwort in SKIZZEN_IMAP_PASSWORD setzen (oder einen Prefect-Secret-Block nennen: "
    "…&secret=NAME)."
)
PG = "postgresql+psycopg://skizzen:geheim@127.0.0.1:5432/skizzen"
IMAP = "imap://skizzen:geheim@mail.example.de/INBOX"


@pytest.mark.parametrize(
    ("args", "env", "line"),
    [
        (["ingest", "{tmp}", "--database-url", PG], {}, DB_LINE),
        (["rerun", "--all", "--database-url", PG], {}, DB_LINE),
        (["evaluate", "--corpus", "{tmp}"], {"SKIZZEN_DATABASE_URL": PG}, "„{tmp}“ ist kein …"),
        (["rerun", "--all"], {"SKIZZEN_DATABASE_URL": PG}, DB_LINE),
        (["export", "--out", "{tmp}/x.jsonl"], {"SKIZZEN_DATABASE_URL": PG}, DB_LINE),
        (["ingest", IMAP], {}, SOURCE_LINE),
        (["ingest", "{tmp}"], {"SKIZZEN_SOURCE": IMAP}, SOURCE_LINE),
        (["serve"], {"SKIZZEN_SOURCE": IMAP}, SOURCE_LINE),
    ],
    ids=[
        "ingest-database-option",
        "rerun-database-option",
        "evaluate-own-database",
        "rerun-database-env",
        "export-database-env",
        "ingest-imap-argument",
        "ingest-imap-default-source",
        "serve-imap-default-source",
    ],
)
def test_a_password_in_a_url_ends_the_command_before_any_flow(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    args: list[str],
    env: dict[str, str],
    line: str,
) -> None:
    monkeypatch.setenv("SKIZZEN_DATA_DIR", str(tmp_path / "data"))
    for key in ("SKIZZEN_DATABASE_URL", "SKIZZEN_SOURCE"):
        monkeypatch.delenv(key, raising=False)
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    monkeypatch.setattr(cli, "_Launch", _NoLaunch)
    result = CliRunner().invoke(app, [a.format(tmp=tmp_path) for a in args])
    expected = line.format(tmp=tmp_path)
    assert "geheim" not in result.output
    assert result.exit_code == 2, result.output
    [got] = result.stderr.splitlines()
    if expected.endswith("…"):  # evaluate uses its own SQLite database: the corpus is next
        assert got.startswith(expected[:-1])
    else:
        assert got == expected


@pytest.mark.parametrize(
    ("url", "env", "expected"),
    [
        ("postgresql+psycopg://skizzen@h/x", {"SKIZZEN_DATABASE_PASSWORD": "s3cret"}, "s3cret"),
        ("postgresql+psycopg://skizzen@h/x", {}, None),
        ("postgresql+psycopg://skizzen:own@h/x", {"SKIZZEN_DATABASE_PASSWORD": "s3cret"}, None),
    ],
    ids=["from-settings", "libpq-finds-it", "url-wins"],
)
def test_the_database_password_comes_from_the_settings(
    monkeypatch: pytest.MonkeyPatch, url: str, env: dict[str, str], expected: str | None
) -> None:
    from sqlalchemy.engine import make_url

    from models.db import server_connect_args

    monkeypatch.delenv("SKIZZEN_DATABASE_PASSWORD", raising=False)
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    args = server_connect_args(make_url(url), timeout_s=3)
    assert args.get("password") == expected
    assert args["connect_timeout"] == 3


def test_the_password_setting_is_secret(monkeypatch: pytest.MonkeyPatch) -> None:
    from skizzen.settings import Settings, database_password

    monkeypatch.setenv("SKIZZEN_DATABASE_PASSWORD", "s3cret")
    assert "s3cret" not in repr(Settings())
    assert database_password() == "s3cret"
    assert "s3cret" not in load_runtime().model_dump_json()


def test_the_refusal_is_not_retried() -> None:
    """The flows' tasks retry only transient failures (OS and database connection errors)."""
    from flows.tasks import PERMANENT, TRANSIENT

    assert not issubclass(PasswordInUrl, (*TRANSIENT, *PERMANENT))
