"""Draw the truth of each zoo sketch: ``make_facts(n, seed) -> list[Facts]``.

Deterministic: only ``random.Random`` seeded from ``seed`` is used. Everything is invented
(municipalities, persons, organisations, phone numbers, mail domains) except the districts
and federal states, which are real and agree with each other, with the postcode range and
with the area code (``geo.py``).

Violations of the call's rules are planned (``plan_violations``): about 40 % of the
sketches break one rule (sometimes two), spread so that every contiguous slice of 8 sketches
has some; over 120 sketches every check code of DOMAIN.md occurs at least twice. The plan is
in ``Facts.violations``; the writer recomputes the codes from the final truth.

Notes for layouts (beyond model.py):

* ``antragsteller is None`` is the ``missing_field:antragsteller`` case: the document must not
  name the applying body (do not print ``body_word``/``place`` as an applicant either; a
  letterhead may show an address without a body name). The writer then sets the truth of
  ``koerperschaft_typ`` to null unless the layout reports a ``written["koerperschaft_typ"]``:
  the type may be printed alone (a form's "Art der Körperschaft: Gemeinde" without the name),
  and its truth is then the printed type (``koerperschaft_typ``); the written string must
  contain ``koerperschaft_typ`` or ``body_word`` (``writer.check_sketch`` checks it).
* ``datum_written_invalid`` ("30.02.2021") replaces ``datum`` in the printed document.
* ``email``/``gesamtkosten``/``laufzeit_monate`` may be ``None`` (missing-field cases);
  ``gesamtkosten is None`` comes with an empty ``budget``. ``foerdersumme``/``eigenanteil``,
  ``telefon``, ``einwohnerzahl``, ``ansprechperson`` and ``akronym`` may be ``None`` too.
* ``kooperationspartner`` may be empty (the ``no_cooperation_partner`` case).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import random
import re
import unicodedata

from zoogen import text as textgen
from zoogen.geo import BY_STATE, ENDINGS, NOT_A_STATE, SUFFIXES, TYPE_STATES, District
from zoogen.model import TOPIC_FIELDS, BudgetLine, Facts, Person, add_months
from zoogen.rules import is_municipal

__all__ = ["VIOLATION_KINDS", "make_correction", "make_facts", "plan_violations"]

# ----------------------------------------------------------------------------- names

_STEMS = (
    "Bölk",
    "Dremm",
    "Ebbel",
    "Fahl",
    "Gräf",
    "Hölm",
    "Immel",
    "Jürm",
    "Kalm",
    "Lüss",
    "Merl",
    "Nöll",
    "Ohl",
    "Plöt",
    "Quass",
    "Ramm",
    "Sell",
    "Thiem",
    "Ulb",
    "Vinn",
    "Wessel",
    "Zarn",
    "Brüll",
    "Dalm",
    "Elm",
    "Görm",
    "Hemmel",
    "Iven",
    "Kamm",
    "Lamm",
    "Nitt",
    "Pell",
    "Rehm",
    "Sürh",
    "Trebb",
    "Ull",
    "Welt",
    "Zopp",
    "Adel",
    "Bredel",
    "Dörr",
    "Gams",
    "Hassel",
    "Kett",
    "Lohm",
    "Mött",
    "Ness",
    "Rind",
    "Schill",
    "Töpf",
    "Wend",
    "Gerl",
    "Hamm",
    "Bork",
    "Laub",
    "Quell",
    "Grot",
    "Hemm",
    "Lütt",
    "Gund",
    "Frohn",
    "Kött",
    "Bülz",
    "Drög",
    "Flem",
    "Harb",
    "Kreb",
    "Molt",
    "Prüt",
    "Stell",
)
_PREFIXES = ("Groß ", "Klein ", "Nieder", "Ober", "Alt ", "Neu ", "Hohen")

_REGIONS = (
    "Gerstheide",
    "Trebeltal",
    "Holmer Geest",
    "Wendelmark",
    "Vinnetal",
    "Lauterhöhe",
    "Ilmsgrund",
    "Zarnitzer Land",
    "Sellwald",
    "Ohlenmarsch",
    "Brüllwinkel",
    "Kammhöhe",
    "Dremmer Bucht",
    "Quasser Platte",
    "Rehmer Heide",
    "Töpfer Land",
    "Molter Aue",
    "Harbeck-Niederung",
    "Frohnbergland",
    "Stellmoor",
)

_FEMALE = (
    "Anke",
    "Birgit",
    "Claudia",
    "Doreen",
    "Elke",
    "Franziska",
    "Gesine",
    "Heike",
    "Ines",
    "Janine",
    "Katrin",
    "Lena",
    "Maren",
    "Nadine",
    "Ortrud",
    "Petra",
    "Regina",
    "Silke",
    "Tanja",
    "Ulrike",
    "Vanessa",
    "Wiebke",
    "Yvonne",
    "Antje",
    "Bettina",
    "Corinna",
    "Dagmar",
    "Esther",
    "Friederike",
    "Gudrun",
    "Hannah",
    "Jana",
    "Kerstin",
    "Mareike",
    "Sophie",
    "Theresa",
    "Jördis",
    "Käthe",
    "Sünje",
    "Annegret",
)
_MALE = (
    "Andreas",
    "Bernd",
    "Christian",
    "Dirk",
    "Eckhard",
    "Frank",
    "Gerd",
    "Holger",
    "Ingo",
    "Jens",
    "Karsten",
    "Lars",
    "Matthias",
    "Norbert",
    "Olaf",
    "Peter",
    "Rainer",
    "Sven",
    "Thorsten",
    "Uwe",
    "Volker",
    "Wolfgang",
    "Axel",
    "Björn",
    "Detlef",
    "Enno",
    "Falk",
    "Hauke",
    "Jörg",
    "Klaus",
    "Malte",
    "Ralf",
    "Stefan",
    "Tobias",
    "Ulf",
    "Jürgen",
    "Henning",
    "Kai",
    "Mirko",
    "Götz",
)
_LAST = (
    "Albers",
    "Brandt",
    "Clausen",
    "Dittmer",
    "Engel",
    "Fröhlich",
    "Gerdes",
    "Hansen",
    "Iwersen",
    "Jürgens",
    "Kühn",
    "Lorenzen",
    "Meyer",
    "Nissen",
    "Oldenburg",
    "Petersen",
    "Quast",
    "Reimers",
    "Schütt",
    "Thomsen",
    "Ulrich",
    "Voß",
    "Wendt",
    "Zimmermann",
    "Bräuer",
    "Dietze",
    "Günther",
    "Heinze",
    "Krause",
    "Lehmann",
    "Müller",
    "Neumann",
    "Pfeiffer",
    "Riedel",
    "Schröder",
    "Trautmann",
    "Vogt",
    "Wagner",
    "Ziegler",
    "Bauer",
    "Eder",
    "Fischer",
    "Gruber",
    "Huber",
    "Kellner",
    "Lindner",
    "Maier",
    "Obermeier",
    "Rauch",
    "Schreiner",
    "Weiß",
    "Becker",
    "Diehl",
    "Feld",
    "Hoffmann",
    "Jung",
    "Klein",
    "Mertes",
    "Schäfer",
    "Thiel",
    "Kowalski",
    "Nowak",
    "Szymanski",
    "Öztürk",
    "Yildiz",
    "Hüsing",
    "Große-Wilde",
    "Schulte-Hötte",
    "Lüdtke",
    "Mählmann",
)

# ----------------------------------------------------------------------------- partners

# (template, role) per topic field; {place} = applicant's place, {district} = district name,
# {district_w} = district as written, {region} = invented region, {last} = a surname,
# {seat} = district town, {neighbour} = another invented municipality
_PARTNERS_BY_TOPIC: dict[str, tuple[tuple[str, str], ...]] = {
    TOPIC_FIELDS[0]: (
        ("Dorfladen {place} w. V.", "Betrieb der Ausgabestelle"),
        ("Dorfladen-Genossenschaft {place} eG", "Betrieb des Ladens"),
        ("Landfrauenverein {place} e. V.", "Ansprache der Erzeugerinnen"),
        ("Hofgemeinschaft {region} GbR", "regionale Produkte"),
        ("Regionalwert {region} AG", "Aufbau des Erzeugernetzes"),
        ("Bäckerei {last} GmbH & Co. KG", "Lieferlogistik"),
        ("Erzeugerverbund {region} e. V.", "Warenangebot"),
    ),
    TOPIC_FIELDS[1]: (
        ("Heimat- und Kulturverein {place} e. V.", "Veranstaltungsprogramm"),
        ("Kreisjugendring {district} e. V.", "Jugendbeteiligung"),
        ("Ev.-luth. Kirchengemeinde {place}", "Nachbarschaftsnetz"),
        ("Mehrgenerationenhaus {place}", "Treffpunkt und Ehrenamt"),
        ("TSV {place} von 1908 e. V.", "Vereinsarbeit"),
        ("Seniorenbeirat {place}", "Beteiligung Älterer"),
        ("Kulturscheune {region} gGmbH", "Kulturangebote"),
    ),
    TOPIC_FIELDS[2]: (
        ("Kreisvolkshochschule {district}", "Kursangebot"),
        ("Volkshochschule {district} e. V.", "Schulungen"),
        ("Oberschule {place}", "Pilotschule"),
        ("Grundschule am Mühlenteich {place}", "Pilotschule"),
        ("Medienzentrum {district}", "Medienpädagogik"),
        ("Technische Hochschule {region}", "wissenschaftliche Begleitung"),
        ("Bildungswerk {region} gGmbH", "Qualifizierung"),
    ),
    TOPIC_FIELDS[3]: (
        ("Sozialstation {place} gGmbH", "Pflegepraxis"),
        ("Diakoniestation {region}", "ambulante Pflege"),
        ("Caritasverband für den {district_w} e. V.", "Beratung"),
        ("DRK-Kreisverband {district} e. V.", "Hausnotruf"),
        ("Ärztenetz {region} e. V.", "ärztliche Leitung"),
        ("Kreiskrankenhaus {seat} gGmbH", "medizinische Expertise"),
        ("Ambulanter Pflegedienst {last} GmbH", "Pflegetouren"),
        ("Landapotheke {place}", "Arzneimittelversorgung"),
    ),
    TOPIC_FIELDS[4]: (
        ("Bürgerbusverein {place} e. V.", "Fahrdienst"),
        ("Verkehrsgesellschaft {district} mbH", "ÖPNV-Anbindung"),
        ("Kreisverkehrsbetriebe {district} GmbH", "Fahrplandaten"),
        ("E-Carsharing {region} eG", "Fahrzeugflotte"),
        ("Taxi {last} GmbH", "Rufbusfahrten"),
        ("Mitfahrbank-Initiative {place}", "Bedarfserhebung"),
    ),
    TOPIC_FIELDS[5]: (
        ("Wohnungsgenossenschaft {place} eG", "Wohnraum"),
        ("Coworking {region} UG (haftungsbeschränkt)", "Betrieb des Coworking-Space"),
        ("Gewerbe- und Handelsverein {place} e. V.", "Einbindung der Betriebe"),
        ("Wirtschaftsförderungsgesellschaft {district} mbH", "Standortmarketing"),
        ("Stadtwerke {seat} GmbH", "Netzinfrastruktur"),
        ("Entwicklungsgesellschaft {region} mbH", "Flächenmanagement"),
    ),
    TOPIC_FIELDS[6]: (
        ("Zweckverband Kommunale Informationsverarbeitung {region}", "IT-Betrieb"),
        ("Kommunale Datenzentrale {region} AöR", "Fachverfahren"),
        ("Digitalagentur {region} GmbH", "technische Umsetzung"),
        ("{district_w}", "fachliche Begleitung"),
        ("Verwaltungsakademie {region} e. V.", "Schulung der Beschäftigten"),
    ),
}
_PARTNERS_GENERAL: tuple[tuple[str, str], ...] = (
    ("LEADER-Aktionsgruppe {region} e. V.", "regionale Vernetzung"),
    ("Hochschule für Technik und Wirtschaft {region}", "Evaluation"),
    ("Förderverein Dorfgemeinschaft {place} e. V.", "Öffentlichkeitsarbeit"),
    ("Freiwillige Feuerwehr {place}", "Pilotgruppe"),
    ("Landesverband Digitale Dörfer e. V.", "Erfahrungstransfer"),
    ("{last} & Partner Kommunalberatung GmbH", "Projektsteuerung"),
)
_MUNICIPAL_WORDS = (
    "Gemeinde",
    "Ortsgemeinde",
    "Einheitsgemeinde",
    "Stadt",
    "Hansestadt",
    "Markt",
    "Marktgemeinde",
    "Amt",
    "Verbandsgemeinde",
    "Samtgemeinde",
    "Verwaltungsgemeinschaft",
)
_MUNICIPAL_PARTNER_ROLES = (
    "Pilotgemeinde",
    "Mitantragstellerin",
    "Teilprojekt",
    "Erprobungsort",
    "Mitnutzung der Lösung",
)

_FUNCTIONS: dict[str, tuple[tuple[str, str], ...]] = {
    # (male, female)
    "Gemeinde": (
        ("Bürgermeister", "Bürgermeisterin"),
        ("ehrenamtlicher Bürgermeister", "ehrenamtliche Bürgermeisterin"),
        ("Leiter Hauptamt", "Leiterin Hauptamt"),
        ("Sachbearbeiter Gemeindeentwicklung", "Sachbearbeiterin Gemeindeentwicklung"),
    ),
    "Stadt": (
        ("Bürgermeister", "Bürgermeisterin"),
        ("Leiter Stabsstelle Digitalisierung", "Leiterin Stabsstelle Digitalisierung"),
        ("Wirtschaftsförderer", "Wirtschaftsförderin"),
        ("Smart-City-Koordinator", "Smart-City-Koordinatorin"),
        ("Fachbereichsleiter Zentrale Dienste", "Fachbereichsleiterin Zentrale Dienste"),
    ),
    "Markt": (
        ("Erster Bürgermeister", "Erste Bürgermeisterin"),
        ("geschäftsleitender Beamter", "Geschäftsleiterin"),
        ("Sachbearbeiter Digitales", "Sachbearbeiterin Digitales"),
    ),
    "Amt": (
        ("Amtsdirektor", "Amtsdirektorin"),
        ("Leitender Verwaltungsbeamter", "Leitende Verwaltungsbeamtin"),
        ("Fachbereichsleiter Bürgerdienste", "Fachbereichsleiterin Bürgerdienste"),
    ),
    "Verbandsgemeinde": (
        ("Bürgermeister der Verbandsgemeinde", "Bürgermeisterin der Verbandsgemeinde"),
        ("Büroleiter", "Büroleiterin"),
        ("Digitalisierungsbeauftragter", "Digitalisierungsbeauftragte"),
    ),
    "Samtgemeinde": (
        ("Samtgemeindebürgermeister", "Samtgemeindebürgermeisterin"),
        ("Allgemeiner Vertreter", "Allgemeine Vertreterin"),
        ("Fachdienstleiter Zentrale Steuerung", "Fachdienstleiterin Zentrale Steuerung"),
    ),
    "Verwaltungsgemeinschaft": (
        ("Gemeinschaftsvorsitzender", "Gemeinschaftsvorsitzende"),
        ("Geschäftsstellenleiter", "Geschäftsstellenleiterin"),
        ("Kämmerer", "Kämmerin"),
    ),
    "Landkreis": (
        ("Landrat", "Landrätin"),
        ("Leiter Amt für Kreisentwicklung", "Leiterin Amt für Kreisentwicklung"),
        ("Digitalisierungsbeauftragter des Kreises", "Digitalisierungsbeauftragte des Kreises"),
        ("Referent Regionalentwicklung", "Referentin Regionalentwicklung"),
    ),
}

_STREETS = (
    "Marktplatz",
    "Hauptstraße",
    "Schulstraße",
    "Am Rathaus",
    "Kirchplatz",
    "Lindenallee",
    "Bahnhofstraße",
    "Rathausstraße",
    "Dorfstraße",
    "Amtsstraße",
    "Am Markt",
    "Schloßstraße",
    "Mühlenweg",
    "Poststraße",
    "Bürgermeister-Kähler-Straße",
)

_BUDGET_LABELS = (
    "Personalausgaben",
    "Sachausgaben",
    "Investitionen",
    "Aufträge an Dritte",
    "Öffentlichkeitsarbeit",
    "Reisekosten",
    "Honorare",
    "Software und Lizenzen",
    "Hardware und Ausstattung",
    "Projektsteuerung",
    "Evaluation",
)

# ----------------------------------------------------------------------------- plan

VIOLATION_KINDS: tuple[str, ...] = (
    "cost_low",
    "cost_high",
    "duration_too_long",
    "applicant_is_district_alone",
    "no_cooperation_partner",
    "funding_sum_mismatch",
    "invalid_email",
    "invalid_postcode",
    "unknown_state",
    "invalid_population",
    "invalid_date",
    "missing_field:email",
    "missing_field:gesamtkosten_eur",
    "missing_field:laufzeit_monate",
    "missing_field:antragsteller",
)
"""What the plan can ask for; cost_low/cost_high both give ``cost_out_of_range``."""

_INCOMPATIBLE = {
    frozenset({"cost_low", "cost_high"}),
    frozenset({"cost_low", "missing_field:gesamtkosten_eur"}),
    frozenset({"cost_high", "missing_field:gesamtkosten_eur"}),
    frozenset({"funding_sum_mismatch", "missing_field:gesamtkosten_eur"}),
    frozenset({"duration_too_long", "missing_field:laufzeit_monate"}),
    frozenset({"invalid_email", "missing_field:email"}),
    frozenset({"applicant_is_district_alone", "missing_field:antragsteller"}),
    frozenset({"applicant_is_district_alone", "invalid_population"}),
    frozenset(
        {"applicant_is_district_alone", "no_cooperation_partner"}
    ),  # alone+none is drawn inside
}


def plan_violations(n: int, seed: int) -> list[tuple[str, ...]]:
    """Per sketch index the planned violation kinds (``()`` = clean).

    In each block of 5 consecutive sketches two are violating (60 % clean, and any 8
    consecutive sketches hold at least 2 violating ones); the kinds cycle through shuffled
    rounds of ``VIOLATION_KINDS`` so that all occur equally often; 1 in 5 violating
    sketches gets a second, compatible kind.
    """
    rng = random.Random(f"plan:{seed}")
    positions: list[int] = []
    for block in range(0, n, 5):
        size = min(5, n - block)
        k = 2 if size >= 4 else (1 if size >= 2 else 0)
        positions += sorted(block + p for p in rng.sample(range(size), k))
    kinds: list[str] = []
    while len(kinds) < len(positions) + 1:
        rnd = list(VIOLATION_KINDS)
        rng.shuffle(rnd)
        kinds += rnd
    plan: list[tuple[str, ...]] = [()] * n
    for pos, kind in zip(positions, kinds, strict=False):
        chosen = [kind]
        if rng.random() < 0.2:
            extra = rng.choice(VIOLATION_KINDS)
            if extra != kind and frozenset({kind, extra}) not in _INCOMPATIBLE:
                chosen.append(extra)
        plan[pos] = tuple(sorted(chosen))
    return plan


# ----------------------------------------------------------------------------- helpers


def _slug(s: str) -> str:
    s = s.lower()
    for a, b in (("ä", "ae"), ("ö", "oe"), ("ü", "ue"), ("ß", "ss")):
        s = s.replace(a, b)
    s = unicodedata.normalize("NFKD", s).encode("ascii", "ignore").decode()
    s = re.sub(r"[^a-z0-9]+", "-", s).strip("-")
    return s


def _pick_weighted(rng: random.Random, items: dict):
    keys = list(items)
    return rng.choices(keys, weights=[items[k] for k in keys])[0]


def _round2(x: float) -> float:
    return round(x + 0.0, 2)


def _money(cents: int) -> float:
    return round(cents / 100, 2)


class _Names:
    """Invented place names, unique within one ``make_facts`` call."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        self.used: set[str] = set()

    def base(self, state: str) -> str:
        for _ in range(200):
            stem = self.rng.choice(_STEMS)
            end = self.rng.choice(ENDINGS[state])
            name = stem + end
            # avoid doubled letters at the joint ("Wendddorf") and awkward vowel runs
            name = re.sub(r"(.)\1\1", r"\1\1", name)
            if self.rng.random() < 0.12:
                pre = self.rng.choice(_PREFIXES)
                name = pre + (name if pre.endswith(" ") else name.lower())
            if name not in self.used:
                self.used.add(name)
                return name
        raise RuntimeError("name space exhausted")


def _person(rng: random.Random, female: bool | None = None) -> Person:
    if female is None:
        female = rng.random() < 0.5
    first = rng.choice(_FEMALE if female else _MALE)
    last = rng.choice(_LAST)
    title = "Dr." if rng.random() < 0.10 else ""
    return Person(first, last, female, title)


def _phone(rng: random.Random, code: str) -> str:
    """A phone number in one of many German styles, on the district's area code."""
    national = len(code) - 1
    remaining = rng.choice((10, 10, 11)) - national  # digits after the area code
    ext_len = min(rng.choice((0, 1, 2, 2, 2, 3)), remaining - 3)
    sub_len = remaining - ext_len
    sub = str(rng.randint(1, 9)) + "".join(str(rng.randint(0, 9)) for _ in range(sub_len - 1))
    ext = "".join(str(rng.randint(0, 9)) for _ in range(ext_len))
    if ext[:1] == "0":
        ext = str(rng.randint(1, 9)) + ext[1:]
    c = code[1:]
    style = rng.randrange(10)
    if style == 6 or not ext:  # plain or in pairs, no extension separated
        digits = sub + ext
        r = rng.randrange(4)
        if r == 0:
            return f"{code} {' '.join(digits[i : i + 2] for i in range(0, len(digits), 2))}"
        if r == 1:
            return f"{code}/{digits}"
        if r == 2:
            return f"+49 {c} {digits}"
        return f"({code}) {digits}"
    if style == 0:
        return f"{code} {sub}-{ext}"
    if style == 1:
        return f"({code}) {sub}-{ext}"
    if style == 2:
        return f"{code}/{sub}{ext}"
    if style == 3:
        return f"+49 {c} {sub}-{ext}"
    if style == 4:
        return f"+49 (0) {c} {sub}-{ext}"
    if style == 5:
        return f"{code} - {sub} {ext}"
    if style == 7:
        return f"{code}/{sub}-{ext}"
    if style == 8:
        return f"+49-{c}-{sub}-{ext}"
    return f"{code} {sub} {ext}"


def _local_part(p: Person, rng: random.Random) -> str:
    f, ln = _slug(p.first), _slug(p.last)
    return rng.choice(
        (
            f"{f}.{ln}",
            f"{f}.{ln}",
            f"{f[0]}.{ln}",
            ln,
            f"{f[0]}{ln}",
            f"{f}-{ln}" if "-" not in ln else f"{f}.{ln}",
        )
    )


def _invalid_email(valid: str, rng: random.Random) -> str:
    local, dom = valid.split("@")
    kind = rng.randrange(4)
    if kind == 0:  # "(at)" instead of "@"
        return f"{local}(at){dom}"
    if kind == 1:  # top-level domain missing
        return f"{local}@{dom.rsplit('.', 1)[0]}"
    if kind == 2:  # comma instead of the last dot
        head, tld = dom.rsplit(".", 1)
        return f"{local}@{head},{tld}"
    return f"{local}{dom}"  # "@" lost altogether


def _unique(seq):
    out = []
    for x in seq:
        if x not in out:
            out.append(x)
    return tuple(out)


# ----------------------------------------------------------------------------- applicant

_TYPE_WEIGHTS = {
    "Gemeinde": 34,
    "Stadt": 22,
    "Markt": 6,
    "Amt": 8,
    "Verbandsgemeinde": 7,
    "Samtgemeinde": 6,
    "Verwaltungsgemeinschaft": 6,
    "Landkreis": 11,
}


def _applicant(rng: random.Random, names: _Names, typ: str, state: str, district: District):
    """(antragsteller, body_word, place, ort, einwohnerzahl, domain)."""
    if typ == "Landkreis":
        place = district.name
        if district.form == "":
            written = district.name
            body_word = "Landkreis"  # the type word is inside the name ("Saalekreis")
        else:
            written = district.written
            body_word = district.form
        pop = rng.randrange(62_000, 265_000, 1)
        short = _slug(district.name.replace("kreis", "").replace("Kreis", "")) or _slug(
            district.name
        )
        domain = rng.choice(
            (
                f"kreis-{short}.de",
                f"landkreis-{short}.de",
                f"lk-{short}.de",
                f"{_slug(district.name)}.de",
            )
        )
        return written, body_word, place, district.seat, pop, domain

    base = names.base(state)
    suffix = ""
    r = rng.random()
    if typ in ("Amt", "Verwaltungsgemeinschaft", "Verbandsgemeinde", "Samtgemeinde") and r < 0.3:
        suffix = "-Land"
    elif typ in ("Stadt", "Gemeinde", "Markt") and r < 0.2:
        suffix = rng.choice(SUFFIXES[state])
    place = base + suffix
    ort = base if suffix == "-Land" else place
    if (
        typ in ("Amt", "Verwaltungsgemeinschaft", "Verbandsgemeinde", "Samtgemeinde")
        and rng.random() < 0.35
    ):
        ort = names.base(state)  # seat in another member municipality

    body_word = typ
    if typ == "Gemeinde":
        if state == "Rheinland-Pfalz" and rng.random() < 0.7:
            body_word = "Ortsgemeinde"
        elif state in ("Sachsen-Anhalt", "Niedersachsen") and rng.random() < 0.3:
            body_word = "Einheitsgemeinde"
    elif typ == "Stadt":
        r2 = rng.random()
        if (
            state
            in (
                "Schleswig-Holstein",
                "Niedersachsen",
                "Mecklenburg-Vorpommern",
                "Sachsen-Anhalt",
                "Brandenburg",
            )
            and r2 < 0.25
        ):
            body_word = "Hansestadt"
        elif (
            state in ("Hessen", "Saarland", "Rheinland-Pfalz", "Nordrhein-Westfalen") and r2 < 0.15
        ):
            body_word = "Kreisstadt"
    elif typ == "Markt" and rng.random() < 0.35:
        body_word = "Marktgemeinde"

    pop_ranges = {
        "Gemeinde": (500, 12_000),
        "Stadt": (3_000, 60_000),
        "Markt": (1_500, 12_000),
        "Amt": (5_000, 25_000),
        "Verbandsgemeinde": (8_000, 40_000),
        "Samtgemeinde": (6_000, 26_000),
        "Verwaltungsgemeinschaft": (4_000, 18_000),
    }
    lo, hi = pop_ranges[typ]
    # log-uniform: many small places, few big ones
    import math

    pop = round(math.exp(rng.uniform(math.log(lo), math.log(hi))))
    if rng.random() < 0.5:
        pop = int(round(pop, -1))

    s = _slug(place)
    prefix = {
        "Gemeinde": ("gemeinde-", "", ""),
        "Stadt": ("stadt-", "", ""),
        "Markt": ("markt-", ""),
        "Amt": ("amt-",),
        "Verbandsgemeinde": ("vg-", "verbandsgemeinde-"),
        "Samtgemeinde": ("sg-", "samtgemeinde-"),
        "Verwaltungsgemeinschaft": ("vgem-", "vg-"),
    }[typ]
    domain = rng.choice(prefix) + s + rng.choice((".de", ".de", ".de", "-online.de"))
    return f"{body_word} {place}", body_word, place, ort, pop, domain


def _partners(rng, names: _Names, state, district: District, place, themes, typ, count):
    fields = {
        "place": place,
        "district": district.name,
        "district_w": district.written,
        "region": rng.choice(_REGIONS),
        "seat": district.seat,
        "last": rng.choice(_LAST),
    }
    pool: list[tuple[str, str]] = []
    for t in themes:
        pool += list(_PARTNERS_BY_TOPIC[t]) * 2
    pool += list(_PARTNERS_GENERAL)
    out: list[tuple[str, str]] = []
    # a neighbouring municipality or the district as partner
    if typ != "Landkreis" and rng.random() < 0.35:
        nb = names.base(state)
        out.append(
            (
                f"{rng.choice(('Gemeinde', 'Gemeinde', 'Stadt'))} {nb}",
                rng.choice(_MUNICIPAL_PARTNER_ROLES),
            )
        )
    if typ != "Landkreis" and rng.random() < 0.15:
        out.append((district.written, "Koordination auf Kreisebene"))
    while len(out) < count:
        tmpl, role = rng.choice(pool)
        fields["last"] = rng.choice(_LAST)
        name = tmpl.format(**fields)
        if typ == "Landkreis" and name == district.written:
            continue
        if name not in [o[0] for o in out]:
            out.append((name, role))
    rng.shuffle(out)
    out = out[:count]
    return tuple(o[0] for o in out), tuple(o[1] for o in out)


def _municipal_partners(rng, names: _Names, state, k):
    out = []
    for _ in range(k):
        w = rng.choice(
            (
                "Gemeinde",
                "Gemeinde",
                "Stadt",
                "Markt" if state == "Bayern" else "Gemeinde",
                "Ortsgemeinde" if state == "Rheinland-Pfalz" else "Stadt",
            )
        )
        out.append((f"{w} {names.base(state)}", rng.choice(_MUNICIPAL_PARTNER_ROLES)))
    return out


# ----------------------------------------------------------------------------- themes/title

_SOL_AFFINITY: dict[str, dict[str, int]] = {
    TOPIC_FIELDS[0]: {
        "Plattform": 4,
        "Online-Marktplatz": 5,
        "App": 2,
        "Prozessdigitalisierung": 1,
    },
    TOPIC_FIELDS[1]: {"Plattform": 5, "App": 3, "Lernangebot": 1, "Online-Marktplatz": 1},
    TOPIC_FIELDS[2]: {"Lernangebot": 6, "Plattform": 2, "App": 1},
    TOPIC_FIELDS[3]: {"Televersorgung": 6, "App": 2, "Plattform": 2, "Prozessdigitalisierung": 1},
    TOPIC_FIELDS[4]: {"App": 5, "Plattform": 3, "Prozessdigitalisierung": 1},
    TOPIC_FIELDS[5]: {
        "Plattform": 4,
        "Online-Marktplatz": 2,
        "App": 2,
        "Prozessdigitalisierung": 1,
    },
    TOPIC_FIELDS[6]: {"Prozessdigitalisierung": 6, "Plattform": 2, "App": 1, "Lernangebot": 1},
}


def _themes(rng) -> tuple[str, ...]:
    k = rng.choices((1, 2, 3), weights=(48, 37, 15))[0]
    picked = rng.sample(TOPIC_FIELDS, k)
    return tuple(t for t in TOPIC_FIELDS if t in picked)


def _solutions(rng, themes) -> tuple[str, ...]:
    weights: dict[str, int] = {}
    for t in themes:
        for s, w in _SOL_AFFINITY[t].items():
            weights[s] = weights.get(s, 0) + w
    first = _pick_weighted(rng, weights)
    out = [first]
    if rng.random() < 0.45:
        rest = {s: w for s, w in weights.items() if s != first}
        if rest:
            out.append(_pick_weighted(rng, rest))
    from zoogen.model import SOLUTION_KINDS

    return tuple(s for s in SOLUTION_KINDS if s in out)


def _declared(rng, themes) -> tuple[tuple[str, ...], str]:
    r = rng.random()
    if r < 0.35:
        return (), "none"
    if r < 0.50:
        t = list(themes)
        others = [x for x in TOPIC_FIELDS if x not in t]
        kind = (
            rng.choice(("missing", "extra", "swapped"))
            if len(t) > 1
            else rng.choice(("extra", "swapped"))
        )
        if kind == "missing":
            t.remove(rng.choice(t))
        elif kind == "extra":
            t.append(rng.choice(others))
        else:
            t.remove(rng.choice(t))
            t.append(rng.choice(others))
        return tuple(x for x in TOPIC_FIELDS if x in t), f"partial:{kind}"
    return tuple(themes), "exact"


# Titles per topic field: leads (with an acronym) and subtitles, combined per sketch.
_TITLE_LEADS: dict[str, tuple[tuple[str, str], ...]] = {
    TOPIC_FIELDS[0]: (
        ("Dorfladen 2.0", "DoLa"),
        ("Frisch vom Land", "FriLa"),
        ("Nahversorgung sichern", "NaSi"),
        ("Regionaler Wochenmarkt digital", "ReWo"),
        ("Versorgungsnetz", "VeNet"),
        ("Einkaufen im Dorf", "EiDo"),
        ("Marktkorb", "MaKo"),
        ("Hof an Haustür", "HoHa"),
    ),
    TOPIC_FIELDS[1]: (
        ("Miteinander vor Ort", "MiVo"),
        ("Ehrenamt vernetzen", "EVe"),
        ("Kultur auf dem Land", "KuLa"),
        ("Dorfleben digital", "DoLe"),
        ("Nachbarschaft verbindet", "NaVe"),
        ("Treffpunkt Heimat", "TreHe"),
        ("Gemeinsam statt einsam", "GeSe"),
        ("Vereinsleben 2.0", "VL2"),
    ),
    TOPIC_FIELDS[2]: (
        ("Digital fit", "DiFit"),
        ("Lernorte Land", "LeLa"),
        ("Medienkompetenz stärken", "MeKo"),
        ("Digitale Lotsen", "DiLo"),
        ("Bildungsnetz", "BiNe"),
        ("Klick für Klick", "KfK"),
        ("Fit fürs Netz", "FiNe"),
        ("Wissen teilen", "WiTe"),
    ),
    TOPIC_FIELDS[3]: (
        ("Gesund im Dorf", "GeDo"),
        ("Pflege vernetzt", "PfleNet"),
        ("Gesundheit auf dem Land", "GeLa"),
        ("Gemeindeschwester digital", "GeSchDi"),
        ("Länger selbstständig zu Hause", "LäSe"),
        ("Versorgt zu Hause", "VeZu"),
        ("Gut betreut", "GuBe"),
    ),
    TOPIC_FIELDS[4]: (
        ("Mobil auf dem Land", "MobiLa"),
        ("Land bewegt", "LaBe"),
        ("Vernetzte Mobilität", "VeMo"),
        ("Mitfahren statt Warten", "MiWa"),
        ("Rufbus digital", "RuDi"),
        ("Dorf mobil", "DoMo"),
        ("Ankommen ohne Auto", "AoA"),
    ),
    TOPIC_FIELDS[5]: (
        ("Arbeiten, wo andere Urlaub machen", "AWaU"),
        ("Leerstand beleben", "LeBe"),
        ("Zuhause im Grünen", "ZuGrü"),
        ("Junges Wohnen", "JuWo"),
        ("Heimat mit Zukunft", "HeiZu"),
        ("Landarbeit 4.0", "LA40"),
        ("Rückkehr gestalten", "RüGe"),
    ),
    TOPIC_FIELDS[6]: (
        ("Rathaus digital", "RaDi"),
        ("Verwaltung 4.0", "Ve4"),
        ("Bürgerdienste online", "BüOn"),
        ("Das digitale Amt", "DiAm"),
        ("Servicekonto", "SeKo"),
        ("Amt ohne Wartezeit", "AoW"),
        ("Antrag per Klick", "ApK"),
    ),
}
_TITLE_SUBS: dict[str, tuple[str, ...]] = {
    TOPIC_FIELDS[0]: (
        "gemeinsam bestellen, regional abholen",
        "regionale Lebensmittel digital vermitteln",
        "Hofläden, Handwerk und Handel verbinden",
        "eine digitale Bestell- und Lieferkette",
        "Grundversorgung für alle Ortsteile",
        "Einkaufen ohne lange Wege",
    ),
    TOPIC_FIELDS[1]: (
        "Vereine und Nachbarschaft digital",
        "Veranstaltungen sichtbar machen",
        "Hilfe finden, Hilfe geben",
        "das digitale Dorfgemeinschaftshaus",
        "Kultur- und Vereinsleben im Netz",
        "Engagement für alle Generationen",
    ),
    TOPIC_FIELDS[2]: (
        "Kompetenzen für alle Generationen",
        "Weiterbildung ohne lange Wege",
        "Schule, Verein und Betrieb verbinden",
        "digitale Teilhabe im ländlichen Raum",
        "Lernen vor Ort und im Netz",
        "Medienbildung von Anfang an",
    ),
    TOPIC_FIELDS[3]: (
        "Sprechstunde auf Distanz",
        "Angehörige, Dienste und Nachbarschaft verbinden",
        "Versorgung zu Hause sichern",
        "digitale Pflegebegleitung",
        "Gesundheitsversorgung auf dem Land",
        "Hausbesuch mit Unterstützung",
    ),
    TOPIC_FIELDS[4]: (
        "Mitfahren, Rufbus und Carsharing aus einer Hand",
        "bedarfsgerechte Mobilität",
        "ein digitales Mitfahrnetz",
        "Mobilität ohne Fahrplanlücken",
        "die Ortsteile verbinden",
        "unterwegs ohne Zweitwagen",
    ),
    TOPIC_FIELDS[5]: (
        "Coworking im Ortskern",
        "Wohnen und Arbeiten im Dorf",
        "Standortportal für Zuzug und Rückkehr",
        "ein attraktiver Wohn- und Arbeitsort",
        "Fachkräfte gewinnen, Leerstand nutzen",
    ),
    TOPIC_FIELDS[6]: (
        "Bürgerservice rund um die Uhr",
        "Anträge ohne Behördengang",
        "medienbruchfrei von Antrag bis Bescheid",
        "interkommunale Verwaltungsleistungen",
        "die Verwaltung kommt zu den Menschen",
    ),
}


def _title(
    rng, themes, place, district: District, applicant_missing: bool, is_district: bool = False
) -> tuple[str, str | None]:
    lead, acro = rng.choice(_TITLE_LEADS[themes[0]])
    sub = rng.choice(_TITLE_SUBS[themes[-1] if rng.random() < 0.3 else themes[0]])
    if applicant_missing:
        where = ""
    elif is_district:
        where = rng.choice((f"im {district.written}", ""))
    else:
        where = rng.choice(
            (f"in {place}", f"in {place}", f"für {place}", f"im {district.written}", "", "")
        )
    form = rng.randrange(5)
    if form == 0:
        title = f"{lead} – {sub}"
    elif form == 1:
        title = f"{lead}: {sub}"
    elif form == 2 and where:
        title = f"{lead} {where}: {sub}" if rng.random() < 0.5 else f"{lead} {where}"
    elif form == 3:
        title = f"{sub[:1].upper()}{sub[1:]}" + (
            f" {where}" if where.startswith(("in ", "im ")) else ""
        )
    else:
        title = f"{lead} – {sub}" + (
            f" {where}" if where.startswith(("in ", "im ", "für ")) else ""
        )
    acronym: str | None = None
    if rng.random() < 0.38:
        acronym = acro
        style = rng.randrange(3)
        if style == 0:
            title = f"{acro} – {title}" if " – " not in title else f"{acro}: {title}"
        elif style == 1:
            title = f"{title} ({acro})"
        # style 2: the acronym only in its own field
    return title, acronym


# ----------------------------------------------------------------------------- money


def _split_cents(total: int, weights: list[float]) -> list[int]:
    s = sum(weights)
    parts = [int(total * w / s) for w in weights]
    parts[-1] += total - sum(parts)
    return parts


def _budget(rng, total_cents: int, start: dt.date, months: int) -> tuple[BudgetLine, ...]:
    end = add_months(start, months) - dt.timedelta(days=1)
    years = list(range(start.year, end.year + 1))
    per_year_months = []
    for y in years:
        a = max(start, dt.date(y, 1, 1))
        b = min(end, dt.date(y, 12, 31))
        per_year_months.append(max(1, (b.year - a.year) * 12 + b.month - a.month + 1))
    k = rng.choices((1, 2, 3, 4), weights=(8, 40, 35, 17))[0]
    labels = ["Personalausgaben"] if rng.random() < 0.85 else []
    rest = [x for x in _BUDGET_LABELS if x not in labels]
    rng.shuffle(rest)
    labels += rest[: k - len(labels)]
    labels = labels[:k]
    shares = [rng.uniform(0.15, 1.0) for _ in labels]
    if labels and labels[0] == "Personalausgaben":
        shares[0] *= 2.2
    line_cents = _split_cents(total_cents, shares)
    # round the line totals to whole 10 € (except the last, which takes the cents)
    for i in range(len(line_cents) - 1):
        r = line_cents[i] % 1000
        line_cents[i] -= r
        line_cents[-1] += r
    lines = []
    for lab, lc in zip(labels, line_cents, strict=False):
        ys = _split_cents(lc, [m * rng.uniform(0.8, 1.2) for m in per_year_months])
        # whole euros per year except the last year, which takes the cents
        for i in range(len(ys) - 1):
            r = ys[i] % 100
            ys[i] -= r
            ys[-1] += r
        lines.append(BudgetLine(lab, {y: _money(c) for y, c in zip(years, ys, strict=False)}))
    return tuple(lines)


def _total_cents(rng, lo: int, hi: int) -> int:
    euros = rng.randint(lo, hi)
    r = rng.random()
    if r < 0.3:
        return (euros // 1000) * 1000 * 100  # whole thousands
    if r < 0.45:
        return (euros // 100) * 100 * 100  # whole hundreds
    if r < 0.6:
        return euros * 100  # whole euros
    return euros * 100 + rng.randint(1, 99)  # with cents


def _funding(rng, total_cents: int) -> int:
    rate = (
        rng.choice((0.7, 0.75, 0.8, 0.8, 0.85, 0.9, 0.9))
        if rng.random() < 0.55
        else rng.uniform(0.7, 0.9)
    )
    f = total_cents * rate
    r = rng.random()
    if r < 0.4:
        return round(f)  # to the cent
    if r < 0.7:
        return round(f / 100) * 100  # whole euros
    return round(f / 10_000) * 10_000  # whole hundreds


# ----------------------------------------------------------------------------- dates

_WINDOWS = (  # (start, end, weight): the call windows
    (dt.date(2021, 2, 15), dt.date(2021, 3, 31), 70),
    (dt.date(2021, 9, 1), dt.date(2021, 10, 15), 20),
    (dt.date(2022, 1, 10), dt.date(2022, 2, 28), 10),
)


def _sketch_date(rng) -> dt.date:
    a, b, _ = rng.choices(_WINDOWS, weights=[w for *_, w in _WINDOWS])[0]
    d = a + dt.timedelta(days=rng.randint(0, (b - a).days))
    while d.weekday() >= 5 and rng.random() < 0.85:
        d -= dt.timedelta(days=1)
    return max(d, a)


def _invalid_date_for(rng, d: dt.date) -> tuple[dt.date, str]:
    """A sketch date next to a non-existent one and the non-existent one as written."""
    if d.month in (2, 3) or d.year == 2022:
        y = d.year
        day = rng.choice((29, 30, 31) if y % 4 else (30, 31))
        real = dt.date(y, 2, 26 if day > 29 else 27)
        return real, f"{day}.02.{y}"
    month = rng.choice((9,))
    return dt.date(d.year, month, 29), f"31.{month:02d}.{d.year}"


def _submit_at(rng, d: dt.date) -> dt.datetime:
    day = d + dt.timedelta(days=rng.choices((0, 0, 1, 2, 3), weights=(45, 20, 20, 10, 5))[0])
    if rng.random() < 0.85:
        minutes = rng.randint(7 * 60 + 20, 17 * 60 + 50)
    else:
        minutes = rng.randint(18 * 60, 22 * 60 + 30)
    return dt.datetime(
        day.year, day.month, day.day, minutes // 60, minutes % 60, rng.randint(0, 59)
    )


# ----------------------------------------------------------------------------- main


def make_facts(n: int, seed: int, *, start_index: int = 1) -> list[Facts]:
    """``n`` sketches Z{start_index:03d}… drawn from ``seed`` (same arguments, same result)."""
    master = random.Random(f"facts:{seed}")
    names = _Names(random.Random(f"names:{seed}"))
    plan = plan_violations(n, seed)
    out = []
    for i in range(n):
        sid = f"Z{start_index + i:03d}"
        s_seed = master.randrange(1, 2**31)
        out.append(_one(sid, s_seed, plan[i], names))
    return out


def _one(sid: str, s_seed: int, plan: tuple[str, ...], names: _Names) -> Facts:
    rng = random.Random(s_seed)
    notes: list[str] = []
    pl = set(plan)

    # --- applicant
    if "applicant_is_district_alone" in pl:
        typ = "Landkreis"
    else:
        typ = _pick_weighted(rng, _TYPE_WEIGHTS)
        if typ == "Landkreis" and ({"missing_field:antragsteller", "invalid_population"} & pl):
            typ = "Gemeinde"
    state = rng.choice(TYPE_STATES[typ])
    district = rng.choice(BY_STATE[state])
    antragsteller, body_word, place, ort, pop, domain = _applicant(rng, names, typ, state, district)
    einwohner: int | None = pop
    if typ == "Landkreis" and rng.random() < 0.35:
        einwohner = None

    # --- contact
    person: Person | None = _person(rng)
    male_f, fem_f = rng.choice(_FUNCTIONS[typ])
    funktion = fem_f if person.female else male_f
    if rng.random() < 0.02 and not pl:
        person = None
        funktion = rng.choice(("Poststelle", "Zentrale Dienste", "Büro des Bürgermeisters"))
    if person is not None and rng.random() < 0.8:
        email = f"{_local_part(person, rng)}@{domain}"
    else:
        box = (
            "digitalisierung",
            "wirtschaftsfoerderung",
            "poststelle",
            "info",
            "hauptamt",
            "foerdermittel",
        )
        email = f"{rng.choice(box)}@{domain}"
    valid_email = email
    code = rng.choice(district.area_codes)
    telefon: str | None = _phone(rng, code)
    if rng.random() < 0.04:
        telefon = None

    # --- postal
    lo, hi = rng.choice(district.plz)
    plz = f"{rng.randint(lo, hi):05d}"
    street = f"{rng.choice(_STREETS)} {rng.randint(1, 28)}{rng.choice(('', '', '', '', 'a', 'b'))}"
    if typ == "Landkreis":
        street = rng.choice(
            ("Am Kreishaus 1", "Kreishausplatz 2", f"{rng.choice(_STREETS)} {rng.randint(1, 40)}")
        )

    # --- themes and solution
    themes = _themes(rng)
    loesungsart = _solutions(rng, themes)
    themenfelder, decl = _declared(rng, themes)
    if decl != "exact":
        notes.append(f"declared topic fields: {decl}")

    # --- partners
    count = rng.choices((1, 2, 3, 4), weights=(25, 35, 25, 15))[0]
    partner_place = names.base(state) if typ == "Landkreis" else place
    partners, roles = _partners(rng, names, state, district, partner_place, themes, typ, count)
    if typ == "Landkreis" and "applicant_is_district_alone" not in pl:
        # coordinator of municipal applications / jointly with a municipality of the district
        munis = _municipal_partners(rng, names, state, rng.choice((1, 2, 2, 3)))
        extra = list(zip(partners, roles, strict=False))[: max(0, 4 - len(munis))]
        both = munis + extra
        rng.shuffle(both)
        partners, roles = tuple(p for p, _ in both), tuple(r for _, r in both)
        notes.append("district as coordinator of municipalities")
    if "applicant_is_district_alone" in pl:
        if rng.random() < 0.4:
            partners, roles = (), ()
            notes.append("district alone without any partner")
        else:
            keep = [
                (p, r)
                for p, r in zip(partners, roles, strict=False)
                if p.split(" ")[0] not in _MUNICIPAL_WORDS
            ]
            if not keep:
                keep = [
                    (f"LEADER-Aktionsgruppe {rng.choice(_REGIONS)} e. V.", "regionale Vernetzung")
                ]
            partners, roles = tuple(p for p, _ in keep), tuple(r for _, r in keep)
            notes.append("district alone with non-municipal partners")
    if "no_cooperation_partner" in pl:
        partners, roles = (), ()

    # --- dates and duration
    datum = _sketch_date(rng)
    datum_invalid = None
    if "invalid_date" in pl:
        datum, datum_invalid = _invalid_date_for(rng, datum)
    months = rng.choices((12, 15, 18, 20, 24, 24, 24, 27, 30, 30, 33, 36, 36, 36), k=1)[0]
    if "duration_too_long" in pl:
        months = rng.choice((38, 40, 42, 42, 45, 48, 48))
    start_month = add_months(dt.date(datum.year, datum.month, 1), rng.randint(4, 9))
    if rng.random() < 0.7:
        beginn = start_month
    else:
        beginn = start_month.replace(day=rng.choice((15, 15, rng.randint(2, 28))))
    laufzeit: int | None = months
    if "missing_field:laufzeit_monate" in pl:
        laufzeit = None

    # --- money
    if "cost_low" in pl:
        total_c = _total_cents(rng, 85_000, 196_000)
    elif "cost_high" in pl:
        total_c = _total_cents(rng, 612_000, 1_150_000)
    else:
        total_c = _total_cents(rng, 205_000, 598_000)
    fund_c = _funding(rng, total_c)
    own_c = total_c - fund_c
    budget = _budget(rng, total_c, beginn, months)
    assert sum(round(sum(round(v * 100) for v in b.per_year.values())) for b in budget) == total_c
    gesamt: float | None = _money(total_c)
    foerder: float | None = _money(fund_c)
    eigen: float | None = _money(own_c)
    if "funding_sum_mismatch" in pl:
        if rng.random() < 0.5:
            delta = rng.choice((1, -1)) * rng.randrange(1_000, 25_000, 500)
            eigen = _money(own_c + delta * 100)
        else:  # a typo in the funding sum (two digits swapped / one digit off)
            s = str(fund_c // 100)
            i = rng.randrange(1, len(s) - 1)
            swapped = s[:i] + s[i + 1] + s[i] + s[i + 2 :]
            if swapped == s:
                swapped = s[:i] + str((int(s[i]) + 1) % 10) + s[i + 1 :]
            foerder = _money(int(swapped) * 100 + fund_c % 100)
        if abs((foerder or 0) + (eigen or 0) - gesamt) <= 1:
            eigen = _money(own_c + 500_000)
    elif rng.random() < 0.04 and not pl:
        foerder = eigen = None
        notes.append("no funding split given")
    if "missing_field:gesamtkosten_eur" in pl:
        gesamt = None
        budget = ()
        if rng.random() < 0.5:
            foerder = eigen = None

    # --- plausibility violations
    if "invalid_email" in pl:
        email = _invalid_email(valid_email, rng)
    if "missing_field:email" in pl:
        email = None
    if "invalid_postcode" in pl:
        plz = plz[1:] if plz.startswith("0") else plz[:4]
    bundesland = state
    if "unknown_state" in pl:
        bundesland = rng.choice(NOT_A_STATE[state])
    if "invalid_population" in pl:
        einwohner = rng.choice((0, -rng.randrange(500, 9_000, 10)))
    akt = antragsteller
    if "missing_field:antragsteller" in pl:
        akt = None

    # --- title, acronym, text
    title, acronym = _title(rng, themes, place, district, akt is None, typ == "Landkreis")
    sender_local = rng.random()
    if sender_local < 0.55 and email == valid_email:
        sender = valid_email
    elif sender_local < 0.8:
        office = "rathaus" if typ != "Landkreis" else "kreisverwaltung"
        sender = f"{rng.choice(('poststelle', 'info', 'verwaltung', office))}@{domain}"
    else:
        # a colleague: "first.last" with an ASCII name, so that mail clients' display names agree
        first = rng.choice([x for x in (_FEMALE + _MALE) if x.isascii()])
        last = rng.choice([x for x in _LAST if x.isascii() and "-" not in x])
        sender = f"{first.lower()}.{last.lower()}@{domain}"
    submit_at = _submit_at(rng, datum)
    sections = textgen.make_sections(
        random.Random(f"text:{s_seed}"),
        themes=themes,
        loesungsart=loesungsart,
        applicant=akt,
        body_word=body_word,
        place=place,
        typ=typ,
        district=district.written,
        partners=partners,
        einwohner=einwohner if (einwohner or 0) > 0 else None,
    )

    return Facts(
        sketch_id=sid,
        seed=s_seed,
        antragsteller=akt,
        koerperschaft_typ=typ,
        body_word=body_word,
        place=place,
        landkreis=district.name,
        landkreis_written=district.written,
        bundesland=bundesland,
        street=street,
        plz=plz,
        ort=ort,
        einwohnerzahl=einwohner,
        mail_domain=domain,
        ansprechperson=person,
        funktion=funktion,
        email=email,
        telefon=telefon,
        projekttitel=title,
        akronym=acronym,
        kooperationspartner=partners,
        partner_roles=roles,
        themenfelder=themenfelder,
        themes=themes,
        loesungsart=loesungsart,
        laufzeit_monate=laufzeit,
        projektbeginn=beginn,
        gesamtkosten=gesamt,
        foerdersumme=foerder,
        eigenanteil=eigen,
        budget=budget,
        datum=datum,
        datum_written_invalid=datum_invalid,
        sections=sections,
        sender_email=sender,
        submit_at=submit_at,
        violations=_expected_codes(plan, partners, typ),
        notes=tuple(notes),
    )


def _expected_codes(plan: tuple[str, ...], partners: tuple[str, ...], typ: str) -> tuple[str, ...]:
    codes = set()
    for k in plan:
        codes.add("cost_out_of_range" if k in ("cost_low", "cost_high") else k)
    if not partners:
        codes.add("no_cooperation_partner")
    if typ == "Landkreis" and not any(is_municipal(p) for p in partners):
        codes.add("applicant_is_district_alone")
    return tuple(sorted(codes))


# ----------------------------------------------------------------------------- corrections

CORRECTION_KINDS = ("funding", "partner", "title", "acronym")


def make_correction(f: Facts, new_id: str, kind: str | None = None) -> tuple[Facts, str]:
    """A corrected resubmission of ``f`` that changes one thing; returns (facts, kind).

    ``kind``: "funding" (the funding split fixed / changed), "partner" (one partner added),
    "title" (title reworded slightly), "acronym" (an acronym added); default: chosen so that
    the correction makes sense for ``f`` (a mismatch is fixed, a missing partner added).
    """
    rng = random.Random(f"corr:{f.seed}:{new_id}")
    if kind is None:
        if "funding_sum_mismatch" in f.violations:
            kind = "funding"
        elif not f.kooperationspartner:
            kind = "partner"
        else:
            options = ["funding", "partner", "title"] + (["acronym"] if not f.akronym else [])
            if f.gesamtkosten is None:
                options.remove("funding")
            kind = rng.choice(options)
    changes: dict = {}
    notes = [*list(f.notes), f"corrected version of {f.sketch_id}: {kind}"]
    if kind == "funding" and f.gesamtkosten is not None:
        total_c = round(f.gesamtkosten * 100)
        fund_c = _funding(rng, total_c)
        if f.foerdersumme is not None and round(f.foerdersumme * 100) == fund_c:
            fund_c -= 500_000
        changes.update(foerdersumme=_money(fund_c), eigenanteil=_money(total_c - fund_c))
    elif kind == "partner":
        region = rng.choice(_REGIONS)
        cands = [
            t.format(
                place=f.place,
                district=f.landkreis,
                district_w=f.landkreis_written,
                region=region,
                seat=f.ort,
                last=rng.choice(_LAST),
            )
            for t, _ in _PARTNERS_GENERAL[:3]
        ]
        new = next(c for c in cands if c not in f.kooperationspartner)
        changes.update(
            kooperationspartner=(*f.kooperationspartner, new),
            partner_roles=(*f.partner_roles, "Begleitung und Evaluation"),
        )
    elif kind == "title":
        t = f.projekttitel
        for a, b in (
            (" – ", ": "),
            (": ", " – "),
            (" für ", " in "),
            (" in ", " für "),
            (" im ", " für den "),
        ):
            if a in t:
                t = t.replace(a, b, 1)
                break
        else:
            t = t + " (überarbeitete Fassung)"
        changes.update(projekttitel=t)
    elif kind == "acronym":
        acro = next(
            (a for tl in _TITLE_LEADS.values() for tt, a in tl if tt in f.projekttitel), None
        )
        acro = (
            acro or "".join(w[0] for w in f.projekttitel.split() if w[:1].isupper())[:5] or "DiLa"
        )
        sep = ": " if " – " in f.projekttitel else " – "
        changes.update(akronym=acro, projekttitel=f"{acro}{sep}{f.projekttitel}")
    else:
        raise ValueError(kind)
    # same seed (the layout makes the same choices), same sketch date: only ``kind`` changes
    new = dataclasses.replace(
        f,
        sketch_id=new_id,
        notes=tuple(notes),
        submit_at=f.submit_at
        + dt.timedelta(days=rng.randint(2, 9), hours=rng.randint(0, 3), minutes=rng.randint(0, 59)),
        **changes,
    )
    viol = set(new.violations)
    if kind == "funding":
        viol.discard("funding_sum_mismatch")
    if kind == "partner":
        viol.discard("no_cooperation_partner")
        if f.koerperschaft_typ == "Landkreis" and not any(
            p.split(" ")[0] in _MUNICIPAL_WORDS for p in new.kooperationspartner
        ):
            viol.add("applicant_is_district_alone")
    new = dataclasses.replace(new, violations=tuple(sorted(viol)))
    return new, kind
