"""A real Prefect server + process worker for tests, started the way ``make serve`` does it.

Uses ``skizzen.doors.serve.Stack`` itself (server, health wait, work pool, ``prefect deploy --all``,
worker), on a free loopback port with state in a temporary folder; UI and review page off,
and the worker polls every second so a triggered run starts at once.
"""

from __future__ import annotations

import socket
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from skizzen.doors.serve import ServeConfig, Stack


def free_port() -> int:
    """A port on 127.0.0.1 nobody listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def prefect_stack(data_dir: Path, *, ui: bool = False) -> Iterator[Stack]:
    """Start server, pool, deployments and worker; the test's own client talks to it."""
    from prefect.settings import PREFECT_API_URL, temporary_settings

    cfg = ServeConfig(
        data_dir=data_dir, port=free_port(), ui=ui, web_port=None, worker_poll_seconds=1
    )
    with Stack(cfg, web=False) as stack, temporary_settings({PREFECT_API_URL: cfg.api_url}):
        yield stack
