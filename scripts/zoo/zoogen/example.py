"""Hand-made ``Facts`` for developing a layout before ``facts.make_facts`` exists.

Use ``facts.make_facts`` once it is there; these three stay as a quick smoke test.
"""

from __future__ import annotations

import datetime as dt

from zoogen.model import BudgetLine, Facts, Person

_TEXT = (
    (
        "Ausgangslage",
        (
            "Die Gemeinde liegt abseits der großen Verkehrsachsen; der letzte Lebensmittelladen "
            "im Ortskern hat 2019 geschlossen, und viele ältere Menschen sind auf Nachbarschafts"
            "hilfe angewiesen, um sich zu versorgen.",
            "Vereine und Hofläden bieten regionale Produkte an, doch Angebot und Nachfrage finden "
            "bislang kaum zueinander.",
        ),
    ),
    (
        "Ziele",
        (
            "Wir wollen eine gemeinsame digitale Bestell- und Abholstruktur für Hofläden, "
            "Dorfladen und Lieferdienste aufbauen, die auch ohne Smartphone nutzbar ist.",
        ),
    ),
    (
        "Vorgehen",
        (
            "Im ersten Jahr werden Bedarfe erhoben und Anbieter gewonnen; danach wird die "
            "Plattform schrittweise eingeführt und von Digitallotsinnen begleitet.",
        ),
    ),
)


def example_facts() -> list[Facts]:
    """Three sketches: a plain municipality, a town with cents and an acronym, a district."""
    base = dict(
        seed=1,
        street="Dorfstraße 12",
        mail_domain="example.de",
        funktion="Bürgermeister",
        partner_roles=("Betrieb der Abholstationen", "Beratung"),
        themes=("Lokale und regionale Versorgung",),
        loesungsart=("Plattform", "Online-Marktplatz"),
        sections=_TEXT,
        datum_written_invalid=None,
    )
    return [
        Facts(
            sketch_id="Z901",
            antragsteller="Gemeinde Wiesenbrück",
            koerperschaft_typ="Gemeinde",
            body_word="Gemeinde",
            place="Wiesenbrück",
            landkreis="Nordfriesland",
            landkreis_written="Kreis Nordfriesland",
            bundesland="Schleswig-Holstein",
            plz="25821",
            ort="Wiesenbrück",
            einwohnerzahl=4312,
            ansprechperson=Person("Anke", "Rohwer", True),
            email="anke.rohwer@wiesenbrueck.example.de",
            telefon="04671 93 22-14",
            projekttitel="Hofladen digital: gemeinsame Bestell- und Abholstationen im Amtsgebiet",
            akronym=None,
            kooperationspartner=(
                "Landfrauenverein Wiesenbrück e. V.",
                "Hofgemeinschaft Süderfeld GbR",
            ),
            themenfelder=("Lokale und regionale Versorgung",),
            laufzeit_monate=30,
            projektbeginn=dt.date(2021, 9, 1),
            gesamtkosten=412_500.0,
            foerdersumme=371_250.0,
            eigenanteil=41_250.0,
            budget=(
                BudgetLine("Personalausgaben", {2021: 30_000.0, 2022: 90_000.0, 2023: 60_000.0}),
                BudgetLine("Sachausgaben", {2021: 82_500.0, 2022: 100_000.0, 2023: 50_000.0}),
            ),
            datum=dt.date(2021, 3, 12),
            sender_email="poststelle@wiesenbrueck.example.de",
            submit_at=dt.datetime(2021, 3, 12, 10, 4),
            **base,
        ),
        Facts(
            sketch_id="Z902",
            antragsteller="Stadt Lauenhagen (Saale)",
            koerperschaft_typ="Stadt",
            body_word="Stadt",
            place="Lauenhagen (Saale)",
            landkreis="Saalekreis",
            landkreis_written="Saalekreis",
            bundesland="Sachsen-Anhalt",
            plz="06198",
            ort="Lauenhagen",
            einwohnerzahl=18_940,
            ansprechperson=Person("Jörg", "Mählmann", False, "Dr."),
            email="digital@lauenhagen-saale.example.de",
            telefon="+49 34609 7781-0",
            projekttitel="LauMo – Lauenhagen mobil: On-Demand-Verkehr für die Ortsteile",
            akronym="LauMo",
            kooperationspartner=("Personennahverkehrsgesellschaft Saalekreis mbH",),
            themenfelder=("Mobilität",),
            laufzeit_monate=36,
            projektbeginn=dt.date(2021, 10, 1),
            gesamtkosten=587_340.55,
            foerdersumme=528_606.50,
            eigenanteil=58_734.05,
            budget=(
                BudgetLine(
                    "Personal", {2021: 40_000.0, 2022: 160_000.0, 2023: 160_000.0, 2024: 120_000.0}
                ),
                BudgetLine(
                    "Sachkosten und Fremdleistungen",
                    {2021: 37_340.55, 2022: 40_000.0, 2023: 20_000.0, 2024: 10_000.0},
                ),
            ),
            datum=dt.date(2021, 3, 30),
            sender_email="m.maehlmann@lauenhagen-saale.example.de",
            submit_at=dt.datetime(2021, 3, 30, 16, 45),
            **{**base, "themes": ("Mobilität",), "loesungsart": ("App",)},
        ),
        Facts(
            sketch_id="Z903",
            antragsteller="Landkreis Vorpommern-Greifswald",
            koerperschaft_typ="Landkreis",
            body_word="Landkreis",
            place="Vorpommern-Greifswald",
            landkreis="Vorpommern-Greifswald",
            landkreis_written="Landkreis Vorpommern-Greifswald",
            bundesland="Mecklenburg-Vorpommern",
            plz="17389",
            ort="Anklam",
            einwohnerzahl=None,
            ansprechperson=Person("Sabine", "Kowalczyk", True),
            email="s.kowalczyk@kreis-vg.example.de",
            telefon="(03834) 8760-2231",
            projekttitel="Gesundheitskiosk im ländlichen Raum",
            akronym=None,
            kooperationspartner=(),
            themenfelder=(),
            laufzeit_monate=24,
            projektbeginn=dt.date(2022, 1, 1),
            gesamtkosten=298_000.0,
            foerdersumme=268_200.0,
            eigenanteil=29_800.0,
            budget=(BudgetLine("Ausgaben", {2022: 150_000.0, 2023: 148_000.0}),),
            datum=dt.date(2021, 3, 25),
            sender_email="s.kowalczyk@kreis-vg.example.de",
            submit_at=dt.datetime(2021, 3, 25, 9, 0),
            violations=("applicant_is_district_alone", "no_cooperation_partner"),
            **{
                **base,
                "themes": ("Gesundheits- und Pflegeversorgung",),
                "loesungsart": ("Televersorgung",),
            },
        ),
    ]
