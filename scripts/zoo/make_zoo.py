#!/usr/bin/env python3
"""Render the layout zoo: every registered layout, N sketches each, plus mails and truth.

    python make_zoo.py --out DIR [--per-layout N] [--seed S] [--layouts a,b] [--jobs J]

Writes DIR/pdf/Zxxx.pdf, DIR/mail/Mxxx.eml, DIR/sketches.jsonl and DIR/messages.jsonl in the
format of ../shared/corpus (README there), with the extra sketch keys ``producer``,
``labels`` and ``phenomena``. Sketch ids Z001… run across the layouts in name order; the
corrected resubmissions follow after the last regular sketch. After writing, everything is
verified (evidence in the pdfplumber text or, for form layouts, the form field values;
every .eml parsed back); the exit code is non-zero on any inconsistency.
"""

from __future__ import annotations

import argparse
import concurrent.futures as cf
import datetime as dt
import hashlib
import multiprocessing
import os
import pickle
import random
import shutil
import sys
import time
import traceback
from collections import Counter, defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from zoogen import mail as zmail
from zoogen import writer
from zoogen.facts import make_correction, make_facts
from zoogen.model import Facts, Layout, Rendered

CORRECTIONS_PER_100 = 4
_LAYOUTS: list[Layout] = []  # set before the worker pool forks


# ----------------------------------------------------------------------------- rendering


def _render_job(
    idx: int, batch: list[Facts], scratch: str
) -> tuple[list[Rendered] | None, str, float]:
    """Render one layout's batch; with ZOO_RENDER_CACHE=DIR (development only) results are
    reused for identical facts (layout code changes are NOT detected)."""
    cache = os.environ.get("ZOO_RENDER_CACHE")
    if cache:
        key = hashlib.sha256(pickle.dumps((_LAYOUTS[idx].name, batch))).hexdigest()[:24]
        cfile = Path(cache) / f"{_LAYOUTS[idx].name}-{key}.pickle"
        if cfile.exists():
            return pickle.loads(cfile.read_bytes()), "", 0.0
        res = _render_job_nocache(idx, batch, scratch)
        if res[0] is not None:
            cfile.parent.mkdir(parents=True, exist_ok=True)
            cfile.write_bytes(pickle.dumps(res[0]))
        return res
    return _render_job_nocache(idx, batch, scratch)


def _render_job_nocache(
    idx: int, batch: list[Facts], scratch: str
) -> tuple[list[Rendered] | None, str, float]:
    lay = _LAYOUTS[idx]
    t0 = time.time()
    work = Path(scratch)
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    try:
        out = lay.render(batch, work)
        if len(out) != len(batch):
            return (
                None,
                f"{lay.name}: returned {len(out)} results for {len(batch)} sketches",
                time.time() - t0,
            )
        for r in out:
            if not isinstance(r, Rendered) or not isinstance(r.pdf, (bytes, bytearray)):
                return (
                    None,
                    f"{lay.name}: render did not return Rendered objects with pdf bytes",
                    time.time() - t0,
                )
        return out, "", time.time() - t0
    except Exception:
        return None, f"{lay.name}: render failed:\n{traceback.format_exc()}", time.time() - t0
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _check_job(idx: int, row: dict, data: bytes, f: Facts, r: Rendered) -> list[str]:
    try:
        return writer.check_sketch(row, data, _LAYOUTS[idx], f, r)
    except Exception as e:
        return [f"{row['sketch_id']} ({row['layout']}): check failed: {e!r}"]


def _pool(jobs: int):
    if jobs <= 1:
        return None
    return cf.ProcessPoolExecutor(max_workers=jobs, mp_context=multiprocessing.get_context("fork"))


# ----------------------------------------------------------------------------- mails


def _client_for(domain: str) -> str:
    rng = random.Random(f"client:{domain}")
    return rng.choices(zmail.CLIENTS, weights=zmail.CLIENT_WEIGHTS)[0]


def _colleague(f: Facts, rng: random.Random) -> tuple[str, str]:
    from zoogen.facts import _FEMALE, _LAST, _MALE, _slug  # the same name pools

    female = rng.random() < 0.5
    first = rng.choice(_FEMALE if female else _MALE)
    last = rng.choice(_LAST)
    addr = f"{_slug(first)}.{_slug(last)}@{f.mail_domain}"
    return addr, f"{first} {last}"


def _content_type(rng: random.Random) -> str:
    return "application/octet-stream" if rng.random() < 0.1 else "application/pdf"


def build_messages(
    items: list[dict], seed: int
) -> tuple[list[zmail.Message], dict[str, list[str]]]:
    """``items``: one per sketch {facts, pdf, original (id or None), mode}. Returns messages
    (rendered, in date order) and per sketch id the delivery notes."""
    rng = random.Random(f"mails:{seed}")
    notes: dict[str, list[str]] = defaultdict(list)
    msgs: list[zmail.Message] = []
    first_msg: dict[str, zmail.Message] = {}
    regular = [it for it in items if it["original"] is None]
    originals = {it["original"] for it in items if it["original"]}
    pool = [it for it in regular if it["facts"].sketch_id not in originals]
    special = rng.sample(pool, 2) if len(pool) >= 4 else []
    dup_id = special[0]["facts"].sketch_id if special else None
    noatt_id = special[1]["facts"].sketch_id if special else None

    def new_msg(
        f: Facts,
        *,
        key: str,
        sender: str,
        when: dt.datetime,
        subject: str,
        body: str,
        atts: list[zmail.Attachment],
        name: str | None = None,
        **kw,
    ) -> zmail.Message:
        m = zmail.Message(
            key=key,
            sender=sender,
            sender_name=name if name is not None else zmail.sender_name(f, sender),
            date=zmail.aware(when),
            subject=subject,
            body=body,
            client=_client_for(f.mail_domain),
            attachments=atts,
            **kw,
        )
        zmail.render(m)
        msgs.append(m)
        return m

    for it in regular:
        f: Facts = it["facts"]
        r = random.Random(f"mail-regular:{seed}:{f.sketch_id}")
        sender = f.sender_email
        name = zmail.sender_name(f, sender)
        fname = zmail.filename_for(f, r)
        att = zmail.Attachment(fname, it["pdf"], _content_type(r), "sketch", f.sketch_id)
        subject = zmail.subject_for(f, r)
        when = f.submit_at
        if f.sketch_id == noatt_id:
            body0 = zmail.body_for(f, sender, name, r)
            m0 = new_msg(
                f,
                key=f"{f.sketch_id}-noatt",
                sender=sender,
                when=when,
                subject=subject,
                body=body0,
                atts=[],
                notes=f"forgot the attachment of {f.sketch_id}; sent again minutes later",
            )
            when = when + dt.timedelta(minutes=r.randint(4, 18), seconds=r.randint(0, 59))
            body = (
                (
                    "Entschuldigung, im Anhang fehlte die Datei. "
                    "Hier nun mit der Projektskizze.\n\n" + zmail.body_for(f, sender, name, r)
                )
                if r.random() < 0.5
                else zmail.body_for(
                    f,
                    sender,
                    name,
                    r,
                    main="leider ist der Anhang in meiner vorigen Nachricht verloren "
                    "gegangen – anbei nun die Projektskizze „{title}“.",
                )
            )
            subj = r.choice((f"AW: {subject}", f"{subject} (mit Anhang)", f"Nachtrag: {subject}"))
            m = new_msg(
                f,
                key=f"{f.sketch_id}-withatt",
                sender=sender,
                when=when,
                subject=subj,
                body=body,
                atts=[att],
                in_reply_to=m0.message_id if subj.startswith("AW:") else None,
                references=[m0.message_id] if subj.startswith("AW:") else [],
                notes=f"the attachment forgotten in {m0.message_id}",
            )
            notes[f.sketch_id].append("first mail without attachment, then sent again")
        else:
            m = new_msg(
                f,
                key=f.sketch_id,
                sender=sender,
                when=when,
                subject=subject,
                body=zmail.body_for(f, sender, name, r),
                atts=[att],
            )
        first_msg[f.sketch_id] = m
        if f.sketch_id == dup_id:
            later = when + dt.timedelta(days=1, hours=r.randint(0, 5), minutes=r.randint(0, 59))
            att2 = zmail.Attachment(fname, it["pdf"], att.content_type, "sketch", f.sketch_id)
            if r.random() < 0.5:
                body = zmail.body_for(
                    f,
                    sender,
                    name,
                    r,
                    main="da ich unsicher bin, ob meine gestrige Nachricht "
                    "angekommen ist, sende ich Ihnen unsere Projektskizze "
                    "„{title}“ vorsichtshalber noch einmal.",
                )
                new_msg(
                    f,
                    key=f"{f.sketch_id}-dup",
                    sender=sender,
                    when=later,
                    subject=subject,
                    body=body,
                    atts=[att2],
                    notes=f"same sketch {f.sketch_id} sent twice (same sender, next day)",
                )
                notes[f.sketch_id].append("sent twice with identical bytes (same sender)")
            else:
                fwd, fwd_name = _colleague(f, r)
                body = (
                    "zur Sicherheit leite ich Ihnen die Skizze unserer Verwaltung "
                    "noch einmal weiter.\n\n"
                    f"Mit freundlichen Grüßen\n{fwd_name}\n\n"
                    "-------- Weitergeleitete Nachricht --------\n"
                    + zmail.quote_reply(m).replace("> ", "").replace(">\n", "\n")
                )
                body = "Sehr geehrte Damen und Herren,\n\n" + body
                new_msg(
                    f,
                    key=f"{f.sketch_id}-fwd",
                    sender=fwd,
                    when=later,
                    subject=f"WG: {subject}",
                    body=body,
                    atts=[att2],
                    name=fwd_name,
                    notes=f"same sketch {f.sketch_id} forwarded again by a colleague",
                )
                notes[f.sketch_id].append(
                    "sent twice with identical bytes (forwarded by a colleague)"
                )

    modes = ("reply", "new", "colleague")
    for k, it in enumerate(
        sorted((it for it in items if it["original"]), key=lambda x: x["facts"].sketch_id)
    ):
        f: Facts = it["facts"]
        r = random.Random(f"mail-corr:{seed}:{f.sketch_id}")
        orig = first_msg[it["original"]]
        mode = modes[k % 3]
        fname = zmail.filename_for(f, r, corrected=True)
        att = zmail.Attachment(fname, it["pdf"], _content_type(r), "sketch", f.sketch_id)
        when = max(f.submit_at, (orig.date + dt.timedelta(days=1)).replace(tzinfo=None))
        what = {
            "funding": "die Finanzierungsübersicht (Förder- und Eigenanteil) korrigiert",
            "partner": "einen weiteren Kooperationspartner ergänzt",
            "title": "den Projekttitel leicht angepasst",
            "acronym": "ein Kurzakronym für das Vorhaben ergänzt",
        }[it["kind"]]
        main = (
            "anbei erhalten Sie eine korrigierte Fassung unserer Projektskizze „{title}“. "
            f"Wir haben {what}. Bitte betrachten Sie die am {orig.date:%d.%m.%Y} "
            "eingereichte Fassung als gegenstandslos."
        )
        if mode == "reply":
            sender = orig.sender
            prefix = "AW: " if orig.client in ("outlook", "groupwise", "notes") else "Re: "
            body = (
                zmail.body_for(f, sender, orig.sender_name, r, main=main)
                + "\n"
                + zmail.quote_reply(orig)
                + "\n"
            )
            new_msg(
                f,
                key=f"{f.sketch_id}-corr",
                sender=sender,
                when=when,
                subject=prefix + orig.subject,
                body=body,
                atts=[att],
                name=orig.sender_name,
                in_reply_to=orig.message_id,
                references=[orig.message_id],
                notes=f"corrected version of {it['original']} as a reply",
            )
        elif mode == "new":
            sender = orig.sender
            subj = r.choice(
                (
                    f"{orig.subject} – korrigierte Fassung",
                    f"Korrektur: {orig.subject}",
                    f"{orig.subject} (aktualisiert)",
                )
            )
            new_msg(
                f,
                key=f"{f.sketch_id}-corr",
                sender=sender,
                when=when,
                subject=subj,
                body=zmail.body_for(f, sender, orig.sender_name, r, main=main),
                atts=[att],
                name=orig.sender_name,
                notes=f"corrected version of {it['original']} in a new mail",
            )
        else:
            sender, name = _colleague(f, r)
            if sender == orig.sender:
                sender = "poststelle@" + f.mail_domain
            subj = r.choice(
                (f"Aktualisierte Projektskizze {zmail._body(f)}", f"Neue Fassung: {orig.subject}")
            )
            new_msg(
                f,
                key=f"{f.sketch_id}-corr",
                sender=sender,
                when=when,
                subject=subj,
                body=zmail.body_for(f, sender, name, r, main=main),
                atts=[att],
                name=name,
                notes=f"corrected version of {it['original']} sent by a colleague, no threading",
            )
        notes[f.sketch_id].append(f"corrected version of {it['original']} ({mode}: {it['kind']})")
        notes[it["original"]].append(f"replaced by {f.sketch_id}")

    msgs.sort(key=lambda m: (m.date, m.key))
    return msgs, notes


# ----------------------------------------------------------------------------- main


def pick_corrections(facts: list[Facts], seed: int) -> list[tuple[Facts, str]]:
    n = len(facts)
    k = max(1, round(n * CORRECTIONS_PER_100 / 100)) if n >= 8 else 0
    rng = random.Random(f"corrections:{seed}")
    ok = [f for f in facts if f.antragsteller is not None]
    useful = [
        f
        for f in ok
        if "funding_sum_mismatch" in f.violations or "no_cooperation_partner" in f.violations
    ]
    rest = [f for f in ok if f not in useful]
    rng.shuffle(useful)
    rng.shuffle(rest)
    chosen = (useful[: max(1, k // 2)] + rest)[:k]
    kinds = ["funding", "partner", "title", "acronym"]
    out = []
    for i, f in enumerate(sorted(chosen, key=lambda x: x.sketch_id)):
        kind = None if f in useful else kinds[(i + 2) % 4]
        if kind == "acronym" and f.akronym:
            kind = "title"
        if kind == "funding" and f.gesamtkosten is None:
            kind = "partner"
        out.append((f, kind))
    return out


def build(
    out: Path,
    layouts: list[Layout],
    *,
    per_layout: int = 8,
    seed: int = 2021,
    jobs: int = 2,
    verbose: bool = False,
) -> int:
    global _LAYOUTS
    t_start = time.time()
    _LAYOUTS = list(layouts)
    if not layouts:
        print("no layouts registered", file=sys.stderr)
        return 2
    n_reg = per_layout * len(layouts)
    facts = make_facts(n_reg, seed)
    by_layout: dict[int, list[Facts]] = {
        i: facts[i * per_layout : (i + 1) * per_layout] for i in range(len(layouts))
    }
    layout_of = {f.sketch_id: i for i, fs in by_layout.items() for f in fs}
    corrections: list[dict] = []
    next_id = n_reg + 1
    for orig, kind in pick_corrections(facts, seed):
        nf, kind = make_correction(orig, f"Z{next_id:03d}", kind)
        next_id += 1
        corrections.append({"facts": nf, "original": orig.sketch_id, "kind": kind})
        by_layout[layout_of[orig.sketch_id]].append(nf)
        layout_of[nf.sketch_id] = layout_of[orig.sketch_id]

    errors: list[str] = []
    warnings: list[str] = []
    rendered: dict[str, Rendered] = {}
    timing: dict[str, float] = {}
    work_root = out / ".work"
    pool = _pool(jobs)
    try:
        jobs_ = {}
        for i, lay in enumerate(layouts):
            args = (i, by_layout[i], str(work_root / lay.name))
            jobs_[i] = pool.submit(_render_job, *args) if pool else _render_job(*args)
        for i, lay in enumerate(layouts):
            res, err, secs = jobs_[i].result() if pool else jobs_[i]
            if (
                res is None and pool
            ):  # retry alone: parallel converters sometimes get in each other's way
                print(
                    f"retrying {lay.name} sequentially after: {err.splitlines()[0]}",
                    file=sys.stderr,
                )
                res, err, secs = _render_job(i, by_layout[i], str(work_root / lay.name))
            timing[lay.name] = secs
            if res is None:
                errors.append(err)
                print(f"ERROR {err}", file=sys.stderr)
                continue
            for f, r in zip(by_layout[i], res, strict=False):
                rendered[f.sketch_id] = r
            print(
                f"rendered {lay.name:24s} {len(res):3d} sketches in {secs:6.1f} s  ({lay.producer})"
            )
    finally:
        if pool:
            pool.shutdown()
        shutil.rmtree(work_root, ignore_errors=True)

    all_facts = {f.sketch_id: f for fs in by_layout.values() for f in fs}
    corr_of = {c["facts"].sketch_id: c for c in corrections}
    # drop corrections whose original could not be rendered and vice versa
    for sid in list(rendered):
        c = corr_of.get(sid)
        if c and c["original"] not in rendered:
            del rendered[sid]
    items = []
    for sid in sorted(rendered):
        c = corr_of.get(sid)
        items.append(
            {
                "facts": all_facts[sid],
                "pdf": bytes(rendered[sid].pdf),
                "original": c["original"] if c else None,
                "kind": c["kind"] if c else None,
            }
        )
    for it in items:
        if it["original"] and it["original"] not in rendered:
            it["original"] = None
    msgs, delivery_notes = build_messages(items, seed)

    rows = []
    for it in items:
        f = it["facts"]
        lay = layouts[layout_of[f.sketch_id]]
        row = writer.sketch_row(
            f,
            rendered[f.sketch_id],
            lay,
            supersedes=it["original"],
            notes=delivery_notes.get(f.sketch_id, []) + list(f.notes),
        )
        w = writer.planned_vs_recomputed(f, row)
        if w:
            warnings.append(w)
        rows.append(row)

    # ---- write
    for sub in ("pdf", "mail"):
        shutil.rmtree(out / sub, ignore_errors=True)
        (out / sub).mkdir(parents=True)
    for it in items:
        (out / "pdf" / f"{it['facts'].sketch_id}.pdf").write_bytes(it["pdf"])
    mrows = []
    for k, m in enumerate(msgs, 1):
        file = f"mail/M{k:03d}.eml"
        (out / file).write_bytes(m.raw)
        mrows.append(zmail.message_row(m, file))
    writer.write_jsonl(out / "sketches.jsonl", rows)
    writer.write_jsonl(out / "messages.jsonl", mrows)
    t_written = time.time()

    # ---- verify
    errors += writer.verify_corpus(out, rows, mrows)
    pool = _pool(jobs)
    try:
        futs = []
        for row, it in zip(rows, items, strict=False):
            sid = row["sketch_id"]
            args = (layout_of[sid], row, it["pdf"], it["facts"], rendered[sid])
            futs.append(pool.submit(_check_job, *args) if pool else _check_job(*args))
        for fu in futs:
            errors += fu.result() if pool else fu
    finally:
        if pool:
            pool.shutdown()

    # ---- summary
    t_end = time.time()
    n_corr = sum(1 for r in rows if r["supersedes"])
    n_partial = sum(
        1
        for r in rows
        if r["fields"]["themenfelder"] and r["fields"]["themenfelder"] != r["themes"]
    )
    viol = Counter(v for r in rows for v in r["violations"])
    outcomes = Counter(a["outcome"] for m in mrows for a in m["attachments"])
    outcomes["no_attachment (message)"] = sum(1 for m in mrows if m["outcome"] == "no_attachment")
    print(
        f"\nsketches: {len(rows)} ({len(rows) - n_corr} regular + {n_corr} corrected) in "
        f"{len(layouts)} layouts; messages: {len(mrows)}; outcomes: {dict(outcomes)}"
    )
    print(
        f"sketches without violation: {sum(1 for r in rows if not r['violations'])} of {len(rows)}"
    )
    print("violations: " + ", ".join(f"{k} {v}" for k, v in sorted(viol.items())))
    print(
        f"declared no topic field: {sum(1 for r in rows if not r['fields']['themenfelder'])}; "
        f"declared != themes: {n_partial}"
    )
    print(f"time: render+write {t_written - t_start:.1f} s, verify {t_end - t_written:.1f} s")
    for w in warnings:
        print("WARN:", w)
    for e in errors:
        print("FAIL:", e)
    print(f"{len(errors)} inconsistencies, {len(warnings)} warnings")
    return 1 if errors else 0


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--per-layout", type=int, default=8)
    ap.add_argument("--seed", type=int, default=2021)
    ap.add_argument("--layouts", default="", help="comma-separated layout names (default: all)")
    ap.add_argument(
        "--jobs", type=int, default=2, help="parallel processes for rendering and checks"
    )
    args = ap.parse_args(argv)
    from zoogen.layouts import all_layouts

    layouts = all_layouts()
    if args.layouts:
        want = [x.strip() for x in args.layouts.split(",") if x.strip()]
        names = {lay.name: lay for lay in layouts}
        missing = [w for w in want if w not in names]
        if missing:
            print(f"unknown layouts: {missing}; known: {sorted(names)}", file=sys.stderr)
            return 2
        layouts = [names[w] for w in sorted(want)]
    args.out.mkdir(parents=True, exist_ok=True)
    return build(args.out, layouts, per_layout=args.per_layout, seed=args.seed, jobs=args.jobs)


if __name__ == "__main__":
    sys.exit(main())
