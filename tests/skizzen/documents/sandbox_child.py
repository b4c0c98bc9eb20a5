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
        if request == "env":
            return dict(os.environ)
        if request == "status":  # capabilities and no_new_privs as the kernel sees them
            with open("/proc/self/status", encoding="ascii") as fh:
                return dict(line.rstrip("\n").split(":\t", 1) for line in fh if ":\t" in line)
        return {"greeting": greeting, "echo": request, "asked": asked, "pid": os.getpid()}

    serve(read_fd, write_fd, handle)
