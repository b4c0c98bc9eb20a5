"""Domain steps of the pipeline. Prefect tasks are thin adapters around these functions.

Each step is idempotent on a natural key and commits its own work, so a run that is killed
half-way is completed by the next one: intake stores raw bytes and rows before any parsing;
an attachment without outcome, a sketch without extraction or without check is picked up
again. A bad input never raises out of a step: it becomes an outcome with a German reason.
What one attachment is, is judged in :mod:`skizzen.steps.judge`; which sketch supersedes
which, in :mod:`skizzen.steps.versions`.
"""

from __future__ import annotations

import logging
import threading
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from sqlmodel import Session

from extractors.types import FIELD_NAMES
from models import repo, review
from models.db import as_utc, session_scope
from models.tables import Attachment, Message
from skizzen.settings import RuntimeConfig
from skizzen.steps.judge import Verdict, analysed, converted_note, judge_attachment, taught_rules
from skizzen.steps.scope import RerunScope

if TYPE_CHECKING:
    from extractors.taught import TaughtRule

log = logging.getLogger(__name__)

# --- work a killed run left ---------------------------------------------------------------


@dataclass
class Leftover:
    """Work a killed earlier run left behind: asked for once, when a run starts."""

    messages: list[int] = field(default_factory=list)
    extract: list[int] = field(default_factory=list)
    check: list[int] = field(default_factory=list)


def leftover_work(config: RuntimeConfig) -> Leftover:
    """Messages with attachments still without outcome, sketches never extracted, and
    sketches extracted but not checked since: what a killed run did not finish."""
    with session_scope(config.database_url) as session:
        return Leftover(
            messages=repo.pending_message_pks(session),
            extract=repo.unextracted_sketch_ids(session),
            check=repo.unchecked_sketch_ids(session),
        )


def receive_messages(
    config: RuntimeConfig, *, message_pks: Sequence[int], run_id: int | None
) -> dict[str, Any]:
    """Outcomes for the pending attachments of these messages, then the extraction of every
    sketch they brought that was never extracted, from the document parsed a moment ago
    (each PDF is read, parsed and cached once per run, never read back from the cache).

    Returns the outcome counts, the extraction counts and the extracted sketch ids (for
    the checks), in the shape of ``extract_sketches``.
    """
    outcomes: Counter[str] = Counter()
    extract: Counter[str] = Counter()
    analysed_sketches: list[tuple[int, dict[str, Any]]] = []
    rules = taught_rules(config)
    with _Claims(config, run_id) as claims:
        for message_pk in claims.ids("message", message_pks):
            new = _record_outcomes(config, message_pk, outcomes, claims, rules)
            analysed_sketches += new.items()
        extracted = _store_extractions(config, analysed_sketches, run_id, extract)
    return {"outcomes": dict(outcomes), "extract": dict(extract), "extracted_ids": extracted}


class _Claims:
    """One batch's claims on its work (messages, sketches), ended when the batch ends.

    In the database they keep other runs off (two runs started together share the work);
    in memory they keep off the other batch threads of the same run, which share its owner.
    """

    _in_hand: ClassVar[set[str]] = set()
    _lock: ClassVar[threading.Lock] = threading.Lock()

    def __init__(self, config: RuntimeConfig, run_id: int | None) -> None:
        self.config = config
        self.owner = repo.lease_owner(run_id)
        self.held: list[str] = []

    def __enter__(self) -> _Claims:
        return self

    def __exit__(self, *exc: object) -> None:
        with self._lock:
            self._in_hand.difference_update(self.held)
        try:
            with session_scope(self.config.database_url) as session:
                repo.release(session, keys=self.held, owner=self.owner)
        except Exception:  # e.g. the database is down: the claims expire, a retry renews them
            log.warning("could not release %d claim(s)", len(self.held), exc_info=True)
        self.held = []

    def take(self, session: Session, keys: Sequence[str]) -> list[str]:
        """Claim what no one else holds (commits ``session``); the keys claimed."""
        with self._lock:
            free = [k for k in keys if k not in self._in_hand]
            self._in_hand.update(free)
        got: list[str] = []
        try:
            got = repo.claim(
                session, keys=free, owner=self.owner, seconds=self.config.lease_seconds
            )
        finally:
            with self._lock:
                self._in_hand.difference_update(set(free) - set(got))
        self.held += got
        if len(got) < len(keys):
            log.info(
                "%d of %d item(s) are being done by another run", len(keys) - len(got), len(keys)
            )
        return got

    def ids(self, kind: str, ids: Sequence[int]) -> list[int]:
        """The ids of ``kind`` this batch may work on, claimed in one transaction."""
        keys = {f"{kind}:{i}": i for i in ids}
        with session_scope(self.config.database_url) as session:
            return [keys[k] for k in self.take(session, list(keys))]


def _record_outcomes(
    config: RuntimeConfig,
    message_pk: int,
    counts: Counter[str],
    claims: _Claims,
    rules: Sequence[TaughtRule] | None = None,
) -> dict[int, dict[str, Any]]:
    """Give every pending attachment of one message its outcome; create sketch rows.

    The outcome of a PDF depends on its siblings: beside a sketch, any other PDF of the same
    mail is a supporting document linked to that sketch. Returns the parsed documents of the
    sketches not yet extracted, by sketch id, each claimed (a sketch that a concurrent run
    got in another mail is left to that run).
    """
    # Judge (parse, classify) outside the write transaction: on SQLite a transaction holds
    # the file's write lock, and concurrent runs must not wait for PDF parsing.
    with session_scope(config.database_url) as session:
        todo = [a for a in repo.attachments_of(session, message_pk=message_pk) if not a.outcome]
    if not todo:
        return {}
    verdicts = {a.id: judge_attachment(config, a, rules) for a in todo}
    to_extract: dict[int, dict[str, Any]] = {}
    with session_scope(config.database_url) as session:
        message = session.get_one(Message, message_pk)
        atts = repo.attachments_of(session, message_pk=message_pk)
        # a concurrent run may have finished some meanwhile: only what is still pending
        pending = [a for a in atts if a.outcome is None and a.id in verdicts]
        if not pending:
            return {}
        received = as_utc(message.sent_at) or as_utc(message.received_at)
        sketch_ids: dict[int, int] = {}
        for a in pending:
            v = verdicts[a.id]
            if v.outcome is None and v.kind == "sketch":
                sketch = repo.get_or_create_sketch(
                    session,
                    sha256=v.sha256 or a.sha256,
                    call_id=config.call_id,
                    received_at=received,
                )
                if sketch.doc_kind_confidence is None:
                    sketch.doc_kind_confidence = v.kind_confidence
                sketch_ids[a.id] = sketch.id  # type: ignore[assignment]
                if sketch.extracted_at is None and v.analysis is not None:
                    to_extract[int(sketch.id)] = v.analysis  # type: ignore[arg-type]
        # sketches already recorded for this message (e.g. by a killed earlier run)
        known = [a.sketch_id for a in atts if a.outcome == "sketch" and a.sketch_id]
        main_sketch = next(iter(sketch_ids.values()), None) or next(iter(known), None)
        main_name = next(
            (a.filename for a in atts if a.id in sketch_ids or a.outcome == "sketch"), None
        )
        for a in pending:
            v = verdicts[a.id]
            outcome, reason, sketch_id = v.outcome, v.reason, None
            if outcome is None:
                if a.id in sketch_ids:
                    outcome, sketch_id = "sketch", sketch_ids[a.id]
                    reason = "Projektskizze erkannt und verarbeitet."
                    if fmt := v.detail.get("converted_from"):
                        reason += " " + converted_note(fmt)
                elif main_sketch is not None:
                    outcome, sketch_id = "supporting_document", main_sketch
                    reason = (
                        f"Begleitdokument zur Skizze „{main_name}“ in derselben Mail "
                        f"({v.reason}). Gespeichert und mit der Skizze verknüpft."
                    )
                elif v.kind == "support_letter":
                    outcome = "supporting_document"
                    reason = (
                        f"{v.reason} In derselben Mail ist keine Skizze; bitte der "
                        "passenden Skizze zuordnen."
                    )
                else:
                    outcome = "not_a_sketch"
                    reason = v.reason or "Kein Bezug zu einer Projektskizze erkennbar."
            repo.set_attachment_outcome(
                session,
                attachment_id=a.id,  # type: ignore[arg-type]
                outcome=outcome,
                reason=reason,
                detail=v.detail,
                sketch_id=sketch_id,
            )
            counts[outcome] += 1
        if to_extract:
            keys = {f"sketch:{i}": i for i in to_extract}
            got = claims.take(session, list(keys))
            # a run that held one a moment ago has stored it since: then it is done
            still = set(repo.unextracted_sketch_ids(session, among=[keys[k] for k in got]))
            to_extract = {keys[k]: to_extract[keys[k]] for k in got if keys[k] in still}
    return to_extract


# --- extraction -----------------------------------------------------------------------------


def extract_sketches(
    config: RuntimeConfig, *, sketch_ids: Sequence[int], run_id: int | None, resume: bool = False
) -> dict[str, Any]:
    """Fields and themes for these sketches from the parse cache, extracted in the analysis
    workers and stored in one transaction; corrections stay.

    ``resume``: only the sketches still never extracted once claimed (work a killed run left,
    which a concurrent run may have done meanwhile); a rerun re-extracts them all.
    Returns the counts (``extract``) and the ids extracted (``extracted_ids``, for the checks).
    """
    if not config.reuse_analysis:  # every sketch goes to a worker: they load their models
        from skizzen.steps.analysis import ModelSpec, warm_up  # while the claims are taken

        warm_up(ModelSpec(config.field_model, config.theme_model_dir), config.parse_workers)
    counts: Counter[str] = Counter()
    with _Claims(config, run_id) as claims:
        mine = claims.ids("sketch", sketch_ids)
        with session_scope(config.database_url) as session:
            if resume:
                still = set(repo.unextracted_sketch_ids(session, among=mine))
                mine = [i for i in mine if i in still]
            shas = repo.sketch_shas(session, sketch_ids=mine)
        results: list[tuple[int, dict[str, Any]]] = []
        rules = taught_rules(config)  # one read per batch; a rule learned meanwhile: next run
        for sketch_id in mine:
            try:
                result, verdict = analysed(
                    config, sha256=shas[sketch_id], classify=False, rules=rules
                )
            except Exception as exc:  # e.g. the blob is gone: this sketch to review, go on
                log.exception("sketch %s could not be read", sketch_id)
                result, verdict = None, Verdict("corrupt", type(exc).__name__, {})
            results.append((sketch_id, result or {"unparseable": verdict.reason}))
        extracted = _store_extractions(config, results, run_id, counts)
    return {"extract": dict(counts), "extracted_ids": extracted}


def _store_extractions(
    config: RuntimeConfig,
    results: Sequence[tuple[int, dict[str, Any]]],
    run_id: int | None,
    counts: Counter[str],
) -> list[int]:
    """Store a batch's machine values in one transaction (claims end with the batch, after
    it); a sketch that could not be read or extracted goes to review with its reason.
    Returns the ids extracted."""
    extracted: list[int] = []
    if not results:
        return extracted
    with session_scope(config.database_url) as session:
        done = {
            sid: _with_notes(result["extraction"])
            for sid, result in results
            if "extraction" in result
        }
        repo.store_extractions(session, extractions=done, run_id=run_id)
        if done:
            counts["extracted"] += len(done)
        extracted += done
        for sketch_id, result in results:
            if sketch_id in done:
                continue
            counts["unparseable" if "unparseable" in result else "failed"] += 1
            reason = result.get("unparseable") or result.get("failure") or ""
            repo.set_machine_status(
                session, sketch_id=sketch_id, status="needs_review", reasons=[reason]
            )
    return extracted


def _with_notes(extraction: dict[str, Any]) -> dict[str, Any]:
    """The extraction as stored: a field's evidence note (a taught reading: "gelernt aus
    der Korrektur #12 (Skizze 3, anna)") goes with its snippet, which staff see beside the
    value, since the field's row keeps page and snippet only."""
    fields = {}
    for name, res in extraction["fields"].items():
        ev = res.get("evidence") or {}
        if ev.get("note"):
            snippet = f"{ev.get('snippet') or ''} ({ev['note']})".strip()
            res = {**res, "evidence": {**ev, "snippet": snippet}}
        fields[name] = res
    return {**extraction, "fields": fields}


def select_scope(config: RuntimeConfig, scope: RerunScope) -> list[int]:
    """Sketch ids a rerun covers."""
    with session_scope(config.database_url) as session:
        if scope.mode == "all":
            chosen = repo.sketches_in_scope(session)
        elif scope.mode == "call":
            chosen = repo.sketches_in_scope(session, call_id=scope.call_id)
        elif scope.mode == "received":
            lo, hi = scope.date_bounds()
            chosen = repo.sketches_in_scope(session, received_from=lo, received_to=hi)
        else:
            ids = [int(s) for s in scope.sketches if s.isdigit()]
            prefixes = [s.lower() for s in scope.sketches if not s.isdigit()]
            chosen = repo.sketches_in_scope(session, sketch_ids=ids) if ids else []
            if prefixes:
                chosen += [
                    s
                    for s in repo.sketches_in_scope(session)
                    if any(s.sha256.startswith(p) for p in prefixes)
                ]
        return sorted({int(s.id) for s in chosen})  # type: ignore[arg-type]


# --- checks ---------------------------------------------------------------------------------


def check_sketches(
    config: RuntimeConfig,
    *,
    sketch_ids: Sequence[int],
    run_id: int | None,
    data_docs_dir: Path | None,
) -> dict[str, Any]:
    """Run the GX suite over the current values of these sketches; store violations/status."""
    from skizzen.steps.quality import run_checks

    if not sketch_ids:
        return {"checked": 0, "needs_review": 0, "data_docs": None}
    with session_scope(config.database_url) as session:
        values = repo.current_values(session, sketch_ids=sketch_ids)
        machine = repo.machine_fields(session, sketch_ids=sketch_ids)
        staff = repo.corrections(session, sketch_ids=sketch_ids)
        rows = [
            {"key": str(sid), **{f: values[sid].get(f) for f in FIELD_NAMES}} for sid in sketch_ids
        ]
    # the suite runs outside the write transaction (see _record_outcomes)
    report = run_checks(rows, key="key", data_docs_dir=data_docs_dir)
    threshold = review_threshold(config)
    verdicts: dict[int, repo.CheckVerdict] = {}
    for sid in sketch_ids:
        violations = [(v.code, v.message) for v in report.violations.get(str(sid), [])]
        low = [
            f"low_confidence:{name}"
            for name, (_, confidence) in machine[sid].items()
            if name not in staff[sid] and confidence < threshold
        ]
        reasons = sorted({code for code, _ in violations}) + sorted(low)
        status = "needs_review" if reasons else "ready"
        verdicts[sid] = repo.CheckVerdict(violations, status, reasons)
    needs = sum(v.status == "needs_review" for v in verdicts.values())
    with session_scope(config.database_url) as session:
        repo.record_checks(session, verdicts=verdicts, run_id=run_id)
        docs = report.data_docs_index
        return {
            "checked": len(sketch_ids),
            "needs_review": needs,
            "data_docs": str(docs) if docs else None,
            "pruefbericht": str(report.pruefbericht) if report.pruefbericht else None,
        }


def take_as_sketch(config: RuntimeConfig, *, attachment_id: int, actor: str) -> int:
    """Staff overrule the classifier: the attachment becomes a sketch, extracted and checked
    at once (from the parse the ingest cached), so it is in the queue with its findings."""
    with session_scope(config.database_url) as session:
        sid = review.take_as_sketch(
            session, attachment_id=attachment_id, call_id=config.call_id, actor=actor
        )
    done = extract_sketches(config, sketch_ids=[sid], run_id=None)
    check_sketches(config, sketch_ids=done["extracted_ids"], run_id=None, data_docs_dir=None)
    return sid


def unlock_attachment(
    config: RuntimeConfig, *, attachment_id: int, password: str, actor: str
) -> bool:
    """Staff give the password of an encrypted PDF: the decrypted copy (stored by its own
    sha256; the password is neither stored nor logged) is judged like any received PDF
    and, if a sketch, extracted and checked at once. False if the password does not open
    it (nothing changes)."""
    from skizzen.documents.unlock import decrypted_pdf
    from skizzen.intake.store import BlobStore

    store = BlobStore(config.blob_dir)
    with session_scope(config.database_url) as session:
        att = session.get_one(Attachment, attachment_id)
        if att.outcome != "encrypted":
            raise ValueError(f"attachment {attachment_id} is not encrypted")
        sha = att.sha256
    pdf = decrypted_pdf(store.get(sha), password)
    if pdf is None:
        return False
    decrypted = store.put(pdf)
    with session_scope(config.database_url) as session:
        message_pk = review.reopen_unlocked(
            session, attachment_id=attachment_id, decrypted_sha256=decrypted, actor=actor
        )
    done = receive_messages(config, message_pks=[message_pk], run_id=None)
    check_sketches(config, sketch_ids=done["extracted_ids"], run_id=None, data_docs_dir=None)
    return True


def review_threshold(config: RuntimeConfig) -> float:
    """The confidence below which a field goes to review: the setting, else the threshold
    fitted with the field model."""
    if config.confidence_threshold is not None:
        return config.confidence_threshold
    from extractors.versions import field_model_info

    return field_model_info(config.field_model)[1]


# --- summary --------------------------------------------------------------------------------


def outcome_counts(session: Session) -> dict[str, int]:
    """Counts per outcome over everything received (attachments + messages without one)."""
    return repo.outcome_counts(session)


def review_queue(session: Session) -> list[dict[str, Any]]:
    """Sketches needing review with reasons, oldest first (for artifacts and the summary):
    the review page's queue, in the summary's columns."""
    from models.queue import review_queue as queue_rows

    return [
        {
            "sketch": row.sketch_id,
            "eingang": row.received_at.date().isoformat() if row.received_at else "",
            "datei": row.filename,
            "antragsteller": row.antragsteller,
            "gruende": ", ".join(row.reasons),
        }
        for row in queue_rows(session)
    ]
