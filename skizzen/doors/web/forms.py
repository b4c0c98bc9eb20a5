"""Typed parsing of what staff type into a correction form.

Staff type numbers and dates the German way ("384.500,00", "01.09.2021"); the stored value
has the machine's type (int for euros and counts, ISO date string, list of strings), so
corrected and machine values compare and export alike. Judgements with a fixed vocabulary
(declared and inferred topic fields, kinds of solution) are check boxes of the canonical
names (``CHOICES``): anything else posted is refused, so "Mobilitaet" never reaches a count.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from extractors.vocab import SOLUTION_KINDS, TOPIC_FIELDS
from skizzen.german import format_number
from skizzen.labels import FieldKind


class InputError(ValueError):
    """A value staff typed that does not fit the field; the message is German."""


@dataclass(frozen=True)
class Refused:
    """A correction refused: its field, the German reason and what staff typed, which the
    page shows again in that field's row (nothing typed is lost)."""

    field: str
    message: str
    typed: str | list[str]


@dataclass(frozen=True)
class Choices:
    """The canonical names a field is ticked from, and what one of them is called (German)."""

    options: tuple[str, ...]
    noun: str
    """Plural, for the refusal: "keines der 7 Themenfelder des Aufrufs"."""


_TOPICS = Choices(TOPIC_FIELDS, f"der {format_number(len(TOPIC_FIELDS))} Themenfelder des Aufrufs")
_KINDS = Choices(SOLUTION_KINDS, f"der {format_number(len(SOLUTION_KINDS))} Lösungsarten")
CHOICES: dict[str, Choices] = {"themenfelder": _TOPICS, "themes": _TOPICS, "loesungsart": _KINDS}
"""Fields corrected by ticking canonical names (the vocabulary of ``extractors.vocab``)."""


_GROUPED = re.compile(r"^\d{1,3}(\.\d{3})+$")
_DE_DATE = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})$")


def parse_number(raw: str) -> float:
    """German or plain number: ``384.500,00`` / ``384500`` / ``1 200`` / ``12,5`` → float."""
    text = re.sub(r"(?i)\s|€|eur(o)?", "", raw).replace("\u202f", "")
    if not text:
        raise InputError("Bitte eine Zahl eingeben.")
    if "," in text:
        text = text.replace(".", "").replace(",", ".", 1)
    elif _GROUPED.match(text):
        text = text.replace(".", "")
    if not re.fullmatch(r"-?\d+(\.\d+)?", text):
        raise InputError(f"„{raw}“ ist keine Zahl (Beispiel: 384.500,00).")
    return float(text)


def parse_date(raw: str) -> str:
    """``2021-09-01`` or ``01.09.2021`` → ISO ``2021-09-01`` (the date must exist)."""
    text = raw.strip()
    m = _DE_DATE.match(text)
    try:
        if m:
            return date(int(m[3]), int(m[2]), int(m[1])).isoformat()
        return date.fromisoformat(text).isoformat()
    except ValueError:
        raise InputError(f"„{raw}“ ist kein gültiges Datum (TT.MM.JJJJ).") from None


def parse_field_input(kind: FieldKind, raw: str) -> Any:
    """The value to store for ``raw`` typed into a field of ``kind``; empty clears (None)."""
    if kind == "list":
        return [line.strip() for line in raw.splitlines() if line.strip()]
    if not raw.strip():
        return None
    if kind == "int":
        number = parse_number(raw)
        if number != int(number):
            raise InputError(f"„{raw}“ ist keine ganze Zahl.")
        return int(number)
    if kind == "money":
        number = parse_number(raw)
        return int(number) if number == int(number) else round(number, 2)
    if kind == "date":
        return parse_date(raw)
    return raw.strip()


def parse_choices(choices: Choices, ticked: Sequence[str]) -> list[str]:
    """The ticked names in the vocabulary's order, each once; a name outside it is refused
    (a forged or stale form), with the name in the German message."""
    unknown = [t for t in ticked if t not in choices.options]
    if unknown:
        raise InputError(f"„{unknown[0]}“ ist keines {choices.noun}.")
    chosen = set(ticked)
    return [name for name in choices.options if name in chosen]


def input_text(kind: FieldKind, value: Any) -> str:
    """Pre-fill of the form input for a stored value (what ``parse_field_input`` reads back)."""
    if value is None:
        return ""
    if kind == "list":
        return "\n".join(str(v) for v in value) if isinstance(value, list) else str(value)
    if kind in ("int", "money") and isinstance(value, int | float) and not isinstance(value, bool):
        return str(int(value)) if float(value) == int(value) else f"{value:.2f}".replace(".", ",")
    if kind == "date" and isinstance(value, str):  # typed the German way, as the page shows it
        try:
            return date.fromisoformat(value).strftime("%d.%m.%Y")
        except ValueError:
            return value
    return str(value)
