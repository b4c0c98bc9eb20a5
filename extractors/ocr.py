"""What OCR does to a value's confidence (pure: fields and the OCR's word confidence in).

A value read from a scan is only as sure as the words it was read from, and a misread digit
still looks like a clean labelled value to the field scorer. So an OCRed field's confidence
is scaled by the OCR's mean word confidence and held just below the review threshold (staff
look at it), unless a second fact confirms it: the three amounts add up (total = funding +
own share, within one euro), so a misread digit in any of them would show.
"""

from __future__ import annotations

from collections.abc import Mapping

from extractors.types import FieldResult

__all__ = ["OCR_KEYWORD", "ocr_adjusted", "ocr_word_confidence"]

OCR_KEYWORD = "skizzen-ocr-confidence="
"""Written into the OCRed PDF's Keywords (``skizzen.documents.ocr``), so every parse of it,
reruns included, knows it was OCRed and how well."""
_AMOUNTS = ("gesamtkosten_eur", "foerdersumme_eur", "eigenanteil_eur")


def ocr_word_confidence(metadata: Mapping[str, str]) -> float | None:
    """The mean word confidence (0–1) recorded in an OCRed PDF's metadata, else None."""
    keywords = metadata.get("Keywords") or ""
    for part in keywords.split():
        if part.startswith(OCR_KEYWORD):
            try:
                return min(1.0, max(0.0, float(part[len(OCR_KEYWORD) :])))
            except ValueError:
                return None
    return None


def _amounts_agree(fields: Mapping[str, FieldResult]) -> bool:
    values = [fields[n].value if n in fields else None for n in _AMOUNTS]
    if not all(isinstance(v, int | float) and not isinstance(v, bool) for v in values):
        return False
    total, funding, own = (float(v) for v in values)  # type: ignore[arg-type]
    return total > 0 and abs(total - funding - own) <= 1.0


def ocr_adjusted(
    fields: Mapping[str, FieldResult], word_confidence: float, *, threshold: float
) -> dict[str, FieldResult]:
    """``fields`` as read from an OCRed page: confidence × ``word_confidence``, held below
    ``threshold`` except for amounts that add up."""
    confirmed = set(_AMOUNTS) if _amounts_agree(fields) else set()
    below = max(0.0, threshold - 0.001)
    out: dict[str, FieldResult] = {}
    for name, result in fields.items():
        if result.value is None:
            out[name] = result
            continue
        conf = result.confidence * word_confidence
        if name not in confirmed:
            conf = min(conf, below)
        out[name] = result.model_copy(update={"confidence": round(conf, 3)})
    return out
