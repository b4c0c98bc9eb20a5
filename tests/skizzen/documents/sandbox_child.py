"""A child for the sandbox tests: echoes, sleeps, dies or says how often it was asked."""

from __future__ import annotations

import os
import time
from typing import Any

from skizzen.documents.sandbox import serve


def main(read_fd: int, write_fd: int, greeting: str) -> None:
    asked = 0

    def handle(request: Any) -> Any:
        nonlocal asked
        asked += 1
        if request == "sleep":
            time.sleep(30)
        if request == "die":
            os._exit(3)
        return {"greeting": greeting, "echo": request, "asked": asked, "pid": os.getpid()}

    serve(read_fd, write_fd, handle)
