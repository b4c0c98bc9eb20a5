"""Rules taught by corrections (``extractors.taught``): what a correction teaches, where
the next sketch of the same layout is read, and what a rule leaves alone.

Sketches are rendered with reportlab and parsed by the real parser: two sketches of one
form (same labels at the same places, other values), a letter of another layout, and the
form under another producer. The machine's readings handed to ``apply`` are made up, so
that a rule visibly wins over a wrong one.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest

from extractors import taught
from extractors.taught import Layout, Source, TaughtRule
from extractors.types import Evidence, FieldResult, ParsedDocument
from skizzen.documents.parsing import parse_pdf_inprocess
from tests.extractors.render_pdf import render


def _form(head: str, title: str, months: str, total: str, mail: str, *extra: Any) -> bytes:
    """The form: the applicant alone in the letterhead, labelled values below."""
    return render(
        [
            (60, 60, head),
            (60, 110, "Projektskizze zum Förderaufruf"),
            (60, 160, "Bezeichnung des Vorhabens:"),
            (260, 160, title),
            (60, 180, "Laufzeit in Monaten:"),
            (260, 180, months),
            (60, 200, "Gesamtausgaben:"),
            (260, 200, total),
            (60, 220, "E-Mail:"),
            (260, 220, mail),
            (60, 240, "Bundesland:"),
            (260, 240, "Brandenburg"),
            *extra,
        ]
    )


@pytest.fixture(scope="module")
def docs() -> dict[str, ParsedDocument]:
    a = parse_pdf_inprocess(
        _form(
            "Gemeinde Lindenhagen",
            "Lindenkorb – die Dorfladen-App",
            "24",
            "384.500 €",
            "k.wendland@gemeinde-lindenhagen.de",
            (60, 260, "Einwohnerzahl:"),
            (260, 260, "2.340"),
        )
    )
    b = parse_pdf_inprocess(
        _form(
            "Stadt Kranichsee",
            "Telemedizin im Kranichseer Land",
            "36",
            "512.000 €",
            "digital@stadt-kranichsee.de",
        )
    )
    letter = parse_pdf_inprocess(
        render(
            [
                (300, 60, "Amt Wesselwerder"),
                (60, 140, "Sehr geehrte Damen und Herren,"),
                (60, 160, "hiermit reichen wir die Skizze „Dorf mobil“ ein."),
                (60, 180, "Die Gesamtkosten betragen 450.000 €, die Laufzeit 30 Monate."),
                (60, 200, "Kontakt: info@amt-wesselwerder.de"),
            ]
        )
    )
    other = b.model_copy(update={"metadata": {**b.metadata, "Producer": "Microsoft Word 2019"}})
    return {"a": a, "b": b, "letter": letter, "other_producer": other}


def _machine(**values: Any) -> dict[str, FieldResult]:
    """Made-up machine readings (confidence 0.4, as if unsure)."""
    return {
        name: FieldResult(
            field=name,
            value=value,
            confidence=0.4,
            evidence=Evidence(page=1, snippet=str(value)),
            extractor="fields@3+test",
        )
        for name, value in values.items()
    }


SOURCE = Source(correction_id=12, sketch_id=3, author="anna")


def _taught(doc: ParsedDocument, name: str, value: Any) -> TaughtRule:
    rule = taught.learn(doc, name, value, source=SOURCE)
    assert rule is not None, f"{name} {value!r} not learnt"
    return taught.with_ids(rule, rule_id=7, version=2)


LEARN = [
    # (field, corrected value on sketch a, kind, label or None, value read on sketch b)
    ("projekttitel", "Lindenkorb – die Dorfladen-App", "label", "bezeichnung vorhabens",
     "Telemedizin im Kranichseer Land"),
    ("laufzeit_monate", 24, "label", "laufzeit monaten", 36),
    ("gesamtkosten_eur", 384500, "label", "gesamtausgaben", 512000),
    ("email", "k.wendland@gemeinde-lindenhagen.de", "label", "email",
     "digital@stadt-kranichsee.de"),
    ("antragsteller", "Gemeinde Lindenhagen", "position", None, "Stadt Kranichsee"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("name", "value", "kind", "label", "read"), LEARN, ids=[f"{c[2]}-{c[0]}" for c in LEARN]
)
def test_a_correction_teaches_where_the_layout_writes_the_field(
    docs: dict[str, ParsedDocument], name: str, value: Any, kind: str, label: str | None, read: Any
) -> None:
    rule = _taught(docs["a"], name, value)
    assert rule.kind == kind and rule.field == name
    if label is not None:
        assert rule.label == label
    else:
        assert rule.page == 1 and rule.box is not None and rule.box[1] < 100
    out = taught.apply(docs["b"], _machine(**{name: "falsch gelesen"}), [rule])
    got = out[name]
    assert got.value == read
    assert got.extractor == "taught@7.2"
    assert got.confidence == taught.TAUGHT_CONFIDENCE
    assert got.evidence is not None and got.evidence.page == 1 and got.evidence.box is not None
    assert got.evidence.note == "gelernt aus der Korrektur #12 (Skizze 3, anna)"
    assert got.evidence.snippet.startswith(("Bezeichnung", "Laufzeit", "Gesamt", "E-Mail", "Stadt"))


NOT_LEARNABLE = [
    ("plz", "12345"),  # written nowhere
    ("projekttitel", "Ein ganz anderer Titel"),
    ("akronym", None),  # staff cleared it: no place to learn
    ("kooperationspartner", []),
    ("themes", ["Mobilität"]),  # not a field of the form
]


@pytest.mark.parametrize(
    ("name", "value"), NOT_LEARNABLE, ids=[f"{n}={v!r}" for n, v in NOT_LEARNABLE]
)
def test_a_value_not_written_in_the_sketch_teaches_nothing(
    docs: dict[str, ParsedDocument], name: str, value: Any
) -> None:
    assert taught.learn(docs["a"], name, value) is None


LEFT_ALONE = [
    ("another producer", "other_producer", True),
    ("another layout of the producer", "letter", True),
    ("a removed rule", "b", False),
]


@pytest.mark.parametrize(
    ("doc", "active"), [c[1:] for c in LEFT_ALONE], ids=[c[0] for c in LEFT_ALONE]
)
def test_a_rule_leaves_other_layouts_and_removed_rules_alone(
    docs: dict[str, ParsedDocument], doc: str, active: bool
) -> None:
    rules = [
        replace(_taught(docs["a"], "gesamtkosten_eur", 384500), active=active),
        replace(_taught(docs["a"], "antragsteller", "Gemeinde Lindenhagen"), active=active),
    ]
    machine = _machine(gesamtkosten_eur=1.0, antragsteller="Maschine")
    result = taught.applied(docs[doc], machine, rules)
    assert result.fields == machine
    assert result.used == ()


def test_the_layout_survives_a_missing_optional_label(docs: dict[str, ParsedDocument]) -> None:
    a, b = taught.layout_of(docs["a"]), taught.layout_of(docs["b"])
    assert "einwohnerzahl" in a.labels and "einwohnerzahl" not in b.labels
    assert a != b and taught.same_layout(a, b)
    assert not taught.same_layout(a, taught.layout_of(docs["letter"]))
    assert not taught.same_layout(a, taught.layout_of(docs["other_producer"]))
    assert Layout.from_dict(a.as_dict()) == a


def test_a_stored_rule_reads_back_the_same(docs: dict[str, ParsedDocument]) -> None:
    rule = _taught(docs["a"], "projekttitel", "Lindenkorb – die Dorfladen-App")
    back = TaughtRule.from_where(
        field=rule.field,
        kind=rule.kind,
        layout=rule.layout,
        where=rule.where(),
        rule_id=7,
        version=2,
        source=SOURCE,
    )
    assert back == rule


def test_a_rule_agreeing_with_the_machine_keeps_its_confidence(
    docs: dict[str, ParsedDocument],
) -> None:
    rule = _taught(docs["a"], "laufzeit_monate", 24)
    sure = _machine(laufzeit_monate=36)
    sure["laufzeit_monate"] = sure["laufzeit_monate"].model_copy(update={"confidence": 0.99})
    got = taught.apply(docs["b"], sure, [rule])["laufzeit_monate"]
    assert (got.value, got.confidence, got.extractor) == (36, 0.99, "taught@7.2")


def test_rules_change_the_key_only_for_their_layout(docs: dict[str, ParsedDocument]) -> None:
    rule = _taught(docs["a"], "laufzeit_monate", 24)
    layout = taught.layout_of(docs["b"])
    producer = layout.producer
    assert taught.relevant([rule], producer, layout) == (rule,)
    assert taught.relevant([rule], producer, None) == (rule,)  # labels not read yet
    assert taught.relevant([rule], "microsoft word", layout) == ()
    assert taught.relevant([replace(rule, active=False)], producer, layout) == ()
    newer = replace(rule, version=3)
    assert taught.rules_key([rule]) != taught.rules_key([newer]) != taught.rules_key([])


PRODUCERS = [
    ({"Creator": "Writer", "Producer": "LibreOffice 7.4"}, "writer | libreoffice"),
    ({"Creator": "Writer", "Producer": "LibreOffice 24.2.1"}, "writer | libreoffice"),
    ({"Producer": "pdfTeX-1.40.24"}, "pdftex"),
    ({"Creator": "Microsoft® Word für Microsoft 365"}, "microsoft® word für microsoft"),
    ({}, ""),
]


@pytest.mark.parametrize(("meta", "want"), PRODUCERS, ids=[w or "none" for _, w in PRODUCERS])
def test_the_producer_has_no_version(meta: dict[str, str], want: str) -> None:
    assert taught.producer_of(meta) == want


READS_MORE = [
    # (machine, taught reading, the machine read the place better)
    ("Frisch vom Land – eine digitale Bestell- und Lieferkette", "Frisch vom Land – eine", True),
    ("Frisch vom Land – eine", "Frisch vom Land – eine digitale Lieferkette", False),  # wrapped
    (["A", "B"], ["B"], True),
    (["B"], ["PARTNER", "B"], True),  # a heading taken along
    (["A"], ["A", "B"], False),
    ("Gemeinde Rehlar", "Stadt Herzberg", False),
    (384500, 512000, False),
]


@pytest.mark.parametrize(
    ("machine", "reading", "want"), READS_MORE, ids=[str(c[1]) for c in READS_MORE]
)
def test_a_rule_does_not_cut_what_the_machine_read_in_full(
    machine: Any, reading: Any, want: bool
) -> None:
    assert taught._reads_more(machine, reading) is want
