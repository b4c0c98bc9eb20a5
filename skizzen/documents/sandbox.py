"""Warm child processes for work that must not take the pipeline down with it.

A child is started as ``python -c`` (not ``multiprocessing``), so the parent's ``__main__``
is never re-imported: the pipeline may run in a Prefect flow, a CLI or a test runner. It
is spoken to over two pipes, one request at a time, with a wall-clock limit per request;
a child that overruns it is killed, one that dies is reported with its exit code, and the
next request starts a fresh one. The PDF parser (``skizzen.documents.parsing``) and the
extraction workers (``skizzen.steps.analysis``) are both built on it.

A child reads hostile documents, so it holds no secrets and little power: it sees only an
allow-list of the parent's environment (locale, paths, interpreter switches; never a
password, database URL or token), and before it imports anything else it gives up every
capability and the right to gain new ones (``confine``): run as root, it can still read the
files root owns (the interpreter, the models) but no longer override permissions, signal
other users' processes, change owners or raise its own limits.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from multiprocessing.connection import Connection
from typing import Any

__all__ = [
    "Answer",
    "ChildProcess",
    "WorkerStartError",
    "child_environment",
    "confine",
    "serve",
    "vm_peak_mb",
]

CHILD_ENV_NAMES = frozenset(
    {
        "PATH",
        "HOME",
        "LANG",
        "LANGUAGE",
        "TZ",
        "TMPDIR",
        "PYTHONHASHSEED",
        "PYTHONDONTWRITEBYTECODE",
        "PYTHONUNBUFFERED",
        "PYTHONIOENCODING",
        "PYTHONWARNINGS",
        "PYTHONFAULTHANDLER",
        "OMP_NUM_THREADS",
        "OPENBLAS_NUM_THREADS",
        "MKL_NUM_THREADS",
        "TESSDATA_PREFIX",
        "OMP_THREAD_LIMIT",
    }
)
"""Environment variables a child keeps (besides ``LC_*`` and the ``PYTHONPATH`` it is given)."""
CHILD_ENV_PREFIXES = ("LC_",)


def child_environment(environ: Mapping[str, str]) -> dict[str, str]:
    """What a child may see of ``environ``: the allow-list only, so no setting of the
    project (``SKIZZEN_*``: database URL, IMAP password), of Prefect or of a database
    client reaches code that reads hostile documents."""
    return {
        k: v for k, v in environ.items() if k in CHILD_ENV_NAMES or k.startswith(CHILD_ENV_PREFIXES)
    }


_PR_CAPBSET_DROP = 24
_PR_SET_NO_NEW_PRIVS = 38
_CAP_VERSION_3 = 0x20080522


class _CapHeader(ctypes.Structure):
    _fields_ = [("version", ctypes.c_uint32), ("pid", ctypes.c_int)]


class _CapData(ctypes.Structure):
    _fields_ = [
        ("effective", ctypes.c_uint32),
        ("permitted", ctypes.c_uint32),
        ("inheritable", ctypes.c_uint32),
    ]


def confine() -> dict[str, bool]:
    """Give up every capability and the right to gain new ones (Linux; a no-op elsewhere).

    Why not switch to ``nobody``: the interpreter may live where only root may look (here
    under /root), and a child must still import lazily. A root process without
    capabilities keeps access to what root owns and nothing beyond. Returns what was done,
    for the tests; a step the kernel refuses (a container that already dropped it) is left.
    """
    done = {"no_new_privs": False, "capabilities": False}
    if not sys.platform.startswith("linux"):
        return done
    try:
        libc = ctypes.CDLL(None, use_errno=True)
    except OSError:
        return done
    if os.geteuid() == 0:
        try:
            with open("/proc/sys/kernel/cap_last_cap", encoding="ascii") as fh:
                last = int(fh.read())
        except (OSError, ValueError):
            last = 40
        for cap in range(last + 1):
            libc.prctl(_PR_CAPBSET_DROP, cap, 0, 0, 0)
        header = _CapHeader(_CAP_VERSION_3, 0)
        data = (_CapData * 2)()
        done["capabilities"] = libc.capset(ctypes.byref(header), data) == 0
    done["no_new_privs"] = libc.prctl(_PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) == 0
    return done


class WorkerStartError(RuntimeError):
    """A worker process could not start: an installation problem, not a document's."""


@dataclass(frozen=True)
class Answer:
    """What became of one request: ``reply`` (the child's answer), ``timeout`` (the child
    was killed) or ``died`` (``exitcode`` says how); ``peak_mb``: the child's largest
    address space seen while it worked."""

    status: str
    reply: Any = None
    exitcode: int | None = None
    peak_mb: int = 0


def vm_peak_mb(pid: int) -> int:
    """Peak virtual memory of a process in MB (Linux /proc; 0 where unknown)."""
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("VmPeak:"):
                    return int(line.split()[1]) // 1024
    except (OSError, ValueError, IndexError):
        return 0
    return 0


class ChildProcess:
    """One warm child running ``entry`` (``"module:function"``), which is called as
    ``function(read_fd, write_fd, *args)`` and answers with ``serve``.

    ``args`` must be literals (they are written into the ``-c`` code with ``repr``).
    Thread-safe: requests from several threads queue on an internal lock.
    """

    def __init__(
        self,
        entry: str,
        args: Sequence[Any] = (),
        *,
        startup_timeout_s: float = 60.0,
        watch_memory: bool = False,
    ) -> None:
        self.entry = entry
        self.args = tuple(args)
        self.startup_timeout_s = startup_timeout_s
        self.watch_memory = watch_memory
        self.requests = 0  # answered by the current child
        self._proc: subprocess.Popen[bytes] | None = None
        self._send: Connection | None = None
        self._recv: Connection | None = None
        self._lock = threading.Lock()

    @property
    def pid(self) -> int | None:
        return self._proc.pid if self._proc is not None else None

    def alive(self) -> bool:
        return self._proc is not None and self._proc.poll() is None

    def start(self) -> None:
        """Start the child unless it runs; wait until it says it is ready."""
        with self._lock:
            self._ensure()

    def _ensure(self) -> None:
        if self.alive():
            return
        self._kill()
        module, func = self.entry.split(":")
        to_child_r, to_child_w = os.pipe()
        from_child_r, from_child_w = os.pipe()
        args = "".join(f", {a!r}" for a in self.args)
        code = (
            "from skizzen.documents.sandbox import confine; confine(); "
            f"from {module} import {func}; {func}({to_child_r}, {from_child_w}{args})"
        )
        env = child_environment(os.environ)
        env["PYTHONPATH"] = os.pathsep.join(p for p in sys.path if p)
        try:
            proc = subprocess.Popen(
                [sys.executable, "-c", code],
                pass_fds=(to_child_r, from_child_w),
                stdin=subprocess.DEVNULL,
                env=env,
                close_fds=True,
            )
        finally:
            os.close(to_child_r)
            os.close(from_child_w)
        self._proc = proc
        self._send = Connection(to_child_w, readable=False)
        self._recv = Connection(from_child_r, writable=False)
        self.requests = 0
        try:
            ready = self._recv.poll(self.startup_timeout_s) and self._recv.recv()
        except (EOFError, OSError):
            ready = None
        if not ready:
            self._kill()
            raise WorkerStartError(
                f"worker process {self.entry} did not start (see its stderr); "
                "check the installation"
            )

    def ask(self, request: Any, *, timeout_s: float) -> Answer:
        """Send one request and wait for its answer at most ``timeout_s`` seconds."""
        with self._lock:
            self._ensure()
            assert self._send is not None and self._recv is not None and self._proc is not None
            peak = 0
            try:
                self._send.send(request)
                deadline = time.monotonic() + timeout_s
                ready = False
                while not ready and time.monotonic() < deadline:
                    left = max(0.0, deadline - time.monotonic())
                    ready = self._recv.poll(min(0.1, left) if self.watch_memory else left)
                    if not ready and self.watch_memory:
                        peak = max(peak, vm_peak_mb(self._proc.pid))
                reply = self._recv.recv() if ready else None
            except (EOFError, OSError):
                ready, reply = True, None
            if not ready:
                self._kill()
                return Answer("timeout", peak_mb=peak)
            if reply is None:  # the child died: OOM kill, a crash in a C extension, ...
                exitcode = None
                with contextlib.suppress(subprocess.TimeoutExpired):
                    exitcode = self._proc.wait(timeout=5)
                self._kill()
                return Answer("died", exitcode=exitcode, peak_mb=peak)
            self.requests += 1
            return Answer("reply", reply, peak_mb=peak)

    def recycle(self) -> None:
        """Stop the current child (after a failure, or after many requests); the next
        request starts a fresh one."""
        with self._lock:
            self._kill()

    def _kill(self) -> None:
        proc = self._proc
        for conn in (self._send, self._recv):
            if conn is not None:
                with contextlib.suppress(OSError):
                    conn.close()
        self._proc = self._send = self._recv = None
        if proc is not None:
            if proc.poll() is None:
                proc.kill()
            with contextlib.suppress(subprocess.TimeoutExpired):
                proc.wait(timeout=5)

    def close(self) -> None:
        """Stop the child politely (then forcibly)."""
        with self._lock:
            if self._send is not None and self.alive():
                with contextlib.suppress(OSError, ValueError):
                    self._send.send(None)
                if self._proc is not None:
                    with contextlib.suppress(subprocess.TimeoutExpired):
                        self._proc.wait(timeout=2)
            self._kill()


def serve(read_fd: int, write_fd: int, handle: Callable[[Any], Any]) -> None:
    """The child's side: say ready, then answer each request with ``handle`` until the
    parent sends None or goes away. ``handle`` must turn bad input into a reply itself.

    The child then ends at once (``os._exit``): it holds nothing to flush, and tearing
    down an interpreter with models loaded took half a second per worker at every exit.
    """
    conn_in = Connection(read_fd, writable=False)
    conn_out = Connection(write_fd, readable=False)
    conn_out.send({"ready": os.getpid()})
    while True:
        try:
            request = conn_in.recv()
        except (EOFError, OSError):
            request = None
        if request is None:
            sys.stdout.flush()
            sys.stderr.flush()
            os._exit(0)
        reply = handle(request)
        del request
        try:
            conn_out.send(reply)
        except MemoryError:
            conn_out.send({"ok": False, "kind": "memory", "error": "MemoryError while sending"})
