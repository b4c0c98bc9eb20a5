"""``make serve``: a local Prefect server for staff, with work pool, deployments and worker.

Starts, in this order: the Prefect server on 127.0.0.1 (UI served offline from the installed
package), waits for its health endpoint, creates the ``process`` work pool if it is missing,
deploys everything in ``prefect.yaml`` (nightly ingest on a cron schedule, on-demand rerun
with a typed "Custom run" form), starts a worker for the pool and, unless ``web_port`` is
None (or ``web=False``), the review page (``skizzen web``).

Children are managed from Python rather than a shell with ``&``: a backgrounded worker
ignores SIGINT and survives one SIGTERM, and would outlive the server. Every child runs in its
own process group; SIGINT/SIGTERM to the launcher stop all of them (worker first, server
last), including flow-run subprocesses the worker started.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import FrameType, TracebackType

from skizzen.settings import OFFLINE_ENV

REPO = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent


@dataclass(frozen=True)
class ServeConfig:
    """What ``skizzen serve`` starts and where it keeps its state."""

    data_dir: Path
    repo: Path = REPO
    host: str = "127.0.0.1"
    port: int = 4200
    pool: str = "skizzen"
    ui: bool = True
    web_port: int | None = 8080
    worker_poll_seconds: int = 10
    startup_timeout_s: float = 120.0
    extra_env: Mapping[str, str] = field(default_factory=dict)
    inbox: str | None = None
    """Where the nightly run reads mail (SKIZZEN_SOURCE, default <data_dir>/inbox), for staff."""

    @property
    def api_url(self) -> str:
        return f"http://{self.host}:{self.port}/api"

    @property
    def prefect_home(self) -> Path:
        return self.data_dir / "prefect"


def child_env(cfg: ServeConfig, base: Mapping[str, str] | None = None) -> dict[str, str]:
    """Environment of server, deploy step, worker and flow runs (offline, state under data).

    Passwords (SKIZZEN_DATABASE_PASSWORD, SKIZZEN_IMAP_PASSWORD) reach the flow runs only
    this way, never as a flow parameter; ~/.pgpass of the worker's user works too."""
    env = dict(os.environ if base is None else base)
    env.update(OFFLINE_ENV)
    ui = "true" if cfg.ui else "false"
    env.update(
        {
            "PREFECT_API_URL": cfg.api_url,
            "PREFECT_HOME": str(cfg.prefect_home),
            "PREFECT_SERVER_API_HOST": cfg.host,
            "PREFECT_SERVER_API_PORT": str(cfg.port),
            "PREFECT_UI_ENABLED": ui,
            "PREFECT_SERVER_UI_ENABLED": ui,
            "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
            "DO_NOT_TRACK": "1",
            "PREFECT_WORKER_QUERY_SECONDS": str(cfg.worker_poll_seconds),
            "SKIZZEN_HOME": str(cfg.repo),
            "SKIZZEN_DATA_DIR": str(cfg.data_dir),
        }
    )
    if cfg.web_port is not None:  # the run summaries link to this review page
        env.setdefault("SKIZZEN_WEB_BASE_URL", f"http://{cfg.host}:{cfg.web_port}")
    env.update(cfg.extra_env)
    return env


class PortBusy(RuntimeError):
    """Something already listens on a port the stack needs (most likely a running stack)."""


def port_in_use(host: str, port: int) -> bool:
    """Whether something already listens there (we would talk to *its* health endpoint)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.settimeout(1)
        return sock.connect_ex((host, port)) == 0


def wait_healthy(url: str, *, timeout_s: float, proc: subprocess.Popen[bytes] | None) -> float:
    """Poll ``GET url`` until it answers 200; fail early if ``proc`` died. Returns seconds."""
    start = time.monotonic()
    while time.monotonic() - start < timeout_s:
        if proc is not None and proc.poll() is not None:
            raise RuntimeError(f"Prozess beendet (Code {proc.returncode}), bevor {url} antwortete")
        try:
            with urllib.request.urlopen(url, timeout=2) as resp:
                if resp.status == 200:
                    return time.monotonic() - start
        except (urllib.error.URLError, OSError):
            pass
        time.sleep(0.3)
    raise TimeoutError(f"{url} antwortete nicht innerhalb von {timeout_s:.0f} s")


def ensure_work_pool(cfg: ServeConfig) -> bool:
    """Create the ``process`` work pool unless it exists (keeps staff's changes). True if new."""
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.actions import WorkPoolCreate
    from prefect.exceptions import ObjectNotFound
    from prefect.settings import PREFECT_API_URL, temporary_settings
    from prefect.workers.process import ProcessWorker

    with temporary_settings({PREFECT_API_URL: cfg.api_url}), get_client(sync_client=True) as c:
        try:
            c.read_work_pool(cfg.pool)
            return False
        except ObjectNotFound:
            template = ProcessWorker.get_default_base_job_template()
            c.create_work_pool(
                WorkPoolCreate(name=cfg.pool, type="process", base_job_template=template)
            )
            return True


def deploy(cfg: ServeConfig, env: Mapping[str, str]) -> None:
    """``prefect deploy --all`` in the repository, non-interactive: prefect.yaml is the source."""
    cmd = [str(BIN / "prefect"), "--no-prompt", "deploy", "--all"]
    done = subprocess.run(
        cmd, cwd=cfg.repo, env=dict(env), capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        raise RuntimeError(f"prefect deploy schlug fehl:\n{done.stdout}\n{done.stderr}")


class Stack:
    """Server, worker and (optionally) review page as managed child processes."""

    def __init__(self, cfg: ServeConfig, *, web: bool = True) -> None:
        self.cfg = cfg
        self.env = child_env(cfg)
        self.web = web
        self.children: dict[str, subprocess.Popen[bytes]] = {}
        self.timings: dict[str, float] = {}

    def _spawn(self, name: str, cmd: Sequence[str]) -> subprocess.Popen[bytes]:
        proc = subprocess.Popen(list(cmd), cwd=self.cfg.repo, env=self.env, start_new_session=True)
        self.children[name] = proc
        return proc

    def start(self) -> None:
        """Bring everything up; on any failure, stop what already runs and re-raise."""
        cfg = self.cfg
        for port in (cfg.port, cfg.web_port):
            if port is not None and port_in_use(cfg.host, port):
                raise PortBusy(f"Port {cfg.host}:{port} ist belegt – läuft schon ein Server?")
        cfg.prefect_home.mkdir(parents=True, exist_ok=True)
        t0 = time.monotonic()
        try:
            prefect = str(BIN / "prefect")
            server = self._spawn(
                "server", [prefect, "server", "start", "--host", cfg.host, "--port", str(cfg.port)]
            )
            self.timings["server"] = wait_healthy(
                f"{cfg.api_url}/health", timeout_s=cfg.startup_timeout_s, proc=server
            )
            ensure_work_pool(cfg)
            t1 = time.monotonic()
            deploy(cfg, self.env)
            self.timings["deploy"] = time.monotonic() - t1
            worker = [prefect, "worker", "start", "--pool", cfg.pool, "--type", "process"]
            self._spawn("worker", [*worker, "--install-policy", "never"])
            if cfg.web_port is not None and self.web:
                self._spawn(
                    "web",
                    [str(BIN / "skizzen"), "web", "--host", cfg.host, "--port", str(cfg.web_port)],
                )
        except BaseException:
            self.stop()
            raise
        self.timings["total"] = time.monotonic() - t0

    def stop(self, *, grace_s: float = 20.0) -> None:
        """Stop children in reverse start order, each within ``grace_s``, then its leftovers.

        SIGTERM goes to the child only: Prefect's CLI turns it into a graceful shutdown of the
        worker (SIGINT) and of the server's uvicorn process. What still runs after the grace
        period gets SIGKILL, and so do descendants in other sessions (the process worker
        starts each flow run in a session of its own), after a SIGTERM and a short wait.
        """
        for name in reversed(list(self.children)):
            proc = self.children.pop(name)
            t0 = time.monotonic()
            descendants = _descendants(proc.pid)
            if proc.poll() is None:
                with contextlib.suppress(ProcessLookupError):
                    proc.send_signal(signal.SIGTERM)
                with contextlib.suppress(subprocess.TimeoutExpired):
                    proc.wait(timeout=grace_s)
            _reap_group(proc.pid)
            proc.wait()
            _end_processes(descendants, grace_s=5.0)
            self.timings[f"stop_{name}"] = time.monotonic() - t0

    def supervise(self) -> int:
        """Block until SIGINT/SIGTERM or until a child exits; then stop all. Returns exit code."""
        stop_signal: list[int] = []

        def _on_signal(signum: int, _frame: FrameType | None) -> None:
            stop_signal.append(signum)

        previous = {s: signal.signal(s, _on_signal) for s in (signal.SIGINT, signal.SIGTERM)}
        try:
            while not stop_signal:
                dead = [n for n, p in self.children.items() if p.poll() is not None]
                if dead:
                    print(f"skizzen serve: {', '.join(dead)} beendet – stoppe alles.", flush=True)
                    return 1
                time.sleep(0.5)
            return 0
        finally:
            self.stop()
            for s, handler in previous.items():
                signal.signal(s, handler)

    def __enter__(self) -> Stack:
        self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()


def _descendants(pid: int) -> list[int]:
    """All processes below ``pid`` right now (Linux /proc; empty elsewhere)."""
    children: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            text = stat.read_text()
        except OSError:
            continue
        fields = text[text.rindex(")") + 2 :].split()
        children.setdefault(int(fields[1]), []).append(int(stat.parent.name))
    out: list[int] = []
    todo = [pid]
    while todo:
        kids = children.get(todo.pop(), [])
        out += kids
        todo += kids
    return out


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except (ProcessLookupError, PermissionError):
        return False
    stat = Path(f"/proc/{pid}/stat")
    with contextlib.suppress(OSError):  # a zombie waits for its parent, it does not run
        return stat.read_text().rsplit(")", 1)[1].split()[0] != "Z"
    return True


def _end_processes(pids: Sequence[int], *, grace_s: float) -> None:
    """SIGTERM the processes still alive, SIGKILL those that outlive ``grace_s``."""
    for sig in (signal.SIGTERM, signal.SIGKILL):
        left = [p for p in pids if _alive(p)]
        for pid in left:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.kill(pid, sig)
        deadline = time.monotonic() + grace_s
        while left and time.monotonic() < deadline:
            time.sleep(0.1)
            left = [p for p in left if _alive(p)]
        if not left:
            return


def _reap_group(pgid: int) -> None:
    """Kill whatever is left in a child's process group (e.g. a flow-run subprocess)."""
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pgid, signal.SIGKILL)


def serve(cfg: ServeConfig) -> int:
    """Start the stack, tell staff where it is, run until interrupted."""
    stack = Stack(cfg)
    try:
        stack.start()  # stops what it started if interrupted
    except KeyboardInterrupt:
        return 130
    ui = f"http://{cfg.host}:{cfg.port}"
    print(f"Prefect läuft: {ui} (UI{'' if cfg.ui else ' aus'}), API {cfg.api_url}", flush=True)
    print(f"Arbeitspool '{cfg.pool}' mit Worker; Deployments aus {cfg.repo / 'prefect.yaml'}")
    if cfg.inbox:
        from skizzen.intake.imap import redact_source

        print(f"Posteingang des nächtlichen Laufs: {redact_source(cfg.inbox)}")
        if "://" not in cfg.inbox:
            print("  neue Mails als .eml-Dateien (oder als Maildir) dorthin legen")
    print(f"Läufe von der Kommandozeile im UI: mit PREFECT_API_URL={cfg.api_url}")
    if "web" in stack.children:
        print(f"Prüfseite: http://{cfg.host}:{cfg.web_port}")
    print("Beenden mit Strg+C.", flush=True)
    return stack.supervise()
