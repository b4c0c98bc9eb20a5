"""Fixtures of the browser tests (``harness``): per module a demo site, one Chromium, and a
fresh browser context per test."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from typing import Any

import pytest
from sqlmodel import select

from models.db import get_engine, init_db, session_scope
from models.tables import FieldValue, Sketch
from skizzen.settings import load_runtime
from tests.browser.harness import CHROMIUM, CHROMIUM_ARGS, Site, free_port, ingest_demo
from tests.web.factory import XSS, cheap_hashing, seed_users


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    """The demo mailbox ingested, users seeded, the app served; ``sketches``: applicant →
    sketch id. One sketch's title carries a script payload, as if its PDF had."""
    if not CHROMIUM.exists():
        pytest.skip("Debian chromium not installed (apt-get install -y chromium)")
    import uvicorn

    from lab.demo import make_demo_mailbox
    from skizzen.doors.web.app import create_app

    base = tmp_path_factory.mktemp("browser")
    make_demo_mailbox(base / "mail")
    data = base / "data"
    config = load_runtime(data_dir=data, database_url=f"sqlite:///{data / 'review.db'}")
    ingest_demo(config, base / "mail")
    engine = get_engine(config.database_url)
    init_db(engine)
    with session_scope(config.database_url) as s:
        sketches = {}
        for sk in s.exec(select(Sketch)):
            fv = s.exec(
                select(FieldValue).where(
                    FieldValue.sketch_id == sk.id, FieldValue.field == "antragsteller"
                )
            ).one()
            sketches[str(fv.value)] = int(sk.id)  # type: ignore[arg-type]
        # a hostile value as if a PDF had carried it
        target = s.exec(
            select(FieldValue).where(
                FieldValue.sketch_id == sketches["Stadt Kranichsee"],
                FieldValue.field == "projekttitel",
            )
        ).one()
        target.value = XSS
        target.snippet = XSS
        s.add(target)
    with cheap_hashing():
        with session_scope(config.database_url) as s:
            seed_users(s)
        port = free_port()
        server = uvicorn.Server(
            uvicorn.Config(
                create_app(config),
                host="127.0.0.1",
                port=port,
                log_level="warning",
                lifespan="off",
                ws="none",
            )
        )
        thread = threading.Thread(target=server.run, daemon=True)
        thread.start()
        deadline = time.monotonic() + 20
        while not server.started:
            assert time.monotonic() < deadline, "uvicorn did not start"
            time.sleep(0.05)
        try:
            yield Site(base=f"http://127.0.0.1:{port}", config=config, sketches=sketches)
        finally:
            server.should_exit = True
            thread.join(timeout=10)
            engine.dispose()


@pytest.fixture(scope="module")
def browser(site: Site) -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield b
        finally:
            b.close()


@pytest.fixture()
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, accept_downloads=True)
    pg = context.new_page()
    try:
        yield pg
    finally:
        context.close()
