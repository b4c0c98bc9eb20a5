"""Archive benchmark: the whole pipeline over an archive of N unique sketches, as figures.

    .venv/bin/python scripts/archive_bench.py [--size 1000] [--postgres] [--keep DIR]

The archive is made from the PDFs of ``../shared/corpus/sample`` and ``var/zoo`` (``make
zoo``), each copy made unique by its PDF document ID only (the first /ID element; content
and text stay the same), one mail per sketch. Every figure comes from the real commands
(``skizzen ingest``, ``rerun --all``, ``export``, ``report``) started as child processes,
one after the other, on the machine as it is:

* cold ingest against a bare pdfplumber ``extract_text`` loop over the same PDFs (one run
  each, a ratio; the ingest includes starting Prefect's temporary server);
* warm ``rerun --all`` in sketches per second, as a CLI run (which starts Prefect's
  temporary server) and against a running Prefect server (staff mode, ``make serve``: how
  the UI's reruns and the nightly deployment run), each with the analysis kept from the
  ingest (nothing it depends on changed: a rerun after a rule change) and with every sketch
  extracted again (``SKIZZEN_REUSE_ANALYSIS=false``: a rerun after an extractor change);
* orchestration overhead per sketch: the rerun's wall time minus the same domain work done
  without Prefect and database (cache read, extraction in the same pool of workers, the
  check suite), minus the fixed cost of a rerun of nothing (server start-up), divided by N;
* peak memory (the largest resident set of the command or any of its children) and time of
  ingest, rerun, export and report;
* the review queue's first page, read through the review page's read model (median of 5);
* with ``--postgres``: the same on a throw-away PostgreSQL cluster beside SQLite.

Figures vary with the machine and its load; nothing is asserted.
"""

from __future__ import annotations

import argparse
import hashlib
import io
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PY = sys.executable
CORPORA = [ROOT.parent / "shared" / "corpus" / "sample" / "pdf", ROOT / "var" / "zoo" / "pdf"]
ENV = {
    **os.environ,
    "DO_NOT_TRACK": "1",
    "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
    "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS": "240",
    "PREFECT_LOGGING_LEVEL": "WARNING",
}


def unique_pdf(data: bytes, n: int) -> bytes:
    """The same document with its own permanent ID (first /ID element)."""
    import pikepdf

    ident = hashlib.sha256(f"archive-{n}".encode()).digest()[:16]
    with pikepdf.open(io.BytesIO(data)) as pdf:
        second = pdf.trailer.ID[1] if "/ID" in pdf.trailer else pikepdf.String(ident)
        pdf.trailer.ID = pikepdf.Array([pikepdf.String(ident), second])
        buf = io.BytesIO()
        pdf.save(buf, deterministic_id=True)
    return buf.getvalue()


def build_archive(out: Path, size: int) -> list[Path]:
    """``size`` mails with one unique sketch PDF each; returns the PDFs (for pdfplumber)."""
    pool = [p for c in CORPORA if c.is_dir() for p in sorted(c.glob("*.pdf"))]
    if not pool:
        sys.exit("Keine PDFs gefunden: ../shared/corpus/sample/pdf oder var/zoo (make zoo).")
    datas = [p.read_bytes() for p in pool]
    (out / "mail").mkdir(parents=True, exist_ok=True)
    (out / "pdf").mkdir(parents=True, exist_ok=True)
    start = datetime(2021, 3, 1, 8, 0, tzinfo=UTC)
    pdfs = []
    for n in range(size):
        pdf = unique_pdf(datas[n % len(datas)], n)
        path = out / "pdf" / f"A{n:05d}.pdf"
        path.write_bytes(pdf)
        pdfs.append(path)
        msg = EmailMessage()
        msg["From"] = f"Gemeinde {n} <poststelle{n}@gemeinde{n}.example.de>"
        msg["To"] = "skizzen@foerderung.example.de"
        msg["Subject"] = f"Projektskizze Nr. {n}"
        msg["Date"] = format_datetime(start + timedelta(minutes=n))
        msg["Message-ID"] = make_msgid(idstring=f"archive{n}", domain="gemeinde.example.de")
        msg.set_content("Sehr geehrte Damen und Herren,\nanbei unsere Projektskizze.\n")
        msg.add_attachment(
            pdf, maintype="application", subtype="pdf", filename=f"Projektskizze_{n}.pdf"
        )
        (out / "mail" / f"M{n:05d}.eml").write_bytes(msg.as_bytes())
    return pdfs


_RUN = """
import json, os, subprocess, sys, tempfile, time

def tree(pid):
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        try:
            for task in os.listdir(f"/proc/{p}/task"):
                with open(f"/proc/{p}/task/{task}/children") as fh:
                    todo += [int(c) for c in fh.read().split()]
        except OSError:
            pass
    return out

def rss_mb(pids):
    total = 0
    for p in pids:
        try:
            with open(f"/proc/{p}/statm") as fh:
                total += int(fh.read().split()[1])
        except (OSError, ValueError, IndexError):
            pass
    return total * os.sysconf("SC_PAGE_SIZE") / 2**20

def hwm_mb(pid):
    # a process's own peak; ru_maxrss would count what its parent held when it forked
    try:
        with open(f"/proc/{pid}/status") as fh:
            return next(int(l.split()[1]) for l in fh if l.startswith("VmHWM")) / 1024
    except (OSError, StopIteration, ValueError):
        return 0.0

log = tempfile.TemporaryFile()
t = time.perf_counter()
p = subprocess.Popen(sys.argv[1:], stdout=log, stderr=subprocess.STDOUT)
total = 0.0
peak = 0.0
while p.poll() is None:
    pids = tree(p.pid)
    total = max(total, rss_mb(pids))
    peak = max([peak, *(hwm_mb(q) for q in pids)])
    time.sleep(0.2)
dt = time.perf_counter() - t
log.seek(0)
out = log.read().decode("utf-8", "replace")[-3000:]
print(json.dumps({"rc": p.returncode, "s": dt, "mb": peak, "total_mb": total, "out": out}))
"""


def run(cmd: list[str], env: dict[str, str]) -> tuple[float, float, str]:
    """Wall seconds, peak resident MB (the largest single process: the command or any child
    it waited for), output; the peak of the whole process tree (command, sandboxes and
    extraction workers together, sampled every 0.2 s) is kept in ``LAST_TREE_MB``."""
    res = subprocess.run([PY, "-c", _RUN, *cmd], capture_output=True, text=True, env=env)
    info = json.loads(res.stdout.strip().splitlines()[-1])
    if info["rc"] != 0:
        sys.exit(f"{' '.join(cmd)} failed (rc {info['rc']}):\n{info['out']}")
    LAST_TREE_MB[0] = info["total_mb"]
    return info["s"], info["mb"], info["out"]


LAST_TREE_MB = [0.0]


def plumber_loop(pdfs: list[Path]) -> float:
    """A bare pdfplumber extract_text loop over the PDFs, in a child process."""
    code = (
        "import sys, time, pdfplumber\n"
        "t = time.perf_counter()\n"
        "for p in sys.argv[1:]:\n"
        "    with pdfplumber.open(p) as pdf:\n"
        "        for page in pdf.pages: page.extract_text()\n"
        "print(time.perf_counter() - t)\n"
    )
    listing = [str(p) for p in pdfs]
    res = subprocess.run([PY, "-c", code, *listing], capture_output=True, text=True, check=True)
    return float(res.stdout.strip().splitlines()[-1])


def domain_work(url: str, data_dir: Path, *, reuse: bool) -> float:
    """Seconds for the rerun's domain work without Prefect and database, in this process:
    every sketch analysed as the rerun does it (``judge.analysed``: the kept analysis
    when ``reuse``, else the parse read from the cache and extracted in the same pool of
    workers, fed by as many threads as the rerun has), then the check suite over the
    values. The pool's start-up is not counted (nor is it in a rerun's figure: the fixed
    cost of a run holds it)."""
    code = f"""
import os, sys, time
from concurrent.futures import ThreadPoolExecutor
sys.path.insert(0, {str(ROOT)!r})
from sqlmodel import Session, select
from extractors.types import FIELD_NAMES
from models.db import get_engine
from models.tables import Sketch
from skizzen.settings import load_runtime
from skizzen.steps.analysis import ModelSpec, analysis_fingerprint, warm_up
from skizzen.steps.judge import analysed
from skizzen.steps.quality import run_checks
config = load_runtime(reuse_analysis={reuse!r})
with Session(get_engine({url!r})) as s:
    shas = list(s.exec(select(Sketch.sha256)))
spec = ModelSpec(config.field_model, config.theme_model_dir)
warm_up(spec, config.parse_workers).join()
analysis_fingerprint(spec)
def one(sha):
    return analysed(config, sha256=sha, classify=False)[0]
t = time.perf_counter()
threads = (config.parse_workers or os.cpu_count() or 1) + 1
with ThreadPoolExecutor(threads) as ex:
    results = list(ex.map(one, shas))
rows = [
    {{"key": str(n), **{{f: r["extraction"]["fields"][f]["value"] for f in FIELD_NAMES
                       if f in r.get("extraction", {{}}).get("fields", {{}})}}}}
    for n, r in enumerate(results)
]
run_checks(rows, key="key", data_docs_dir=None)
print(time.perf_counter() - t)
"""
    env = {**ENV, "SKIZZEN_DATABASE_URL": url, "SKIZZEN_DATA_DIR": str(data_dir)}
    res = subprocess.run([PY, "-c", code], capture_output=True, text=True, env=env)
    if res.returncode != 0:
        sys.exit(f"domain work failed:\n{res.stderr[-3000:]}")
    return float(res.stdout.strip().splitlines()[-1])


def queue_page_ms(url: str) -> tuple[float, int]:
    """Median milliseconds for the review queue's first page (all statuses), and the total."""
    from models import queue
    from models.db import session_scope

    times, total = [], 0
    for _ in range(5):
        t = time.perf_counter()
        with session_scope(url) as s:
            page = queue.queue_page(s, selection=queue.Selection(status=None))
            total = page.total
        times.append(1000 * (time.perf_counter() - t))
    return statistics.median(times), total


class PrefectServer:
    """A Prefect server of its own (``prefect server start``, a throw-away home), as in
    staff mode (``make serve``): a run started from the UI or by the nightly deployment
    finds it running, where a CLI run without ``PREFECT_API_URL`` starts a temporary one."""

    def __init__(self, work: Path) -> None:
        import socket

        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            self.port = sock.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}/api"
        self.env = {**ENV, "PREFECT_HOME": str(work / "prefect-home")}
        prefect = str(Path(PY).parent / "prefect")
        cmd = [prefect, "server", "start", "--host", "127.0.0.1", "--port", str(self.port)]
        self.proc = subprocess.Popen(
            cmd, env=self.env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        from skizzen.doors.serve import wait_healthy

        wait_healthy(f"{self.url}/health", timeout_s=240, proc=self.proc)  # type: ignore[arg-type]

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.proc.kill()


STARTED = time.perf_counter()
_STEPS = [0]


def step(name: str, what: str) -> None:
    """A progress line per step (each runs minutes on a large archive): its number and the
    time since the benchmark started."""
    _STEPS[0] += 1
    elapsed = time.perf_counter() - STARTED
    print(f"[{name}] step {_STEPS[0]}: {what} … ({elapsed:.0f} s since start)", flush=True)


def bench_backend(
    name: str, url: str, work: Path, pdfs: list[Path], server: PrefectServer | None
) -> dict[str, float]:
    data = work / f"data-{name}"
    env = {**ENV, "SKIZZEN_DATABASE_URL": url, "SKIZZEN_DATA_DIR": str(data)}
    cli = [PY, "-m", "skizzen.doors.cli"]
    n = len(pdfs)
    out: dict[str, float] = {}
    step(name, f"cold ingest of {n} sketches")
    out["ingest_s"], out["ingest_mb"], _ = run([*cli, "ingest", str(work / "mail")], env)
    out["ingest_tree_mb"] = LAST_TREE_MB[0]
    fresh = {"SKIZZEN_REUSE_ANALYSIS": "false"}
    served = {"PREFECT_API_URL": server.url if server else ""}
    for key, label, extra in (
        ("", "", {}),
        ("x_", ", every sketch extracted again", fresh),
        ("served_", ", running Prefect server", served),
        (
            "served_x_",
            ", running Prefect server, every sketch extracted again",
            {**served, **fresh},
        ),
    ):
        if server is None and key.startswith("served"):
            out[f"{key}rerun_s"] = out[f"{key}empty_s"] = float("nan")
            continue
        step(name, f"rerun --all{label}")
        out[f"{key}rerun_s"], out[f"{key}rerun_mb"], _ = run(
            [*cli, "rerun", "--all"], {**env, **extra}
        )
        out[f"{key}rerun_tree_mb"] = LAST_TREE_MB[0]
        if "SKIZZEN_REUSE_ANALYSIS" not in extra:
            # a rerun of nothing: a day long before any mail (an unknown sketch is refused)
            nothing = ["rerun", "--from", "1990-01-01", "--to", "1990-01-01"]
            out[f"{key}empty_s"], _, _ = run([*cli, *nothing], {**env, **extra})
    nan = float("nan")
    if server:
        step(name, "domain work alone, analysis kept and every sketch extracted")
    out["domain_s"] = domain_work(url, data, reuse=True) if server else nan
    out["x_domain_s"] = domain_work(url, data, reuse=False) if server else nan
    step(name, "export")
    out["export_s"], out["export_mb"], _ = run(
        [*cli, "export", "--out", str(work / f"{name}.jsonl")], env
    )
    out["export_tree_mb"] = LAST_TREE_MB[0]
    step(name, "report")
    out["report_s"], out["report_mb"], _ = run(
        [*cli, "report", "--out", str(work / f"report-{name}")], env
    )
    out["report_tree_mb"] = LAST_TREE_MB[0]
    step(name, "review queue, first page")
    out["queue_ms"], out["queue_total"] = queue_page_ms(url)
    out["n"] = n
    print(f"[{name}] {json.dumps(out)}", flush=True)  # the raw figures, as soon as they exist
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--size", type=int, default=1000, help="sketches in the archive")
    ap.add_argument("--postgres", action="store_true", help="also on a temp PostgreSQL cluster")
    ap.add_argument("--keep", type=Path, help="work folder to keep (default: a temp folder)")
    ap.add_argument(
        "--no-plumber",
        action="store_true",
        help="skip the bare pdfplumber loop (its ratio is the same at any size; it takes half "
        "an hour for 10,000 sketches)",
    )
    ap.add_argument(
        "--cli-only",
        action="store_true",
        help="only the CLI runs (ingest, both reruns, export, report): no running Prefect "
        "server, no domain work alone (the figures for the 10,000-sketch archive)",
    )
    args = ap.parse_args()
    work = args.keep or Path(tempfile.mkdtemp(prefix="skizzen-archive-"))
    work.mkdir(parents=True, exist_ok=True)
    t = time.perf_counter()
    pdfs = build_archive(work, args.size)
    print(f"archive: {len(pdfs)} unique sketches in {time.perf_counter() - t:.0f} s ({work})")
    plumber = float("nan") if args.no_plumber else plumber_loop(pdfs)
    print(f"bare pdfplumber extract_text loop: {plumber:.1f} s", flush=True)

    server = None if args.cli_only else PrefectServer(work)
    try:
        results = {
            "SQLite": bench_backend("sqlite", f"sqlite:///{work}/skizzen.db", work, pdfs, server)
        }
        if args.postgres:
            import shutil

            from tests.servers.postgres import start_cluster

            cluster = start_cluster()
            try:
                url = cluster.create_database()
                results["PostgreSQL"] = bench_backend("postgres", url, work, pdfs, server)
            finally:
                cluster.stop(mode="immediate")
                shutil.rmtree(cluster.root, ignore_errors=True)
    finally:
        if server is not None:
            server.stop()

    def row(label: str, fmt: str, key: str | None = None, fn=None) -> str:  # type: ignore[no-untyped-def]
        cells = [fmt.format(fn(r) if fn else r[key]) for r in results.values()]
        return f"| {label} | " + " | ".join(cells) + " |"

    print()
    print("| figure | " + " | ".join(results) + " |")
    print("| --- |" + " ---: |" * len(results))
    print(row("sketches", "{:.0f}", "n"))
    print(row("cold ingest, s", "{:.1f}", "ingest_s"))
    print(
        row("cold ingest / bare pdfplumber loop", "{:.2f}×", fn=lambda r: r["ingest_s"] / plumber)
    )
    for key, label in (
        ("", "warm rerun --all (analysis kept)"),
        ("x_", "rerun --all, every sketch extracted again"),
        ("served_", "warm rerun --all, running Prefect server"),
        ("served_x_", "rerun --all extracting again, running Prefect server"),
    ):
        print(row(f"{label}, sketches/s", "{:.1f}", fn=lambda r, k=key: r["n"] / r[k + "rerun_s"]))
    print(row("fixed cost of a run (rerun of nothing), s", "{:.1f}", "empty_s"))
    print(row("fixed cost of a run, running Prefect server, s", "{:.1f}", "served_empty_s"))
    print(row("domain work alone (no Prefect, no DB), analysis kept, s", "{:.1f}", "domain_s"))
    print(row("domain work alone, every sketch extracted, s", "{:.1f}", "x_domain_s"))
    for key, label in (
        ("", ""),
        ("x_", ", extracting again"),
        ("served_", ", running Prefect server"),
        ("served_x_", ", running Prefect server, extracting again"),
    ):
        empty = "served_empty_s" if key.startswith("served") else "empty_s"
        domain = "x_domain_s" if "x_" in key else "domain_s"
        print(
            row(
                f"orchestration overhead per sketch{label}, ms",
                "{:.1f}",
                fn=lambda r, k=key, e=empty, d=domain: (
                    1000 * (r[k + "rerun_s"] - r[e] - r[d]) / r["n"]
                ),
            )
        )
    for step in ("ingest", "rerun", "export", "report"):
        print(
            row(
                f"{step}: peak memory MB, largest process / all processes; s",
                "{}",
                fn=lambda r, s=step: (
                    f"{r[s + '_mb']:.0f} / {r[s + '_tree_mb']:.0f}; {r[s + '_s']:.1f}"
                ),
            )
        )
    print(row("review queue, first page, ms (median of 5)", "{:.0f}", "queue_ms"))
    print(f"\nbare pdfplumber loop over the same {len(pdfs)} PDFs: {plumber:.1f} s")


if __name__ == "__main__":
    main()
