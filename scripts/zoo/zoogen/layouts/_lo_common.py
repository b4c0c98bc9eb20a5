"""Shared parts of the LibreOffice layouts: the converter call, PDF clean-up, German formats.

One ``soffice --headless --convert-to pdf`` call per batch with a throw-away user profile;
afterwards the PDFs get fixed dates and a content-derived /ID (pikepdf), so that the same
Facts give the same bytes.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import random
import re
import shutil
import subprocess
import tempfile
from collections.abc import Sequence
from pathlib import Path

from zoogen.model import MONTHS

SOURCE_DATE_EPOCH = "1614556800"


# ---------------------------------------------------------------- converter
def soffice_binary() -> str:
    for name in ("soffice", "libreoffice"):
        found = shutil.which(name)
        if found:
            return found
    for cand in ("/usr/bin/soffice", "/usr/lib/libreoffice/program/soffice"):
        if os.path.exists(cand):
            return cand
    raise RuntimeError("LibreOffice (soffice) not found: apt-get install libreoffice-writer-nogui")


def convert_to_pdf(inputs: Sequence[Path], outdir: Path, timeout: int = 900) -> list[Path]:
    """Convert all ``inputs`` with ONE soffice run; returns the PDF paths in input order."""
    # soffice runs with cwd=outdir, so relative paths (``--out var/zoo``) would not be found
    outdir = outdir.resolve()
    inputs = [Path(p).resolve() for p in inputs]
    outdir.mkdir(parents=True, exist_ok=True)
    if not inputs:
        return []
    profile = Path(tempfile.mkdtemp(prefix="lo-", dir="/tmp"))
    env = dict(os.environ)
    env.update(SOURCE_DATE_EPOCH=SOURCE_DATE_EPOCH, HOME=str(profile), TZ="Europe/Berlin")
    env.pop("DISPLAY", None)
    cmd = [
        soffice_binary(),
        "--headless",
        "--invisible",
        "--norestore",
        "--nolockcheck",
        "--nodefault",
        "--nologo",
        f"-env:UserInstallation={profile.as_uri()}",
        "--convert-to",
        "pdf",
        "--outdir",
        str(outdir),
        *[str(p) for p in inputs],
    ]
    try:
        proc = subprocess.run(
            cmd, env=env, capture_output=True, text=True, timeout=timeout, cwd=str(outdir)
        )
    finally:
        shutil.rmtree(profile, ignore_errors=True)
    outs = [outdir / (Path(p).stem + ".pdf") for p in inputs]
    missing = [p for p in outs if not p.exists()]
    if missing:
        raise RuntimeError(
            f"soffice did not produce {[m.name for m in missing]} (rc={proc.returncode}):\n"
            f"{proc.stdout[-2000:]}\n{proc.stderr[-2000:]}"
        )
    return outs


def _pdf_date(when: dt.datetime) -> str:
    return when.strftime("D:%Y%m%d%H%M%S+01'00'")


def finalize_pdf(
    raw: bytes,
    when: dt.datetime,
    *,
    title: str | None = None,
    author: str | None = None,
    tounicode_fix: dict[str, dict[str, str]] | None = None,
) -> bytes:
    """Fixed /CreationDate, /ModDate, /ID; no XMP; optional ToUnicode remapping.

    ``tounicode_fix`` maps a substring of a font's /BaseFont to {old char: new char}: every
    glyph of that font whose ToUnicode entry is ``old`` gets ``new`` (used to turn the
    hyphen that LibreOffice draws at a soft-hyphen break back into U+00AD).
    """
    import pikepdf

    pdf = pikepdf.open(io.BytesIO(raw))
    info = pdf.docinfo
    for key in ("/CreationDate", "/ModDate"):
        info[key] = pikepdf.String(_pdf_date(when))
    if title is not None:
        info["/Title"] = pikepdf.String(title)
    if author is not None:
        info["/Author"] = pikepdf.String(author)
    if "/Metadata" in pdf.Root:
        del pdf.Root["/Metadata"]
    if tounicode_fix:
        _fix_tounicode(pdf, tounicode_fix)
    for key in ("/ID", "/DocChecksum"):  # LibreOffice's are time-based; qpdf derives an /ID
        if key in pdf.trailer:  # from the content instead
            del pdf.trailer[key]
    out = io.BytesIO()
    pdf.save(
        out,
        deterministic_id=True,
        compress_streams=True,
        object_stream_mode=pikepdf.ObjectStreamMode.preserve,
    )
    return out.getvalue()


def _hex_of(ch: str) -> str:
    return "".join(f"{b:02X}" for b in ch.encode("utf-16-be"))


def _fix_tounicode(pdf, fixes: dict[str, dict[str, str]]) -> None:
    seen: set[tuple[int, int]] = set()
    for page in pdf.pages:
        fonts = page.obj.get("/Resources", {}).get("/Font", {})
        for _, font in fonts.items():
            base = str(font.get("/BaseFont", ""))
            mapping = next((m for k, m in fixes.items() if k in base), None)
            if mapping is None or "/ToUnicode" not in font:
                continue
            tu = font["/ToUnicode"]
            if tu.objgen in seen:
                continue
            seen.add(tu.objgen)
            text = tu.read_bytes().decode("latin-1")
            for old, new in mapping.items():
                old_h, new_h = _hex_of(old), _hex_of(new)
                # bfchar entries: <XX> <002D>
                text = re.sub(rf"(<[0-9A-Fa-f]+>\s*)<{old_h}>", rf"\g<1><{new_h}>", text)
            tu.write(text.encode("latin-1"))


# ---------------------------------------------------------------- formats
def rng_for(facts) -> random.Random:
    return random.Random(facts.seed)


def de_int(n: int, sep: str = ".") -> str:
    s = f"{int(n):,}".replace(",", sep)
    return s


def de_num(x: float, decimals: int = 2, sep: str = ".") -> str:
    """412500.0 -> '412.500,00' (sep = thousands separator)."""
    neg = x < 0
    s = f"{abs(x):,.{decimals}f}"
    whole, _, frac = s.partition(".")
    whole = whole.replace(",", sep)
    out = f"{whole},{frac}" if decimals else whole
    return ("-" if neg else "") + out


def is_whole(x: float) -> bool:
    return abs(x - round(x)) < 0.005


def truth_number(x: float):
    """Truth convention: int when whole euros."""
    return round(x) if is_whole(x) else round(x, 2)


AMOUNT_STYLES = ("eur_sign", "EUR", "euro_dash", "teur", "mio", "Euro")


def fmt_amount(x: float, style: str, sep: str = ".") -> tuple[str, float]:
    """German amount in ``style``; returns (string, printed value).

    Styles that cannot show the value exactly fall back to an exact one (no silent
    rounding): 'teur' needs whole euros, 'mio' at most 4 decimals of a million, 'euro_dash'
    whole euros.
    """
    whole = is_whole(x)
    if style == "teur" and whole:
        t = round(x) / 1000
        dec = 0 if t == int(t) else len(f"{t:.3f}".rstrip("0").split(".")[1])
        return f"{de_num(t, dec, sep)} T€", x
    if style == "mio" and whole and round(x) % 100 == 0:
        m = round(x) / 1_000_000
        dec = max(2, len(f"{m:.4f}".rstrip("0").split(".")[1]))
        return f"{de_num(m, dec, sep)} Mio. €", x
    if style == "euro_dash" and whole:
        return f"€ {de_num(x, 0, sep)},-", x
    if style == "EUR":
        return (f"{de_num(x, 0, sep)} EUR" if whole else f"{de_num(x, 2, sep)} EUR"), x
    if style == "Euro":
        return (f"{de_num(x, 0, sep)} Euro" if whole else f"{de_num(x, 2, sep)} Euro"), x
    if style == "bare":
        return de_num(x, 2, sep), x
    if style == "bare0" and whole:
        return de_num(x, 0, sep), x
    if style == "bare0":
        return de_num(x, 2, sep), x
    return f"{de_num(x, 2, sep)} €", x


def fmt_date(d: dt.date, style: str) -> tuple[str, dt.date]:
    """Returns (string, the date the string means: the 1st for month-only styles)."""
    if style == "long":
        return f"{d.day}. {MONTHS[d.month - 1]} {d.year}", d
    if style == "month":
        return f"{MONTHS[d.month - 1]} {d.year}", d.replace(day=1)
    if style == "mm/yyyy":
        return f"{d.month:02d}/{d.year}", d.replace(day=1)
    if style == "short":
        return f"{d.day}.{d.month}.{d.year}", d
    return f"{d.day:02d}.{d.month:02d}.{d.year}", d


def months_between_inclusive(a: dt.date, b: dt.date) -> int:
    """Months of a month range 'a – b' counted inclusively (10/2021 – 03/2024 -> 30)."""
    return (b.year - a.year) * 12 + b.month - a.month + 1


def fmt_duration(months: int, style: str) -> str:
    if style == "jahre" and months % 6 == 0:
        y = months / 12
        if y == int(y):
            return f"{int(y)} Jahre" if y != 1 else "1 Jahr"
        return f"{de_num(y, 1)} Jahre"
    if style == "mon":
        return f"{months} Mon."
    return f"{months} Monate"


def iso(d: dt.date) -> str:
    return d.isoformat()


# ------------------------------------------------------------ soft hyphens
_VOWELS = set("aeiouäöüyAEIOUÄÖÜY")
_UNITS = ("sch", "ch", "ck", "ph", "th", "qu")
_DIPH = ("ei", "ie", "au", "eu", "äu", "ai", "aa", "ee")
# consonant clusters that may start a German syllable (the break goes before them)
_ONSETS = (
    "schl",
    "schm",
    "schn",
    "schr",
    "schw",
    "spr",
    "str",
    "bl",
    "br",
    "dr",
    "fl",
    "fr",
    "gl",
    "gr",
    "kl",
    "kn",
    "kr",
    "pl",
    "pr",
    "tr",
    "zw",
    "sch",
    "ch",
    "ck",
    "ph",
    "qu",
    "st",
    "sp",
)
# frequent heads of compounds: a break goes before them
_MORPHEMES = (
    "plattform",
    "partner",
    "gruppen",
    "versorgung",
    "angebot",
    "dienst",
    "struktur",
    "stelle",
    "verwaltung",
    "gemeinde",
    "mobilität",
    "verkehr",
    "bildung",
    "kompetenz",
    "beratung",
    "betrieb",
    "entwicklung",
    "gesellschaft",
    "landschaft",
    "leistung",
    "arbeit",
    "wohn",
    "pflege",
    "gesundheit",
    "nachbarschaft",
    "zentrum",
    "projekt",
    "digital",
    "markt",
    "laden",
    "läden",
    "ehrenamt",
    "verein",
    "schule",
    "station",
    "fahrt",
    "netz",
    "raum",
    "räume",
    "kreis",
    "lotsen",
    "lotsin",
    "bürger",
    "hilfe",
    "haushalt",
    "förder",
    "mittel",
    "system",
)


def _syllable_breaks(word: str) -> list[int]:
    """Heuristic German hyphenation points (indices where a break may go)."""
    low = word.lower()
    n = len(word)
    pts: set[int] = set()
    heads: set[int] = set()
    for m in _MORPHEMES:
        i = low.find(m, 3)
        while i > 0:
            heads.add(i)
            i = low.find(m, i + 1)
    i = 0
    while i < n:
        if low[i] in _VOWELS:
            j = i + 2 if low[i : i + 2] in _DIPH else i + 1
            k = j
            while k < n and low[k].isalpha() and low[k] not in _VOWELS:
                k += 1
            if k < n and low[k] in _VOWELS and k > j:
                cluster = low[j:k]
                cut = k - 1  # V|CV, VC|CV
                for o in _ONSETS:
                    if cluster.endswith(o):
                        cut = k - len(o)
                        break
                pts.add(cut)
            i = max(j, k)
        else:
            i += 1
    pts = {p for p in pts if not any(abs(p - h) == 1 for h in heads)} | heads
    ok = []
    for p in sorted(pts):
        if not (3 <= p <= n - 3) or not (word[p - 1].isalpha() and word[p].isalpha()):
            continue
        if low[:p].endswith("oo") or (low[p - 1] in _VOWELS and low[p] in _VOWELS):
            continue
        ok.append(p)
    return ok


def soft_hyphenate(text: str, min_len: int = 9, shy: str = "\u00ad") -> str:
    """Insert soft hyphens into long words (not into numbers, addresses, mails)."""

    def one(m: re.Match) -> str:
        w = m.group(0)
        if len(w) < min_len or not w.isalpha():
            return w
        out, last = [], 0
        for p in _syllable_breaks(w):
            if p - last < 2:
                continue
            out.append(w[last:p])
            last = p
        out.append(w[last:])
        return shy.join(out)

    return re.sub(r"(?<![@\w.])[A-Za-zÄÖÜäöüß]+(?![@\w])", one, text)


# ------------------------------------------------------------ names
MAYOR_FIRST_F = ("Birgit", "Kerstin", "Martina", "Heike", "Susanne", "Claudia", "Ines", "Petra")
MAYOR_FIRST_M = ("Thomas", "Rainer", "Uwe", "Frank", "Matthias", "Holger", "Jens", "Ralf")
MAYOR_LAST = (
    "Brockmann",
    "Henning",
    "Voigtländer",
    "Schwarzer",
    "Oltmanns",
    "Pöhlmann",
    "Kühn",
    "Reisinger",
    "Wendt",
    "Albers",
    "Gerlach",
    "Hüttner",
    "Kramer",
    "Nießen",
)


def head_title(body_word: str, typ: str, female: bool) -> str:
    """What the head of the body is called."""
    a = "in" if female else ""
    if typ == "Landkreis":
        return "Landrätin" if female else "Landrat"
    if typ == "Amt":
        return f"Amtsdirektor{a}"
    if typ == "Samtgemeinde":
        return f"Samtgemeindebürgermeister{a}"
    if typ == "Verwaltungsgemeinschaft":
        return f"Gemeinschaftsvorsitzende{'' if female else 'r'}"
    if typ == "Markt":
        return f"Erste{'' if female else 'r'} Bürgermeister{a}"
    if typ == "Verbandsgemeinde":
        return f"Bürgermeister{a} der Verbandsgemeinde"
    if body_word in ("Stadt", "Hansestadt", "Große Kreisstadt"):
        return f"Bürgermeister{a}"
    return f"Bürgermeister{a}"


def is_head_function(funktion: str) -> bool:
    f = funktion.lower()
    return any(
        w in f
        for w in (
            "bürgermeister",
            "landrat",
            "landrätin",
            "amtsdirektor",
            "amtsvorsteher",
            "gemeinschaftsvorsitz",
        )
    ) and not any(w in f for w in ("referent", "büro", "stellvertret", "persönlich", "assist"))


def mayor_person(facts, rng: random.Random) -> tuple[str, str, bool]:
    """(name, title, female) of who signs: the contact if the contact is the head, else an
    invented head of the body."""
    p = facts.ansprechperson
    if p is not None and is_head_function(facts.funktion):
        return p.name, facts.funktion, p.female
    female = rng.random() < 0.4
    first = rng.choice(MAYOR_FIRST_F if female else MAYOR_FIRST_M)
    last = rng.choice(MAYOR_LAST)
    if p is not None and last == p.last:
        last = MAYOR_LAST[(MAYOR_LAST.index(last) + 3) % len(MAYOR_LAST)]
    return f"{first} {last}", head_title(facts.body_word, facts.koerperschaft_typ, female), female


def rename_heading(heading: str, table: dict[str, Sequence[str]], rng: random.Random) -> str:
    for key, options in table.items():
        if key.lower() in heading.lower():
            return rng.choice(list(options))
    return heading


def signing_place(facts) -> str:
    return facts.ort or facts.place


def created_at(facts, rng: random.Random) -> dt.datetime:
    """When the PDF was made: the sketch date (or the day before sending), office hours."""
    day = facts.datum
    sub = facts.submit_at.date() if facts.submit_at else day
    if sub < day:
        day = sub
    return dt.datetime(
        day.year, day.month, day.day, rng.randint(8, 15), rng.randint(0, 59), rng.randint(0, 59)
    )


def invalid_date_iso(written: str) -> str | None:
    """'30.02.2021' / '30.02.21' -> '2021-02-30' (the pattern kept, the date not checked)."""
    m = re.fullmatch(r"\s*(\d{1,2})\.\s*(\d{1,2})\.\s*(\d{2}|\d{4})\s*", written)
    if not m:
        return None
    d, mth, y = m.groups()
    if len(y) == 2:
        y = "20" + y
    return f"{y}-{int(mth):02d}-{int(d):02d}"


def datum_text(facts, style: str) -> tuple[str, str | None]:
    """The sketch date as printed, and the changed truth (or None)."""
    if facts.datum_written_invalid:
        return facts.datum_written_invalid, invalid_date_iso(facts.datum_written_invalid)
    s, d = fmt_date(facts.datum, style)
    return s, (iso(d) if d != facts.datum else None)


def article(typ: str, body_word: str) -> str:
    """Nominative article of the body: die Gemeinde, der Markt, das Amt, der Landkreis."""
    w = body_word.lower()
    if w.endswith("amt") or typ == "Amt":
        return "das"
    if w.endswith("markt") or w.endswith("kreis") or typ in ("Markt", "Landkreis"):
        return "der"
    return "die"
