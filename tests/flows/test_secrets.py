"""No password reaches Prefect: mail from a real IMAP server (Dovecot) ingested into a real
PostgreSQL whose role needs a password, through the CLI (the flow in-process) and through
the deployments on a real Prefect server and worker (the flow reads the settings itself).

Both passwords are only in the settings (SKIZZEN_DATABASE_PASSWORD, SKIZZEN_IMAP_PASSWORD).
Afterwards every flow run's parameters, every log, every artifact, and the task runs,
events, deployments, work pools, variables and blocks are read back through the Prefect
client and searched for either password. A URL that does hold one is refused before any
flow run exists: by the CLI (one German line, exit 2) and, for a "Custom run" of a
deployment, by the server (the parameter schema).
"""

from __future__ import annotations

import shutil
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from skizzen.doors.cli import app
from skizzen.doors.serve import ServeConfig, Stack
from skizzen.settings import load_runtime
from tests.servers.dovecot import DovecotServer, dovecot_available, synthetic_mail
from tests.servers.postgres import PgCluster
from tests.servers.prefect_server import free_port

pytestmark = [
    pytest.mark.prefect_server,
    pytest.mark.postgres,
    pytest.mark.imap,
    pytest.mark.slow,
    pytest.mark.timeout(900),
]

DB_PASSWORD = "Pg-Geheimnis-4711-xq"
IMAP_PASSWORD = "Imap-Geheimnis-0815-zv"


@pytest.fixture(scope="module")
def database(pg_cluster: PgCluster) -> Iterator[str]:
    """A database owned by a role that must give its password (scram over TCP), while the
    cluster trusts everyone else; the URL names no password."""
    import psycopg
    from psycopg import sql

    role, name = f"skizzen_{uuid.uuid4().hex[:8]}", f"s_{uuid.uuid4().hex[:8]}"
    hba = pg_cluster.datadir / "pg_hba.conf"
    original = hba.read_text()
    admin = {"host": "127.0.0.1", "port": pg_cluster.port, "user": "postgres"}
    with psycopg.connect(**admin, dbname="postgres", autocommit=True) as conn:
        conn.execute(
            sql.SQL("CREATE ROLE {} LOGIN PASSWORD {}").format(
                sql.Identifier(role), sql.Literal(DB_PASSWORD)
            )
        )
        create = sql.SQL("CREATE DATABASE {} OWNER {}")
        conn.execute(create.format(sql.Identifier(name), sql.Identifier(role)))
        hba.write_text(f"host all {role} 127.0.0.1/32 scram-sha-256\n{original}")
        conn.execute("SELECT pg_reload_conf()")
    try:
        yield f"postgresql+psycopg://{role}@127.0.0.1:{pg_cluster.port}/{name}"
    finally:
        hba.write_text(original)
        with psycopg.connect(**admin, dbname="postgres", autocommit=True) as conn:
            conn.execute("SELECT pg_reload_conf()")


@pytest.fixture(scope="module")
def mailbox(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DovecotServer]:
    """Dovecot with the demo mailbox in its INBOX; its own password."""
    if not dovecot_available():
        pytest.skip("dovecot-imapd is not installed (apt-get install -y dovecot-imapd)")
    from lab.demo import make_demo_mailbox
    from tests.servers.dovecot import as_crlf

    root = Path(tempfile.mkdtemp(prefix="skizzen-dovecot-"))  # not tmp_path: see tests/imap
    server = DovecotServer(root, password=IMAP_PASSWORD)
    server.start()
    try:
        mails = make_demo_mailbox(tmp_path_factory.mktemp("demo-mail"))
        server.append([as_crlf(p.read_bytes()) for p in mails])
        yield server
    finally:
        server.stop()
        shutil.rmtree(root, ignore_errors=True)


def _imap_url(server: DovecotServer) -> str:
    return f"imap://{server.user}@{server.host}:{server.port}/INBOX?security=plain"


def _with_password(url: str, password: str) -> str:
    scheme, rest = url.split("://", 1)
    user, host = rest.split("@", 1)
    return f"{scheme}://{user}:{password}@{host}"


@pytest.fixture(scope="module")
def stack(
    tmp_path_factory: pytest.TempPathFactory, database: str, mailbox: DovecotServer
) -> Iterator[Stack]:
    """Server, deployments and worker; the passwords only in the settings (environment) of
    this process and of the worker's flow runs. The CLI talks to this server."""
    from prefect.settings import PREFECT_API_URL, temporary_settings

    data = tmp_path_factory.mktemp("secrets") / "data"
    settings = {
        "SKIZZEN_DATABASE_URL": database,
        "SKIZZEN_DATABASE_PASSWORD": DB_PASSWORD,
        "SKIZZEN_IMAP_PASSWORD": IMAP_PASSWORD,
        "SKIZZEN_SOURCE": _imap_url(mailbox),  # what the nightly run reads
        "SKIZZEN_DATA_DIR": str(data),
    }
    cfg = ServeConfig(
        data_dir=data, port=free_port(), ui=False, web_port=None, worker_poll_seconds=1
    )
    with pytest.MonkeyPatch.context() as mp:
        for key, value in settings.items():
            mp.setenv(key, value)
        mp.setenv("PREFECT_API_URL", cfg.api_url)  # the CLI: no temporary server of its own
        mp.delenv("PGPASSWORD", raising=False)
        with Stack(cfg, web=False) as running, temporary_settings({PREFECT_API_URL: cfg.api_url}):
            yield running


def _flow_run_ids() -> set[Any]:
    """Flow runs someone created (the scheduler's runs of the nightly deployment come and
    go on their own, whatever a test does)."""
    from prefect.client.orchestration import get_client

    with get_client(sync_client=True) as client:
        return {r.id for r in client.read_flow_runs(limit=200) if not r.auto_scheduled}


def test_the_role_really_needs_its_password(database: str) -> None:
    import psycopg
    from sqlalchemy.engine import make_url

    url = make_url(database)
    where = {"host": url.host, "port": url.port, "user": url.username, "dbname": url.database}
    with pytest.raises(psycopg.OperationalError, match="password"):
        psycopg.connect(**where, password="falsch").close()
    psycopg.connect(**where, password=DB_PASSWORD).close()


def test_a_password_in_a_url_is_refused_before_any_flow_run(
    stack: Stack, database: str, mailbox: DovecotServer
) -> None:
    from prefect.client.orchestration import get_client
    from prefect.exceptions import PrefectHTTPStatusError

    before = _flow_run_ids()
    runner = CliRunner()
    db_url = _with_password(database, DB_PASSWORD)
    source = _with_password(_imap_url(mailbox), IMAP_PASSWORD)
    for args, start in (
        (["rerun", "--all", "--database-url", db_url], "Die Datenbank-URL darf kein Passwort"),
        (["ingest", source], "Die Mail-Quelle darf kein Passwort"),
    ):
        result = runner.invoke(app, args)
        assert result.exit_code == 2, result.output
        [line] = result.stderr.splitlines()
        assert line.startswith(start)
        assert DB_PASSWORD not in line and IMAP_PASSWORD not in line
    # a "Custom run" of a deployment: the server checks the parameters against the schema
    config = load_runtime().model_dump(mode="json") | {"database_url": db_url}
    with get_client(sync_client=True) as client:
        for name, parameters in (
            ("ingest_sketches/nightly", {"source": source}),
            ("rerun_extraction/on-demand", {"config": config}),
        ):
            deployment = client.read_deployment_by_name(name)
            with pytest.raises(PrefectHTTPStatusError) as info:
                client.create_flow_run_from_deployment(deployment.id, parameters=parameters)
            assert info.value.response.status_code == 409, name
    assert _flow_run_ids() == before


def _pages(read: Any, **kwargs: Any) -> list[Any]:
    out: list[Any] = []
    while True:
        page = read(limit=200, offset=len(out), **kwargs)
        out += page
        if len(page) < 200:
            return out


def _everything_prefect_keeps() -> list[tuple[str, str]]:
    """(what, its JSON) for every object of the server a secret could have got into."""
    from prefect.client.orchestration import get_client

    with get_client(sync_client=True) as client:
        found: list[tuple[str, Any]] = [
            *(("flow run", r) for r in _pages(client.read_flow_runs)),
            *(("task run", r) for r in _pages(client.read_task_runs)),
            *(("log", r) for r in _pages(client.read_logs)),
            *(("artifact", r) for r in _pages(client.read_artifacts)),
            *(("deployment", r) for r in client.read_deployments()),
            *(("work pool", r) for r in client.read_work_pools()),
            *(("variable", r) for r in client.read_variables()),
            *(("block", r) for r in client.read_block_documents()),
        ]
        page = client.read_events(limit=50)  # the most the API gives per page
        events = list(page.events)
        while page.next_page:
            page = client.read_events_page(page.next_page)
            events += page.events
        found += [("event", e) for e in events]
    return [(what, obj.model_dump_json()) for what, obj in found]


def _flush_logs() -> None:
    """The CLI's run logs in the background: send what is queued before reading logs."""
    from prefect.events.worker import EventsWorker
    from prefect.logging.handlers import APILogWorker

    APILogWorker.drain_all(timeout=30)
    EventsWorker.drain_all(timeout=30)


def test_no_password_in_any_parameter_log_or_artifact(
    stack: Stack, database: str, mailbox: DovecotServer
) -> None:
    import psycopg
    from prefect.deployments import run_deployment
    from sqlalchemy.engine import make_url

    result = CliRunner().invoke(app, ["ingest", _imap_url(mailbox)])
    assert result.exit_code == 0, result.output
    mailbox.append([synthetic_mail(i) for i in (1, 2)])  # for the nightly run
    for name, parameters in (
        ("ingest_sketches/nightly", {}),
        ("rerun_extraction/on-demand", {"scope": {"mode": "all"}}),
    ):
        run = run_deployment(name, parameters=parameters, timeout=300, poll_interval=1)
        assert run.state.is_completed(), (name, run.state)
    url = make_url(database)
    with psycopg.connect(
        host=url.host, port=url.port, user=url.username, dbname=url.database, password=DB_PASSWORD
    ) as conn:
        [(messages,)] = conn.execute("SELECT count(*) FROM message").fetchall()
    assert messages == 9  # 7 demo mails by the CLI, 2 by the nightly run
    _flush_logs()

    kept = _everything_prefect_keeps()
    for secret in (DB_PASSWORD, IMAP_PASSWORD):
        leaks = [(what, text[:300]) for what, text in kept if secret in text]
        assert not leaks, leaks

    # and the search looked at the real thing: parameters with the URLs, the runs' logs
    # (progress lines too) and their artifacts (sketches linked to the review page)
    texts = {what: [t for w, t in kept if w == what] for what, _ in kept}
    assert sum(url.username in t and database.split("@")[1] in t for t in texts["flow run"]) >= 2
    assert any(_imap_url(mailbox).split("?")[0] in t for t in texts["flow run"])
    assert any("Verarbeitung: 6/6 Nachrichten" in t for t in texts["log"])  # the CLI's run
    assert any("Eingang: 2/2 Nachrichten" in t for t in texts["log"])  # the nightly run's
    assert any("/skizze/" in t for t in texts["artifact"])
