"""Fixtures of the data-access tests: the review factory's database on SQLite and on
PostgreSQL (``db_url``)."""

from __future__ import annotations

from pathlib import Path

import pytest

from skizzen.settings import RuntimeConfig
from tests.web.factory import build, cheap_hashing, make_config


@pytest.fixture()
def seeded(db_url: str, tmp_path: Path) -> tuple[RuntimeConfig, dict[str, int]]:
    """The factory's three sketches and two users (``tests.web.factory``); key → id."""
    config = make_config(tmp_path, db_url)
    with cheap_hashing():
        ids = build(config)
    return config, ids
