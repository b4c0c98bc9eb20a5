"""Word, OpenDocument and RTF sketches converted to PDF with LibreOffice headless.

A municipality that sends its sketch as .docx, .doc, .odt or .rtf should not have to be asked
again: the document is converted to PDF and goes through the same pipeline as a PDF. The
original stays stored as received; the PDF is cached under the original's sha256, so a
rerun reads the same PDF (LibreOffice writes a new creation date each time, so converting
again would give another sha256 and another sketch).

LibreOffice runs confined like the parse children: a throwaway user profile and working
folder, an environment without secrets (``sandbox.child_environment``), no capabilities and
no new privileges (``setpriv``), an address-space limit (``prlimit``) and a wall-clock
limit after which its whole process group is killed.
"""

from __future__ import annotations

import contextlib
import io
import os
import shutil
import signal
import subprocess
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

from skizzen.documents.sandbox import child_environment
from skizzen.intake.store import write_atomically
from skizzen.settings import Options, RuntimeConfig

__all__ = [
    "ConvertLimits",
    "Converted",
    "DerivedPdfs",
    "converted_pdf",
    "convertible",
    "run_confined",
    "to_pdf",
]

_DEFAULTS = Options.model_fields
FORMAT_LABELS = {
    "docx": "Word-Dokument (.docx)",
    "doc": "Word-Dokument (.doc)",
    "odt": "OpenDocument-Text (.odt)",
    "rtf": "RTF-Dokument (.rtf)",
}
"""Formats converted to PDF, with their German names for staff."""
_ODT = b"application/vnd.oasis.opendocument.text"
_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


@dataclass(frozen=True)
class ConvertLimits:
    """Bounds of one conversion; defaults from the settings."""

    timeout_s: float = _DEFAULTS["convert_timeout_s"].default
    max_memory_mb: int = _DEFAULTS["convert_max_memory_mb"].default

    @classmethod
    def from_config(cls, config: RuntimeConfig) -> ConvertLimits:
        return cls(timeout_s=config.convert_timeout_s, max_memory_mb=config.convert_max_memory_mb)


@dataclass(frozen=True)
class Converted:
    """The PDF made of a document, or the German reason why there is none."""

    pdf: bytes | None
    reason: str = ""
    cached: bool = False


def convertible(data: bytes, filename: str = "") -> str | None:
    """``docx``, ``doc``, ``odt`` or ``rtf`` when ``data`` is such a document (by content;
    the name only tells a Word .doc from other old Office files), else None."""
    if data.startswith(b"{\\rtf"):
        return "rtf"
    if data.startswith(_OLE2):
        # Excel and PowerPoint files share the container; Word's stream is named WordDocument
        return (
            "doc"
            if "W\x00o\x00r\x00d\x00D\x00o\x00c".encode("latin-1") in data[:65536]
            or (filename.lower().endswith(".doc"))
            else None
        )
    if not data.startswith(b"PK\x03\x04"):
        return None
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            names = set(zf.namelist())
            if "word/document.xml" in names:
                return "docx"
            if "mimetype" in names and zf.read("mimetype")[:100].strip() == _ODT:
                return "odt"
    except (zipfile.BadZipFile, OSError, ValueError, RuntimeError, NotImplementedError):
        return None
    return None


def soffice() -> str | None:
    """The LibreOffice program, None where it is not installed."""
    return shutil.which("soffice") or shutil.which("libreoffice")


def confined(cmd: list[str], max_memory_mb: int) -> list[str]:
    """``cmd`` behind setpriv (no capabilities, no new privileges) and prlimit (address
    space), where these util-linux tools exist."""
    out = list(cmd)
    if shutil.which("prlimit"):
        out = ["prlimit", f"--as={max_memory_mb * 2**20}", "--", *out]
    if shutil.which("setpriv"):
        caps = ["--bounding-set=-all", "--inh-caps=-all"] if os.geteuid() == 0 else []
        out = ["setpriv", "--no-new-privs", *caps, *out]
    return out


def to_pdf(data: bytes, fmt: str, *, limits: ConvertLimits) -> Converted:
    """Convert one document to PDF in a throwaway folder; never raises."""
    program = soffice()
    label = FORMAT_LABELS.get(fmt, fmt)
    if program is None:
        return Converted(None, f"{label} kann hier nicht umgewandelt werden (LibreOffice fehlt).")
    with tempfile.TemporaryDirectory(prefix="skizzen-convert-") as tmp:
        work = Path(tmp)
        src = work / f"eingang.{fmt}"  # our own name: nothing from the mail reaches the disk
        src.write_bytes(data)
        cmd = [
            program,
            f"-env:UserInstallation={(work / 'profil').as_uri()}",
            "--headless",
            "--norestore",
            "--nologo",
            "--nodefault",
            "--nolockcheck",
            "--convert-to",
            "pdf:writer_pdf_Export",
            "--outdir",
            str(work / "aus"),
            str(src),
        ]
        env = {**child_environment(os.environ), "HOME": str(work)}
        try:
            returncode, output = run_confined(
                cmd,
                cwd=work,
                env=env,
                timeout_s=limits.timeout_s,
                max_memory_mb=limits.max_memory_mb,
            )
        except OSError as exc:
            return Converted(None, f"{label}: LibreOffice ließ sich nicht starten ({exc}).")
        if returncode is None:
            return Converted(
                None,
                f"Die Umwandlung des {label} in PDF dauerte länger als "
                f"{limits.timeout_s:.0f} Sekunden und wurde abgebrochen.",
            )
        pdf = work / "aus" / "eingang.pdf"
        if returncode != 0 or not pdf.is_file() or pdf.stat().st_size == 0:
            tail = output.decode("utf-8", "replace").strip().splitlines()[-1:] if output else []
            detail = f" ({tail[0][:200]})" if tail else ""
            return Converted(None, f"Das {label} ließ sich nicht in PDF umwandeln{detail}.")
        return Converted(pdf.read_bytes())


class DerivedPdfs:
    """PDFs made from an attachment (converted, OCRed), by the sha256 of the original: made
    again they would differ (dates, IDs), and with them the sketch."""

    def __init__(self, root: Path | str) -> None:
        self.root = Path(root)

    def path(self, sha256: str) -> Path:
        return self.root / sha256[:2] / f"{sha256}.pdf"

    def get(self, sha256: str) -> bytes | None:
        try:
            return self.path(sha256).read_bytes()
        except OSError:
            return None

    def put(self, sha256: str, pdf: bytes) -> None:
        write_atomically(self.path(sha256), pdf)


def run_confined(
    cmd: list[str], *, cwd: Path, env: dict[str, str], timeout_s: float, max_memory_mb: int
) -> tuple[int | None, bytes]:
    """Run ``cmd`` confined (``confined``) in its own process group; its exit status (None
    after ``timeout_s``, when the whole group is killed) and output. OSError if it cannot
    start."""
    proc = subprocess.Popen(
        confined(cmd, max_memory_mb),
        cwd=cwd,
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,  # its own process group: a timeout kills all of it
    )
    try:
        output, _ = proc.communicate(timeout=timeout_s)
        return proc.returncode, output
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
        proc.communicate()
        return None, b""
    finally:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(proc.pid, signal.SIGKILL)  # helpers it may have left


def converted_pdf(
    data: bytes, fmt: str, *, sha256: str, cache: DerivedPdfs, limits: ConvertLimits
) -> Converted:
    """The cached PDF of this document, or convert it now and cache it."""
    if (pdf := cache.get(sha256)) is not None:
        return Converted(pdf, cached=True)
    done = to_pdf(data, fmt, limits=limits)
    if done.pdf is not None:
        cache.put(sha256, done.pdf)
    return done
