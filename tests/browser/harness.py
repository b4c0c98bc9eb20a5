"""What the browser tests share: Debian's Chromium, the demo site and logging in.

The demo mailbox is ingested once per test module through the pipeline functions into a temp
database; the app runs under uvicorn in a thread on a free local port (``conftest.py`` makes
the fixtures). Screenshots go to ``$SKIZZEN_SCREENSHOT_DIR`` (default ``var/screenshots``).
"""

from __future__ import annotations

import os
import socket
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from skizzen.settings import RuntimeConfig
from tests.web.factory import PASSWORD

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
REPO = Path(__file__).resolve().parents[2]
SCREENSHOTS = Path(os.environ.get("SKIZZEN_SCREENSHOT_DIR", REPO / "var" / "screenshots"))


@dataclass
class Site:
    base: str
    config: RuntimeConfig
    sketches: dict[str, int]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def ingest_demo(config: RuntimeConfig, mail: Path) -> None:
    """The pipeline steps of the ingest flow, without Prefect."""
    from skizzen.steps import intake as intake_step
    from skizzen.steps import pipeline, versions

    stored = intake_step.intake(config, source=str(mail), run_id=None)
    made = pipeline.receive_messages(config, message_pks=stored.message_pks, run_id=None)
    versions.link_versions(config)
    pipeline.check_sketches(
        config, sketch_ids=made["extracted_ids"], run_id=None, data_docs_dir=None
    )


def login(page: Any, site: Site, user: str, password: str = PASSWORD) -> None:
    page.goto(site.base + "/")
    page.fill("#benutzer", user)
    page.fill("#passwort", password)
    page.click("button:has-text('Anmelden')")
