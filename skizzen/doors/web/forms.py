"""Typed parsing of what staff type into a correction form.

Staff type numbers and dates the German way ("384.500,00", "01.09.2021"); the stored value
has the machine's type (int for euros and counts, ISO date string, list of strings), so
corrected and machine values compare and export alike.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from skizzen.outputs.labels import FieldKind


class InputError(ValueError):
    """A value staff typed that does not fit the field; the message is German."""


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


def input_text(kind: FieldKind, value: Any) -> str:
    """Pre-fill of the form input for a stored value (what ``parse_field_input`` reads back)."""
    if value is None:
        return ""
    if kind == "list":
        return "\n".join(str(v) for v in value) if isinstance(value, list) else str(value)
    if kind in ("int", "money") and isinstance(value, int | float) and not isinstance(value, bool):
        return str(int(value)) if float(value) == int(value) else f"{value:.2f}".replace(".", ",")
    return str(value)
