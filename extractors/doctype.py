"""Is a PDF's text an application sketch, a letter of support, or something else?

Weighted vocabulary (regexes on the lower-cased text, each feature counted once) for three
kinds of document, decided by simple margins. Sketches are recognised by what the call asks
for (applicant, costs, duration, topic fields, free-text headings) rather than by exact
strings, so a sketch in the applicant's own layout still counts. Text that is not German
(random PDFs, manuals, scans with garbage text) is always ``other``.

Vocabulary alone does not carry over to layouts and wordings nobody here has seen (a sketch
written as a letter that mentions the partners' letters of support, a form whose headings
say "Vorhabenträger" and "Mittelbedarf"). ``classify_parsed`` therefore also asks the field
extractor's label graph and prose scans how many of the values only a sketch states (costs,
funding, own share, duration, start, population, topic fields, acronym, partners) are there,
named by a label or by the words around them; letters of support and other documents name
almost none of them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from extractors.types import DocKind, ParsedDocument

DOCTYPE_VERSION = "doctype-1"


@dataclass(frozen=True)
class Feature:
    """A weighted pattern; ``name`` is the German word shown in the reason."""

    name: str
    pattern: re.Pattern[str]
    weight: float


def _f(name: str, regex: str, weight: float) -> Feature:
    return Feature(name, re.compile(regex, re.IGNORECASE), weight)


SKETCH_FEATURES: tuple[Feature, ...] = (
    _f("Projektskizze", r"\b(projekt|bewerbungs|vorhaben)skizze\b|\bskizze\b", 2.0),
    _f("Antragsteller", r"antragstell|zuwendungsempfänger|projektträger|antragsberechtigt", 2.0),
    _f(
        "Gesamtkosten",
        r"gesamtkosten|gesamtausgaben|gesamtvolumen|projektvolumen|kosten gesamt"
        r"|gesamtbudget|gesamtfinanzierung",
        2.0,
    ),
    _f("Finanzierung", r"fördersumme|fördermittel|zuwendung|förderbetrag|beantragt", 1.5),
    _f("Eigenanteil", r"eigenanteil|eigenmittel|eigenbeteiligung|kofinanzierung", 1.5),
    _f(
        "Kostenplan",
        r"kosten-?\s*(und finanzierungs)?plan|finanzierungsplan|personalkosten"
        r"|sachkosten",
        1.5,
    ),
    _f("Laufzeit", r"laufzeit|projektdauer|geplante dauer|durchführungszeitraum", 1.5),
    _f("Projektbeginn", r"projektbeginn|start des vorhabens|geplanter beginn|vorhabenbeginn", 1.5),
    _f("Themenfeld", r"themenfeld|themenbereich|handlungsfeld", 1.5),
    _f(
        "Ausgangslage",
        r"ausgangslage|ausgangssituation|hintergrund und bedarf|problemstellung",
        1.5,
    ),
    _f("Zielsetzung", r"zielsetzung|\bziele\b|projektziel", 1.0),
    _f("Maßnahmen", r"maßnahmen|arbeitspaket|vorgehen|umsetzungsschritte|arbeitsplan", 1.0),
    _f(
        "Kooperationspartner",
        r"kooperationspartner|partner im verbund|projektpartner"
        r"|beteiligte partner|verbundpartner",
        1.0,
    ),
    _f("Modellvorhaben", r"modellvorhaben|modellprojekt|förderaufruf", 1.0),
    _f("Einwohner", r"einwohner", 0.5),
    _f("Ansprechperson", r"ansprechp|ansprechpartner|kontaktperson|projektverantwortlich", 1.0),
)

SUPPORT_FEATURES: tuple[Feature, ...] = (
    _f(
        "Unterstützungsschreiben",
        r"unterstützungsschreiben|unterstützungserklärung"
        r"|letter of intent|absichtserklärung|kooperationserklärung|interessenbekundung"
        r"|empfehlungsschreiben|befürwortungsschreiben",
        4.0,
    ),
    _f(
        "unterstützt das Vorhaben",
        r"(ausdrücklich|gerne|nachdrücklich)\s+(unterstütz|befürwort)"
        r"|unterstütz\w*\s+(wir|ich)\s+(das|die|dieses)|befürworte\w*\s+(wir|ich)"
        r"|(das|dieses)\s+(vorhaben|projekt)\s+\w*\s*(unterstütz|befürwort)",
        2.0,
    ),
    _f("hiermit bestätigen", r"hiermit\s+(bestätig|erklär|sicher)", 1.5),
    _f(
        "Beteiligung als Partner",
        r"als\s+(kooperations)?partner\s+\w*\s*(beteilig|mitwirk)"
        r"|(beteilig|mitwirk)\w*\s+(wird|werden)",
        1.0,
    ),
    _f("Briefform", r"sehr geehrte", 0.5),
    _f("Grußformel", r"mit freundlichen grüßen|freundliche grüße", 0.5),
)

OTHER_FEATURES: tuple[Feature, ...] = (
    _f("Rechnung", r"\brechnung\b|rechnungs(nummer|betrag|datum)|\brechnung\s+nr", 3.0),
    _f(
        "Umsatzsteuer", r"\bust\.?\b|mwst|umsatzsteuer|mehrwertsteuer|nettobetrag|bruttobetrag", 2.0
    ),
    _f(
        "Zahlungsaufforderung",
        r"\biban\b|überweisen sie|zahlbar (bis|innerhalb)|zahlungsziel"
        r"|kundennummer",
        2.0,
    ),
    _f("Newsletter", r"newsletter|rundbrief|rundschreiben", 3.0),
    _f(
        "Ausgabe/Editorial",
        r"in dieser ausgabe|editorial|liebe mitglieder|liebe leserinnen"
        r"|liebe interessierte",
        2.0,
    ),
    _f("Abmeldung/Impressum", r"abbestellen|abmelden|impressum|vereinsregister", 1.5),
    _f("Terminkalender", r"\btermine\b|veranstaltungshinweis", 1.0),
    _f(
        "Werbung/Angebot",
        r"\bangebot nr|angebotsnummer|bestellnummer|lieferschein|auftragsbestätigung",
        2.0,
    ),
)

_GERMAN_FUNCTION_WORDS = frozenset(
    (
        "der",
        "die",
        "das",
        "und",
        "ist",
        "nicht",
        "mit",
        "für",
        "von",
        "zu",
        "den",
        "im",
        "auf",
        "sich",
        "des",
        "dem",
        "ein",
        "eine",
        "einer",
        "wird",
        "werden",
        "sind",
        "auch",
        "als",
        "bei",
        "oder",
        "wir",
        "sie",
        "es",
        "zur",
        "zum",
        "über",
        "nach",
        "aus",
        "durch",
    )
)
_WORD_RE = re.compile(r"[a-zäöüß]+")


def _score(text: str, features: tuple[Feature, ...]) -> tuple[float, list[str]]:
    hits = [f for f in features if f.pattern.search(text)]
    return sum(f.weight for f in hits), [f.name for f in hits]


def german_share(text: str) -> float:
    """Share of German function words among the words: ~0.2-0.35 for German prose,
    near 0 for other languages and for text that is mostly numbers or garbage."""
    words = _WORD_RE.findall(text.lower())
    if not words:
        return 0.0
    return sum(w in _GERMAN_FUNCTION_WORDS for w in words) / len(words)


def classify_document(text: str) -> DocKind:
    """'sketch' | 'support_letter' | 'other', with a confidence and a German reason."""
    words = _WORD_RE.findall(text.lower())
    if len(words) < 40 and not _score(text, OTHER_FEATURES)[1]:
        return DocKind(
            kind="other",
            confidence=0.9,
            reason="Kaum lesbarer Text – keine Projektskizze erkennbar.",
        )
    share = german_share(text)
    if share < 0.06:
        return DocKind(
            kind="other",
            confidence=0.95,
            reason="Text ist nicht deutschsprachig – keine Projektskizze.",
        )
    sketch, sketch_hits = _score(text, SKETCH_FEATURES)
    support, support_hits = _score(text, SUPPORT_FEATURES)
    other, other_hits = _score(text, OTHER_FEATURES)

    if support >= 4.0 and sketch < 14.0:
        return DocKind(
            kind="support_letter",
            confidence=round(min(0.99, 0.6 + support / 20), 2),
            reason="Unterstützungsschreiben/Absichtserklärung eines Partners erkannt ("
            + ", ".join(support_hits[:3])
            + ").",
        )
    if sketch >= 8.0 and sketch > 1.5 * other:
        return DocKind(
            kind="sketch",
            confidence=round(min(0.99, 0.5 + sketch / 40), 2),
            reason="Merkmale einer Projektskizze gefunden (" + ", ".join(sketch_hits[:4]) + ").",
        )
    if other_hits:
        reason = (
            "Kein Bezug zu einer Projektskizze erkennbar, eher " + ", ".join(other_hits[:3]) + "."
        )
    else:
        reason = "Kein Bezug zu einer Projektskizze erkennbar (zu wenige Merkmale: "
        reason += (", ".join(sketch_hits[:3]) or "keine") + ")."
    return DocKind(kind="other", confidence=round(min(0.95, 0.6 + other / 20), 2), reason=reason)


SKETCH_ONLY_FIELDS: tuple[str, ...] = (
    "gesamtkosten_eur",
    "foerdersumme_eur",
    "eigenanteil_eur",
    "laufzeit_monate",
    "projektbeginn",
    "einwohnerzahl",
    "themenfelder",
    "akronym",
    "kooperationspartner",
)
"""Values a sketch states and a letter of support or an invoice hardly ever does."""

MIN_SKETCH_FIELDS = 4
"""Sketch-only values named in a document that make it a sketch (sample and zoo sketches
name 4–9, their letters of support, newsletters and invoices 0–1)."""


def sketch_evidence(doc: ParsedDocument) -> list[str]:
    """The sketch-only fields for which the document has a value named as such: under a
    label of that field, in a sentence whose words name it, as ticked boxes or a form field."""
    from extractors.fields import candidates_for

    cands, _seen, _ = candidates_for(doc)
    found: list[str] = []
    for name in SKETCH_ONLY_FIELDS:
        for c in cands.get(name, []):
            if c.value in (None, []) or c.feats.get("explicit_none"):
                continue
            f = c.feats
            if (
                f.get("lab", 0.0) >= 0.75
                or f.get("ctx", 0.0) >= 0.75
                or c.source in ("boxes", "form")
            ):
                found.append(name)
                break
    return found


def classify_parsed(doc: ParsedDocument) -> DocKind:
    """``classify_document`` on the text, overruled where the fields tell otherwise: a
    German document naming at least ``MIN_SKETCH_FIELDS`` sketch-only values is a sketch."""
    from extractors.registry import spec

    by_text = classify_document(doc.text)
    if (
        by_text.kind == "sketch"
        or "deutschsprachig" in by_text.reason
        or "Kaum lesbar" in by_text.reason
    ):
        return by_text
    other, _other_hits = _score(doc.text, OTHER_FEATURES)
    if other >= 4.0:  # an invoice or a newsletter that happens to list amounts
        return by_text
    found = sketch_evidence(doc)
    if len(found) < MIN_SKETCH_FIELDS:
        return by_text
    names = ", ".join(spec(n).display for n in found[:5])
    return DocKind(
        kind="sketch",
        confidence=round(min(0.95, 0.5 + 0.05 * len(found)), 2),
        reason=f"Angaben einer Projektskizze gefunden ({names}).",
    )
