"""Contact data: person, email, phone, postcode of the applicant's address.

Values are kept as written. An email that fails the syntax check is still extracted
(the ``invalid_email`` check must see it); phone candidates are checked with
phonenumbers only to rank them, never to reformat them.
"""

from __future__ import annotations

import re

import phonenumbers
from email_validator import EmailNotValidError, validate_email

from extractors.config import DEFAULT_CONFIG, FieldConfig
from extractors.layout import Candidate, DocView, labelled_values, pick_result
from extractors.types import FieldResult

EXTRACTOR = "contacts@1"

EMAIL_RE = re.compile(r"[\w.+\-]+@+[\w\-]+(?:\.[\w\-]+)*\.[a-z]{2,24}(?![\w@])")
_EMAIL_PART = re.compile(r"[\w.+\-]+@+[\w.\-]*$")
_EMAIL_DOT_WRAP = re.compile(
    r"(?P<h>[\w.+\-]+@[\w\-]+(?:\.[\w\-]+)*\.)\n(?P<t>[a-z]{2,24})(?![\w@.])"
)
PHONE_RE = re.compile(
    r"(?:\+\d{2}\s?)?(?:\(0\d[\d ]{1,5}\)|0\d{2,5})[\d /\-]{3,18}\d"
    r"|\+\d{2}\s?(?:\(0\)\s?)?\d{2,5}[\d /\-]{3,18}\d"
)
_PLZ_RE = re.compile(r"(?<![\d.,])(?:D-)?(\d{4,5})\s+[A-ZÄÖÜ][\wäöüß\-]+")
# a body's name ("Stadt X", "Gemeinde Y"), not a person
BODY_START = re.compile(
    r"^(?:Gemeinde|Stadt|Markt|Amt|Verbandsgemeinde|Samtgemeinde|Ortsgemeinde|Landkreis|Kreis"
    r"|Verwaltungsgemeinschaft|Hansestadt|Flecken|Seite|Projektskizze|Förderaufruf)\b"
)
_TITLE_RE = re.compile(r"^(?:(?:Frau|Herrn?|Fr\.|Hr\.)\s+)")
_PERSON_CORE = (
    r"(?:(?:Prof\.|Dr\.|Dipl\.-[\w.\-]+|M\.\s?A\.|B\.\s?A\.)\s+)*[A-ZÄÖÜ][\wäöüß\-]+"
    r"(?:\s(?:von\s|van\s|de\s)?[A-ZÄÖÜ][\wäöüß\-]+){1,2}"
)


def email_is_valid(address: str) -> bool:
    """Syntax check only (no DNS lookups)."""
    try:
        validate_email(address, check_deliverability=False)
    except EmailNotValidError:
        return False
    return True


def phone_is_plausible(text: str) -> bool:
    """True when phonenumbers accepts ``text`` as a German number."""
    try:
        num = phonenumbers.parse(text, "DE")
    except phonenumbers.NumberParseException:
        return False
    return phonenumbers.is_possible_number(num)


def clean_person(text: str) -> str | None:
    """ "Frau Dr. Maren Brandt (Bürgermeisterin)" → "Dr. Maren Brandt"."""
    t = re.split(r"\s*[(,·|]|\s+[-–]\s+|\s+Tel\b|\s+E-?Mail\b|\s+\S+@|\s+\+?\d", text.strip())[0]
    t = _TITLE_RE.sub("", t.strip())
    m = re.fullmatch(_PERSON_CORE, t.strip())
    return m.group(0) if m else None


def _result(field: str, cands: list[tuple[Candidate, object]], low: float = 0.2) -> FieldResult:
    return pick_result(field, cands, extractor=EXTRACTOR, low=low, conflict=0.75)


_PERSON_2 = (
    r"(?:(?:Prof\.|Dr\.)\s+)*[A-ZÄÖÜ][\wäöüß\-]*[\wäöüß]\s(?:von\s)?[A-ZÄÖÜ][\wäöüß\-]*[\wäöüß]"
)
_PERSON_PROSE = re.compile(
    rf"(?:Frau|Herrn?)\s(?P<v>{_PERSON_2})(?=[^.]{{0,80}}(?:Verfügung|erreichbar|Rückfragen|Telefon|Tel\.|E-Mail))"
    rf"|(?:Rückfragen|Ansprechpartner\w*|Ansprechperson|Kontakt)\b[^.]{{0,40}}?(?:Frau|Herrn?)\s(?P<w>{_PERSON_2})"
)


def extract_contacts(
    view: DocView, *, config: FieldConfig = DEFAULT_CONFIG
) -> dict[str, FieldResult]:
    """Contact person, email, phone and the applicant's postcode."""
    person: list[tuple[Candidate, object]] = []
    for c in labelled_values(view, config.person_labels):
        v = clean_person(c.value)
        if v:
            person.append((c, v))
    for page, text in view.prose:
        for m in _PERSON_PROSE.finditer(text):
            v = m.group("v") or m.group("w")
            person.append((Candidate(v, page, m.group(0), 0.6), v))

    email: list[tuple[Candidate, object]] = []
    for c in labelled_values(view, config.email_labels):
        squeezed = re.sub(r"\s+", "", c.value)  # an address wrapped inside a narrow cell
        m = EMAIL_RE.search(c.value) or EMAIL_RE.fullmatch(squeezed)
        if m:
            email.append(
                (Candidate(m.group(0), c.page, c.snippet, c.confidence), m.group(0).rstrip("."))
            )
    lines = view.lines
    for li, ln in enumerate(lines):
        for seg in ln.segments:
            part = _EMAIL_PART.search(seg.text)
            if not part or EMAIL_RE.search(seg.text) or li + 1 >= len(lines):
                continue
            # an address broken at the end of a letterhead line: continue below it
            nearby = [s for nl in lines[li + 1 : li + 3] if nl.page == ln.page for s in nl.segments]
            for below in nearby:
                v = part.group(0) + below.text
                if below.x0 >= seg.x0 - 2 and below.x0 <= seg.x1 and EMAIL_RE.fullmatch(v):
                    email.append((Candidate(v, ln.page, f"{seg.text}\n{below.text}", 0.7), v))
    for page, text in view.page_texts:
        # an address wrapped after the dot of its domain ("name@gemeinde-x.\nde")
        for m in _EMAIL_DOT_WRAP.finditer(text):
            v = m.group("h") + m.group("t")
            email.append((Candidate(v, page, m.group(0), 0.7), v))
        for m in EMAIL_RE.finditer(text):
            v = m.group(0).rstrip(".")
            email.append((Candidate(v, page, text[max(0, m.start() - 30) : m.end()], 0.6), v))

    phone: list[tuple[Candidate, object]] = []
    for c in labelled_values(view, config.phone_labels):
        m = PHONE_RE.search(c.value)
        if m:
            v = m.group(0).strip()
            conf = c.confidence if phone_is_plausible(v) else c.confidence * 0.6
            phone.append((Candidate(v, c.page, c.snippet, conf), v))
    for page, text in view.prose:
        for m in re.finditer(
            r"(?:Telefon|Tel\.?|Fon|Telefonnummer)\s*:?\s*(?P<v>" + PHONE_RE.pattern + ")", text
        ):
            v = m.group("v").strip()
            phone.append((Candidate(v, page, m.group(0), 0.6), v))

    # a footer or letterhead "Stadt X · Jana Muster · 038372 7780-15 · mail@x.de": the
    # unlabelled parts of a line that carries an e-mail address
    for ln in view.lines:
        if len(ln.segments) < 3 or not any(EMAIL_RE.search(sg.text) for sg in ln.segments):
            continue
        for sg in ln.segments:
            t = sg.text.strip()
            if PHONE_RE.fullmatch(t) and phone_is_plausible(t):
                phone.append((Candidate(t, ln.page, ln.text, 0.55), t))
            elif (
                (v := clean_person(t)) == t
                and not BODY_START.match(t)
                and not re.search(r"\d|straße|weg\b|platz\b", t, re.IGNORECASE)
            ):
                person.append((Candidate(t, ln.page, ln.text, 0.5), v))

    plz: list[tuple[Candidate, object]] = []
    for c in labelled_values(view, config.postcode_labels):
        m = re.match(r"(?:D-)?(\d{4,5})\b", c.value.strip())
        if m:
            plz.append((c, m.group(1)))
    for c in labelled_values(view, config.address_labels):
        m = _PLZ_RE.search(c.value)
        if m:
            plz.append((c, m.group(1)))
    street = re.compile(
        r"[\w.\-]*(?:straße|str\.|weg|platz|gasse|allee|ring|markt|damm|hof|berg|tor)\s*\d+\s?\w?"
        r"(?:\s?[-–]\s?\d+)?,?\s+(?:D-)?(\d{4,5})\s+[A-ZÄÖÜ]",
        re.IGNORECASE,
    )
    house_no = re.compile(r"[A-Za-zäöüß.]\s\d{1,4}\s?[a-z]?,\s+(?:D-)?(\d{4,5})\s+[A-ZÄÖÜ]")
    for ln in view.lines:
        m = street.search(ln.text) or house_no.search(ln.text)
        if m and "postfach" not in ln.text.casefold():
            plz.append((Candidate(ln.text, ln.page, ln.text, 0.65), m.group(1)))
            continue
        for a, b in zip(ln.segments, ln.segments[1:], strict=False):
            # letterhead "Name · Street 5 · 12345 Town": a house number, then the postcode
            m = re.match(r"(?:D-)?(\d{4,5})\s+[A-ZÄÖÜ]", b.text)
            if m and re.search(r"[A-Za-zäöüß.]\s?\d{1,4}\s?[a-z]?$", a.text):
                plz.append((Candidate(b.text, ln.page, f"{a.text} · {b.text}", 0.6), m.group(1)))
    return {
        "ansprechperson": _result("ansprechperson", person),
        "email": _result("email", email),
        "telefon": _result("telefon", phone),
        "plz": _result("plz", plz),
    }
