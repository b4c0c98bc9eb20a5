"""Cooperation partners: a labelled cell, a headed (bulleted) list, or a prose sentence.

Sources, best first: a key-data cell ("Kooperationspartner | A; B"), a heading followed
by a list (bullets, wrapped items re-joined), numbered lines ("Partner 1: …"), a prose
list after a colon ("… mit folgenden Partnern umgesetzt: A, B und C.") and a prose
sentence with a verb ("Als Kooperationspartner wirken die A und B mit."). A list cut
short by a wrap or a page break is completed from a longer source that extends it.
"Keine"/"entfällt" in a partner cell is an explicit, confident empty list.
"""

from __future__ import annotations

import re

from extractors.config import DEFAULT_CONFIG, FieldConfig
from extractors.layout import DocView, is_label, labelled_values, match_label
from extractors.types import Evidence, FieldResult

EXTRACTOR = "partners@2"

_BULLET = re.compile(r"^\s*(?:[•●▪◦·‣\-–—*\uf0b7\uf0a7]|\d{1,2}\))\s*(?=\S)")
NONE_RE = re.compile(
    r"^(?:keine?|keine Angabe|–|-|—|entfällt|n/?a|nicht zutreffend|\.\/\.|ohne|bisher keine"
    r"|noch keine)\.?$",
    re.IGNORECASE,
)
LEGAL_FORM = re.compile(
    r"(?:\be\.\s?V\.|\bgGmbH|\bGmbH(?:\s&\sCo\.\sKG)?|\bmbH|\beG|\bAöR|\bKdöR|\bUG\b|\bAG|\bKG"
    r"|\bgUG|\bGbR|\bZV|\bw\.\s?V\.|\(haftungsbeschränkt\))\s*$"
)
_HEADING = re.compile(
    r"^\s*(?:\d+(?:\.\d+)*\.?\s+[A-ZÄÖÜ]|(?:Kontakt|Ansprech|Themenfeld|Zuordnung|Kosten|Finanzierung"
    r"|Zeitplan|Laufzeit|Unterschrift|Ort, Datum|Hintergrund|Ausgangslage|Ziele|Vorgehen"
    r"|Umsetzung|Arbeitsplan|Projektbeschreibung|Kurzbeschreibung|Förderaufruf|Seite\b))"
)
_HEAD_WORDS = (
    r"(?:Kooperationspartner(?:innen)?(?:/innen|\*innen)?|Projektpartner(?:innen)?|Verbundpartner"
    r"|Partner im Verbund|Beteiligte Partner|Partnerinnen und Partner|Partner(?:innen)?"
    r"|Kooperationen|Beteiligte)"
)
_PARTNER_HEAD = re.compile(rf"^\s*(?:\d+(?:\.\d+)*\.?\s+)?{_HEAD_WORDS}(?:\s*\([^)]*\))?\s*:?\s*$")
_KEYWORD = r"(?:Kooperationspartner\w*|Projektpartner\w*|Verbundpartner\w*|Partner(?:n|innen)?)"
# a sentence end: a period not inside "e. V." / "e.V." / abbreviations
_END = r"(?<!\be)(?<!\bV)(?<!\bw)(?<!\bmbH)(?<!\bSt)(?<!\bDr)\.(?:\s|$)"
_PROSE_COLON = re.compile(rf"{_KEYWORD}\b[^.:]{{0,60}}?:\s*(?P<v>[^▪•|]+?)(?:{_END}|\s*[▪•|]|\s*$)")
_PROSE_VERB = re.compile(
    rf"\b{_KEYWORD}\s(?:des Vorhabens\s|des Projekts\s)?"
    r"(?:sind|wirken|beteiligen sich|ist|werden)\s"
    rf"(?P<v>.+?)(?:\s(?:mit|beteiligt|an Bord|eingebunden))?{_END}"
)
_PROSE_WITH = re.compile(
    r"\b(?:gemeinsam|zusammen)\smit\s(?:den\s(?:Partnern|Kooperationspartnern)\s)?(?:(?:dem|der|den)\s)?"
    r"(?P<v>[A-ZÄÖÜ].+?)"
    r"\s(?:durch|um|zusammen)(?=[;.,\s])"
)
_ARTICLE = re.compile(r"^(?:die|der|das|den|dem|des)\s+", re.IGNORECASE)


def split_partners(text: str) -> list[str]:
    """Split "A, B und C" / "A; B" into names, keeping "e. V." and parentheses intact."""
    text = re.sub(r"\s+", " ", text).strip().rstrip(".")
    if re.search(r"\b[ew]\. ?V$|\b[ew]\.V$", text):
        text += "."
    parts: list[str] = []
    depth = 0
    cur = ""
    i = 0
    while i < len(text):
        ch = text[i]
        depth += ch == "("
        depth -= ch == ")"
        if depth == 0:
            sep = next((s for s in (", ", "; ", " und ", " sowie ") if text.startswith(s, i)), None)
            if (
                sep
                and not (
                    (sep[0] == " " and cur.endswith("-"))  # "Heimat- und Kulturverein"
                    or re.match(r"(?:Umgebung|Umland|Region)\b", text[i + len(sep) :])
                )
            ):  # "Gewerbeverein X und Umgebung e. V."
                parts.append(cur)
                cur = ""
                i += len(sep)
                continue
        cur += ch
        i += 1
    parts.append(cur)
    return [_clean(p) for p in parts if _clean(p)]


# a role in parentheses after a partner ("(fachliche Begleitung)", "(Öffentlichkeitsarbeit)")
# is not part of its name; a legal form or a place ("(haftungsbeschränkt)", "(Wendland)") is
_ROLE = re.compile(
    r"\s*\((?!haftungsbeschränkt\))(?=[^)]*(?:\b[a-zäöüß]{3,}\b|ung\b|arbeit\b|ende\b|schaft\b"
    r"|tion\b|betrieb\b|trieb\b))[^()]{3,60}\)$"
)


def _clean(name: str) -> str:
    name = re.sub(r"\s+", " ", name).strip(" ,;:▪|")
    name = _ROLE.sub("", name)
    return _ARTICLE.sub("", name).strip()


def plausible_name(name: str) -> bool:
    """An organisation or body name: capitalised, short, no sentence inside."""
    return (
        2 < len(name) <= 90
        and bool(re.match(r"[A-ZÄÖÜ0-9„\"]", name))
        and len(name.split()) <= 12
        and not NONE_RE.match(name)
        and not re.search(r"\b(?:wird|werden|sollen|soll|ist|sind|haben|hat)\b", name)
    )


def _all_labels(config: FieldConfig) -> tuple[str, ...]:
    return tuple(
        lab for v in vars(config).values() if isinstance(v, tuple) for lab in v if len(lab) > 4
    )


def _is_heading(line: str, labels: tuple[str, ...]) -> bool:
    """A section heading or a line that starts with a known field label."""
    if _HEADING.match(line) or _PARTNER_HEAD.match(line):
        return True
    m = match_label(re.sub(r"^\s*\d+(?:\.\d+)*\.?\s+", "", line), labels)
    return m is not None and (not m[1] or m[2])


def _continues(item: str, line: str, following: str | None, labels: tuple[str, ...]) -> bool:
    """Is ``line`` the wrapped rest of list ``item`` (not a new item or a heading)?"""
    s = line.strip()
    if not s or _BULLET.match(line) or _is_heading(line, labels):
        return False
    if len(s) > 70 or "@" in s or "|" in s or " · " in s:
        return False
    if s[0].islower() or s.startswith("(") or re.match(r"^[A-ZÄÖÜ]?\.", s):
        return True  # "(haftungsbeschränkt)", "V.", "für angewandte …"
    if re.search(r"(?:\b[a-zäöüß]\w*|\be\.|-)$", item) or LEGAL_FORM.search(s):
        return True  # the item ended mid-name, or the line ends in a legal form
    return following is not None and bool(_BULLET.match(following))


def _headed_lists(view: DocView, config: FieldConfig) -> list[tuple[list[str], int, str, float]]:
    labels = _all_labels(config)
    out: list[tuple[list[str], int, str, float]] = []
    # all pages as one run of lines, so a list broken by a page break continues; a line
    # at the foot of a page between two bullets is a running footer, not a list end
    run = [
        (page, ln, k >= len(text.splitlines()) - 2)
        for page, text in view.page_texts
        for k, ln in enumerate(text.splitlines())
        if ln.strip()
    ]
    lines = [ln for _, ln, _ in run]
    for i, ln in enumerate(lines):
        question = ln.rstrip().endswith("?") and re.search(_KEYWORD, ln)
        if not (_PARTNER_HEAD.match(ln) or question):
            continue
        page = run[i][0]
        items: list[str] = []
        bulleted = False
        for j in range(i + 1, min(len(lines), i + 30)):
            nxt = lines[j]
            following = lines[j + 1] if j + 1 < len(lines) else None
            if "\t" in nxt:
                break  # a table: read by its columns
            if _BULLET.match(nxt):
                bulleted = True
                items.append(_BULLET.sub("", nxt).strip())
            elif (
                bulleted
                and run[j][2]
                and any(_BULLET.match(x) for _, x, _ in run[j + 1 : j + 3] if x)
                and any(p != run[j][0] for p, _, _ in run[j + 1 : j + 3])
            ):
                continue  # footer of this page / header of the next
            elif items and bulleted and _continues(items[-1], nxt, following, labels):
                items[-1] += " " + nxt.strip()
            elif _is_heading(nxt, labels):
                break
            elif (
                items
                and not bulleted
                and len(nxt) < 70
                and plausible_name(_clean(nxt))
                and not re.search(r"[,;]", items[0])
            ):
                items.append(nxt.strip())  # one partner per line, no bullets
            elif items:
                break
            elif len(nxt) < 120:
                items.append(nxt.strip())
            else:
                break
        if len(items) == 1 and NONE_RE.match(_strip_label(items[0])):
            out.append(([], page, f"{ln}\n{items[0]}", 0.85))
            continue
        names = [n for it in items for n in ([_clean(it)] if bulleted else split_partners(it))]
        names = [n for n in names if plausible_name(n)]
        if names:
            out.append((names, page, ln + "\n" + "\n".join(items), 0.85 if bulleted else 0.7))
    return out


def _table_columns(
    view: DocView, config: FieldConfig
) -> list[tuple[list[str], int | None, str, float]]:
    """A partner table: a header cell "Kooperationspartner"/"Partner", names below it."""
    out: list[tuple[list[str], int | None, str, float]] = []
    for p in view.doc.pages:
        for t in p.tables:
            for ri, row in enumerate(t.rows[:-1]):
                if sum(bool(c and c.strip()) for c in row) < 2:
                    continue  # a column header row has several headers
                for ci, cell in enumerate(row):
                    m = match_label(cell or "", config.partner_labels)
                    if m is None or m[1]:
                        continue
                    below: list[str] = []
                    for r in t.rows[ri + 1 :]:
                        if ci >= len(r) or not (r[ci] or "").strip() or is_label(r[ci] or ""):
                            break
                        below.append(r[ci] or "")
                    names = [_clean(b) for b in below]
                    if len(names) >= 1 and all(plausible_name(n) for n in names):
                        snippet = f"{cell}\n" + "\n".join(names)
                        out.append((names, p.number, snippet, 0.9))
    return out


def _strip_label(text: str) -> str:
    m = match_label(text, ("Partner", "Kooperationspartner", "Projektpartner"))
    return m[1] if m else text


def _extends(short: list[str], long: list[str]) -> bool:
    """``long`` completes ``short``: each short item starts the matching long item."""
    if not short or len(long) < len(short) or short == long:
        return False
    used: set[int] = set()
    for s in short:
        hit = next(
            (k for k, lg in enumerate(long) if k not in used and lg.startswith(s.rstrip(". "))),
            None,
        )
        if hit is None:
            return False
        used.add(hit)
    return True


def extract_partners(
    view: DocView, *, config: FieldConfig = DEFAULT_CONFIG
) -> dict[str, FieldResult]:
    """The list of cooperation partners, as written; [] when none is named."""
    cands: list[tuple[list[str], int | None, str, float]] = []
    for c in labelled_values(view, config.partner_labels):
        if c.below or c.confidence < 0.7:
            continue  # a heading above a list (read below) or a prose line "Partner …"
        value = _strip_label(c.value)
        if NONE_RE.match(value.strip()):
            cands.append(([], c.page, c.snippet, 0.9))
            continue
        names = [n for part in re.split(r"\n|;", c.value) for n in split_partners(part)]
        names = [n for n in names if plausible_name(n)]
        if names:
            cands.append((names, c.page, c.snippet, min(0.9, c.confidence)))
    cands += _table_columns(view, config)
    numbered: list[str] = []
    first_page: int | None = None
    for ln in view.lines:
        m = re.match(rf"^{_KEYWORD}\s*\d+\s*:?\s*(.+)$", ln.text)
        if m and plausible_name(_clean(m.group(1))):
            numbered.append(_clean(m.group(1)))
            first_page = first_page or ln.page
    if numbered:
        cands.append((numbered, first_page, "\n".join(numbered), 0.9))
    cands += _headed_lists(view, config)
    for page, text in view.prose:
        for pat, conf in ((_PROSE_COLON, 0.65), (_PROSE_VERB, 0.55), (_PROSE_WITH, 0.5)):
            for m in pat.finditer(text):
                names = split_partners(m.group("v"))
                if names and all(plausible_name(n) for n in names):
                    cands.append((names, page, m.group(0), conf))
    if not cands:
        mentioned = any(re.search(_KEYWORD, t) for _, t in view.prose)
        return {
            "kooperationspartner": FieldResult(
                field="kooperationspartner",
                value=[],
                confidence=0.35 if mentioned else 0.75,
                extractor=EXTRACTOR,
            )
        }
    best = max(cands, key=lambda c: c[3])
    longer = [c for c in cands if _extends(best[0], c[0])]
    if longer:  # a wrapped or page-broken list: the longer source completes it
        best = max(longer, key=lambda c: (len(c[0]), c[3]))
        conf = 0.8
    else:
        strong = [c for c in cands if c[3] >= 0.5 and c is not best]
        agree = [c for c in strong if c[0] == best[0]]
        differ = [c for c in strong if c[0] != best[0] and not _extends(c[0], best[0])]
        conf = best[3]
        if agree:
            conf = min(0.97, conf + 0.1)
        if differ:
            conf *= 0.7
    return {
        "kooperationspartner": FieldResult(
            field="kooperationspartner",
            value=best[0],
            confidence=round(conf, 3),
            evidence=Evidence(page=best[1], snippet=best[2][:300]),
            extractor=EXTRACTOR,
        )
    }
