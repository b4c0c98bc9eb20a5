"""The features that compare a field's candidates with each other and with the other
fields' (agreement, a value claimed by another label, validity, position, shape), then one
candidate per value and place: what the scorer weighs."""

from __future__ import annotations

import bisect
import math
import re
from collections import defaultdict

from extractors.candidates.cand import KIND, NONE, Cand, Collected
from extractors.candidates.parse import ACRONYM_LIKE, TITLE_HEAD
from extractors.registry import FIELD_NAMES
from extractors.values import BODY_RE, VALIDATORS, dates_in, org_like

__all__ = ["finalise"]

_LABEL_LEAD = re.compile(r"[A-ZÄÖÜ][\w /()-]{2,40}:\s")
_NOUN_WORD = re.compile(r"(?:ungen|keit|heit|schaft|tion|tät|kosten|mittel|\w{6}ung)$")


def finalise(col: Collected) -> dict[str, list[Cand]]:
    """Add agreement, validity and position features; drop duplicates; add "not found"."""
    out: dict[str, list[Cand]] = {}
    model = col.model
    n_pages = max(1, len(model.pages))
    # the label strength with which a value is claimed by each field: "Geplanter Beginn
    # 01.07.2021" is read as a date by the prose scan too, but it is the start's, not the
    # sketch's date
    claims: dict[tuple[int, str], dict[str, float]] = defaultdict(
        dict
    )  # (frag, value) → field → lab
    # … and the fragments that are some field's labelled value: "11.212 (Stand: 31.12.2019)"
    # is the population's, so its date is not the sketch's date either
    held: dict[int, dict[str, float]] = defaultdict(dict)  # frag → field → label strength
    for fname, cands in col.by_field.items():
        for c in cands:
            if c.label is not None and c.value is not NONE and c.source != "row":
                if c.source.startswith("inline") and not re.match(
                    r"\s*(?:[\d€(]|EUR\b|ca\.|rund\b)", c.snippet[len(c.label.text) + 2 :]
                ):
                    continue  # "Finanzierung: Fördermittel 585.000 €, …": another label's value
                if (
                    c.frags
                    and _LABEL_LEAD.match(c.frags[0].text)
                    and c.frags[0] is not c.label.frag
                ):
                    continue  # the line below a label is a "label: value" line of its own
                lab = c.feats.get("lab", 0.0)
                for fr in c.frags:
                    if fr is c.label.frag or len(fr.words) > 8:
                        continue  # a sentence under a label is not that label's cell
                    by = claims[id(fr), c.key]
                    by[fname] = max(by.get(fname, 0.0), lab)
                    if (
                        c.source in ("right", "below", "form") and lab >= 0.7
                    ):  # one cell, a clear label
                        hb = held[id(fr)]
                        hb[fname] = max(hb.get(fname, 0.0), lab)
    for fname in FIELD_NAMES:
        cands = col.by_field.get(fname, [])
        check = VALIDATORS.get(fname)
        keys: dict[str, set[tuple[int, str]]] = defaultdict(set)
        for c in cands:
            if c.value is NONE:
                continue
            where = (c.page or 0, c.frags[0].text[:40] if c.frags else c.snippet[:40])
            keys[c.key].add(where)
        for c in cands:
            f = c.feats
            f[f"src_{c.source}"] = 1.0
            if c.value is NONE:
                f["explicit_none"] = 1.0
                continue
            f["agree"] = math.log1p(len(keys[c.key]) - 1)
            if c.label is None and c.frags:
                kind = KIND[fname]
                claimed = other_value = 0.0
                for fr in c.frags:
                    for other, lab in claims.get((id(fr), c.key), {}).items():
                        if other != fname and KIND[other] == kind:
                            claimed = max(claimed, lab)
                    for other, lab in held.get(id(fr), {}).items():
                        if other != fname:
                            other_value = max(other_value, lab)
                f["claimed"] = claimed
                f["in_other_value"] = other_value
            if check is not None:
                f["valid"] = float(bool(check(c.value)))
            page = c.page or 1
            f["page1"] = float(page == 1)
            f["page_pos"] = (page - 1) / n_pages
            if c.frags:
                blk = c.frags[0].block
                f["running"] = float(blk.role == "running")
                f["edge"] = float(blk.role in ("header", "footer"))
                f["boxed"] = float(blk.boxed)
            if KIND[fname] == "amount" and isinstance(c.value, int | float) and c.value > 0:
                f["amt_log"] = (math.log10(c.value) - 5.0) / 2.0
                f["amt_round"] = float(c.value % 1000 == 0)
            if KIND[fname] == "person" and isinstance(c.value, str):
                # "Fremdleistungen Softwareentwicklung": nouns of a budget line, not a name
                f["noun_like"] = float(any(_NOUN_WORD.search(w) for w in c.value.split()))
            if fname == "email" and isinstance(c.value, str):
                f["tld"] = float(
                    bool(re.search(r"\.[A-Za-z]{2,6}$", c.value))
                )  # not cut in the domain
            if fname == "einwohnerzahl" and isinstance(c.value, int):
                f["pop_year"] = float(1900 <= c.value <= 2035)
            if KIND[fname] == "date" and isinstance(c.value, str) and "day" not in f:
                lits = [d for d in dates_in(c.snippet) if d[0] == c.value]
                f["day"] = float(bool(lits) and lits[0][1])
            if KIND[fname] == "acronym" and isinstance(c.value, str):
                f["acr_words"] = float(len(c.value.split()) > 1)
                f["acr_shape"] = float(bool(ACRONYM_LIKE.fullmatch(c.value)))
            if KIND[fname] == "text" and isinstance(c.value, str):
                v = c.value
                f["len_words"] = min(len(v.split()), 30) / 10.0
                f["generic"] = float(bool(_GENERIC_TITLE.search(v)))
                f["sentence"] = float(bool(_SENTENCE_LIKE.search(v)) or v.endswith((".", "-", ",")))
                f["acr_like"] = float(bool(ACRONYM_LIKE.fullmatch(v)))
                f["title_shape"] = float(bool(re.search(r"\s[–—-]\s|:\s", v)))
                f["is_body"] = max(f.get("is_body", 0.0), float(bool(BODY_RE.fullmatch(v))))
                f["leaders"] = float("...." in v or ". . ." in v)
            if KIND[fname] == "partners" and isinstance(c.value, list):
                f["n_items"] = min(len(c.value), 8) / 4.0
                f["org_share"] = sum(org_like(n) for n in c.value) / max(1, len(c.value))
                f["long_item"] = float(any(len(n.split()) > 8 for n in c.value))
        if KIND[fname] in ("partners", "topics"):
            _list_extension(cands)
        if KIND[fname] == "text":
            _text_extension(cands)
            for c in cands:
                m = (
                    re.search(rf"\((?P<a>{ACRONYM_LIKE.pattern})\)\s*$", c.value)
                    if isinstance(c.value, str)
                    else None
                )
                if m and c.source != "layout":
                    extra = Cand(
                        "akronym",
                        m.group("a"),
                        "title_paren",
                        c.frags,
                        None,
                        0.0,
                        {"from_title": 1.0},
                        c.snippet,
                    )
                    col.by_field.setdefault("akronym", []).append(extra)
                m = TITLE_HEAD.match(c.value) if isinstance(c.value, str) else None
                if m and c.source != "layout":  # „KuLa: Kultur auf dem Land – …“ in a sentence
                    extra = Cand(
                        "akronym",
                        m.group("a"),
                        "title_head",
                        c.frags,
                        None,
                        0.0,
                        {"from_title": 1.0},
                        c.snippet,
                    )
                    col.by_field.setdefault("akronym", []).append(extra)
        if fname == "themenfelder":
            boxes = any(c.source == "boxes" for c in cands)
            for c in cands:
                if isinstance(c.value, list):
                    c.feats["n_topics"] = len(c.value) / 7
                    c.feats["all_topics"] = float(len(c.value) >= 6)
                if c.source != "boxes":
                    c.feats["boxes_elsewhere"] = float(boxes)
        out[fname] = _dedupe(cands)
    return out


_GENERIC_TITLE = re.compile(
    r"^(?:Heimat 2\.0|Projektskizze|Skizze|Förderaufruf|Formblatt|Modellvorhaben|Bewerbungsskizze"
    r"|Projektsteckbrief|Steckbrief|Kurzbeschreibung|Inhaltsverzeichnis|Anlage|Deckblatt)\b"
    r"|Förderaufruf|Förderinitiative|Heimat 2\.0\W*$|^Seite\b|im Rahmen des",
    re.IGNORECASE,
)
_SENTENCE_LIKE = re.compile(
    r"\b(?:wird|werden|wurde|sollen|soll|ist|sind|haben|hat|können|kann|legen|wollen|suchen"
    r"|erhalten|bleiben|ermöglichen|zeigen|nutzen|finden|gibt|fehlt|fehlen)\b"
)


def _text_extension(cands: list[Cand]) -> None:
    """A title cut short at a line end: another reading of the same place goes on."""
    texts = sorted((c.value, i) for i, c in enumerate(cands) if isinstance(c.value, str))
    keys = [t for t, _i in texts]
    for c in cands:
        if not isinstance(c.value, str):
            continue
        cut = False
        # the readings that start with this one sit right after it in sorted order
        for k in range(bisect.bisect_left(keys, c.value), len(keys)):
            value, i = texts[k]
            if not value.startswith(c.value):
                break
            o = cands[i]
            if (
                o is not c
                and len(value) > len(c.value) + 2
                and (o.label is c.label or o.source == c.source)
            ):
                cut = True
                break
        c.feats["text_cut"] = float(cut)


def _list_extension(cands: list[Cand]) -> None:
    """A list read from the same label that another reading extends (a wrapped or
    continued list cut short) is weaker; the longest reading of a label is stronger."""
    by_label: dict[int, list[Cand]] = defaultdict(list)
    for c in cands:
        if isinstance(c.value, list):
            by_label[id(c.label) if c.label is not None else id(c)].append(c)
    for group in by_label.values():
        longest = max(len(c.value) for c in group)
        for c in group:
            c.feats["list_longest"] = float(len(c.value) == longest and longest > 1)
            mine = " ".join(c.value).rstrip(" .-")
            c.feats["list_cut"] = float(
                any(
                    len(" ".join(o.value)) > len(mine) + 2 and " ".join(o.value).startswith(mine)
                    for o in group
                    if o is not c
                )
            )


def _dedupe(cands: list[Cand]) -> list[Cand]:
    """One candidate per (value, source, place): the one with the strongest label, with the
    evidence of both (a date read alone and as the start of a range keeps "range")."""
    best: dict[tuple[str, str, int, float, float], Cand] = {}
    for c in cands:
        f0 = c.frags[0] if c.frags else None
        k = (
            c.key,
            c.source,
            c.page or 0,
            round(f0.top, 0) if f0 else 0.0,
            round(f0.x0, 0) if f0 else 0.0,
        )
        old = best.get(k)
        if old is None or c.source != "prose":
            if old is None or c.label_score > old.label_score:
                best[k] = c
            continue
        keep, other = (c, old) if c.label_score > old.label_score else (old, c)
        for name, v in other.feats.items():
            if v > keep.feats.get(name, 0.0):
                keep.feats[name] = v
        best[k] = keep
    return list(best.values())
