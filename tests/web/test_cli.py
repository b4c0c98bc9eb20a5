"""CLI doors of the review page: ``skizzen user add`` and ``skizzen report``."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from typer.testing import CliRunner

from models.accounts import get_user
from models.db import session_scope
from skizzen.doors.cli import app
from skizzen.doors.web.security import verify_password
from tests.web.conftest import WebEnv


@pytest.fixture()
def cli_env(web_env: WebEnv, monkeypatch: pytest.MonkeyPatch) -> WebEnv:
    """Settings from the environment, as a deployment gives them."""
    monkeypatch.setenv("SKIZZEN_DATABASE_URL", web_env.config.database_url)
    monkeypatch.setenv("SKIZZEN_DATA_DIR", web_env.config.data_dir)
    return web_env


@pytest.mark.parametrize(
    ("args", "password", "code"),
    [
        (["--role", "reviewer"], "lang-genug-123", 0),
        (["--role", "reader"], "lang-genug-123", 0),
        (["--role", "admin"], "lang-genug-123", 2),
        (["--role", "reader"], "kurz", 2),
        (["--role", "reader"], "", 2),
    ],
    ids=["reviewer", "reader", "unknown-role", "short-password", "empty-env"],
)
def test_user_add(
    cli_env: WebEnv, monkeypatch: pytest.MonkeyPatch, args: list[str], password: str, code: int
) -> None:
    monkeypatch.setenv("NEW_PW", password)
    result = CliRunner().invoke(app, ["user", "add", "ben", *args, "--password-env", "NEW_PW"])
    assert result.exit_code == code, result.output
    with session_scope(cli_env.config.database_url) as s:
        user = get_user(s, name="ben")
        if code:
            assert user is None
        else:
            assert user is not None and user.role == args[1]
            assert user.password_hash.startswith("$argon2id$")
            assert verify_password(user.password_hash, password)


def test_user_add_prompts_for_the_password(cli_env: WebEnv) -> None:
    result = CliRunner().invoke(
        app, ["user", "add", "carla", "--role", "reviewer"], input="sehr-geheim\nsehr-geheim\n"
    )
    assert result.exit_code == 0, result.output
    with session_scope(cli_env.config.database_url) as s:
        user = get_user(s, name="carla")
        assert user is not None and verify_password(user.password_hash, "sehr-geheim")


def test_report_command(cli_env: WebEnv, tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["report", "--out", str(tmp_path / "bericht")])
    assert result.exit_code == 0, result.output
    names = sorted(p.name for p in (tmp_path / "bericht").iterdir())
    assert names == ["bericht.html", "skizzen.csv", "skizzen.xlsx"]


def test_options_are_passed_on_not_written_to_the_environment(
    web_env: WebEnv, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``--database-url`` reaches the command as a parameter; the environment stays as it was."""
    monkeypatch.delenv("SKIZZEN_DATABASE_URL", raising=False)
    monkeypatch.delenv("SKIZZEN_DATA_DIR", raising=False)
    monkeypatch.chdir(tmp_path)  # the default database (./var) would be empty
    out = tmp_path / "bericht"
    url = web_env.config.database_url
    result = CliRunner().invoke(app, ["report", "--out", str(out), "--database-url", url])
    assert result.exit_code == 0, result.output
    rows = (out / "skizzen.csv").read_text(encoding="utf-8-sig").splitlines()
    assert len(rows) == 1 + len(web_env.ids)
    assert "SKIZZEN_DATABASE_URL" not in os.environ
    assert "SKIZZEN_DATA_DIR" not in os.environ
