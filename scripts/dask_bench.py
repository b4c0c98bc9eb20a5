"""Dask benchmark: a warm ``rerun --all`` with the Dask task runner on 1 and on 2 workers.

    .venv/bin/python scripts/dask_bench.py --database-url sqlite:///…/skizzen.db --data-dir …

Takes a database and data folder that hold an ingested archive (e.g. the one
``scripts/archive_bench.py --keep DIR`` leaves), runs the flow ``rerun_extraction`` with
``task_runner="dask"`` on a local cluster of N worker processes (one thread each), twice per
N, interleaved, and prints the wall times and the ratio, for the whole run and for its
batches alone (the part the cluster spreads: the run also starts Prefect's temporary server,
the cluster and the checks, which no worker count shortens). The rerun's batches are what the
cluster spreads; every sketch is extracted again (``reuse_analysis=False``), and each
worker process extracts its batches in one analysis worker of its own, so N Dask workers
have N cores (the default gives one Dask worker all the cores, which leaves a second
nothing to add on a 2-core machine).

A run's fixed costs (the temporary server, the cluster, each worker's imports and models,
the checks' GX import) do not shrink with more workers, so on a small archive they cap the
ratio. Each round therefore also reruns half the archive: the difference between the whole
and the half, per sketch, is the marginal cost with N workers, with every fixed cost taken
out, which is the ratio a large archive approaches.
Figures vary with the machine and its load; nothing is asserted.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--database-url", required=True)
    ap.add_argument("--data-dir", required=True, type=Path)
    ap.add_argument("--rounds", type=int, default=2)
    args = ap.parse_args()
    os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")

    from sqlmodel import select

    from flows.rerun import rerun_extraction
    from models.db import session_scope
    from models.tables import Sketch
    from skizzen.settings import load_runtime
    from skizzen.steps.scope import RerunScope

    with session_scope(args.database_url) as session:
        ids = sorted(int(i) for i in session.exec(select(Sketch.id)))  # type: ignore[arg-type]
    half = RerunScope(mode="sketches", sketches=[str(i) for i in ids[: len(ids) // 2]])
    times: dict[int, list[float]] = {1: [], 2: []}
    spread: dict[int, list[float]] = {1: [], 2: []}  # the batches alone
    marginal: dict[int, list[float]] = {1: [], 2: []}  # s per sketch: whole minus half

    def rerun(n: int, scope: RerunScope) -> tuple[float, float, int]:
        config = load_runtime(
            database_url=args.database_url,
            data_dir=args.data_dir.resolve(),
            dask_workers=n,
            parse_workers=n,  # one extraction worker per Dask worker: N workers, N cores
            reuse_analysis=False,  # every sketch extracted again: the work to spread
        )
        t = time.perf_counter()
        summary = rerun_extraction(scope=scope, task_runner="dask", config=config)
        seconds = time.perf_counter() - t
        done = summary["steps"]["extract"].get("extracted", 0)
        return seconds, summary["steps"]["batch_seconds"], done

    for _ in range(args.rounds):
        for n in (1, 2):
            whole, batches, done = rerun(n, RerunScope(mode="all"))
            part, _, done_half = rerun(n, half)
            times[n].append(whole)
            spread[n].append(batches)
            marginal[n].append((whole - part) / max(1, done - done_half))
            print(
                f"dask, {n} worker(s): {whole:.1f} s, batches {batches:.1f} s ({done} "
                f"sketches); half the archive {part:.1f} s ({done_half}); marginal "
                f"{marginal[n][-1] * 1000:.1f} ms per sketch",
                flush=True,
            )
    one, two = statistics.median(times[1]), statistics.median(times[2])
    b1, b2 = statistics.median(spread[1]), statistics.median(spread[2])
    m1, m2 = statistics.median(marginal[1]), statistics.median(marginal[2])
    print(
        f"\n| Dask workers | 1 | 2 | 2 vs 1 |\n| --- | ---: | ---: | ---: |\n"
        f"| rerun --all, s (median) | {one:.1f} | {two:.1f} | {one / two:.2f}× |\n"
        f"| its batches (what the cluster spreads), s | {b1:.1f} | {b2:.1f} | {b1 / b2:.2f}× |\n"
        f"| marginal cost per sketch (whole minus half), ms | {m1 * 1000:.1f} | "
        f"{m2 * 1000:.1f} | {m1 / m2:.2f}× |"
    )


if __name__ == "__main__":
    main()
