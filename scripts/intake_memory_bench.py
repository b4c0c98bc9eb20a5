"""Memory of an ingest with one very large attachment (issue: 150 MB took about 2 GB).

    .venv/bin/python scripts/intake_memory_bench.py [--mb 150] [--keep DIR]

Writes a mailbox with one mail carrying a ``--mb`` MB attachment (a PDF header, then
incompressible bytes, base64 as mail clients send it) and one ordinary sample mail, then
prints the peak resident memory of

* the intake step alone (``skizzen.steps.intake.intake``, in a fresh process: its own peak), and
* ``skizzen ingest`` as staff run it (the largest single process, and the whole tree:
  the command, Prefect's temporary server, the sandboxes),

with the outcome recorded for the large attachment. Figures, nothing asserted.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from email.message import EmailMessage
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

from archive_bench import ENV, LAST_TREE_MB, PY, run  # noqa: E402

SAMPLE_MAIL = ROOT.parent / "shared" / "corpus" / "sample" / "mail"


def build_mailbox(out: Path, mb: int) -> None:
    out.mkdir(parents=True, exist_ok=True)
    msg = EmailMessage()
    msg["From"] = "Gemeinde Groß <post@gross.example.de>"
    msg["To"] = "skizzen@institut.example.de"
    msg["Subject"] = "Projektskizze mit allen Fotos"
    msg["Date"] = "Mon, 01 Mar 2021 09:00:00 +0100"
    msg["Message-ID"] = "<gross@gross.example.de>"
    msg.set_content("Anbei unsere Skizze mit allen Anlagen.")
    data = b"%PDF-1.7\n" + os.urandom(mb * 2**20)
    msg.add_attachment(data, maintype="application", subtype="pdf", filename="Skizze_gross.pdf")
    (out / "gross.eml").write_bytes(msg.as_bytes())
    del data, msg
    first = sorted(SAMPLE_MAIL.glob("*.eml"))[0]
    (out / first.name).write_bytes(first.read_bytes())


_INTAKE = """
import sys
sys.path.insert(0, {root!r})
from skizzen.settings import load_runtime
from skizzen.steps import intake as intake_step
from models.db import get_engine, init_db
config = load_runtime()
init_db(get_engine(config.database_url))
def hwm():  # this process's own peak (ru_maxrss would include what the parent held at fork)
    with open("/proc/self/status") as fh:
        return next(int(l.split()[1]) for l in fh if l.startswith("VmHWM")) / 1024
before = hwm()
result = intake_step.intake(config, source={source!r}, run_id=None)
print(before, hwm(), result.new_messages, result.new_attachments)
"""


def outcome(url: str) -> list[tuple[str, int, str | None]]:
    from sqlmodel import select

    from models.db import session_scope
    from models.tables import Attachment

    with session_scope(url) as s:
        rows = s.exec(select(Attachment.filename, Attachment.size, Attachment.outcome))
        return [tuple(r) for r in rows]  # type: ignore[misc]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--mb", type=int, default=150)
    ap.add_argument("--keep", type=Path)
    ap.add_argument("--build-only", type=Path, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.build_only:
        build_mailbox(args.build_only, args.mb)
        return
    base = args.keep or Path(tempfile.mkdtemp(prefix="skizzen-big-"))
    mail = base / "mail"
    # built in a child: this process stays small, so no figure inherits what it held
    subprocess.run([PY, __file__, "--mb", str(args.mb), "--build-only", str(mail)], check=True)
    raw_mb = (mail / "gross.eml").stat().st_size / 2**20

    alone = base / "alone"
    env = {**ENV, "SKIZZEN_DATA_DIR": str(alone)}
    res = subprocess.run(
        [PY, "-c", _INTAKE.format(root=str(ROOT), source=str(mail))],
        capture_output=True, text=True, env=env, check=True,
    )  # fmt: skip
    before, peak, messages, attachments = res.stdout.split()[-4:]

    data = base / "ingest"
    url = f"sqlite:///{data / 'skizzen.db'}"
    seconds, largest, _ = run(
        [str(ROOT / ".venv" / "bin" / "skizzen"), "ingest", str(mail), "--data-dir", str(data)],
        {**ENV, "SKIZZEN_DATABASE_URL": url},
    )
    rows = outcome(url)
    big = next(r for r in rows if r[0] == "Skizze_gross.pdf")
    print(
        json.dumps(
            {
                "attachment_mb": args.mb,
                "mail_mb": round(raw_mb, 1),
                "intake_alone_mb": {"after_imports": float(before), "peak": float(peak)},
                "intake_messages_attachments": [int(messages), int(attachments)],
                "ingest_s": round(seconds, 1),
                "ingest_largest_process_mb": round(largest),
                "ingest_tree_mb": round(LAST_TREE_MB[0]),
                "large_attachment": {"size": big[1], "outcome": big[2]},
            },
            indent=2,
        )
    )
    print(
        f"\n| {args.mb} MB attachment ({raw_mb:.0f} MB mail) | peak MB |\n| --- | ---: |\n"
        f"| intake step alone (after imports {float(before):.0f}) | {float(peak):.0f} |\n"
        f"| `skizzen ingest`, largest process | {largest:.0f} |\n"
        f"| `skizzen ingest`, whole tree | {LAST_TREE_MB[0]:.0f} |\n\n"
        f"outcome of the large attachment: {big[2]} ({big[1]:,} bytes)"
    )


if __name__ == "__main__":
    main()
