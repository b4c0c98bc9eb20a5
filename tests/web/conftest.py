"""Fixtures of the review-page tests: a seeded database copied per test, logged-in clients."""

from __future__ import annotations

import shutil
import warnings
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from models.db import get_engine
from skizzen.doors.web.app import create_app
from skizzen.settings import RuntimeConfig
from tests.web.factory import PASSWORD, build, cheap_hashing, csrf_from, make_config

with warnings.catch_warnings():
    # starlette 1.x warns that its TestClient will move from httpx to httpx2; same API for us
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient


@dataclass
class WebEnv:
    config: RuntimeConfig
    ids: dict[str, int]


@pytest.fixture(scope="session", autouse=True)
def _cheap_hashing() -> Iterator[None]:
    with cheap_hashing():
        yield


@pytest.fixture(scope="session")
def _seeded_template(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, int]]:
    base = tmp_path_factory.mktemp("web-template")
    config = make_config(base)
    ids = build(config)
    get_engine(config.database_url).dispose()
    return base, ids


@pytest.fixture()
def web_env(_seeded_template: tuple[Path, dict[str, int]], tmp_path: Path) -> Iterator[WebEnv]:
    """A private copy of the seeded database and blob store for one test."""
    src, ids = _seeded_template
    shutil.copytree(src / "data", tmp_path / "data")
    config = make_config(tmp_path)
    yield WebEnv(config=config, ids=ids)
    get_engine(config.database_url).dispose()


def login(client: TestClient, name: str, password: str = PASSWORD) -> str:
    """Log in through the form; returns the session's CSRF token."""
    page = client.get("/login")
    r = client.post(
        "/login",
        data={"benutzer": name, "passwort": password, "csrf_token": csrf_from(page.text)},
        follow_redirects=False,
    )
    assert r.status_code == 303, r.text
    return csrf_from(client.get("/pruefliste").text)


@pytest.fixture()
def make_client(web_env: WebEnv) -> Iterator[Callable[..., TestClient]]:
    """Clients of a fresh app over ``web_env``; ``make_client("anna")`` is logged in."""
    clients: list[TestClient] = []

    def make(user: str | None = None, **options: object) -> TestClient:
        """``options`` override settings of the page (e.g. ``cookie_secure=True``)."""
        config = web_env.config.model_copy(update=options)
        client = TestClient(create_app(config), follow_redirects=False)
        client.__enter__()
        clients.append(client)
        if user:
            client.csrf = login(client, user)  # type: ignore[attr-defined]
        return client

    yield make
    for c in clients:
        c.__exit__(None, None, None)
