"""Version links: a later sketch that corrects an earlier one supersedes it.

A step of its own because it looks at every sketch of the database at once, not at the
batch a run brought: a link is recomputed from current values after every ingest and rerun.
"""

from __future__ import annotations

import re
import unicodedata
from difflib import SequenceMatcher
from typing import Any

from models import repo
from models.db import as_utc, session_scope
from models.tables import utcnow
from skizzen.settings import RuntimeConfig


def _norm(text: str | None) -> str:
    """Text as compared: Unicode-normalised, case-folded, punctuation as single spaces."""
    text = unicodedata.normalize("NFKC", text or "").casefold()
    return re.sub(r"[^\w]+", " ", text).strip()


def link_versions(config: RuntimeConfig) -> int:
    """A later sketch that corrects an earlier one supersedes it; both stay.

    An earlier sketch is the one corrected when (a) the later sketch's mail replies to or
    references the earlier sketch's mail (In-Reply-To/References), or (b) the same sender
    sent it about the same project, or (c) the same applicant did. Same project = same
    acronym, or titles at least 80 % alike. The link is recomputed from current values, so
    a staff correction of the applicant or title counts.
    """
    changed = 0
    with session_scope(config.database_url) as session:
        sketches = repo.sketches_in_scope(session)
        ids = [int(s.id) for s in sketches]  # type: ignore[arg-type]
        values = repo.current_values(
            session, sketch_ids=ids, fields=("antragsteller", "akronym", "projekttitel")
        )
        mails = repo.sketch_messages(session, sketch_ids=ids)
        ordered = sorted(sketches, key=lambda s: (as_utc(s.first_received_at) or utcnow(), s.id))
        # who could be the earlier version, found through an index rather than by comparing
        # every pair (an archive of 10,000 sketches has 50 million pairs)
        by_message: dict[str, set[int]] = {}
        by_sender: dict[str, set[int]] = {}
        by_applicant: dict[str, set[int]] = {}
        senders: dict[int, set[str]] = {}
        for sk in ordered:
            sid = int(sk.id)  # type: ignore[arg-type]
            senders[sid] = {_norm(m.sender) for m in mails.get(sid, []) if m.sender}
            for m in mails.get(sid, []):
                by_message.setdefault(m.message_id, set()).add(sid)
            for sender in senders[sid]:
                by_sender.setdefault(sender, set()).add(sid)
            applicant = _norm(values[sid].get("antragsteller"))
            if applicant:
                by_applicant.setdefault(applicant, set()).add(sid)
        position = {int(sk.id): n for n, sk in enumerate(ordered)}  # type: ignore[arg-type]
        call = {int(sk.id): sk.call_id for sk in ordered}  # type: ignore[arg-type]
        links: dict[int, int | None] = dict.fromkeys(ids)
        for later in ordered:
            lid = int(later.id)  # type: ignore[arg-type]
            lv = values[lid]
            thread = {
                ref for m in mails.get(lid, []) for ref in [m.in_reply_to, *m.references] if ref
            }
            replied_to = set().union(*(by_message.get(ref, set()) for ref in thread))
            same_sender = set().union(*(by_sender[s] for s in senders[lid]))
            applicant = _norm(lv.get("antragsteller"))
            same_applicant = by_applicant.get(applicant, set()) if applicant else set()
            candidates = [
                eid
                for eid in replied_to | same_sender | same_applicant
                if position[eid] < position[lid] and call[eid] == later.call_id
            ]
            for eid in sorted(candidates, key=position.__getitem__, reverse=True):
                if eid in replied_to or _same_project(lv, values[eid]):
                    links[lid] = eid
                    break
        for s in sketches:
            sid = int(s.id)  # type: ignore[arg-type]
            if s.supersedes_id != links[sid]:
                repo.set_supersedes(session, sketch_id=sid, supersedes_id=links[sid])
                changed += 1
    return changed


def _same_project(a: dict[str, Any], b: dict[str, Any]) -> bool:
    """Same acronym, or titles at least 80 % alike (a corrected title stays the project)."""
    acr_a, acr_b = _norm(a.get("akronym")), _norm(b.get("akronym"))
    if acr_a and acr_a == acr_b:
        return True
    ta, tb = _norm(a.get("projekttitel")), _norm(b.get("projekttitel"))
    return bool(ta and tb) and SequenceMatcher(None, ta, tb).ratio() >= 0.8
