"""Facts + Rendered -> truth rows (the format of ../shared/corpus) and their verification."""

from __future__ import annotations

import contextlib
import datetime as dt
import email
import email.policy
import hashlib
import io
import json
import re
from email.header import decode_header, make_header
from email.utils import parseaddr, parsedate_to_datetime
from pathlib import Path
from typing import Any

from zoogen import rules
from zoogen.model import FIELDS, SOLUTION_KINDS, TOPIC_FIELDS, Facts, Layout, Rendered

LIST_FIELDS = ("kooperationspartner", "themenfelder")


def num(x: float | None) -> int | float | None:
    """Euro amounts as in the truth files: int when whole euros."""
    if x is None:
        return None
    x = round(float(x), 2)
    return int(x) if x.is_integer() else x


def _iso_written_date(s: str) -> str:
    """'30.02.2021' (a date that does not exist) -> '2021-02-30' (kept in the same pattern)."""
    m = re.fullmatch(r"\s*(\d{1,2})\.\s*(\d{1,2})\.\s*(\d{2,4})\s*", s)
    if not m:
        raise ValueError(f"cannot read invalid date {s!r}")
    d, mth, y = m.groups()
    if len(y) == 2:
        y = "20" + y
    return f"{int(y):04d}-{int(mth):02d}-{int(d):02d}"


def base_fields(f: Facts) -> dict[str, Any]:
    """The truth of ``f`` before the layout's omissions and overrides."""
    datum = (
        _iso_written_date(f.datum_written_invalid)
        if f.datum_written_invalid
        else f.datum.isoformat()
    )
    return {
        "projekttitel": f.projekttitel,
        "akronym": f.akronym,
        "antragsteller": f.antragsteller,
        "koerperschaft_typ": f.koerperschaft_typ if f.antragsteller is not None else None,
        "landkreis": f.landkreis,
        "bundesland": f.bundesland,
        "ansprechperson": f.ansprechperson.name if f.ansprechperson is not None else None,
        "email": f.email,
        "telefon": f.telefon,
        "plz": f.plz,
        "einwohnerzahl": f.einwohnerzahl,
        "kooperationspartner": list(f.kooperationspartner),
        "themenfelder": list(f.themenfelder),
        "laufzeit_monate": f.laufzeit_monate,
        "projektbeginn": f.projektbeginn.isoformat() if f.projektbeginn else None,
        "gesamtkosten_eur": num(f.gesamtkosten),
        "foerdersumme_eur": num(f.foerdersumme),
        "eigenanteil_eur": num(f.eigenanteil),
        "datum": datum,
    }


def _norm_override(k: str, v: Any) -> Any:
    if isinstance(v, (dt.date, dt.datetime)):
        return v.isoformat()[:10]
    if k.endswith("_eur") and v is not None:
        return num(v)
    if k in LIST_FIELDS:
        return list(v or [])
    return v


def type_printed_alone(f: Facts, r: Rendered) -> bool:
    """The missing-applicant case (``antragsteller is None``) with the body type printed on its
    own (a form's "Art der Körperschaft: Gemeinde" without the name): allowed; the truth of
    ``koerperschaft_typ`` is then the printed type (its canonical name), not null."""
    return f.antragsteller is None and bool(r.written.get("koerperschaft_typ"))


def truth_fields(f: Facts, r: Rendered) -> dict[str, Any]:
    fields = base_fields(f)
    if type_printed_alone(f, r):
        fields["koerperschaft_typ"] = f.koerperschaft_typ
    for k in r.omitted:
        fields[k] = [] if k in LIST_FIELDS else None
    for k, v in r.overrides.items():
        fields[k] = _norm_override(k, v)
    return fields


def evidence(r: Rendered) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for k in FIELDS:
        v = None if k in r.omitted else r.written.get(k)
        if k in LIST_FIELDS:
            v = list(v) if v else ([] if v is not None else None)
        out[k] = v
    return out


def sketch_row(
    f: Facts,
    r: Rendered,
    layout: Layout,
    *,
    supersedes: str | None = None,
    notes: list[str] | None = None,
) -> dict[str, Any]:
    fields = truth_fields(f, r)
    viol = rules.violations(fields)
    all_notes = list(notes or [])
    return {
        "sketch_id": f.sketch_id,
        "pdf": f"pdf/{f.sketch_id}.pdf",
        "layout": layout.name,
        "fields": fields,
        "themes": list(f.themes),
        "loesungsart": list(f.loesungsart),
        "violations": viol,
        "supersedes": supersedes,
        "evidence": evidence(r),
        "notes": "; ".join(all_notes) if all_notes else None,
        "producer": layout.producer,
        "labels": {k: v for k, v in r.labels.items()},
        "phenomena": sorted(layout.phenomena),
    }


def planned_vs_recomputed(f: Facts, row: dict) -> str | None:
    if sorted(f.violations) != row["violations"]:
        return (
            f"{f.sketch_id} ({row['layout']}): planned violations {sorted(f.violations)} "
            f"!= recomputed {row['violations']}"
        )
    return None


# ----------------------------------------------------------------------------- text layer


def norm(text: str | None) -> str:
    return re.sub(r"[\s\u00a0\u00ad\u202f\u2009\u200b]+", "", text or "")


def acroform_values(data: bytes) -> list[str]:
    """Values (/V) of every AcroForm field (also widgets under /Kids), as text."""
    import pikepdf

    out: list[str] = []
    with pikepdf.open(io.BytesIO(data)) as pdf:
        af = pdf.Root.get("/AcroForm")
        if af is None:
            return out
        stack = list(af.get("/Fields", []))
        seen = set()
        while stack:
            fld = stack.pop()
            try:
                key = fld.objgen
            except Exception:
                key = id(fld)
            if key in seen:
                continue
            seen.add(key)
            v = fld.get("/V")
            if v is not None:
                if isinstance(v, pikepdf.String):
                    out.append(str(v))
                elif isinstance(v, pikepdf.Name):
                    out.append(str(v)[1:])
                elif isinstance(v, pikepdf.Array):
                    out += [str(x) for x in v]
            for kid in fld.get("/Kids", []):
                stack.append(kid)
    return out


_LIGS = {
    "\ufb00": "ff",
    "\ufb01": "fi",
    "\ufb02": "fl",
    "\ufb03": "ffi",
    "\ufb04": "ffl",
    "\ufb05": "st",
    "\ufb06": "st",
}


def _unlig(t: str) -> str:
    return _DEHYPH.sub("", "".join(_LIGS.get(ch, ch) for ch in t))


_DEHYPH = re.compile(r"(?<=\w)[-\u2010\u00ad][ \t]*\n[ \t]*(?=[a-zäöüß])")


def column_boxes(page, bin_w: float = 2.0) -> list[tuple[float, float, float, float]]:
    """Column boxes of a page, split at vertical gaps that (almost) no text line crosses;
    [] when the page has a single column. Finds gaps anywhere between 12 % and 88 % of the
    width, so sidebars and off-centre gaps are found too."""
    chars = [c for c in page.chars if c.get("text", "").strip()]
    if len(chars) < 50:
        return []
    w = float(page.width)
    nb = int(w / bin_w) + 1
    lines: dict[int, set[int]] = {}
    for c in chars:
        key = round(float(c["top"]) / 3.0)
        cover = lines.setdefault(key, set())
        for b in range(int(float(c["x0"]) / bin_w), int(float(c["x1"]) / bin_w) + 1):
            cover.add(b)
    n = len(lines)
    counts = [0] * nb
    for cover in lines.values():
        for b in cover:
            if 0 <= b < nb:
                counts[b] += 1
    lo, hi = int(0.12 * nb), int(0.88 * nb)
    cuts, run = [], []
    for b in range(lo, hi + 1):
        if b < nb and counts[b] <= 0.06 * n:
            run.append(b)
        else:
            if len(run) * bin_w >= 6:
                cuts.append((run[0] + run[-1] + 1) / 2 * bin_w)
            run = []
    if not cuts:
        return []
    xs = [0.0, *cuts, w]
    return [(xs[i], 0, xs[i + 1], float(page.height)) for i in range(len(xs) - 1)]


class Haystack:
    """The text of a PDF for evidence look-ups, computed lazily in tiers: page text, then
    half-page crops (two-column layouts), then table cells, then form field values."""

    def __init__(self, data: bytes, *, acroform: bool = False):
        import pdfplumber

        self._pdf = pdfplumber.open(io.BytesIO(data))
        self._data = data
        self._acroform = acroform
        self.full = "\n".join((p.extract_text() or "") for p in self._pdf.pages)
        self._tiers = [norm(self.full)]
        self._todo = ["crops", "columns", "dehyphen", "ligatures", "tables"] + (
            ["acroform"] if acroform else []
        )

    def _more(self) -> bool:
        if not self._todo:
            return False
        what = self._todo.pop(0)
        parts: list[str] = []
        for page in self._pdf.pages:
            if what == "crops":
                w, h = page.width, page.height
                for box in ((0, 0, w / 2, h), (w / 2, 0, w, h)):
                    with contextlib.suppress(Exception):
                        parts.append(page.crop(box).extract_text() or "")
            elif what == "columns":
                for box in column_boxes(page):
                    with contextlib.suppress(Exception):
                        parts.append(page.crop(box).extract_text() or "")
            elif what == "tables":
                try:
                    for table in page.extract_tables():
                        parts += [c for row in table for c in row if c]
                except Exception:
                    pass
        if what == "dehyphen":  # words hyphenated at a line end (-, U+2010, U+00AD) joined again
            parts = [_DEHYPH.sub("", self.full)]
        if what == "ligatures":  # U+FB00-FB06 in the text layer read as their letters
            parts = [_unlig(t) for t in [self.full]]
        if what == "acroform":
            parts = acroform_values(self._data)
            self.full += "\n" + "\n".join(parts)
        self._tiers.append(norm("\n".join(parts)))
        return True

    def __contains__(self, needle: str) -> bool:
        n = norm(needle)
        while True:
            if any(n in t for t in self._tiers):
                return True
            if not self._more():
                return False

    def close(self) -> None:
        self._pdf.close()


def pdf_text(data: bytes, *, acroform: bool = False) -> tuple[str, str]:
    """(plain text of all pages, whitespace-free haystack of every tier)."""
    h = Haystack(data, acroform=acroform)
    while h._more():
        pass
    h.close()
    return h.full, "".join(h._tiers)


def check_sketch(
    row: dict, data: bytes, layout: Layout, facts: Facts, rendered: Rendered
) -> list[str]:
    errs: list[str] = []
    sid = row["sketch_id"]
    lay = layout.name
    if not data.startswith(b"%PDF"):
        return [f"{sid} ({lay}): not a PDF"]
    unknown = (
        set(rendered.written)
        | set(rendered.labels)
        | set(rendered.omitted)
        | set(rendered.overrides)
    ) - set(FIELDS)
    if unknown:
        errs.append(f"{sid} ({lay}): unknown field names {sorted(unknown)}")
    # a None fact must not be printed
    none_facts = {k for k, v in base_fields(facts).items() if v is None or v == []}
    # koerperschaft_typ is derived: null only because the applicant is missing; a layout may
    # still print the type alone (type_printed_alone), then it must be the sketch's type
    none_facts.discard("koerperschaft_typ")
    printed_none = {k for k in none_facts if rendered.written.get(k) and k != "themenfelder"}
    if printed_none:
        errs.append(f"{sid} ({lay}): printed although the fact is None: {sorted(printed_none)}")
    if type_printed_alone(facts, rendered):
        typ_w = str(rendered.written["koerperschaft_typ"]).casefold()
        if not any(w and w.casefold() in typ_w for w in (facts.koerperschaft_typ, facts.body_word)):
            errs.append(
                f"{sid} ({lay}): koerperschaft_typ printed alone as {typ_w!r}, "
                f"not the type {facts.koerperschaft_typ!r}"
            )
        if row["fields"]["koerperschaft_typ"] != facts.koerperschaft_typ:
            errs.append(f"{sid} ({lay}): koerperschaft_typ printed alone, truth is not the type")
    f = row["fields"]
    if list(f) != list(FIELDS):
        errs.append(f"{sid} ({lay}): field list differs from DOMAIN.md")
    if not all(t in TOPIC_FIELDS for t in f["themenfelder"]):
        errs.append(f"{sid} ({lay}): themenfelder not canonical")
    if not all(s in SOLUTION_KINDS for s in row["loesungsart"]):
        errs.append(f"{sid} ({lay}): loesungsart")
    acro = "acroform" in layout.phenomena
    hay = Haystack(data, acroform=acro)
    try:
        if len(hay.full) < 500 and not acro:
            errs.append(f"{sid} ({lay}): almost no text extracted ({len(hay.full)} chars)")
        for key in ("projekttitel", "antragsteller", "email"):
            if f[key] is not None and f[key] not in hay:
                errs.append(f"{sid} ({lay}): {key} {f[key]!r} not in extracted text")
        for k, v in row["evidence"].items():
            for val in v if isinstance(v, list) else [v]:
                if val and str(val) not in hay:
                    errs.append(f"{sid} ({lay}): evidence {k}={val!r} not in extracted text")
    finally:
        hay.close()
    return errs


# ----------------------------------------------------------------------------- corpus files


def write_jsonl(path: Path, rows: list[dict]) -> None:
    with open(path, "w", encoding="utf-8", newline="\n") as fh:
        for r in rows:
            fh.write(json.dumps(r, ensure_ascii=False) + "\n")


def _decoded_filename(part) -> str | None:
    fn = part.get_filename()
    if fn and "=?" in fn:
        fn = str(make_header(decode_header(fn)))
    return fn


def verify_corpus(out: Path, sketches: list[dict], messages: list[dict]) -> list[str]:
    """Parse every .eml back and compare with messages.jsonl; sketch attachments must equal
    their pdf/ file; violations must equal the rules' recomputation."""
    errs: list[str] = []
    by_id = {s["sketch_id"]: s for s in sketches}
    arrived: set[str] = set()
    ids = set()
    for m in messages:
        raw = (out / m["message_file"]).read_bytes()
        if b"\n" in raw.replace(b"\r\n", b""):
            errs.append(f"{m['message_file']}: bare LF line ending")
        msg = email.message_from_bytes(raw, policy=email.policy.default)
        if msg["Message-ID"] != m["message_id"]:
            errs.append(f"{m['message_file']}: Message-ID differs")
        if m["message_id"] in ids:
            errs.append(f"{m['message_file']}: duplicate Message-ID")
        ids.add(m["message_id"])
        if parseaddr(str(msg["From"]))[1] != m["from"]:
            errs.append(f"{m['message_file']}: From differs")
        if str(msg["Subject"] or "") != m["subject"]:
            errs.append(f"{m['message_file']}: Subject {str(msg['Subject'])!r} != {m['subject']!r}")
        if parsedate_to_datetime(msg["Date"]) != dt.datetime.fromisoformat(m["date"]):
            errs.append(f"{m['message_file']}: Date differs")
        body = msg.get_body(preferencelist=("plain",))
        if body is None or len(body.get_content()) < 20:
            errs.append(f"{m['message_file']}: no readable text body")
        atts = list(msg.iter_attachments())
        if len(atts) != len(m["attachments"]):
            errs.append(
                f"{m['message_file']}: {len(atts)} attachments, truth has {len(m['attachments'])}"
            )
        if (m["outcome"] == "no_attachment") != (not atts):
            errs.append(f"{m['message_file']}: message outcome wrong")
        for part, t in zip(atts, m["attachments"], strict=False):
            data = part.get_payload(decode=True)
            if _decoded_filename(part) != t["filename"]:
                errs.append(
                    f"{m['message_file']}: filename {_decoded_filename(part)!r} "
                    f"!= {t['filename']!r}"
                )
            if hashlib.sha256(data).hexdigest() != t["sha256"]:
                errs.append(f"{m['message_file']}: sha256 of {t['filename']}")
            if part.get_content_type() != t["content_type"]:
                errs.append(
                    f"{m['message_file']}: content type {part.get_content_type()} "
                    f"!= {t['content_type']}"
                )
            if t["outcome"] == "sketch":
                s = by_id.get(t["sketch_id"])
                if s is None:
                    errs.append(f"{m['message_file']}: unknown sketch {t['sketch_id']}")
                    continue
                if (out / s["pdf"]).read_bytes() != data:
                    errs.append(f"{m['message_file']}: attached sketch differs from {s['pdf']}")
                arrived.add(t["sketch_id"])
    for s in sketches:
        if s["sketch_id"] not in arrived:
            errs.append(f"{s['sketch_id']}: never arrives in any mail")
        if rules.violations(s["fields"]) != s["violations"]:
            errs.append(f"{s['sketch_id']}: violations differ from the rules")
        if s["supersedes"]:
            o = by_id.get(s["supersedes"])
            if o is None or o["fields"]["antragsteller"] != s["fields"]["antragsteller"]:
                errs.append(f"{s['sketch_id']}: supersedes a sketch of another applicant")
    return errs
