"""Out of the box: ``skizzen serve`` creates the nightly run's inbox and says where it is; the
nightly ingest of an empty inbox succeeds with "0 neue Nachrichten", a missing one fails at
once (not retried, no run recorded)."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from rich.console import Console
from typer.testing import CliRunner

from skizzen.doors import cli, serve
from skizzen.doors.cli import app
from skizzen.settings import load_runtime


@pytest.fixture()
def data(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh data folder through the settings, with the default source and database."""
    monkeypatch.setenv("SKIZZEN_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("SKIZZEN_DATABASE_URL", raising=False)
    monkeypatch.delenv("SKIZZEN_SOURCE", raising=False)
    return tmp_path / "data"


class _FakeStack:
    """Stands in for the Prefect stack: starts nothing, ends at once."""

    def __init__(self, cfg: serve.ServeConfig) -> None:
        self.children: dict[str, Any] = {}

    def start(self) -> None:
        pass

    def supervise(self) -> int:
        return 0


def test_serve_creates_the_inbox_and_says_where_mail_goes(
    data: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(serve, "Stack", _FakeStack)
    result = CliRunner().invoke(app, ["serve", "--no-web"])
    assert result.exit_code == 0, result.output
    inbox = data / "inbox"
    assert inbox.is_dir()
    assert f"Posteingang des nächtlichen Laufs: {inbox}" in result.stdout
    assert "PREFECT_API_URL=http://127.0.0.1:4200/api" in result.stdout


def test_serve_on_a_busy_port_says_so_in_one_line(
    data: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def busy(cfg: serve.ServeConfig) -> int:
        raise serve.PortBusy("Port 127.0.0.1:4200 ist belegt – läuft schon ein Server?")

    monkeypatch.setattr(serve, "serve", busy)
    result = CliRunner().invoke(app, ["serve"])
    assert result.exit_code == 1
    assert result.stderr == "Port 127.0.0.1:4200 ist belegt – läuft schon ein Server?\n"


@pytest.mark.flows
@pytest.mark.slow
def test_the_nightly_ingest_of_an_empty_inbox_succeeds(
    prefect_harness: None, data: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """As the deployment runs it: no parameters, the settings read in the flow. (Not capsys:
    Prefect's log handler would keep its stream after the test.)"""
    from flows.ingest import ingest_sketches

    (data / "inbox").mkdir(parents=True)
    summary = ingest_sketches()
    assert summary["steps"]["intake"]["new_messages"] == 0
    assert summary["outcomes"] == {}
    out = io.StringIO()
    monkeypatch.setattr(cli, "console", Console(file=out, width=200))
    cli._print_summary(summary)
    assert "0 neue Nachrichten (0 gelesen)" in out.getvalue().splitlines()


@pytest.mark.flows
def test_the_nightly_ingest_of_a_missing_inbox_fails_at_once(
    prefect_harness: None, data: Path
) -> None:
    from flows.ingest import ingest_sketches
    from skizzen.intake.sources import SourceError

    with pytest.raises(SourceError, match=r"^Den Posteingang „.*“ gibt es nicht: `skizzen serve`"):
        ingest_sketches()
    assert not Path(load_runtime().database_url.removeprefix("sqlite:///")).exists()
