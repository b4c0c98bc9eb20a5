"""What OCR does to a value's confidence (pure: fields and the OCR's word confidences in).

A value read from a scan is only as sure as the words it was read from, and a misread digit
still looks like a clean labelled value to the field scorer. So an OCRed field's confidence
is scaled by the confidence of the words of its evidence (the least sure of them; the
document's mean where a field has no evidence) and held just below the review threshold
(staff look at it), unless a second fact confirms it: the three amounts add up (total =
funding + own share, within one euro), or the postcode lies in the federal state read
beside it, so a misread digit in any of them would show.
"""

from __future__ import annotations

import base64
import json
import re
import zlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from extractors.types import FieldResult

__all__ = [
    "OCR_KEYWORD",
    "OCR_WORDS_KEYWORD",
    "OcrWords",
    "encode_ocr_words",
    "ocr_adjusted",
    "ocr_word_confidence",
    "ocr_words",
]

OCR_KEYWORD = "skizzen-ocr-confidence="
"""Written into the OCRed PDF's Keywords (``skizzen.documents.ocr``), so every parse of it,
reruns included, knows it was OCRed and how well."""
OCR_WORDS_KEYWORD = "skizzen-ocr-words="
"""Beside it: the words OCR was unsure of, per page (``encode_ocr_words``)."""
UNSURE_BELOW = 0.85
"""Words under this confidence are listed one by one; the others only by their mean
(Tesseract gives clean print about 0.9, a misread word often below 0.5)."""
MAX_UNSURE = 200
"""Most unsure words listed (about 1.5 KB of Keywords; a reader keeps up to 4,000 chars)."""
_AMOUNTS = ("gesamtkosten_eur", "foerdersumme_eur", "eigenanteil_eur")
_PLACE = ("plz", "bundesland")
_TOKEN = re.compile(r"[^\W_]+")


def _tokens(text: str) -> list[str]:
    return [t.casefold() for t in _TOKEN.findall(text)]


@dataclass(frozen=True)
class OcrWords:
    """The word confidences of one OCRed document: its mean, the mean of its sure words,
    and each unsure word (casefolded token) by page with its lowest confidence."""

    mean: float
    sure: float
    unsure: dict[int, dict[str, float]] = field(default_factory=dict)

    def of_snippet(self, snippet: str, page: int | None) -> float:
        """The least sure word of ``snippet`` (on ``page``, else any page); ``mean`` when
        the snippet has no words."""
        tokens = _tokens(snippet)
        if not tokens:
            return self.mean
        pages = [self.unsure.get(page, {})] if page is not None else list(self.unsure.values())
        return min(min((p.get(t, self.sure) for p in pages), default=self.sure) for t in tokens)


def encode_ocr_words(words: Iterable[tuple[int, str, float]]) -> tuple[float, str]:
    """``(page, word, confidence 0–1)`` of an OCR run → (mean confidence, the Keywords text
    that carries it and the unsure words: compressed JSON, base64, no spaces). At most
    ``MAX_UNSURE`` words are listed, the least sure first, so the Keywords stay short."""
    confs: list[float] = []
    sure: list[float] = []
    lowest: dict[tuple[int, str], float] = {}
    for page, word, conf in words:
        confs.append(conf)
        tokens = _tokens(word)
        if conf >= UNSURE_BELOW or not tokens:
            sure.append(conf)
            continue
        for token in tokens:
            lowest[page, token] = min(conf, lowest.get((page, token), 1.0))
    unsure: dict[int, dict[str, float]] = {}
    for (page, token), conf in sorted(lowest.items(), key=lambda kv: kv[1])[:MAX_UNSURE]:
        unsure.setdefault(page, {})[token] = round(conf, 2)
    mean = sum(confs) / len(confs) if confs else 0.0
    payload = {"sure": round(sum(sure) / len(sure), 3) if sure else mean, "unsure": unsure}
    packed = base64.urlsafe_b64encode(zlib.compress(json.dumps(payload).encode(), 9)).decode()
    return mean, f"{OCR_KEYWORD}{mean:.3f} {OCR_WORDS_KEYWORD}{packed}"


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


def ocr_words(metadata: Mapping[str, str]) -> OcrWords | None:
    """The word confidences recorded in an OCRed PDF's metadata, else None (an OCR made
    before the words were recorded: its mean alone)."""
    mean = ocr_word_confidence(metadata)
    if mean is None:
        return None
    for part in (metadata.get("Keywords") or "").split():
        if part.startswith(OCR_WORDS_KEYWORD):
            try:
                packed = base64.urlsafe_b64decode(part[len(OCR_WORDS_KEYWORD) :])
                payload = json.loads(zlib.decompress(packed))
                unsure = {
                    int(page): {str(w): float(c) for w, c in words.items()}
                    for page, words in payload["unsure"].items()
                }
                return OcrWords(mean, float(payload["sure"]), unsure)
            except (ValueError, KeyError, TypeError, AttributeError, zlib.error):
                break
    return OcrWords(mean, mean)


def _amounts_agree(fields: Mapping[str, FieldResult]) -> bool:
    values = [fields[n].value if n in fields else None for n in _AMOUNTS]
    if not all(isinstance(v, int | float) and not isinstance(v, bool) for v in values):
        return False
    total, funding, own = (float(v) for v in values)  # type: ignore[arg-type]
    return total > 0 and abs(total - funding - own) <= 1.0


def _place_agrees(fields: Mapping[str, FieldResult]) -> bool:
    from extractors.postcodes import postcode_matches_state

    plz, state = (fields[n].value if n in fields else None for n in _PLACE)
    if not (isinstance(plz, str) and isinstance(state, str)):
        return False
    return bool(postcode_matches_state(plz, state))


def ocr_adjusted(
    fields: Mapping[str, FieldResult], words: OcrWords | float, *, threshold: float
) -> dict[str, FieldResult]:
    """``fields`` as read from an OCRed page: confidence × the confidence of its evidence's
    words (``words``; a plain number: the document's mean for every field), held below
    ``threshold`` except for amounts that add up and a postcode in its state."""
    if not isinstance(words, OcrWords):
        words = OcrWords(words, words)
    confirmed = set(_AMOUNTS) if _amounts_agree(fields) else set()
    confirmed |= set(_PLACE) if _place_agrees(fields) else set()
    below = max(0.0, threshold - 0.001)
    out: dict[str, FieldResult] = {}
    for name, result in fields.items():
        if result.value is None:
            out[name] = result
            continue
        ev = result.evidence
        factor = words.of_snippet(ev.snippet, ev.page) if ev is not None else words.mean
        conf = result.confidence * factor
        if name not in confirmed:
            conf = min(conf, below)
        out[name] = result.model_copy(update={"confidence": round(conf, 3)})
    return out
