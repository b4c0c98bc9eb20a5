"""Shared helpers of the typesetting-system layouts (LaTeX, Typst, groff).

Value formatting the German way, the truth overrides a printed form implies, and a small
record (``Sheet``) that collects what a layout printed. Written from the domain only.
"""

from __future__ import annotations

import datetime as dt
import os
import random
import re
import subprocess
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from zoogen.model import MONTHS, TOPIC_FIELDS, Facts, Rendered

SOURCE_DATE_EPOCH = "1614556800"  # 2021-03-01 00:00:00 UTC


def det_env() -> dict[str, str]:
    """Environment for external producers: fixed dates, C collation, no user config."""
    env = dict(os.environ)
    env.update(
        SOURCE_DATE_EPOCH=SOURCE_DATE_EPOCH,
        FORCE_SOURCE_DATE="1",
        TZ="UTC",
        LC_ALL="C.UTF-8",
        LANG="C.UTF-8",
    )
    return env


def run(cmd: Sequence[str], cwd: Path, stdin: bytes | None = None, timeout: float = 120) -> bytes:
    """Run a producer; raise with its output on failure."""
    proc = subprocess.run(
        list(cmd), cwd=cwd, input=stdin, capture_output=True, env=det_env(), timeout=timeout
    )
    if proc.returncode != 0:
        tail = (proc.stdout[-3000:] + b"\n" + proc.stderr[-3000:]).decode("utf-8", "replace")
        raise RuntimeError(f"{cmd[0]} failed ({proc.returncode}):\n{tail}")
    return proc.stdout


# ---------------------------------------------------------------- numbers


def de_int(n: int, sep: str = ".") -> str:
    """4312 -> '4.312'."""
    return f"{n:,}".replace(",", sep)


def de_num(v: float, decimals: int = 2, sep: str = ".") -> str:
    """412500.5 -> '412.500,50' (decimals=2)."""
    s = f"{v:,.{decimals}f}"
    whole, _, frac = s.partition(".")
    whole = whole.replace(",", sep)
    return f"{whole},{frac}" if decimals else whole


def euro_truth(v: float) -> int | float:
    """Truth convention: int when whole euros."""
    r = round(v, 2)
    return int(r) if r == int(r) else r


def is_whole(v: float) -> bool:
    return abs(v - round(v)) < 0.005


AMOUNT_STYLES = ("eur", "EUR", "euro", "dash", "teur", "mio", "eur_front")


def amount(v: float, style: str) -> str:
    """An amount in one of several German styles; never rounded (the printed value is exact).

    Styles that cannot show the value exactly fall back to '412.500,55 €'.
    eur: 412.500,00 €   EUR: 412.500 EUR (cents if any)   euro: 412.500,00 Euro
    dash: € 412.500,-   teur: 412,5 T€   mio: 0,4125 Mio. €   eur_front: EUR 412.500,00
    """
    cents = round(v * 100)
    if style == "EUR":
        return f"{de_num(v, 0 if cents % 100 == 0 else 2)} EUR"
    if style == "euro":
        return f"{de_num(v)} Euro"
    if style == "dash" and cents % 100 == 0:
        return f"€ {de_num(v, 0)},-"
    if style == "teur" and cents % 1000 == 0:  # whole tens of euros: at most 2 decimals in T€
        t = de_num(v / 1000, 2).rstrip("0").rstrip(",")
        return f"{t} T€"
    if style == "mio" and cents % 100000 == 0:  # whole thousands: at most 3 decimals in Mio.
        t = de_num(v / 1_000_000, 3).rstrip("0").rstrip(",")
        return f"{t} Mio. €"
    if style == "eur_front":
        return f"EUR {de_num(v)}"
    return f"{de_num(v)} €"


# ---------------------------------------------------------------- dates


def date_text(d: dt.date, style: str) -> str:
    """dot: 12.03.2021  long: 12. März 2021  month: März 2021  slash: 03/2021  short: 12.3.2021."""
    if style == "long":
        return f"{d.day}. {MONTHS[d.month - 1]} {d.year}"
    if style == "month":
        return f"{MONTHS[d.month - 1]} {d.year}"
    if style == "slash":
        return f"{d.month:02d}/{d.year}"
    if style == "short":
        return f"{d.day}.{d.month}.{d.year}"
    return f"{d.day:02d}.{d.month:02d}.{d.year}"


def month_only(style: str) -> bool:
    return style in ("month", "slash")


def invalid_date_truth(s: str) -> str | None:
    """'30.02.2021' -> '2021-02-30' (the pattern kept, as the corpus README says)."""
    m = re.fullmatch(r"\s*(\d{1,2})\.\s*(\d{1,2})\.\s*(\d{2}|\d{4})\s*", s)
    if m:
        day, mon, year = int(m[1]), int(m[2]), int(m[3])
        year = year + 2000 if year < 100 else year
        return f"{year:04d}-{mon:02d}-{day:02d}"
    m = re.fullmatch(r"\s*(\d{1,2})\.\s*([A-Za-zäÄ]+)\s+(\d{4})\s*", s)
    if m and m[2] in MONTHS:
        return f"{int(m[3]):04d}-{MONTHS.index(m[2]) + 1:02d}-{int(m[1]):02d}"
    return None


def duration_text(months: int, style: str) -> str:
    """monate: '30 Monate'  jahre: '2,5 Jahre' (only for whole half years)  else '30 Monate'."""
    if style == "jahre" and months % 6 == 0:
        years = months / 12
        num = str(int(years)) if years == int(years) else de_num(years, 1)
        return f"{num} {'Jahr' if months == 12 else 'Jahre'}"
    return f"{months} Monate"


def months_between(start: dt.date, end: dt.date) -> int:
    """Months a range covers, 01.10.2021-30.09.2023 -> 24 (end inclusive)."""
    nxt = end + dt.timedelta(days=1)
    return (nxt.year - start.year) * 12 + (nxt.month - start.month)


# ---------------------------------------------------------------- people


def typ_written(f: Facts) -> str:
    """Literal evidence of the body type: the type word if the name holds it, else the name
    ("Erzgebirgskreis" is a Landkreis without saying so)."""
    name = f.antragsteller or ""
    return f.body_word if f.body_word and f.body_word in name else name


def person_with_anrede(f: Facts) -> str:
    p = f.ansprechperson
    assert p is not None
    return f"{p.anrede} {p.name}"


# ---------------------------------------------------------------- collecting what was printed


@dataclass
class Sheet:
    """Collects literal strings, labels, omissions and overrides of one sketch."""

    facts: Facts
    written: dict[str, Any] = field(default_factory=dict)
    labels: dict[str, str] = field(default_factory=dict)
    omitted: set[str] = field(default_factory=set)
    overrides: dict[str, Any] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    phen: set[str] = field(default_factory=set)  # phenomena this sketch shows (intended)

    def put(self, name: str, text: Any, label: str = "") -> Any:
        if name not in self.written:
            self.written[name] = text
            self.labels[name] = label
        return text

    def rendered(self, pdf: bytes) -> Rendered:
        notes = list(self.notes)
        if self.phen:
            notes.append("phenomena: " + ", ".join(sorted(self.phen)))
        return Rendered(
            pdf=pdf,
            written=dict(self.written),
            labels=dict(self.labels),
            omitted=set(self.omitted),
            overrides=dict(self.overrides),
            notes=notes,
        )


def datum_value(sh: Sheet, style: str) -> str:
    """The sketch date as printed (the invalid form when the plan asks for it)."""
    f = sh.facts
    if f.datum_written_invalid:
        truth = invalid_date_truth(f.datum_written_invalid)
        if truth:
            sh.overrides["datum"] = truth
        return f.datum_written_invalid
    if month_only(style):
        sh.overrides["datum"] = f.datum.replace(day=1).isoformat()
    return date_text(f.datum, style)


def start_value(sh: Sheet, style: str) -> str | None:
    """The start date as printed; a month-only form moves the truth to the 1st."""
    f = sh.facts
    if f.projektbeginn is None:
        return None
    if month_only(style) and f.projektbeginn.day != 1:
        sh.overrides["projektbeginn"] = f.projektbeginn.replace(day=1).isoformat()
    return date_text(f.projektbeginn, style)


def topic_list(f: Facts) -> list[tuple[str, bool]]:
    """The seven topic fields of the call, each with 'declared?'."""
    return [(t, t in f.themenfelder) for t in TOPIC_FIELDS]


def rng_for(f: Facts, salt: str) -> random.Random:
    """Per-sketch, per-layout randomness (only from the sketch's seed)."""
    return random.Random(f"{f.seed}:{f.sketch_id}:{salt}")


def pick(rng: random.Random, options: Sequence[str]) -> str:
    return options[rng.randrange(len(options))]
