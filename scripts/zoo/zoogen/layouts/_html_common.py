"""Shared helpers of the HTML-engine layouts (WeasyPrint and Chromium).

Value formatting in German styles (each formatter returns the printed string and, where the
printed form changes the truth, the changed truth value), rule guards for rounded amounts,
the two engines (WeasyPrint in-process, one Chromium per batch driven over the DevTools pipe)
and the PDF post-processing that keeps the output deterministic.
"""

from __future__ import annotations

import base64
import contextlib
import datetime as dt
import functools
import html
import io
import json
import os
import re
import shutil
import subprocess
import tempfile
import zlib
from collections.abc import Sequence
from typing import Any

from zoogen.model import MONTHS, Facts, add_months

NBSP = "\u00a0"
NNBSP = "\u202f"
FIXED_PDF_DATE = "D:20210301000000+00'00'"  # SOURCE_DATE_EPOCH=1614556800


def esc(text: Any) -> str:
    return html.escape(str(text), quote=True)


def css_string(text: str) -> str:
    """A CSS string literal (for ``content:`` in page margin boxes)."""
    out = []
    for ch in text:
        if ch in '"\\' or ord(ch) > 126:
            out.append(f"\\{ord(ch):x} ")
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'


def sketch_no(f: Facts) -> int:
    """The number in the sketch id (Z017 -> 17), for per-sketch alternation of variants."""
    digits = re.sub(r"\D", "", f.sketch_id)
    return int(digits) if digits else zlib.crc32(f.sketch_id.encode())


# ----------------------------------------------------------------------------- numbers


def group(n: int, sep: str = ".") -> str:
    s = f"{abs(int(n)):d}"
    parts = []
    while len(s) > 3:
        parts.insert(0, s[-3:])
        s = s[:-3]
    parts.insert(0, s)
    return ("-" if n < 0 else "") + sep.join(parts)


def _num(value: float) -> int | float:
    """Truth number: int when whole euros."""
    v = round(value, 2)
    return int(v) if abs(v - round(v)) < 1e-9 else v


def de_decimal(value: float, decimals: int, sep: str = ".") -> str:
    q = round(value, decimals)
    whole = int(abs(q))
    frac = round(abs(q) - whole, decimals)
    text = group(whole, sep)
    if decimals:
        text += "," + f"{frac:.{decimals}f}"[2:]
    return ("-" if q < 0 else "") + text


AMOUNT_STYLES = ("eur2", "EUR", "dash", "teur", "mio", "euro", "bare2", "bare0")


def amount(value: float, style: str, sep: str = ".") -> tuple[str, int | float]:
    """``(printed, printed value)`` for an amount in euro in one of ``AMOUNT_STYLES``.

    eur2 "412.500,00 €"; EUR "412.500 EUR" (cents kept when there are any); dash
    "€ 412.500,-"; teur "412,5 T€"; mio "0,41 Mio. €"; euro "412.500,00 Euro"; bare2
    "412.500,00"; bare0 "412.500" (rounded to whole euros). ``sep`` is the thousands
    separator ("." or NBSP/NNBSP).
    """
    cents = abs(value - round(value)) > 1e-6
    if style == "eur2":
        return f"{de_decimal(value, 2, sep)}{NBSP if sep != '.' else ' '}€", _num(value)
    if style == "EUR":
        return f"{de_decimal(value, 2 if cents else 0, sep)} EUR", _num(value)
    if style == "euro":
        return f"{de_decimal(value, 2, sep)} Euro", _num(value)
    if style == "dash":
        if cents:
            return f"€ {de_decimal(value, 2, sep)}", _num(value)
        return f"€ {de_decimal(value, 0, sep)},-", _num(value)
    if style == "bare2":
        return de_decimal(value, 2, sep), _num(value)
    if style == "bare0":
        return de_decimal(value, 0, sep), _num(round(value))
    if style == "teur":
        k = value / 1000
        for d in (0, 1, 2):
            if abs(round(k, d) - k) < 1e-9:
                break
        else:
            d = 1
        printed = round(k, d) * 1000
        return f"{de_decimal(k, d, sep)} T€", _num(printed)
    if style == "mio":
        m = value / 1_000_000
        for d in (1, 2, 3):
            if abs(round(m, d) - m) < 1e-12:
                break
        else:
            d = 2
        printed = round(m, d) * 1_000_000
        return f"{de_decimal(m, d, sep)} Mio. €", _num(printed)
    raise ValueError(style)


def _rules(g: float | None, f: float | None, e: float | None) -> tuple:
    range_ok = None if g is None else (200_000 <= g <= 600_000)
    mismatch = None if None in (g, f, e) else abs(g - f - e) > 1
    return range_ok, mismatch


def amounts(
    facts: Facts, styles: Sequence[str], sep: str = ".", fallback: str = "eur2"
) -> dict[str, tuple[str, int | float, bool]]:
    """Format total, funding and own share; field -> (printed, truth, changed).

    A style that rounds is used only if the rounded values keep the outcome of the call's
    rules (cost range, funding + own share = total); otherwise ``fallback`` is used for all.
    ``styles`` gives the style per amount (total, funding, own share).
    """
    vals = {
        "gesamtkosten_eur": facts.gesamtkosten,
        "foerdersumme_eur": facts.foerdersumme,
        "eigenanteil_eur": facts.eigenanteil,
    }

    def fmt(st: Sequence[str]):
        out = {}
        for (k, v), s in zip(vals.items(), st, strict=True):
            if v is None:
                continue
            text, printed = amount(v, s, sep)
            out[k] = (text, printed, abs(printed - v) > 0.005)
        return out

    out = fmt(styles)
    pv = {k: (out[k][1] if k in out else None) for k in vals}
    if _rules(*pv.values()) != _rules(*vals.values()):
        out = fmt([fallback] * 3)
    return out


def population(n: int, style: str, sep: str = ".") -> str:
    if style == "ca":
        return f"ca. {group(n, sep)}"
    if style == "rund":
        return f"rund {group(n, sep)}"
    if style == "plain" and n < 10000:
        return str(n)
    return group(n, sep)


# ----------------------------------------------------------------------------- dates


def date_text(d: dt.date, style: str) -> str:
    if style == "dmy":
        return d.strftime("%d.%m.%Y")
    if style == "long":
        return f"{d.day}. {MONTHS[d.month - 1]} {d.year}"
    if style == "short":
        return f"{d.day}.{d.month}.{d.year}"
    if style == "month":
        return f"{MONTHS[d.month - 1]} {d.year}"
    if style == "mm/yyyy":
        return f"{d.month:02d}/{d.year}"
    if style == "iso":
        return d.isoformat()
    raise ValueError(style)


MONTH_ONLY = ("month", "mm/yyyy")


def start_text(facts: Facts, style: str) -> tuple[str, str | None]:
    """Printed start date and the override (ISO, the 1st of the month) if month-only."""
    d = facts.projektbeginn
    assert d is not None
    text = date_text(d, style)
    if style in MONTH_ONLY and d.day != 1:
        return text, d.replace(day=1).isoformat()
    return text, None


def datum_text(facts: Facts, style: str) -> str:
    """The sketch date as printed (the planned invalid date wins)."""
    if facts.datum_written_invalid:
        return facts.datum_written_invalid
    return date_text(facts.datum, style)


def duration_text(facts: Facts, style: str) -> tuple[str, str | None]:
    """Printed duration; ``(text, projektbeginn override)``.

    Styles: "monate" "30 Monate"; "jahre" "2,5 Jahre" (falls back to months when not a
    multiple of 6); "bare" "30"; "range_dmy" "01.09.2021 – 28.02.2024"; "range_month"
    "September 2021 bis Februar 2024"; "range_mm" "09/2021 – 02/2024". A month range starts
    on the 1st; the override is returned for the caller to apply when no exact start date is
    printed elsewhere.
    """
    n = facts.laufzeit_monate
    assert n is not None
    if style == "jahre":
        if n % 12 == 0:
            return f"{n // 12} Jahre" if n != 12 else "1 Jahr", None
        if n % 6 == 0:
            return f"{n // 12},5 Jahre", None
        style = "monate"
    if style == "monate":
        return f"{n} Monate", None
    if style == "bare":
        return str(n), None
    d = facts.projektbeginn
    assert d is not None
    if style == "range_dmy":
        end = add_months(d, n) - dt.timedelta(days=1)
        return f"{d:%d.%m.%Y} – {end:%d.%m.%Y}", None
    first = d.replace(day=1)
    end = add_months(first, n) - dt.timedelta(days=1)
    ov = first.isoformat() if d.day != 1 else None
    if style == "range_month":
        return f"{MONTHS[first.month - 1]} {first.year} bis {MONTHS[end.month - 1]} {end.year}", ov
    if style == "range_mm":
        return f"{first.month:02d}/{first.year} – {end.month:02d}/{end.year}", ov
    raise ValueError(style)


# ----------------------------------------------------------------------------- free text

SECTION_KINDS = (
    ("lage", ("ausgangs", "bedarf", "situation", "hintergrund", "problem", "lage")),
    ("ziel", ("ziel", "erreichen", "lösung")),
    ("weg", ("vorgehen", "umsetzung", "maßnahme", "arbeits", "wie gehen", "zeitplan", "schritte")),
    ("dauer", ("nachhalt", "verstetig", "danach")),
)


def section_kind(heading: str, index: int) -> str:
    """ "lage", "ziel", "weg" or "dauer" for a free-text heading (by keyword, else position)."""
    key = heading.strip().lower()
    for kind, words in SECTION_KINDS:
        if any(w in key for w in words):
            return kind
    return ("lage", "ziel", "weg")[index] if index < 3 else ""


def rename_section(heading: str, index: int, table: dict[str, Sequence[str]], rng) -> str:
    """Rename a free-text heading in the layout's style (unknown kinds keep their heading)."""
    variants = table.get(section_kind(heading, index))
    return rng.choice(list(variants)) if variants else heading


@functools.lru_cache(maxsize=1)
def _pyphen_de():
    import pyphen

    return pyphen.Pyphen(lang="de_DE")


def soft_hyphenate(text: str, min_len: int = 12) -> str:
    """Insert U+00AD at the hyphenation points of long words (German, pyphen)."""
    dic = _pyphen_de()

    def one(m: re.Match) -> str:
        w = m.group(0)
        if len(w) < min_len:
            return w
        # no cut inside f-ligatures (ff, fi, fl): the shaper joins them across U+00AD and the
        # ligature glyph would lose its text in WeasyPrint's ToUnicode map
        cuts = [
            p
            for p in dic.positions(w)
            if 4 <= p <= len(w) - 3 and not (w[p - 1] == "f" and w[p] in "fil")
        ]
        out, last = [], 0
        for p in cuts:
            if p - last < 3:  # no one- or two-letter pieces ("a-r-beit")
                continue
            out.append(w[last:p])
            last = p
        out.append(w[last:])
        return "\u00ad".join(out)

    return re.sub(r"[A-Za-zÄÖÜäöüß]+", one, text)


# ----------------------------------------------------------------------------- WeasyPrint


def weasy_pdf(html_text: str, *, forms: bool = False) -> bytes:
    import weasyprint

    doc = weasyprint.HTML(string=html_text, base_url="/nonexistent/")
    return doc.write_pdf(pdf_forms=forms, uncompressed_pdf=False)


def remap_glyph_unicode(pdf: bytes, src: str, dst: str) -> bytes:
    """Change a ToUnicode mapping: every glyph mapped to ``src`` maps to ``dst`` afterwards.

    Used to put U+00AD (soft hyphen) into the text layer at WeasyPrint's line-end hyphens
    (printed with the glyph of ``src``), as Word-made PDFs do.
    """
    import pikepdf

    s_hex = src.encode("utf-16-be").hex().encode()
    d_hex = dst.encode("utf-16-be").hex().encode()
    with pikepdf.open(io.BytesIO(pdf)) as doc:
        seen = set()
        for page in doc.pages:
            fonts = page.obj.get("/Resources", {}).get("/Font", {})
            for _name, font in fonts.items():
                tu = font.get("/ToUnicode")
                if tu is None or tu.objgen in seen:
                    continue
                seen.add(tu.objgen)
                data = tu.read_bytes()
                new = re.sub(
                    rb"(<[0-9a-fA-F]{4}>\s*)<" + s_hex + rb">",
                    rb"\1<" + d_hex + rb">",
                    data,
                    flags=re.I,
                )
                if new != data:
                    tu.write(new)
        out = io.BytesIO()
        doc.save(out, deterministic_id=True, object_stream_mode=pikepdf.ObjectStreamMode.preserve)
    return out.getvalue()


def _parse_tounicode(data: bytes) -> dict[str, int]:
    """unicode char -> CID from a ToUnicode CMap (bfchar entries, as WeasyPrint writes)."""
    out: dict[str, int] = {}
    for block in re.findall(rb"beginbfchar(.*?)endbfchar", data, flags=re.S):
        for cid, uni in re.findall(rb"<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>", block):
            text = bytes.fromhex(uni.decode()).decode("utf-16-be", errors="ignore")
            if len(text) == 1 and text not in out:
                out[text] = int(cid, 16)
    return out


def _widths(desc) -> dict[int, float]:
    w = desc.get("/W")
    out: dict[int, float] = {}
    if w is None:
        return out
    items = list(w)
    i = 0
    while i < len(items):
        first = int(items[i])
        nxt = items[i + 1]
        if isinstance(nxt, (list,)) or hasattr(nxt, "as_list"):
            for k, val in enumerate(nxt):
                out[first + k] = float(val)
            i += 2
        else:
            last = int(nxt)
            for c in range(first, last + 1):
                out[c] = float(items[i + 2])
            i += 3
    return out


def add_text_field_appearances(pdf: bytes) -> bytes:
    """Give every AcroForm text field an appearance stream (/AP /N) showing its /V.

    WeasyPrint writes text fields with /V and /DA but leaves the appearance to the viewer
    (/NeedAppearances). A form filled in a viewer and saved carries appearance streams: this
    writes them with the field's own (fully embedded) font and size, left aligned, shrunk to
    fit the box, and drops /NeedAppearances.
    """
    import pikepdf

    with pikepdf.open(io.BytesIO(pdf)) as doc:
        acro = doc.Root.get("/AcroForm")
        if acro is None:
            return pdf
        dr_fonts = acro.get("/DR", {}).get("/Font", {})
        cache: dict[str, tuple[dict[str, int], dict[int, float]]] = {}
        for fld in acro.Fields:
            if fld.get("/FT") != "/Tx":
                continue
            value = str(fld.get("/V", ""))
            da = (
                bytes(fld.get("/DA", b""))
                if not isinstance(fld.get("/DA"), pikepdf.String)
                else bytes(fld.DA)
            )
            m = re.search(rb"/(\S+)\s+([\d.]+)\s+Tf", da)
            if not m:
                continue
            fname, size = m.group(1).decode(), float(m.group(2))
            font = dr_fonts.get("/" + fname)
            if font is None:
                continue
            if fname not in cache:
                cmap = _parse_tounicode(font.ToUnicode.read_bytes())
                cache[fname] = (cmap, _widths(font.DescendantFonts[0]))
            cmap, widths = cache[fname]
            x0, y0, x1, y1 = (float(v) for v in fld.Rect)
            w, h = abs(x1 - x0), abs(y1 - y0)
            cids = [cmap.get(ch, cmap.get(" ", 3)) for ch in value]
            text_w = sum(widths.get(c, 600.0) for c in cids) / 1000 * size
            if text_w > w - 4 and text_w > 0:
                size = max(5.0, size * (w - 4) / text_w)
            color = re.search(rb"([\d.]+\s+[\d.]+\s+[\d.]+)\s+rg", da)
            rg = color.group(1).decode() if color else "0 0 0"
            size = min(size, max(4.0, (h - 1.2) / 1.12))  # ascent + descent ~ 1.12 em
            ty = max(0.5, (h - size * 1.12) / 2 + size * 0.21)
            hexs = "".join(f"{c:04x}" for c in cids)
            content = (
                f"/Tx BMC\nq\n1 1 {w - 2:.2f} {h - 2:.2f} re W n\nBT\n/{fname} {size:.2f} Tf\n"
                f"{rg} rg\n2 {ty:.2f} Td\n<{hexs}> Tj\nET\nQ\nEMC\n"
            ).encode()
            ap = pikepdf.Stream(doc, content)
            ap.Type = pikepdf.Name.XObject
            ap.Subtype = pikepdf.Name.Form
            ap.BBox = pikepdf.Array([0, 0, round(w, 2), round(h, 2)])
            ap.Resources = pikepdf.Dictionary(Font=pikepdf.Dictionary({"/" + fname: font}))
            fld.AP = pikepdf.Dictionary(N=doc.make_indirect(ap))
        if "/NeedAppearances" in acro:
            del acro["/NeedAppearances"]
        out = io.BytesIO()
        doc.save(out, deterministic_id=True, object_stream_mode=pikepdf.ObjectStreamMode.preserve)
    return out.getvalue()


# ----------------------------------------------------------------------------- Chromium

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-extensions",
    "--disable-default-apps",
    "--mute-audio",
    "--hide-scrollbars",
    "--font-render-hinting=none",
)


class Chromium:
    """One headless Chromium for a batch, driven over ``--remote-debugging-pipe`` (CDP).

    Use as a context manager; ``pdf(html)`` loads a document into the one tab, runs the
    optional fix-up script and prints it (``Page.printToPDF``, CSS page size).
    """

    def __init__(self, scratch: str | os.PathLike | None = None) -> None:
        self.udd = tempfile.mkdtemp(prefix="zoo-chromium-", dir=scratch)
        r1, w1 = os.pipe()  # Chromium reads commands from fd 3
        r2, w2 = os.pipe()  # and writes answers to fd 4

        def child() -> None:  # runs in the child before exec
            a, b = os.dup(r1), os.dup(w2)
            os.dup2(a, 3)
            os.dup2(b, 4)

        env = {**os.environ, "SOURCE_DATE_EPOCH": "1614556800", "TZ": "UTC", "LANG": "de_DE.UTF-8"}
        self.proc = subprocess.Popen(
            [
                CHROMIUM,
                *CHROMIUM_FLAGS,
                f"--user-data-dir={self.udd}",
                "--remote-debugging-pipe",
                "--lang=de-DE",
                "about:blank",
            ],
            pass_fds=(3, 4),
            preexec_fn=child,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            env=env,
        )
        os.close(r1)
        os.close(w2)
        self._w = os.fdopen(w1, "wb")
        self._r = os.fdopen(r2, "rb")
        self._id = 0
        self._buf = b""
        target = self.send("Target.createTarget", {"url": "about:blank"})["targetId"]
        self.session = self.send("Target.attachToTarget", {"targetId": target, "flatten": True})[
            "sessionId"
        ]
        self.send("Page.enable", session=True)
        self.send("Runtime.enable", session=True)
        self.frame = self.send("Page.getFrameTree", session=True)["frameTree"]["frame"]["id"]
        # lay out as for print, so that a fix-up script sees the printed line breaks (the
        # document must give its body the width of the page's content box)
        self.send("Emulation.setEmulatedMedia", {"media": "print"}, session=True)

    def send(self, method: str, params: dict | None = None, session: bool = False) -> dict:
        self._id += 1
        msg: dict[str, Any] = {"id": self._id, "method": method, "params": params or {}}
        if session:
            msg["sessionId"] = self.session
        self._w.write(json.dumps(msg).encode() + b"\0")
        self._w.flush()
        while True:
            while b"\0" not in self._buf:
                chunk = self._r.read1(1 << 20)
                if not chunk:
                    raise RuntimeError("chromium closed the DevTools pipe")
                self._buf += chunk
            raw, self._buf = self._buf.split(b"\0", 1)
            answer = json.loads(raw)
            if answer.get("id") == self._id:
                if "error" in answer:
                    raise RuntimeError(f"{method}: {answer['error']}")
                return answer.get("result", {})

    def evaluate(self, expression: str) -> Any:
        res = self.send(
            "Runtime.evaluate",
            {"expression": expression, "awaitPromise": True, "returnByValue": True},
            session=True,
        )
        if "exceptionDetails" in res:
            raise RuntimeError(f"script failed: {res['exceptionDetails']}")
        return res.get("result", {}).get("value")

    def pdf(self, html_text: str, script: str | None = None) -> tuple[bytes, Any]:
        self.send(
            "Page.setDocumentContent", {"frameId": self.frame, "html": html_text}, session=True
        )
        self.evaluate("document.fonts.ready.then(() => true)")
        info = self.evaluate(script) if script else None
        res = self.send(
            "Page.printToPDF",
            {
                "printBackground": True,
                "preferCSSPageSize": True,
                "displayHeaderFooter": False,
                "generateDocumentOutline": False,
                "transferMode": "ReturnAsBase64",
            },
            session=True,
        )
        return fix_chromium_pdf(base64.b64decode(res["data"])), info

    def close(self) -> None:
        with contextlib.suppress(Exception):
            self.send("Browser.close")
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        for fh in (self._w, self._r):
            with contextlib.suppress(OSError):
                fh.close()
        shutil.rmtree(self.udd, ignore_errors=True)

    def __enter__(self) -> Chromium:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def fix_chromium_pdf(pdf: bytes) -> bytes:
    """Skia writes the wall-clock time as /CreationDate and /ModDate: fix both.

    The replacement has the same length, so the xref offsets stay valid and the file is
    otherwise byte-for-byte what Chromium wrote.
    """

    def repl(m: re.Match) -> bytes:
        fixed = FIXED_PDF_DATE.encode()
        old = m.group(2)
        if len(old) != len(fixed):
            fixed = fixed[: len(old)].ljust(len(old), b"0")
        return m.group(1) + fixed + b")"

    return re.sub(rb"(/(?:CreationDate|ModDate)\s*\()([^)]*)\)", repl, pdf)


# JS run before printing in the Chromium layouts: every soft hyphen inside an element of class
# "shy" that ended a line becomes a visible U+2010 followed by <wbr>; the soft hyphens that did
# not end a line are removed (Skia would write them as zero-width spaces). Returns the count.
U2010_SCRIPT = r"""
(() => {
  const SHY = '\u00ad';
  function charRect(node, i, last) {
    // the char right after a used soft hyphen reports the generated hyphen's box first
    const r = document.createRange();
    r.setStart(node, i); r.setEnd(node, i + 1);
    const rs = r.getClientRects();
    return rs.length ? (last ? rs[rs.length - 1] : rs[0]) : null;
  }
  function nextVisible(nodes, ni, i) {
    // position of the next non-soft-hyphen character after (node ni, index i)
    for (let n = ni; n < nodes.length; n++) {
      const t = nodes[n].data;
      for (let k = (n === ni ? i + 1 : 0); k < t.length; k++) {
        if (t[k] !== SHY) return [n, k];
      }
    }
    return null;
  }
  let count = 0;
  for (const el of document.querySelectorAll('.shy')) {
    const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
    const nodes = [];
    while (walker.nextNode()) nodes.push(walker.currentNode);
    const breaks = [];
    nodes.forEach((node, ni) => {
      const t = node.data;
      for (let i = 0; i < t.length; i++) {
        if (t[i] !== SHY || i === 0) continue;
        const before = charRect(node, i - 1);
        const nx = nextVisible(nodes, ni, i);
        if (!before || !nx) continue;
        const after = charRect(nodes[nx[0]], nx[1], true);
        if (after && after.top > before.top + before.height / 2) breaks.push([ni, i]);
      }
    });
    const isBreak = new Set(breaks.map(b => b[0] + ':' + b[1]));
    nodes.forEach((node, ni) => {
      const t = node.data;
      if (t.indexOf(SHY) < 0) return;
      const frag = document.createDocumentFragment();
      let buf = '';
      for (let i = 0; i < t.length; i++) {
        if (t[i] !== SHY) { buf += t[i]; continue; }
        if (isBreak.has(ni + ':' + i)) {
          buf += '\u2010';
          frag.appendChild(document.createTextNode(buf)); buf = '';
          frag.appendChild(document.createElement('wbr'));
          count++;
        }
      }
      if (buf) frag.appendChild(document.createTextNode(buf));
      node.parentNode.replaceChild(frag, node);
    });
  }
  return count;
})()
"""


# ----------------------------------------------------------------------------- bookkeeping


class Rec:
    """Collects what a layout printed for one sketch (becomes ``Rendered``)."""

    def __init__(self, facts: Facts) -> None:
        self.facts = facts
        self.written: dict[str, Any] = {}
        self.labels: dict[str, str] = {}
        self.omitted: set[str] = set()
        self.overrides: dict[str, Any] = {}
        self.notes: list[str] = []

    def put(self, field: str, label: str, text: Any) -> Any:
        self.written[field] = text
        self.labels[field] = label
        return text

    def omit(self, *fields: str) -> None:
        self.omitted.update(fields)

    def rendered(self, pdf: bytes):
        from zoogen.model import Rendered

        return Rendered(
            pdf=pdf,
            written=dict(self.written),
            labels=dict(self.labels),
            omitted=set(self.omitted),
            overrides=dict(self.overrides),
            notes=list(self.notes),
        )


def missing_fields(f: Facts) -> set[str]:
    """Fields whose Facts value is None (planned missing-field cases): never printed."""
    out = set()
    checks = {
        "antragsteller": f.antragsteller,
        "akronym": f.akronym,
        "ansprechperson": f.ansprechperson,
        "email": f.email,
        "telefon": f.telefon,
        "einwohnerzahl": f.einwohnerzahl,
        "laufzeit_monate": f.laufzeit_monate,
        "projektbeginn": f.projektbeginn,
        "gesamtkosten_eur": f.gesamtkosten,
        "foerdersumme_eur": f.foerdersumme,
        "eigenanteil_eur": f.eigenanteil,
    }
    for k, v in checks.items():
        if v is None:
            out.add(k)
    return out
