"""Judging one attachment: triage, conversion to PDF, OCR of a scan, parse and analysis.

Judging reads blobs, caches and worker results but writes no row: the pipeline calls it
outside its write transactions (a parse must not hold SQLite's write lock) and records the
:class:`Verdict` itself. A bad file never raises out of :func:`judge_attachment`: it becomes
a verdict with a German reason.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

from models.db import session_scope
from models.tables import Attachment
from skizzen.settings import RuntimeConfig

if TYPE_CHECKING:
    from extractors.taught import TaughtRule
    from skizzen.intake.store import BlobStore

log = logging.getLogger(__name__)

_NO_TEXT_IMAGE = (
    "Die Datei ist ein Bild ({kind}) ohne auslesbaren Text. Bitte den Antragsteller um die "
    "Skizze als PDF mit Textebene bitten oder die Angaben manuell erfassen."
)


def converted_note(how: str) -> str:
    """German note on how the sketch's PDF was made (``converted_from`` of its attachment)."""
    from skizzen.documents.convert import FORMAT_LABELS

    if how == "decrypted":
        return "Mit dem Passwort entschlüsselt, das Mitarbeitende eingegeben haben."
    if how.startswith("ocr:"):
        source = "gescannten PDF" if how == "ocr:pdf" else f"Bild ({how[4:]})"
        return (
            f"Text per Texterkennung (OCR) aus dem {source} gelesen; erkannte Werte bitte prüfen."
        )
    return f"Aus {FORMAT_LABELS[how]} in PDF umgewandelt."


def _triage_limits(config: RuntimeConfig) -> Any:
    from skizzen.intake.triage import TriageLimits

    return TriageLimits.from_config(config)


def _parse_limits(config: RuntimeConfig) -> Any:
    from skizzen.documents.parsing import ParseLimits

    return ParseLimits.from_config(config)


@dataclass
class Verdict:
    """What judging a file found: an ``outcome`` that ends it (None: readable, the caller
    decides by ``kind``), the German ``reason`` and the ``detail`` stored with it."""

    outcome: str | None
    reason: str
    detail: dict[str, Any]
    kind: str | None = None
    kind_confidence: float | None = None
    analysis: dict[str, Any] | None = None  # what ``analysis.analyse`` returned
    sha256: str | None = None  # the PDF judged, when not the attachment itself (converted)


def load_payload(
    config: RuntimeConfig, *, sha256: str, data: bytes | None = None, fresh: bool = False
) -> tuple[bytes | None, Verdict]:
    """The stored parse (bytes, as cached), or parse the file now in a limited child and
    cache it; ``fresh``: parse again even if the cache has it (it was found broken).

    ``data``: the PDF's bytes when the caller has already read them from the blob store.
    """
    from skizzen.documents.parsing import PARSER_VERSION, ParseCache, parse_pdf
    from skizzen.intake.store import BlobStore

    cache = ParseCache(config.parse_cache_dir)
    payload = None if fresh else cache.get_payload(sha256, PARSER_VERSION)
    if payload is not None:
        return payload, Verdict(None, "", {"parse_cache": "hit"})
    if data is None:
        data = BlobStore(config.blob_dir).get(sha256)
    parsed = parse_pdf(data, limits=_parse_limits(config), workers=config.parse_workers)
    if parsed.payload is None:
        return None, Verdict(parsed.outcome or "corrupt", parsed.reason, {"stage": "parse"})
    cache.put_payload(sha256, PARSER_VERSION, parsed.payload)
    return parsed.payload, Verdict(None, "", {"parse_cache": "miss"})


def taught_rules(config: RuntimeConfig) -> tuple[TaughtRule, ...]:
    """The rules staff corrections taught that are in use, read once per batch."""
    from models import teach

    with session_scope(config.database_url) as session:
        return teach.active_rules(session)


def analysed(
    config: RuntimeConfig,
    *,
    sha256: str,
    classify: bool,
    data: bytes | None = None,
    rules: Sequence[TaughtRule] | None = None,
) -> tuple[dict[str, Any] | None, Verdict]:
    """The file's parse (cached or made now), analysed in a worker (``analysis.analyse``)
    with the taught ``rules`` (None: read them now); None and the reason when the file
    cannot be parsed. A cached parse found broken is parsed again."""
    from skizzen.documents.parsing import PARSER_VERSION
    from skizzen.steps.analysis import (
        AnalysisMemo,
        ModelSpec,
        analyse_in_pool,
        analysis_fingerprint,
    )

    rules = taught_rules(config) if rules is None else rules
    spec = ModelSpec(config.field_model, config.theme_model_dir)
    memo = AnalysisMemo(config.analysis_cache_dir, analysis_fingerprint(spec))
    kept = memo.get(sha256, classify=classify, rules=rules) if config.reuse_analysis else None
    if kept is not None:
        return kept, Verdict(None, "", {"parse_cache": "hit"}, analysis=kept)
    for fresh in (False, True):
        payload, verdict = load_payload(config, sha256=sha256, data=data, fresh=fresh)
        if payload is None:
            return None, verdict
        result = analyse_in_pool(
            payload,
            sha256=sha256,
            parser_version=PARSER_VERSION,
            classify=classify,
            spec=spec,
            workers=config.parse_workers,
            timeout_s=config.extract_timeout_s,
            rules=rules,
        )
        if not result.get("stale"):
            memo.put(sha256, classify=classify, result=result)
            verdict.analysis = result
            return result, verdict
        log.warning("cached parse of %s is broken: parsing it again", sha256[:12])
    raise RuntimeError(f"a fresh parse of {sha256[:12]} does not match its file")


@dataclass(frozen=True)
class _Pdf:
    """The PDF to judge: the attachment's own bytes, the copy staff decrypted, or one made
    from it; a PDF made is in the blob store by its own sha256, so reruns read it like any
    other."""

    data: bytes
    sha256: str
    content_type: str
    made: str | None = None  # "decrypted", the format converted from, or "ocr:<kind>"
    unlocked: dict[str, Any] = field(default_factory=dict)  # who gave the password

    @property
    def notes(self) -> dict[str, Any]:
        """What the verdict's detail says of this PDF (nothing: the attachment itself)."""
        made = {"converted_from": self.made, "pdf_sha256": self.sha256} if self.made else {}
        return made | self.unlocked


def _pdf_to_judge(config: RuntimeConfig, att: Attachment, store: BlobStore) -> _Pdf | Verdict:
    """The attachment as the PDF to judge, converted if it is an office document; the
    verdict instead when the conversion fails."""
    from skizzen.documents.convert import (
        FORMAT_LABELS,
        ConvertLimits,
        DerivedPdfs,
        converted_pdf,
        convertible,
    )

    unlocked = (att.detail or {}).get("decrypted_sha256")  # staff gave its password
    pdf = _Pdf(
        store.get(unlocked or att.sha256),
        unlocked or att.sha256,
        att.content_type,
        made="decrypted" if unlocked else None,
        unlocked={"unlocked_by": att.detail.get("unlocked_by")} if unlocked else {},
    )
    if (fmt := convertible(pdf.data, att.filename)) is None:
        return pdf
    done = converted_pdf(
        pdf.data,
        fmt,
        sha256=att.sha256,
        cache=DerivedPdfs(config.converted_dir),
        limits=ConvertLimits.from_config(config),
    )
    if done.pdf is None:
        return Verdict(
            "unsupported_format",
            f"{done.reason} Bitte den Antragsteller um die Skizze als PDF bitten.",
            {"format": FORMAT_LABELS[fmt]},
        )
    return replace(
        pdf, data=done.pdf, sha256=store.put(done.pdf), content_type="application/pdf", made=fmt
    )


def _analysed_pdf(
    config: RuntimeConfig,
    att: Attachment,
    store: BlobStore,
    pdf: _Pdf,
    scan: str | None,
    rules: Sequence[TaughtRule] | None,
) -> tuple[dict[str, Any] | None, Verdict, _Pdf]:
    """The analysis of the PDF and the PDF analysed: a scan (an image ``scan``, or a PDF
    whose parse found no text layer) is read by OCR first, and the PDF made from it is
    analysed instead; None and the verdict when neither gives text."""
    from skizzen.documents.convert import DerivedPdfs
    from skizzen.documents.ocr import OcrLimits, ocred_pdf

    result, verdict = (
        (None, Verdict("no_text_layer", "", {}))
        if scan
        else analysed(config, sha256=pdf.sha256, classify=True, data=pdf.data, rules=rules)
    )
    if result is not None or verdict.outcome != "no_text_layer":
        return result, verdict, pdf
    done = ocred_pdf(
        pdf.data,
        sha256=att.sha256,
        cache=DerivedPdfs(config.ocr_dir),
        limits=OcrLimits.from_config(config),
    )
    if done.pdf is None:
        reason = verdict.reason or _NO_TEXT_IMAGE.format(kind=scan)
        return (
            None,
            Verdict("no_text_layer", f"{reason} {done.reason}".strip(), verdict.detail),
            pdf,
        )
    pdf = replace(pdf, data=done.pdf, sha256=store.put(done.pdf), made=f"ocr:{scan or 'pdf'}")
    result, verdict = analysed(config, sha256=pdf.sha256, classify=True, data=pdf.data, rules=rules)
    if result is None and verdict.outcome == "no_text_layer":
        verdict.reason = f"{verdict.reason} Auch die Texterkennung fand keinen verwertbaren Text."
    return result, verdict, pdf


def judge_attachment(
    config: RuntimeConfig, att: Attachment, rules: Sequence[TaughtRule] | None = None
) -> Verdict:
    """Triage, parse, classify (and extract, if a sketch, with the taught ``rules``) one
    attachment, its blob read once; never raises."""
    from skizzen.documents.ocr import image_kind
    from skizzen.intake.store import BlobStore
    from skizzen.intake.triage import too_large, triage

    try:
        store = BlobStore(config.blob_dir)
        limits = _triage_limits(config)
        if att.size > limits.max_bytes and not store.has(att.sha256):  # kept in the raw mail
            tri = too_large(
                filename=att.filename, content_type=att.content_type, size=att.size, limits=limits
            )
            return Verdict(tri.outcome, tri.reason, dict(tri.detail))
        pdf = _pdf_to_judge(config, att, store)
        if isinstance(pdf, Verdict):
            return pdf
        scan = image_kind(pdf.data)
        if not scan:
            tri = triage(
                pdf.data, filename=att.filename, content_type=pdf.content_type, limits=limits
            )
            if tri.outcome is not None:
                return Verdict(tri.outcome, tri.reason, dict(tri.detail))
        result, verdict, pdf = _analysed_pdf(config, att, store, pdf, scan, rules)
        if result is None:
            return verdict
        if pdf.made is not None:
            verdict.sha256 = pdf.sha256
        verdict.detail |= pdf.notes
        verdict.kind = result["kind"]
        verdict.kind_confidence = result["kind_confidence"]
        verdict.reason = result["kind_reason"]
        verdict.detail["doc_kind"] = result["kind"]
        return verdict
    except Exception as exc:  # the batch goes on; staff see why
        log.exception("attachment %s failed", att.id)
        return Verdict(
            "corrupt",
            f"Die Datei konnte nicht verarbeitet werden ({type(exc).__name__}). "
            "Bitte die Datei öffnen und ggf. eine neue Fassung anfordern.",
            {"error": repr(exc)[:500]},
        )
