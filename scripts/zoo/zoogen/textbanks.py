# ruff: noqa: E501  (data: one district / one sentence template per line)
"""Sentence banks for the zoo's free text, written for the zoo from the seed texts.

Syntax: ``[a|b|c]`` picks one alternative (nesting allowed), ``{in_ort}`` etc. are filled by
``text.py``. Topic sentences (``TOPIC``) never name a kind of digital solution; solution
sentences (``SOLUTION``) never name a topic field; ``GENERAL`` sentences name neither, so
that ``themes`` and ``loesungsart`` are what the text is really about.

Slots: {in_ort} ("in Bölkbüttel", "im Landkreis Harz", "bei uns vor Ort"), {ort} (a name or
"unsere Gemeinde"), {kreis} (district as written), {wir} ("wir"), {partner} (a partner name).
"""

from __future__ import annotations

from zoogen.model import TOPIC_FIELDS

V, S, B, G, M, W, O = TOPIC_FIELDS  # noqa: E741

# need = Ausgangslage, goal = Ziele, step = Vorgehen
TOPIC: dict[str, dict[str, tuple[str, ...]]] = {
    V: {
        "need": (
            "[Seit der Schließung des letzten Lebensmittelgeschäfts|Seit der letzte Supermarkt im Ortskern aufgegeben hat|Nachdem der Dorfladen vor zwei Jahren schließen musste] müssen viele Menschen {in_ort} für den täglichen Einkauf [weite Strecken|bis zu zwanzig Kilometer] zurücklegen.",
            "Wer kein Auto hat, ist beim Einkauf von Lebensmitteln auf [Nachbarn|Angehörige|die Hilfe anderer] angewiesen.",
            "[Hofläden, Direktvermarkter und kleine Bäckereien|Landwirtschaftliche Direktvermarkter und Handwerksbetriebe] bieten [hochwertige|frische] regionale Produkte an, [werden aber kaum gefunden|erreichen aber nur einen Teil der Kundschaft].",
            "Die Nahversorgung [ist in den kleineren Ortsteilen|ist vor allem abseits der Hauptstraße] [weggebrochen|kaum noch vorhanden]; [Wochenmärkte finden nur noch unregelmäßig statt|der mobile Verkaufswagen kommt nur noch einmal in der Woche].",
            "Die [Erzeugerinnen und Erzeuger|Betriebe] der Region [wünschen sich|suchen seit Langem] einen gemeinsamen Weg, ihre Waren [zu bündeln|gemeinsam anzubieten] und [auszuliefern|zu den Kundinnen und Kunden zu bringen].",
            "[Die Kaufkraft fließt zunehmend in die Mittelzentren ab|Viele Einkäufe werden inzwischen in den Supermärkten der Kreisstadt erledigt], [während die Geschäfte vor Ort um ihre Existenz kämpfen|was die verbliebenen Läden zusätzlich schwächt].",
            "Besonders [ältere Menschen|Familien ohne Zweitwagen|Menschen mit eingeschränkter Mobilität] [spüren die Lücken in der Grundversorgung|sind von der Ausdünnung der Versorgung betroffen].",
        ),
        "goal": (
            "Ziel ist eine [verlässliche|wohnortnahe] Grundversorgung mit Lebensmitteln und Waren des täglichen Bedarfs [für alle Ortsteile|auch in den kleinsten Ortsteilen].",
            "Regionale [Erzeuger|Anbieterinnen und Anbieter] sollen [besser sichtbar werden|neue Absatzwege erhalten] und ihre Waren [gemeinsam ausliefern|über gemeinsame Abholpunkte verteilen] können.",
            "[Der Dorfladen soll als Ankerpunkt der Versorgung erhalten und gestärkt werden|Die verbliebenen Geschäfte sollen wirtschaftlich gestärkt werden, damit sie langfristig bestehen können|Die Läden vor Ort sollen Kundschaft zurückgewinnen, statt weiter Umsatz zu verlieren].",
            "[Einkaufen|Die Versorgung mit frischen Lebensmitteln] soll [wieder ohne lange Wege|auch ohne eigenes Auto] möglich sein.",
        ),
        "step": (
            "Gemeinsam mit [den Hofläden|den Direktvermarktern|dem Dorfladen] werden [Abholstationen|Ausgabepunkte] an [zentralen Orten|den Dorfgemeinschaftshäusern] eingerichtet.",
            "[Eine Lieferrunde|Ein gebündelter Lieferdienst] bringt die Bestellungen [zweimal wöchentlich|an festen Tagen] in die Ortsteile.",
            "Die [teilnehmenden Betriebe|beteiligten Anbieter] werden bei [Sortiment, Preisgestaltung und Logistik|der Abstimmung von Sortiment und Lieferzeiten] begleitet.",
            "[Für Menschen ohne Internetzugang gibt es eine telefonische Bestellannahme im Dorfladen|Wer sich mit Technik schwertut, kann weiterhin telefonisch oder im Laden bestellen].",
            "[Ein Kühlfach im Dorfgemeinschaftshaus|Gekühlte Schließfächer an der Bushaltestelle] [ermöglichen die Abholung auch nach Feierabend|machen die Abholung unabhängig von Öffnungszeiten].",
            "[Die Liefertouren|Die Auslieferungsfahrten] werden mit [dem Bäcker und dem Getränkehandel|den Touren der Direktvermarkter] [kombiniert|zusammengelegt], [um Kosten zu sparen|damit sich die Fahrten lohnen].",
        ),
    },
    S: {
        "need": (
            "Das [Vereinsleben|Gemeinschaftsleben] {in_ort} [ist reich, aber zersplittert|lebt vom Ehrenamt, das zunehmend an seine Grenzen stößt].",
            "[Viele Vereine finden keinen Nachwuchs mehr für Vorstandsämter|Immer weniger Menschen übernehmen dauerhaft ein Ehrenamt], [und Termine überschneiden sich|während sich gleichzeitig Angebote doppeln].",
            "[Kulturveranstaltungen, Konzerte und Dorffeste|Lesungen, Theateraufführungen und Konzerte] [finden statt, sind aber oft kaum bekannt|erreichen häufig nur einen kleinen Kreis].",
            "Nach [dem Wegfall der Gaststätte|der Schließung des Jugendtreffs|dem Ende des letzten Dorfkinos] fehlen [Orte der Begegnung|Treffpunkte für Jung und Alt].",
            "[Neu Zugezogene|Junge Familien, die neu in den Ort kommen,] finden [nur schwer Anschluss an Vereine und Nachbarschaft|kaum Zugang zu den gewachsenen Strukturen].",
            "[Ältere Menschen leben zunehmend allein und haben wenig Kontakt zur Dorfgemeinschaft|Die Zahl der allein lebenden Seniorinnen und Senioren wächst, viele drohen zu vereinsamen].",
            "[Nachbarschaftshilfe funktioniert vielerorts noch informell|Hilfe unter Nachbarn gibt es, doch sie hängt an wenigen engagierten Personen].",
        ),
        "goal": (
            "[Wir wollen das Ehrenamt entlasten|Das Ehrenamt soll entlastet werden] und [mehr Menschen für freiwilliges Engagement gewinnen|neue Zugänge zum Engagement schaffen].",
            "[Kulturelle Angebote|Veranstaltungen von Vereinen, Kirchengemeinden und Initiativen] sollen [gebündelt sichtbar werden|für alle Generationen leicht auffindbar sein].",
            "Die Dorfgemeinschaft soll [zusammenwachsen|gestärkt werden] und [Neubürgerinnen und Neubürger schneller aufnehmen|Alt und Jung wieder stärker zusammenbringen].",
            "[Nachbarschaftshilfe|Hilfe im Alltag] soll [verlässlich organisiert|auf mehr Schultern verteilt] werden.",
            "[Kinder und Jugendliche|Jugendliche] sollen [eigene Ideen für das Dorfleben einbringen|mitreden und mitgestalten] können.",
        ),
        "step": (
            "[Mit den Vereinen|Mit Vereinen, Kirchengemeinde und Jugendgruppen] werden [in Werkstätten|in mehreren Dorfgesprächen] [Bedarfe und Angebote gesammelt|gemeinsame Regeln für Termine und Räume vereinbart].",
            "[Ehrenamtliche Kümmerer|Dorfmoderatorinnen] [pflegen die Angebote|halten den Kontakt zu den Vereinen] und [sprechen gezielt neue Engagierte an|begleiten Neuzugezogene].",
            "Räume wie [das Dorfgemeinschaftshaus|die alte Schule|das Pfarrhaus] werden [gemeinsam genutzt und vergeben|als Treffpunkt geöffnet].",
            "[Ein gemeinsamer Veranstaltungskalender der Vereine|Eine abgestimmte Jahresplanung der Vereine] [verhindert Terminüberschneidungen|sorgt dafür, dass sich Feste nicht mehr überschneiden].",
            "[Für Nachbarschaftshilfe|Für kleine Hilfen im Alltag] werden [feste Ansprechpersonen in jedem Ortsteil|Patenschaften zwischen Jung und Alt] [vermittelt|aufgebaut].",
        ),
    },
    B: {
        "need": (
            "[Viele Menschen|Gerade Ältere, aber auch Beschäftigte in kleinen Betrieben,] [fühlen sich im Umgang mit digitalen Diensten unsicher|trauen sich den Umgang mit Computer und Smartphone kaum zu].",
            "[Die nächste Volkshochschule ist weit entfernt|Weiterbildungsangebote gibt es fast nur in der Kreisstadt], [und Kurse fallen mangels Teilnehmenden aus|was für Berufstätige und Familien kaum zu schaffen ist].",
            "[Die Schulen {in_ort}|Unsere Grundschule und die Oberschule] [haben inzwischen Geräte, aber zu wenig Erfahrung mit ihrem Einsatz|sind technisch ausgestattet, doch es fehlt an Konzepten für den Unterricht].",
            "[Betriebe finden kaum Fachkräfte|Handwerk und Mittelstand suchen Fachkräfte], [und Qualifizierung vor Ort findet kaum statt|während Jugendliche für die Ausbildung abwandern].",
            "Die Corona-Pandemie hat gezeigt, [wie groß die Unterschiede bei den digitalen Kompetenzen sind|dass vielen Haushalten das nötige Wissen für den Alltag im Netz fehlt].",
            "[Eltern, Lehrkräfte und Jugendarbeit|Schulen, Kitas und Vereine] [wünschen sich Unterstützung bei der Medienerziehung|fragen nach Hilfe im sicheren Umgang mit Medien].",
        ),
        "goal": (
            "Die digitalen Kompetenzen [der Bürgerinnen und Bürger|aller Altersgruppen] sollen [gezielt gestärkt|Schritt für Schritt aufgebaut] werden.",
            "[Weiterbildung|Qualifizierung] soll [wohnortnah|ohne lange Fahrten] und [zu Zeiten, die zum Alltag passen,|passend zum Arbeitsalltag] möglich werden.",
            "[Junge Menschen|Schülerinnen und Schüler] sollen [Medienkompetenz erwerben|lernen, Medien sicher und kritisch zu nutzen], [und Ältere sollen den Anschluss behalten|während Ältere den Anschluss an die digitale Welt finden sollen].",
            "[Ehrenamtliche Digitallotsen|Lotsinnen und Lotsen aus der Nachbarschaft] sollen [ihr Wissen weitergeben|anderen den Einstieg erleichtern].",
            "[Betriebe der Region|Kleine und mittlere Unternehmen] sollen ihre Beschäftigten [vor Ort|ohne lange Fahrten] weiterbilden können.",
        ),
        "step": (
            "[Zunächst wird der Qualifizierungsbedarf erhoben|Am Anfang steht eine Befragung zum Unterstützungsbedarf], [in Betrieben, Schulen und Seniorengruppen|getrennt nach Zielgruppen].",
            "[Ehrenamtliche|Interessierte Bürgerinnen und Bürger] werden zu [Digitallotsen|Lotsinnen und Lotsen] ausgebildet und bieten [Sprechstunden|offene Treffen] an.",
            "[Mit den Schulen|Gemeinsam mit Lehrkräften] werden [Unterrichtsbausteine zur Medienbildung|Projekttage zur Medienbildung] [entwickelt und erprobt|vorbereitet und durchgeführt].",
            "[Seniorinnen und Senioren|Ältere Menschen] lernen [in kleinen Gruppen|in vertrauter Runde im Gemeindehaus] den [sicheren Umgang mit Smartphone und Tablet|Alltag mit Smartphone, Messenger und Online-Banking].",
            "[Mit den Ausbildungsbetrieben|Gemeinsam mit Handwerk und Mittelstand] werden [Qualifizierungsmodule für Beschäftigte|Weiterbildungsinhalte für Beschäftigte] abgestimmt.",
        ),
    },
    G: {
        "need": (
            "[Die hausärztliche Versorgung|Die Versorgung mit Hausärztinnen und Hausärzten] {in_ort} ist [angespannt|lückenhaft]: [zwei Praxen finden keine Nachfolge|mehrere Praxen wurden in den letzten Jahren ohne Nachfolge geschlossen].",
            "[Pflegedienste legen lange Wege zurück|Die ambulanten Pflegedienste fahren weite Touren] und [können kaum neue Patientinnen und Patienten aufnehmen|stoßen an ihre Kapazitätsgrenzen].",
            "[Der Anteil der Hochbetagten wächst, und mit ihm der Bedarf an Pflege|Die Bevölkerung altert deutlich schneller als im Landesdurchschnitt, und damit steigt der Pflegebedarf].",
            "[Pflegende Angehörige|Familien, die ihre Eltern zu Hause pflegen,] [fühlen sich oft allein gelassen|wissen häufig nicht, welche Hilfen ihnen zustehen].",
            "Für [Fachärzte|Facharzttermine] und [Nachsorge|Kontrolltermine] sind [Fahrten von über einer Stunde|lange Anfahrten in die Kreisstadt] keine Seltenheit.",
            "[Im Notfall|Bei akuten Beschwerden] vergeht [viel Zeit|wertvolle Zeit], bis [Hilfe eintrifft|ärztliche Hilfe erreicht wird].",
        ),
        "goal": (
            "[Die gesundheitliche Versorgung|Die medizinische und pflegerische Versorgung] soll [auch in Zukunft wohnortnah gesichert|trotz Ärztemangel verlässlich erhalten] werden.",
            "Ältere und pflegebedürftige Menschen sollen [länger selbstbestimmt zu Hause leben|möglichst lange in ihrer vertrauten Umgebung bleiben] können.",
            "[Pflegende Angehörige|Angehörige und Pflegekräfte] sollen [spürbar entlastet|besser unterstützt] werden.",
            "[Praxen, Pflegedienste und Apotheken|Ärztinnen, Pflegedienste und Beratungsstellen] sollen [enger zusammenarbeiten|sich besser abstimmen können].",
            "[Wartezeiten auf Termine|Lange Anfahrten zu Fachärzten] sollen [deutlich verkürzt|für viele Patientinnen und Patienten überflüssig] werden.",
        ),
        "step": (
            "[Gemeinsam mit|Zusammen mit] [den Hausarztpraxen|dem Ärztenetz] und [der Sozialstation|den Pflegediensten] werden [Versorgungspfade|Abläufe für Sprechstunden und Hausbesuche] festgelegt.",
            "[Eine Gemeindeschwester|Eine Pflegefachkraft] [besucht die Patientinnen und Patienten zu Hause|ist Ansprechpartnerin vor Ort] und [übernimmt Routineuntersuchungen|hält den Kontakt zur Praxis].",
            "[Pflegende Angehörige|Angehörige] erhalten [Beratung|Gesprächsangebote] und [Entlastung im Alltag|feste Ansprechpersonen].",
            "[Die Apotheke vor Ort|Die örtliche Apotheke] wird [eingebunden|Teil der Versorgungskette] und [bringt Medikamente nach Hause|übernimmt den Botendienst in die Ortsteile].",
            "[Ein Notfallplan|Ein abgestimmtes Vorgehen für akute Fälle] [wird mit dem Rettungsdienst vereinbart|regelt die Zusammenarbeit mit Rettungsdienst und Bereitschaftspraxis].",
        ),
    },
    M: {
        "need": (
            "[Der Linienbus fährt|Busse fahren] {in_ort} [außerhalb der Schulzeiten nur selten|am Wochenende gar nicht und unter der Woche nur wenige Male].",
            "[Ohne eigenes Auto ist man kaum mobil|Wer nicht selbst fahren kann, kommt kaum zum Arzt, zum Einkaufen oder zur Arbeit].",
            "[Jugendliche|Auszubildende und Jugendliche] [sind für Ausbildung und Freizeit auf Elterntaxis angewiesen|erreichen Ausbildungsbetriebe nur mit großem Aufwand].",
            "[Viele Wege werden allein im Auto zurückgelegt|Autos fahren täglich mit nur einer Person besetzt in die gleiche Richtung], [obwohl Plätze frei wären|während andere an der Haltestelle warten].",
            "[Der Bürgerbus|Das ehrenamtliche Fahrangebot] [stößt an seine Grenzen|ist kaum bekannt und schwer zu buchen].",
            "[Die Ortsteile liegen weit auseinander|Die Siedlungsstruktur ist kleinteilig und weitläufig], [was klassische Linienverkehre unwirtschaftlich macht|so dass sich feste Linien kaum rechnen].",
        ),
        "goal": (
            "Alle Ortsteile sollen [verlässlich|auch abends und am Wochenende] [erreichbar|angebunden] sein.",
            "[Mitfahren, Rufbus und Bürgerbus|Vorhandene Fahrangebote] sollen [zu einem zusammenhängenden Angebot verknüpft|besser aufeinander abgestimmt] werden.",
            "Menschen ohne eigenes Auto sollen [selbstständig mobil bleiben|ihre Wege ohne fremde Hilfe zurücklegen] können.",
            "[Leerfahrten und Alleinfahrten|Wenig ausgelastete Fahrten] sollen [reduziert|seltener] werden.",
            "[Schülerinnen, Schüler und Auszubildende|Jugendliche] sollen [Schule, Ausbildung und Freizeit|Ausbildungsplatz und Sportverein] [ohne Elterntaxi|selbstständig] erreichen.",
        ),
        "step": (
            "[Mit dem Verkehrsunternehmen|Mit dem Aufgabenträger des Nahverkehrs] werden [Haltepunkte und Bedienzeiten|Rufbuszeiten und Anschlüsse] abgestimmt.",
            "[Mitfahrbänke|Gut sichtbare Mitfahrpunkte] werden in [allen Ortsteilen|den Ortszentren] aufgestellt.",
            "[Ehrenamtliche Fahrerinnen und Fahrer|Die Fahrerinnen und Fahrer des Bürgerbusses] werden [gewonnen und geschult|in die neuen Abläufe eingeführt].",
            "[Die Fahrten von Bürgerbus, Rufbus und privaten Mitfahrgelegenheiten|Die vorhandenen Fahrangebote] werden [zeitlich aufeinander abgestimmt|an den Umsteigepunkten verknüpft].",
            "[Ein Rufbus|Ein Kleinbus auf Bestellung] bedient [in den Randzeiten|abends und am Wochenende] [alle Ortsteile|die Ortsteile ohne Linienverkehr].",
        ),
    },
    W: {
        "need": (
            "{in_ort_cap} stehen [zunehmend Häuser im Ortskern leer|mehrere Gebäude an der Hauptstraße leer], [während junge Familien kein passendes Angebot finden|obwohl die Nachfrage nach Wohnraum steigt].",
            "[Junge Menschen wandern nach der Ausbildung ab|Nach Schule und Ausbildung ziehen viele junge Menschen weg] und [kehren selten zurück|fehlen später als Fachkräfte].",
            "[Betriebe haben Mühe, Fachkräfte zu gewinnen|Unternehmen der Region suchen dringend Personal], [weil die Vorzüge des Standorts kaum bekannt sind|obwohl Lebensqualität und Kosten für den Standort sprechen].",
            "[Viele Beschäftigte pendeln täglich weit|Pendelstrecken von über einer Stunde sind üblich], [obwohl viele Tätigkeiten auch von hier aus erledigt werden könnten|obwohl ortsunabhängiges Arbeiten möglich wäre].",
            "[Der Glasfaserausbau ist weitgehend abgeschlossen|Dank des Breitbandausbaus ist schnelles Internet vorhanden], [doch seine Möglichkeiten für Wohnen und Arbeiten werden kaum genutzt|doch dies ist als Standortvorteil kaum bekannt].",
        ),
        "goal": (
            "{ort_cap} soll [als Wohn- und Arbeitsort attraktiver|für Zuziehende und Rückkehrende interessanter] werden.",
            "[Leerstehende Gebäude|Leerstände im Ortskern] sollen [neu genutzt|wieder belebt] werden.",
            "[Arbeiten vor Ort|Ortsunabhängiges Arbeiten] soll [für Pendlerinnen und Pendler|für Beschäftigte und Selbstständige] [eine echte Alternative werden|zur realistischen Option werden].",
            "Betriebe sollen [Fachkräfte leichter gewinnen|ihre Stellen leichter besetzen] können.",
            "[Rückkehrerinnen und Rückkehrer|Menschen, die in ihre Heimat zurückkehren wollen,] sollen [leichter passenden Wohnraum und Arbeit finden|gezielt angesprochen werden].",
        ),
        "step": (
            "[Leerstände|Leer stehende Gebäude und Baulücken] werden [erfasst|systematisch aufgenommen] und [mit Eigentümerinnen und Eigentümern besprochen|gemeinsam mit den Eigentümern bewertet].",
            "In [einem leerstehenden Ladenlokal|der ehemaligen Sparkassenfiliale] entsteht ein [gemeinschaftlicher Arbeitsort|Coworking-Raum] mit [festen und flexiblen Plätzen|Arbeitsplätzen zur Miete].",
            "[Mit den Betrieben|Mit dem Gewerbeverein] werden [Angebote für Rückkehrende|Willkommenspakete für Neubürgerinnen und Neubürger] [entwickelt|zusammengestellt].",
            "[Ein Leerstandskataster|Eine Übersicht über verfügbare Häuser und Grundstücke] wird [aufgebaut|erstellt] und [laufend aktualisiert|regelmäßig gepflegt].",
            "[Bei Messen und Rückkehrertagen|Bei Veranstaltungen zwischen den Jahren] wird [gezielt für den Standort geworben|um Rückkehrende geworben].",
        ),
    },
    O: {
        "need": (
            "[Für viele Anliegen|Für Meldebescheinigungen, Anträge und Genehmigungen] müssen die Menschen [persönlich ins Rathaus kommen, was bei großen Entfernungen eine Hürde ist|zu Öffnungszeiten in die Verwaltung kommen, die für Berufstätige kaum passen].",
            "[Die Verwaltung arbeitet noch überwiegend mit Papierakten|In der Verwaltung werden Vorgänge überwiegend auf Papier bearbeitet], [Medienbrüche sind die Regel|was Bearbeitungszeiten verlängert].",
            "[Personal ist knapp|Stellen bleiben unbesetzt], [und in den kommenden Jahren geht ein Teil der Beschäftigten in den Ruhestand|während die Aufgaben zunehmen].",
            "[Die Mitgliedsgemeinden|Die beteiligten Kommunen] [nutzen unterschiedliche Verfahren|arbeiten mit verschiedenen Fachverfahren] und [tauschen Daten kaum aus|stimmen sich nur mühsam ab].",
            "Das Onlinezugangsgesetz [verpflichtet die Kommunen|verlangt], [Verwaltungsleistungen auch elektronisch anzubieten|Leistungen der Verwaltung auch digital zugänglich zu machen].",
        ),
        "goal": (
            "[Verwaltungsleistungen|Die häufigsten Anliegen der Bürgerinnen und Bürger] sollen [ohne Behördengang|rund um die Uhr] erledigt werden können.",
            "[Bearbeitungszeiten|Durchlaufzeiten von Anträgen] sollen [deutlich sinken|sich spürbar verkürzen].",
            "Die Beschäftigten der Verwaltung sollen [von Routinearbeit entlastet|bei wiederkehrenden Aufgaben entlastet] werden.",
            "[Die Zusammenarbeit der Kommunen|Die interkommunale Zusammenarbeit] soll [gestärkt|vereinfacht] werden.",
            "[Bürgerinnen und Bürger|Einwohnerinnen und Einwohner] sollen [den Stand ihres Anliegens jederzeit nachvollziehen|jederzeit sehen, wie weit ihr Antrag ist] können.",
        ),
        "step": (
            "[Zunächst|Im ersten Schritt] werden [die zwanzig häufigsten Verwaltungsleistungen|die meistgenutzten Leistungen] [erfasst und priorisiert|ausgewählt].",
            "[Die Beschäftigten|Mitarbeitende aus allen Fachbereichen] werden [von Beginn an beteiligt|in die Gestaltung der Abläufe eingebunden].",
            "[Bürgerinnen und Bürger|Testnutzerinnen und Testnutzer] [prüfen die neuen Angebote|testen die neuen Wege] [vor der Einführung|in einer Probephase].",
            "[Ein Bürgerbüro|Eine Servicestelle] [in jedem Ortsteil|in den Dorfgemeinschaftshäusern] [hilft bei Anliegen|unterstützt Menschen, die Hilfe bei Anträgen brauchen].",
            "[Die Mitgliedsgemeinden|Die beteiligten Kommunen] stimmen [ihre Abläufe|Satzungen und Formulare] [miteinander|untereinander] ab.",
        ),
    },
}

SOLUTION: dict[str, dict[str, tuple[str, ...]]] = {
    "Plattform": {
        "goal": (
            "[Kern des Vorhabens ist eine gemeinsame digitale Plattform|Im Mittelpunkt steht eine zentrale Online-Plattform], [die Angebote, Anbieter und Nachfrage zusammenführt|auf der alle Beteiligten ihre Angebote einstellen].",
            "[Die Plattform|Das Portal] [bündelt Informationen an einer Stelle|soll die zentrale Anlaufstelle im Netz werden] und [ist im Browser ohne Installation nutzbar|läuft auf jedem Gerät im Browser].",
        ),
        "step": (
            "[Eine bestehende Open-Source-Lösung|Eine erprobte, quelloffene Software] wird [angepasst|an die Bedürfnisse vor Ort angepasst] statt [neu programmiert zu werden|eine Eigenentwicklung zu beginnen].",
            "[Redaktionsrechte|Zugänge zum Einstellen von Inhalten] erhalten [die beteiligten Organisationen|alle Partner], [damit die Inhalte aktuell bleiben|so dass die Arbeit auf viele Schultern verteilt ist].",
            "[Schnittstellen|Offene Schnittstellen] sorgen dafür, dass [die Plattform|das Portal] [mit anderen Diensten verbunden|später erweitert] werden kann.",
        ),
    },
    "App": {
        "goal": (
            "[Eine mobile App|Eine App für Smartphone und Tablet] [macht die Angebote unterwegs verfügbar|soll den Zugang so einfach wie möglich machen].",
            "[Mit wenigen Klicks|Mit wenigen Fingertipps] [lassen sich in der App|soll man in der App] [Buchungen vornehmen und Benachrichtigungen erhalten|Termine vereinbaren und Rückmeldungen geben].",
        ),
        "step": (
            "Die App wird [für Android und iOS|für die gängigen Betriebssysteme] [entwickelt|bereitgestellt] und [in den App-Stores kostenfrei angeboten|kostenlos zur Verfügung gestellt].",
            "[Testgruppen|Freiwillige Testerinnen und Tester] [erproben frühe Versionen der App|geben in mehreren Runden Rückmeldung zur Bedienung], [bevor die App für alle freigegeben wird|bevor die App veröffentlicht wird].",
            "[Push-Nachrichten|Benachrichtigungen auf dem Smartphone] [informieren über Neuigkeiten|erinnern an Termine]; [die Bedienung folgt den Regeln barrierearmer Gestaltung|große Schrift und einfache Menüs erleichtern die Nutzung].",
        ),
    },
    "Prozessdigitalisierung": {
        "goal": (
            "[Abläufe|Arbeitsabläufe] sollen [durchgängig elektronisch|vom Eingang bis zur Ablage digital] [abgebildet|organisiert] werden, [ohne Ausdrucken und erneutes Abtippen|ohne Medienbrüche].",
            "[Formulare|Papierformulare] werden durch [elektronische Eingaben|Online-Formulare] ersetzt, [deren Daten direkt weiterverarbeitet werden|die automatisch an die zuständige Stelle gehen].",
        ),
        "step": (
            "[Die bestehenden Abläufe|Die Ist-Prozesse] werden [aufgenommen, vereinfacht und dann digital umgesetzt|zuerst analysiert und verschlankt, erst danach digitalisiert].",
            "[Eine elektronische Akte|Ein Dokumentenmanagementsystem] und [digitale Workflows|automatisierte Arbeitsschritte] [werden eingeführt|ersetzen die Umlaufmappe].",
            "[Elektronische Bezahlung und Signatur|Online-Bezahlfunktion und elektronische Signatur] [werden angebunden|ermöglichen einen vollständig digitalen Ablauf].",
        ),
    },
    "Televersorgung": {
        "goal": (
            "[Videosprechstunden|Sprechstunden per Video] und [Telemonitoring|die Übertragung von Messwerten] [sollen Wege ersparen|ersetzen einen Teil der Fahrten].",
            "[Über eine gesicherte Verbindung|Per verschlüsselter Videoverbindung] [werden Fachleute zugeschaltet, wenn sie vor Ort nicht verfügbar sind|kann fachlicher Rat aus der Ferne eingeholt werden, ohne dass jemand anreisen muss].",
        ),
        "step": (
            "[In einem zentral gelegenen Raum|Im Gemeindehaus] wird eine [Telekonsultationsstation|Station für Videosprechstunden] eingerichtet, [die von geschultem Personal betreut wird|in der eine Fachkraft bei der Verbindung hilft].",
            "[Vernetzte Messgeräte|Einfache Messgeräte für zu Hause] [übertragen Werte|senden Daten] [sicher an die betreuende Stelle|verschlüsselt zur Auswertung].",
            "[Datenschutz und Datensicherheit|Der Schutz sensibler Daten] [werden von Anfang an mitgedacht|sind durch zertifizierte Dienste gewährleistet].",
        ),
    },
    "Online-Marktplatz": {
        "goal": (
            "[Ein regionaler Online-Marktplatz|Ein gemeinsamer Online-Shop der Anbieter] [ermöglicht das Bestellen und Bezahlen im Netz|bringt Angebot und Nachfrage im Netz zusammen].",
            "[Auf dem Marktplatz|Im Online-Shop] [präsentieren Anbieter ihre Waren mit Bild und Preis|können Kundinnen und Kunden aus dem Sortiment vieler Anbieter in einem Warenkorb bestellen].",
        ),
        "step": (
            "[Anbieter erhalten einen eigenen Shop-Bereich und werden beim Einstellen der Produkte unterstützt|Jeder Anbieter pflegt sein Sortiment selbst und bekommt Hilfe bei Fotos und Produkttexten].",
            "[Bezahlung|Die Abrechnung] läuft [zentral über den Marktplatz|über einen gemeinsamen Zahlungsdienst], [die Anbieter erhalten ihre Erlöse gesammelt|was den Aufwand der Anbieter gering hält].",
            "[Bestellungen werden gesammelt und gemeinsam kommissioniert|Alle Bestellungen eines Tages laufen an einem Punkt zusammen und werden gemeinsam ausgeliefert].",
        ),
    },
    "Lernangebot": {
        "goal": (
            "[Kurze Lernmodule im Netz|Digitale Lerneinheiten] [ermöglichen das Lernen im eigenen Tempo|lassen sich zu jeder Zeit und von zu Hause aus nutzen].",
            "[Kurse|Lerneinheiten] [verbinden Selbstlernphasen mit Treffen vor Ort|werden als Mischung aus Online-Modulen und Präsenzterminen angeboten].",
        ),
        "step": (
            "[Erklärvideos, Übungen und kurze Tests|Videos, interaktive Übungen und Lernkontrollen] werden [zu einem Kurs|zu Lernpfaden] [zusammengestellt|verbunden].",
            "[Eine Lernumgebung|Eine Lernplattform auf Basis freier Software] [wird bereitgestellt|dient als gemeinsamer Ort für Kurse und Austausch].",
            "[Teilnehmende|Lernende] erhalten [ein Zertifikat|eine Teilnahmebescheinigung] und [können Fragen in Online-Sprechstunden stellen|werden von Tutorinnen begleitet].",
        ),
    },
}

GENERAL: dict[str, tuple[str, ...]] = {
    "intro": (
        "{ort_cap} liegt [abseits der Ballungsräume|weit entfernt von den großen Zentren|in einer dünn besiedelten Gegend] im {kreis} und [ist geprägt von vielen kleinen Ortsteilen|besteht aus mehreren weit auseinanderliegenden Ortsteilen].",
        "[Die Region|Unser Raum] [zählt zu den strukturschwachen ländlichen Räumen|gilt als strukturschwach] und [ist vom demografischen Wandel stark betroffen|verliert seit Jahren Einwohnerinnen und Einwohner].",
        "[Wie viele ländliche Kommunen|Wie viele Orte im ländlichen Raum] steht {ort} vor der Aufgabe, [die Daseinsvorsorge mit begrenzten Mitteln zu sichern|mit knappen finanziellen und personellen Ressourcen gleichwertige Lebensverhältnisse zu sichern].",
        "[Schnelles Internet ist inzwischen in fast allen Haushalten verfügbar|Der Breitbandausbau hat die Grundlage gelegt]; [jetzt geht es um die sinnvolle Nutzung dieser Infrastruktur|nun kommt es darauf an, diese Infrastruktur sinnvoll zu nutzen].",
    ),
    "goal": (
        "[Das Vorhaben soll modellhaft zeigen|Wir wollen modellhaft zeigen], [wie Digitalisierung den Alltag im ländlichen Raum spürbar erleichtert|wie digitale Anwendungen Lücken der Daseinsvorsorge schließen können].",
        "[Die Lösung soll übertragbar sein|Der Ansatz soll auf andere Kommunen übertragbar sein] und [nach der Förderphase dauerhaft weiterbetrieben werden|auch nach Ende der Förderung bestehen bleiben].",
        "[Im Mittelpunkt stehen die Menschen vor Ort|Maßstab ist der Nutzen für die Menschen vor Ort]: [die Lösung muss einfach, verständlich und barrierearm sein|was wir entwickeln, muss einfach und für alle nutzbar sein].",
    ),
    "step": (
        "[Das Vorhaben gliedert sich in drei Phasen|Die Umsetzung erfolgt in drei Phasen]: [Analyse und Konzeption, Aufbau und Erprobung sowie Verstetigung|Bedarfsanalyse, Pilotbetrieb in ausgewählten Ortsteilen und Ausweitung auf das gesamte Gebiet].",
        "[Bürgerinnen und Bürger werden über Workshops, Befragungen und Dorfgespräche beteiligt|Die Beteiligung der Bevölkerung erfolgt über Befragungen und offene Werkstätten].",
        "[Eine Projektkoordination|Eine eigens eingerichtete Projektstelle] [steuert das Vorhaben|hält die Fäden zusammen] und [berichtet regelmäßig der Steuerungsgruppe|stimmt sich monatlich mit den Partnern ab].",
        "[Die Ergebnisse werden laufend ausgewertet und fließen in die Weiterentwicklung ein|Eine begleitende Evaluation prüft die Wirkung; ihre Ergebnisse werden anderen Kommunen zur Verfügung gestellt].",
        "[Nach der Förderphase|Nach Abschluss der Modellphase] [tragen die Partner den Betrieb gemeinsam|wird der Betrieb über eine Kooperationsvereinbarung gesichert].",
    ),
    "partners": (
        "[Partner im Vorhaben|Kooperationspartner] {sind}: {partners}.",
        "[Das Vorhaben wird in Kooperation umgesetzt|Wir arbeiten eng mit Partnern zusammen], [und zwar mit|beteiligt {sind}]: {partners}.",
        "[Mit im Boot|Fest eingebunden] {sind} {partners}.",
        "[Unterstützung kommt von|Fachlich begleitet wird das Vorhaben von] {partners_dat}.",
    ),
}

# Authorial styles: extra sentences and how paragraphs are shaped.
ENTHUSIASTIC = (
    "[Wir sind überzeugt|Wir sind fest davon überzeugt]: [gemeinsam schaffen wir das|das ist der richtige Weg für unsere Region]!",
    "[Die Resonanz|Der Zuspruch] [bei den ersten Gesprächen|in der Bürgerversammlung] war [überwältigend|großartig].",
    "[Darauf freuen wir uns|Wir haben Lust darauf, das anzupacken]!",
    "[Viele Menschen|Zahlreiche Engagierte] haben bereits signalisiert, [mitmachen zu wollen|dass sie dabei sein wollen].",
)

HEADINGS: tuple[tuple[str, str, str] | tuple[str, str, str, str], ...] = (
    ("Ausgangslage", "Ziele", "Vorgehen"),
    ("Ausgangssituation und Handlungsbedarf", "Zielsetzung des Vorhabens", "Geplante Umsetzung"),
    ("Problemstellung", "Projektziele", "Arbeitsschritte"),
    ("Hintergrund", "Was wollen wir erreichen?", "Wie gehen wir vor?"),
    ("Ausgangslage", "Ziele", "Vorgehen", "Kooperation und Verstetigung"),
    ("Bedarf vor Ort", "Lösungsansatz", "Umsetzung und Partner"),
    ("Situation in der Region", "Zielsetzung", "Maßnahmen und Zeitplan"),
    ("Ausgangslage und Bedarf", "Ziele und Nutzen", "Vorgehensweise"),
)
