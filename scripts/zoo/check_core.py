#!/usr/bin/env python3
"""Self-check of the zoo's core (facts, text, rules, writer, mails, CLI).

    PYTHONPATH=scripts/zoo .venv-zoo/bin/python scripts/zoo/check_core.py [--out /tmp/zoo-core]

1. facts: deterministic; over make_facts(120, seed) for several seeds every check code
   occurs >= 2 times (cost below and above the range each >= 2), ~60 % clean, every slice of
   8 consecutive sketches has violations, all eight body types, districts/states/postcodes/
   area codes agree, budgets sum to the total, free text 150-500 words, topic sentences name
   no solution kind and vice versa, no municipality name of the sample corpus reused;
2. rules.py recomputes exactly the violations of the sample corpus (an independent truth);
3. the example Facts and make_facts(8, 1) rendered with the private smoke layout, and a
   small zoo built with make_zoo.build (smoke layout x 3) into OUT/smoke twice: the two runs
   must be byte-identical, make_zoo's own verification must pass, and so must
   ../shared/corpus/tools/check_corpus.py on the result.
Exit code 0 = all passed.
"""

from __future__ import annotations

import argparse
import dataclasses
import hashlib
import json
import re
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import make_zoo  # noqa: E402
from zoogen import rules, textbanks, writer  # noqa: E402
from zoogen.example import example_facts  # noqa: E402
from zoogen.facts import make_facts  # noqa: E402
from zoogen.geo import BY_STATE, DISTRICTS, STATES  # noqa: E402
from zoogen.layouts._smoke import LAYOUTS as SMOKE  # noqa: E402
from zoogen.model import TOPIC_FIELDS  # noqa: E402

SHARED = HERE.parents[2] / "shared" / "corpus"
CODES = {
    "cost_out_of_range",
    "duration_too_long",
    "applicant_is_district_alone",
    "no_cooperation_partner",
    "funding_sum_mismatch",
    "invalid_email",
    "invalid_postcode",
    "unknown_state",
    "invalid_population",
    "invalid_date",
    "missing_field:email",
    "missing_field:gesamtkosten_eur",
    "missing_field:laufzeit_monate",
    "missing_field:antragsteller",
}
SOLUTION_WORDS = (
    "Plattform",
    "App ",
    "App,",
    "App.",
    "Portal",
    "Marktplatz",
    "Online-Shop",
    "Televersorg",
    "Telemedizin",
    "Video",
    "Lernangebot",
    "Lernmodul",
    "Lernplattform",
    "Prozessdigitalisierung",
    "Workflow",
    "Software",
    "Online-Formular",
)
TOPIC_WORDS = (
    "Versorgung",
    "Einkauf",
    "Lebensmittel",
    "Kultur",
    "Verein",
    "Ehrenamt",
    "Bildung",
    "Schule",
    "Kompetenz",
    "Gesundheit",
    "Pflege",
    "Arzt",
    "Ärzt",
    "Patient",
    "Mobilität",
    "Rufbus",
    "Mitfahr",
    "Wohn",
    "Arbeitsort",
    "Verwaltung",
    "Rathaus",
    "Behörde",
    "Bürgerdienst",
    "edizin",
)


class Report:
    def __init__(self):
        self.fails: list[str] = []
        self.passed = 0

    def ok(self, cond: bool, msg: str) -> bool:
        if cond:
            self.passed += 1
        else:
            self.fails.append(msg)
            print("  FAIL:", msg)
        return cond


def check_facts(r: Report) -> None:
    print("== facts")
    a, b = make_facts(40, 3), make_facts(40, 3)
    r.ok(a == b, "make_facts is not deterministic")
    r.ok(make_facts(5, 3, start_index=50)[0].sketch_id == "Z050", "start_index not honoured")
    sample_places = set()
    for line in (SHARED / "sample" / "sketches.jsonl").read_text(encoding="utf-8").splitlines():
        s = json.loads(line)
        ant = s["fields"]["antragsteller"] or ""
        sample_places.add(ant.split(" ", 1)[-1])
        sample_places.update(
            p.split(" ", 1)[-1] for p in s["fields"]["kooperationspartner"] if rules.is_municipal(p)
        )
    by_name = {d.name: d for d in DISTRICTS}
    for seed in (1, 2, 3, 7, 2021):
        fs = make_facts(120, seed)
        truth = [writer.base_fields(f) for f in fs]
        viol = [rules.violations(t) for t in truth]
        c = Counter(v for vs in viol for v in vs)
        for code in sorted(CODES):
            r.ok(c[code] >= 2, f"seed {seed}: {code} occurs {c[code]} times (< 2)")
        low = sum(
            1
            for t in truth
            if t["gesamtkosten_eur"] is not None and t["gesamtkosten_eur"] < 200_000
        )
        high = sum(
            1
            for t in truth
            if t["gesamtkosten_eur"] is not None and t["gesamtkosten_eur"] > 600_000
        )
        r.ok(low >= 2 and high >= 2, f"seed {seed}: cost below {low}, above {high}")
        clean = sum(1 for v in viol if not v) / len(fs)
        r.ok(0.55 <= clean <= 0.65, f"seed {seed}: {clean:.0%} clean")
        r.ok(
            all(any(viol[i : i + 8]) for i in range(len(fs) - 7)),
            f"seed {seed}: a slice of 8 without violations",
        )
        r.ok(
            all(list(f.violations) == v for f, v in zip(fs, viol, strict=False)),
            f"seed {seed}: plan != recomputed",
        )
        types = Counter(f.koerperschaft_typ for f in fs)
        r.ok(len(types) == 8, f"seed {seed}: body types {dict(types)}")
        none = sum(1 for f in fs if not f.themenfelder) / len(fs)
        partial = sum(1 for f in fs if f.themenfelder and f.themenfelder != f.themes) / len(fs)
        r.ok(
            0.25 <= none <= 0.45 and 0.07 <= partial <= 0.25,
            f"seed {seed}: declared none {none:.0%}, partial {partial:.0%}",
        )
        dr = sum(1 for f in fs if f.ansprechperson and f.ansprechperson.title) / len(fs)
        r.ok(0.03 <= dr <= 0.2, f"seed {seed}: {dr:.0%} with Dr.")
        for f in fs:
            d = by_name[f.landkreis]
            sid = f"seed {seed} {f.sketch_id}"
            state_ok = f.bundesland == d.state or "unknown_state" in f.violations
            r.ok(
                state_ok and d in BY_STATE[d.state],
                f"{sid}: district {f.landkreis} / state {f.bundesland}",
            )
            if "invalid_postcode" not in f.violations:
                r.ok(
                    any(lo <= int(f.plz) <= hi for lo, hi in d.plz) and len(f.plz) == 5,
                    f"{sid}: plz {f.plz} for {d.name}",
                )
            if f.telefon:
                digits = re.sub(r"\D", "", f.telefon)
                digits = "0" + digits[2:] if f.telefon.startswith("+49") else digits
                digits = (
                    digits.replace("0" + "0", "0", 1) if f.telefon.startswith("+49 (0)") else digits
                )
                r.ok(
                    any(digits.startswith(c) for c in d.area_codes),
                    f"{sid}: phone {f.telefon} vs {d.area_codes}",
                )
            if f.gesamtkosten is not None:
                tot = round(sum(b.total for b in f.budget), 2)
                r.ok(
                    abs(tot - f.gesamtkosten) < 0.005,
                    f"{sid}: budget {tot} != total {f.gesamtkosten}",
                )
                if "funding_sum_mismatch" not in f.violations and f.foerdersumme is not None:
                    r.ok(
                        abs(f.foerdersumme + f.eigenanteil - f.gesamtkosten) < 0.005,
                        f"{sid}: funding split",
                    )
                    r.ok(0.69 <= f.foerdersumme / f.gesamtkosten <= 0.91, f"{sid}: funding rate")
            else:
                r.ok(f.budget == (), f"{sid}: budget without total")
            if (
                f.einwohnerzahl is not None
                and f.koerperschaft_typ != "Landkreis"
                and "invalid_population" not in f.violations
            ):
                r.ok(500 <= f.einwohnerzahl <= 60_000, f"{sid}: population {f.einwohnerzahl}")
            words = sum(len(p.split()) for _, ps in f.sections for p in ps)
            r.ok(150 <= words <= 500, f"{sid}: free text has {words} words")
            if f.antragsteller and f.koerperschaft_typ != "Landkreis":  # districts are real
                r.ok(f.place not in sample_places, f"{sid}: {f.place} is a sample corpus name")
            if f.laufzeit_monate is not None and f.projektbeginn:
                r.ok(f.projektbeginn > f.datum, f"{sid}: start before the sketch date")
            r.ok(f.submit_at.date() >= f.datum, f"{sid}: mail sent before the sketch date")
            r.ok(all(t in TOPIC_FIELDS for t in f.themes + f.themenfelder), f"{sid}: topic names")
    # topic/solution separation in the banks
    for _t, d in textbanks.TOPIC.items():
        for _k, lst in d.items():
            for s in lst:
                r.ok(
                    not [w for w in SOLUTION_WORDS if w in s],
                    f"topic sentence names a solution: {s[:70]}",
                )
    for _t, d in textbanks.SOLUTION.items():
        for _k, lst in d.items():
            for s in lst:
                r.ok(
                    not [w for w in TOPIC_WORDS if w in s],
                    f"solution sentence names a topic: {s[:70]}",
                )
    for _k, lst in textbanks.GENERAL.items():
        for s in lst:
            r.ok(
                not [w for w in TOPIC_WORDS + SOLUTION_WORDS if w in s],
                f"general sentence names a topic/solution: {s[:70]}",
            )
    # sketches of one batch share few sentences
    fs = make_facts(120, 1)
    sents = [
        set(re.split(r"(?<=[.!?])\s+", " ".join(p for _, ps in f.sections for p in ps))) for f in fs
    ]
    worst = max(
        len(sents[i] & sents[j]) / min(len(sents[i]), len(sents[j]))
        for i in range(len(fs))
        for j in range(i + 1, len(fs))
    )
    r.ok(worst < 0.5, f"two sketches share {worst:.0%} of their sentences")
    print(f"  checked {5 * 120} sketches of 5 seeds; max shared sentences {worst:.0%}")
    r.ok(set(STATES) >= {d.state for d in DISTRICTS}, "district state unknown")


def check_rules_on_sample(r: Report) -> None:
    print("== rules.py against the sample corpus")
    n = 0
    for line in (SHARED / "sample" / "sketches.jsonl").read_text(encoding="utf-8").splitlines():
        s = json.loads(line)
        n += 1
        r.ok(
            rules.violations(s["fields"]) == s["violations"],
            f"sample {s['sketch_id']}: rules give {rules.violations(s['fields'])}, "
            f"truth {s['violations']}",
        )
    print(f"  {n} sample sketches compared")


def tree_hash(d: Path) -> dict[str, str]:
    return {
        str(p.relative_to(d)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(d.rglob("*"))
        if p.is_file()
    }


def check_render(r: Report, out: Path) -> None:
    print("== smoke layout: example facts and make_facts(8, 1)")
    lay = SMOKE[0]
    for name, batch in (("example", example_facts()), ("facts-8-1", make_facts(8, 1))):
        d = out / name
        d.mkdir(parents=True, exist_ok=True)
        res = lay.render(batch, d)
        for f, rr in zip(batch, res, strict=False):
            (d / f"{f.sketch_id}.pdf").write_bytes(rr.pdf)
            row = writer.sketch_row(f, rr, lay)
            errs = writer.check_sketch(row, rr.pdf, lay, f, rr)
            for e in errs:
                r.ok(False, e)
            if not errs:
                r.passed += 1
        print(f"  {name}: {len(batch)} sketches -> {d}")

    print("== make_zoo.build with the smoke layout (3 copies), twice")
    lays = [dataclasses.replace(lay, name=f"smoke_{c}", producer=f"smoke-{c}") for c in "abc"]
    hashes = []
    for k in (1, 2):
        d = out / f"smoke{k}"
        t0 = time.time()
        rc = make_zoo.build(d, lays, per_layout=8, seed=11, jobs=2)
        r.ok(rc == 0, f"make_zoo.build run {k} exit code {rc}")
        print(f"  run {k}: {time.time() - t0:.1f} s")
        hashes.append(tree_hash(d))
    r.ok(
        hashes[0] == hashes[1],
        "two make_zoo runs differ: "
        + ", ".join(sorted(k for k in hashes[0] if hashes[0].get(k) != hashes[1].get(k)))[:300],
    )
    rows = [
        json.loads(x)
        for x in (out / "smoke1" / "sketches.jsonl").read_text(encoding="utf-8").splitlines()
    ]
    msgs = [
        json.loads(x)
        for x in (out / "smoke1" / "messages.jsonl").read_text(encoding="utf-8").splitlines()
    ]
    r.ok(any(x["supersedes"] for x in rows), "no corrected resubmission")
    r.ok(any(m["outcome"] == "no_attachment" for m in msgs), "no mail without attachment")
    per = Counter(a["sketch_id"] for m in msgs for a in m["attachments"])
    r.ok(any(v == 2 for v in per.values()), "no sketch sent twice")
    r.ok(
        any(
            a["content_type"] == "application/octet-stream" for m in msgs for a in m["attachments"]
        ),
        "no application/octet-stream attachment",
    )
    raw = b"".join((out / "smoke1" / m["message_file"]).read_bytes() for m in msgs)
    r.ok(b"filename*" in raw, "no RFC 2231 file name")
    r.ok(b"In-Reply-To:" in raw, "no threaded reply")
    print("== ../shared/corpus/tools/check_corpus.py on the smoke zoo")
    p = subprocess.run(
        [sys.executable, str(SHARED / "tools" / "check_corpus.py"), str(out / "smoke1")],
        capture_output=True,
        text=True,
    )
    print("  " + "\n  ".join(p.stdout.strip().splitlines()[-3:]))
    r.ok(p.returncode == 0, "check_corpus.py failed:\n" + p.stdout[-2000:] + p.stderr[-2000:])


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--out", type=Path, default=Path("/tmp/zoo-core"))
    ap.add_argument("--skip-render", action="store_true")
    args = ap.parse_args(argv)
    r = Report()
    check_facts(r)
    check_rules_on_sample(r)
    if not args.skip_render:
        check_render(r, args.out)
    print(f"\n{r.passed} passed, {len(r.fails)} failed")
    return 1 if r.fails else 0


if __name__ == "__main__":
    sys.exit(main())
