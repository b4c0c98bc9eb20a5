"""German numbers for everything staff read (messages, review page, report), with babel:
one place for digit grouping and decimal comma."""

from __future__ import annotations

from babel.numbers import format_decimal

__all__ = ["format_eur", "format_number"]


def format_number(value: float, *, decimals: int = 0) -> str:
    """384500 → ``384.500``; 0.5 with decimals=2 → ``0,50``."""
    pattern = "#,##0" + ("." + "0" * decimals if decimals else "")
    return format_decimal(value, format=pattern, locale="de_DE")


def format_eur(value: float) -> str:
    """650000 → "650.000 €", 588502.49 → "588.502,49 €" (cents only where there are)."""
    return f"{format_number(value, decimals=0 if float(value).is_integer() else 2)} €"
