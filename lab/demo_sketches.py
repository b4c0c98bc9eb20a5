"""The demo's invented sketches: the truth fields, layout and free text of each (what a
perfect extractor would return). All municipalities, persons, addresses and phone numbers
are invented."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from extractors.types import FIELD_NAMES


@dataclass(frozen=True)
class DemoSketch:
    """One invented sketch: its truth fields (DOMAIN.md names), layout and free text."""

    filename: str
    layout: str
    fields: dict[str, Any]
    ausgangslage: str
    ziele: str
    vorgehen: str
    violations: tuple[str, ...] = ()
    kostenplan: tuple[tuple[str, int], ...] = ()
    street: str = ""
    extra: dict[str, str] = field(default_factory=dict)


def _fields(**values: Any) -> dict[str, Any]:
    out = dict.fromkeys(FIELD_NAMES)
    out.update(values)
    out.setdefault("kooperationspartner", [])
    out["themenfelder"] = out["themenfelder"] or []
    return out


DEMO_SKETCHES: tuple[DemoSketch, ...] = (
    DemoSketch(
        filename="Projektskizze_Lindenhagen_Dorfladen-App.pdf",
        layout="form",
        street="Dorfstraße 12",
        fields=_fields(
            projekttitel="Lindenkorb – die Dorfladen-App für Lindenhagen und Umgebung",
            akronym="Lindenkorb",
            antragsteller="Gemeinde Lindenhagen",
            koerperschaft_typ="Gemeinde",
            landkreis="Uckermark",
            bundesland="Brandenburg",
            ansprechperson="Katrin Wendland",
            email="k.wendland@gemeinde-lindenhagen.de",
            telefon="039863 4471-20",
            plz="17268",
            einwohnerzahl=2340,
            kooperationspartner=["Dorfladen Lindenhagen w. V.", "Bäckerei Pagel GmbH"],
            themenfelder=["Lokale und regionale Versorgung", "Mobilität"],
            laufzeit_monate=24,
            projektbeginn="2021-09-01",
            gesamtkosten_eur=384500,
            foerdersumme_eur=346050,
            eigenanteil_eur=38450,
            datum="2021-03-02",
        ),
        ausgangslage=(
            "Lindenhagen besteht aus fünf Ortsteilen, in denen seit der Schließung des letzten "
            "Supermarkts im Jahr 2017 keine Nahversorgung mehr besteht. Der von Ehrenamtlichen "
            "getragene Dorfladen im Hauptort hat nur an drei Vormittagen geöffnet. Ältere "
            "Menschen ohne Auto sind auf Nachbarschaftshilfe angewiesen, Berufspendlerinnen "
            "und -pendler kaufen in der Kreisstadt ein."
        ),
        ziele=(
            "Eine einfache App und eine Telefonbestellung sollen das Sortiment des Dorfladens "
            "und regionaler Erzeuger rund um die Uhr bestellbar machen. Die Waren werden an "
            "zwei Tagen pro Woche gebündelt ausgeliefert oder an Abholstationen in den "
            "Ortsteilen bereitgestellt. So sichern wir den Laden wirtschaftlich ab und halten "
            "Kaufkraft im Ort."
        ),
        vorgehen=(
            "Im ersten Halbjahr entwickeln wir die App gemeinsam mit Seniorinnen und Senioren, "
            "dem Ladenverein und der Bäckerei (Co-Design-Werkstätten). Danach folgt ein "
            "sechsmonatiger Testbetrieb mit zwei Abholstationen, begleitet von Sprechstunden "
            "im Gemeindehaus. Im zweiten Projektjahr werden die Touren mit dem Bürgerbus "
            "verknüpft und die Lösung für Nachbargemeinden dokumentiert."
        ),
    ),
    DemoSketch(
        filename="Projektskizze_Hünenbrück_Rufbus.pdf",
        layout="letter",
        street="Am Markt 3",
        fields=_fields(
            projekttitel="MoorMobil – digitaler Rufbus für die Samtgemeinde Hünenbrück",
            akronym="MoorMobil",
            antragsteller="Samtgemeinde Hünenbrück",
            koerperschaft_typ="Samtgemeinde",
            landkreis="Rotenburg (Wümme)",
            bundesland="Niedersachsen",
            ansprechperson="Dr. Henning Oltmanns",
            email="oltmanns@huenenbrueck.de",
            telefon="04265 9132-41",
            plz="27367",
            einwohnerzahl=11820,
            kooperationspartner=[
                "Verkehrsgesellschaft Wümme-Land mbH",
                "Bürgerbusverein Moor e. V.",
            ],
            themenfelder=[],
            laufzeit_monate=30,
            projektbeginn="2021-10-01",
            gesamtkosten_eur=420000,
            foerdersumme_eur=378000,
            eigenanteil_eur=42000,
            datum="2021-03-09",
        ),
        extra={
            "kosten": "0,42 Mio. Euro",
            "foerderung": "378.000 Euro",
            "eigen": "42.000 Euro",
            "beginn": "1. Oktober 2021",
            "datum": "9. März 2021",
            "einwohner": "rund 11.820",
        },
        ausgangslage=(
            "Zwischen unseren neun Mitgliedsgemeinden fahren außerhalb der Schulzeiten kaum "
            "Busse. Wer kein Auto hat, kommt abends und am Wochenende nicht zum Arzt, zum "
            "Sportverein oder zum Bahnhof."
        ),
        ziele=(
            "Mit MoorMobil wollen wir einen Rufbus einführen, der per App, Internetseite oder "
            "Telefon bestellt wird und Fahrten mit ähnlichem Ziel automatisch bündelt. Die "
            "Fahrzeiten werden mit den Zügen am Bahnhof abgestimmt."
        ),
        vorgehen=(
            "Gemeinsam mit der Verkehrsgesellschaft schreiben wir die Buchungssoftware aus, "
            "schulen die ehrenamtlichen Fahrerinnen und Fahrer des Bürgerbusvereins und "
            "erproben den Betrieb zunächst in drei Gemeinden, bevor er auf die ganze "
            "Samtgemeinde ausgeweitet wird."
        ),
    ),
    DemoSketch(
        filename="Skizze_Telemedizin_Kranichsee.pdf",
        layout="multipage",
        street="Rathausplatz 1",
        violations=("cost_out_of_range",),
        fields=_fields(
            projekttitel="Gesund vor Ort – Telemedizin-Stationen in den Dörfern um Kranichsee",
            akronym=None,
            antragsteller="Stadt Kranichsee",
            koerperschaft_typ="Stadt",
            landkreis="Vorpommern-Greifswald",
            bundesland="Mecklenburg-Vorpommern",
            ansprechperson="Jana Brüggemann",
            email="digital@stadt-kranichsee.de",
            telefon="038372 7780-15",
            plz="17509",
            einwohnerzahl=6480,
            kooperationspartner=[
                "Gemeinschaftspraxis Dr. Köpke & Partner",
                "Ambulanter Pflegedienst Haffküste gGmbH",
                "Apotheke am Markt Kranichsee",
            ],
            themenfelder=[],  # this layout declares no topic field; themes come from the text
            laufzeit_monate=36,
            projektbeginn="2021-07-01",
            gesamtkosten_eur=650000,
            foerdersumme_eur=585000,
            eigenanteil_eur=65000,
            datum="2021-03-16",
        ),
        kostenplan=(
            ("Personal Projektkoordination (0,5 VZÄ, 36 Monate)", 118000),
            ("Ausstattung von vier Telemedizin-Stationen", 212000),
            ("Software, Lizenzen und Datenschutzprüfung", 96000),
            ("Schulung Pflegekräfte und Praxisteams", 54000),
            ("Umbau der Räume in den Dorfgemeinschaftshäusern", 120000),
            ("Öffentlichkeitsarbeit und Evaluation", 50000),
        ),
        ausgangslage=(
            "Die hausärztliche Versorgung im Umland von Kranichsee ist angespannt: zwei von "
            "fünf Praxen suchen seit Jahren eine Nachfolge, die Wege zur nächsten Fachärztin "
            "betragen bis zu 45 Kilometer. Ein Viertel der Bevölkerung ist älter als 70 Jahre, "
            "viele Patientinnen und Patienten sind chronisch krank und auf regelmäßige "
            "Kontrollen angewiesen."
        ),
        ziele=(
            "In vier Dorfgemeinschaftshäusern entstehen Telemedizin-Stationen, in denen "
            "geschulte Pflegekräfte Vitalwerte erfassen und eine Videosprechstunde mit der "
            "Hausarztpraxis herstellen. Rezepte gehen elektronisch an die Apotheke, die "
            "Medikamente mit ihrem Botendienst liefert. Unnötige Fahrten und "
            "Krankenhauseinweisungen sollen deutlich sinken."
        ),
        vorgehen=(
            "Nach der Auswahl der Standorte und der Datenschutz-Folgenabschätzung werden die "
            "Räume hergerichtet und die Technik beschafft. Ab dem zweiten Projektjahr laufen "
            "feste Sprechzeiten; eine Begleitforschung misst Zufriedenheit und Wegezeiten. Für "
            "den Betrieb nach Förderende verhandeln wir mit den Krankenkassen."
        ),
    ),
    DemoSketch(
        filename="Projektskizze_VG_Eichenmuehle.pdf",
        layout="form",
        street="Hauptstraße 40",
        fields=_fields(
            projekttitel="Rathaus im Netz – Bürgerservice online für die Verbandsgemeinde "
            "Eichenmühle",
            akronym=None,
            antragsteller="Verbandsgemeinde Eichenmühle",
            koerperschaft_typ="Verbandsgemeinde",
            landkreis="Kusel",
            bundesland="Rheinland-Pfalz",
            ansprechperson="Thomas Jung",
            email="t.jung@vg-eichenmuehle.de",
            telefon="06381 5520-33",
            plz="66869",
            einwohnerzahl=14975,
            kooperationspartner=[
                "Seniorenbeirat der Verbandsgemeinde Eichenmühle",
                "Kreisvolkshochschule Kusel",
            ],
            themenfelder=[  # canonical: in the call's order
                "Bildung, Qualifizierung und digitale Kompetenzen",
                "Öffentliche Verwaltung",
            ],
            laufzeit_monate=24,
            projektbeginn="2021-08-01",
            gesamtkosten_eur=298000,
            foerdersumme_eur=268200,
            eigenanteil_eur=29800,
            datum="2021-03-22",
        ),
        ausgangslage=(
            "Die 24 Ortsgemeinden der Verbandsgemeinde liegen bis zu 20 Kilometer vom "
            "Verwaltungssitz entfernt. Für einfache Anliegen wie eine Meldebescheinigung, einen "
            "Bauantrag oder die Anmeldung eines Hundes müssen Bürgerinnen und Bürger ins "
            "Rathaus kommen; die Öffnungszeiten passen für Berufstätige oft nicht."
        ),
        ziele=(
            "Die zwanzig häufigsten Verwaltungsleistungen werden durchgängig digital "
            "angeboten, vom Antrag bis zum Bescheid. In jeder Ortsgemeinde gibt es zudem "
            "digitale Lotsinnen und Lotsen, die beim ersten Online-Antrag helfen."
        ),
        vorgehen=(
            "Wir analysieren die Abläufe mit den Fachbereichen, digitalisieren die Prozesse in "
            "drei Paketen und binden sie an das Servicekonto des Landes an. Die "
            "Kreisvolkshochschule bildet die Lotsinnen und Lotsen aus, der Seniorenbeirat "
            "testet jede neue Leistung vor dem Start."
        ),
    ),
    DemoSketch(
        filename="Projektskizze_Markt_Rotenfels.pdf",
        layout="form",
        extra={"boxes": "ascii"},
        street="Marktplatz 5",
        fields=_fields(
            projekttitel="Dorfmitte digital – Vereins- und Veranstaltungsplattform Rotenfels",
            akronym=None,
            antragsteller="Markt Rotenfels",
            koerperschaft_typ="Markt",
            landkreis="Wunsiedel i. Fichtelgebirge",
            bundesland="Bayern",
            ansprechperson="Sabine Hofmann",
            email="hofmann@markt-rotenfels.de",
            telefon="09232 8810-12",
            plz="95163",
            einwohnerzahl=3915,
            kooperationspartner=["Heimat- und Kulturverein Rotenfels e. V."],
            themenfelder=["Soziale und kulturelle Angebote"],
            laufzeit_monate=30,
            projektbeginn="2021-09-15",
            gesamtkosten_eur=236000,
            foerdersumme_eur=212400,
            eigenanteil_eur=23600,
            datum="2021-03-25",
        ),
        ausgangslage=(
            "In Rotenfels sind 41 Vereine aktiv, doch Termine, Raumbelegung und Fahrgemeinschaften "
            "werden über Aushänge und Telefonketten organisiert. Junge Familien, die neu "
            "zuziehen, finden kaum Zugang zum Vereinsleben."
        ),
        ziele=(
            "Eine gemeinsame Plattform bündelt Veranstaltungskalender, Buchung der "
            "Gemeinschaftsräume und ein Schwarzes Brett für Nachbarschaftshilfe. Vereine "
            "pflegen ihre Inhalte selbst, Neubürgerinnen und Neubürger erhalten einen "
            "digitalen Willkommensgruß."
        ),
        vorgehen=(
            "Mit dem Heimat- und Kulturverein erheben wir den Bedarf der Vereine, wählen eine "
            "offene Softwarelösung aus und führen sie schrittweise ein. Digitale Sprechstunden "
            "im Pfarrheim unterstützen Ehrenamtliche beim Einstieg."
        ),
    ),
)
"""The five demo sketches; fields are the truth a perfect extractor would return."""

SUPPORT_LETTER = "Unterstuetzungsschreiben_Seniorenbeirat.pdf"
