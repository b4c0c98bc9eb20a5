"""Declared topic fields: ticked boxes (☒/☐, [x]/[ ]) or topic fields named in a
"Themenfeld" line or sentence, mapped to the call's canonical names.

Partial or paraphrased names ("Soziales und Kultur", "Verwaltung / E-Government") are
mapped by keywords; the inferred themes of the free text are not this module's job.
"""

from __future__ import annotations

import re

from extractors.config import DEFAULT_CONFIG, FieldConfig
from extractors.layout import DocView, labelled_values
from extractors.types import TOPIC_FIELDS, Evidence, FieldResult

EXTRACTOR = "topics@1"

_KEYWORDS: tuple[tuple[str, str], ...] = (
    (r"gesundheit|pflege|medizin", TOPIC_FIELDS[3]),
    (r"versorgung|nahversorgung|daseinsvorsorge", TOPIC_FIELDS[0]),
    (r"sozial|kultur", TOPIC_FIELDS[1]),
    (r"bildung|qualifizierung|kompetenz", TOPIC_FIELDS[2]),
    (r"mobilität|verkehr", TOPIC_FIELDS[4]),
    (r"wohn|arbeitsstandort|arbeiten", TOPIC_FIELDS[5]),
    (r"verwaltung|e-government|bürgerservice", TOPIC_FIELDS[6]),
)

_CHECKED = re.compile(r"^\s*(?:☒|☑|✔|✓|■|\[\s*[xX✓✔]\s*\]|\(\s*[xX]\s*\))\s*(?P<v>.+)$")
_BOX = re.compile(r"^\s*(?:☒|☑|☐|□|✔|✓|■|\[\s*[xX✓✔ ]?\s*\]|\(\s*[xX ]?\s*\))\s*")


def canonical_topic(text: str) -> str | None:
    """Canonical topic field for a (partial) name, None when nothing fits."""
    t = text.casefold()
    for canon in TOPIC_FIELDS:
        if canon.casefold() in t:
            return canon
    for pattern, canon in _KEYWORDS:
        if re.search(pattern, t):
            return canon
    return None


_INLINE_BOX = re.compile(r"(☒|☑|☐|□|\[\s*[xX✓✔ ]?\s*\])\s*([^☒☑☐□\[\n]+)")


def topics_in(text: str) -> list[str]:
    """Topic fields named in a value: exact names first, then the comma/semicolon parts
    ("Lokale/regionale Versorgung, Mobilität"). With check boxes only the ticked ones."""
    boxes = _INLINE_BOX.findall(text)
    if len(boxes) >= 2:
        return _ordered(
            [
                c
                for box, rest in boxes
                if box in "☒☑" or "x" in box.casefold()
                if (c := canonical_topic(rest))
            ]
        )
    found: list[str] = []
    rest = text
    for canon in TOPIC_FIELDS:
        if canon.casefold() in rest.casefold():
            found.append(canon)
            i = rest.casefold().index(canon.casefold())
            rest = rest[:i] + ";" + rest[i + len(canon) :]
    for part in re.split(r"[;,|·•]|\s[–-]\s", rest):
        if part.strip() and (c := canonical_topic(part)):
            found.append(c)
    return _ordered(found)


def _ordered(names: list[str]) -> list[str]:
    return [t for t in TOPIC_FIELDS if t in set(names)]


_HEAD = re.compile(r"Themenfeld\w*|Handlungsfeld\w*", re.IGNORECASE)
_QUOTED = re.compile(
    r"(?:Themenfeld\w*|Handlungsfeld\w*)(?:\s+des Aufrufs)?\s*"
    r"(?P<q>(?:[„\"“»][^“”\"«]{3,80}[“”\"«](?:,\s*|\s+und\s+|\s+sowie\s+)?)+)"
)
_STOP = re.compile(r"^\s*(?:\d+(?:\.\d+)*\.?\s+[A-ZÄÖÜ]|[A-ZÄÖÜ][\w ]{0,30}$)")


def extract_topics(
    view: DocView, *, config: FieldConfig = DEFAULT_CONFIG
) -> dict[str, FieldResult]:
    """Declared topic fields in the call's order; [] when none is declared."""
    labelled = [
        (c, names)
        for c in labelled_values(view, config.topic_labels)
        if c.confidence >= 0.7 and not c.below and (names := topics_in(c.value))
    ]
    boxes: list[str] = []
    box_lines = 0
    box_page: int | None = None
    for page, text in view.page_texts:
        for ln in text.splitlines():
            if _BOX.match(ln) and canonical_topic(_BOX.sub("", ln)):
                box_lines += 1
                m = _CHECKED.match(ln)
                if m:
                    canon = canonical_topic(m.group("v"))
                    if canon:
                        boxes.append(canon)
                        box_page = box_page or page
    if box_lines >= 3:
        return {
            "themenfelder": FieldResult(
                field="themenfelder",
                value=_ordered(boxes),
                confidence=0.95,
                evidence=Evidence(page=box_page, snippet="; ".join(boxes) or "keine Auswahl"),
                extractor=EXTRACTOR,
            )
        }
    if labelled:
        c, names = max(labelled, key=lambda cn: cn[0].confidence)
        return {
            "themenfelder": FieldResult(
                field="themenfelder",
                value=names,
                confidence=round(min(0.9, c.confidence), 3),
                evidence=Evidence(page=c.page, snippet=c.snippet[:300]),
                extractor=EXTRACTOR,
            )
        }
    for page, text in view.prose:
        for m in _QUOTED.finditer(text):
            quoted = re.findall(r"[„\"“»]([^“”\"«]{3,80})[“”\"«]", m.group("q"))
            names = [c for q in quoted if (c := canonical_topic(q))]
            if names:
                return {
                    "themenfelder": FieldResult(
                        field="themenfelder",
                        value=_ordered(names),
                        confidence=0.75,
                        evidence=Evidence(page=page, snippet=m.group(0)[:300]),
                        extractor=EXTRACTOR,
                    )
                }
    for page, text in view.page_texts:
        lines = text.splitlines()
        for i, ln in enumerate(lines):
            if not _HEAD.search(ln):
                continue
            after = re.split(
                r"Themenfeld\w*(?:\(er\))?(?:\s+des Aufrufs)?(?:\s*\([^)]*\))?\s*:?", ln, maxsplit=1
            )
            tail = after[1].strip() if len(after) > 1 else ""
            if len(ln) > 80 and not tail:
                continue
            block = [tail] if tail and canonical_topic(tail) else []
            skipped = 0
            for nxt in lines[i + 1 : i + 9]:
                if not nxt.strip():
                    continue
                if not block and skipped == 0 and len(nxt) < 40 and not canonical_topic(nxt):
                    skipped += 1  # the rest of a heading broken over two lines
                    continue
                parts = [p for p in re.split(r";|\s[·|•]\s|^\s*[•\-–]\s*", nxt) if p.strip()]
                mapped = [canonical_topic(p) for p in parts]
                if parts and all(mapped) and len(nxt) < 160:
                    block.append(nxt)
                else:
                    break
            names = [
                c for b in block for p in re.split(r";|\s[·|•]\s", b) if (c := canonical_topic(p))
            ]
            if names:
                return {
                    "themenfelder": FieldResult(
                        field="themenfelder",
                        value=_ordered(names),
                        confidence=0.8,
                        evidence=Evidence(page=page, snippet="\n".join([ln, *block])[:300]),
                        extractor=EXTRACTOR,
                    )
                }
    return {
        "themenfelder": FieldResult(
            field="themenfelder", value=[], confidence=0.6, extractor=EXTRACTOR
        )
    }
