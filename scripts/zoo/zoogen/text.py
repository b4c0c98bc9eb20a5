"""The free text of a zoo sketch (sections with paragraphs), built from ``textbanks``.

``make_sections`` returns ``((heading, (paragraph, ...)), ...)``: 150-500 words about the
sketch's true ``themes`` (topic sentences) and ``loesungsart`` (solution sentences), in one of
several authorial styles (plain administrative, enthusiastic, bullet-like, terse).
"""

from __future__ import annotations

import random
import re

from zoogen import textbanks as tb

_ALT = re.compile(r"\[([^\[\]]*)\]")


def expand(template: str, rng: random.Random) -> str:
    """Resolve ``[a|b]`` alternatives (innermost first, so nesting works)."""
    s = template
    while True:
        m = _ALT.search(s)
        if not m:
            return s
        s = s[: m.start()] + rng.choice(m.group(1).split("|")) + s[m.end() :]


def _cap(s: str) -> str:
    return s[:1].upper() + s[1:]


def _join_names(names) -> str:
    names = list(names)
    if len(names) == 1:
        return names[0]
    return ", ".join(names[:-1]) + " und " + names[-1]


_UNSER = {  # "unsere Gemeinde" etc. by body type (nominative, dative after "in")
    "Gemeinde": ("unsere Gemeinde", "in unserer Gemeinde"),
    "Stadt": ("unsere Stadt", "in unserer Stadt"),
    "Markt": ("unser Markt", "in unserem Markt"),
    "Amt": ("unser Amt", "in unserem Amtsbereich"),
    "Verbandsgemeinde": ("unsere Verbandsgemeinde", "in unserer Verbandsgemeinde"),
    "Samtgemeinde": ("unsere Samtgemeinde", "in unserer Samtgemeinde"),
    "Verwaltungsgemeinschaft": (
        "unsere Verwaltungsgemeinschaft",
        "in unserer Verwaltungsgemeinschaft",
    ),
    "Landkreis": ("unser Landkreis", "in unserem Landkreis"),
}


def _slots(rng, *, applicant, typ, place, district, partners) -> dict[str, str]:
    unser_nom, unser_in = _UNSER.get(typ, _UNSER["Gemeinde"])
    if applicant is None:
        ort = rng.choice(("unsere Kommune", "unsere Gemeinde", "unsere Region"))
        in_ort = rng.choice(("vor Ort", "bei uns", "in unserer Region"))
    elif typ == "Landkreis":
        ort = "der " + district
        in_ort = rng.choice((f"im {district}", f"im {district}", unser_in))
    else:
        ort = rng.choice((place, place, unser_nom))
        in_ort = rng.choice((f"in {place}", f"in {place}", "vor Ort", unser_in))
    d = {
        "ort": ort,
        "ort_cap": _cap(ort),
        "in_ort": in_ort,
        "in_ort_cap": _cap(in_ort),
        "kreis": district,
        "wir": "wir",
    }
    if partners:
        d["partners"] = _join_names(partners)
        d["partners_cap"] = _cap(d["partners"])
        d["partners_dat"] = d["partners"]
        d["sind"] = "ist" if len(partners) == 1 else "sind"
    return d


def _fill(template: str, rng, slots) -> str:
    s = expand(template, rng)
    s = s.format(**slots)
    s = re.sub(r"\s+", " ", s).strip()
    return _cap(s)


def _pick(rng, bank, k, used) -> list[str]:
    cands = [t for t in bank if t not in used]
    rng.shuffle(cands)
    out = cands[:k]
    used.update(out)
    return out


_ENTHUSE = (
    ("Das Vorhaben ", "Unser Vorhaben "),
    ("Ziel ist ", "Unser Ziel ist "),
    ("Die Lösung soll ", "Unsere Lösung soll "),
    ("Der Ansatz soll ", "Unser Ansatz soll "),
)


def _enthuse(sentence: str, rng: random.Random) -> str:
    """The enthusiastic author: "unser" instead of the article, now and then an exclamation."""
    for a, b in _ENTHUSE:
        if sentence.startswith(a):
            sentence = b + sentence[len(a) :]
    if sentence.endswith(".") and " soll" in sentence and rng.random() < 0.3:
        sentence = sentence[:-1] + "!"
    return sentence


def _words(sections) -> int:
    return sum(len(p.split()) for _, ps in sections for p in ps)


def make_sections(
    rng: random.Random,
    *,
    themes,
    loesungsart,
    applicant,
    body_word,
    place,
    typ,
    district,
    partners,
    einwohner=None,
) -> tuple[tuple[str, tuple[str, ...]], ...]:
    style = rng.choices(
        ("amtlich", "begeistert", "stichpunkte", "knapp"), weights=(40, 22, 22, 16)
    )[0]
    headings = rng.choice(tb.HEADINGS)
    slots = _slots(
        rng, applicant=applicant, typ=typ, place=place, district=district, partners=partners
    )
    used: set[str] = set()
    n_t = len(themes)
    per_theme_need = {1: 3, 2: 2, 3: 2}[n_t] + (0 if style == "knapp" else rng.choice((0, 1, 1)))
    if style == "knapp":
        per_theme_need = max(1, per_theme_need - 1)

    intro_bank = list(tb.GENERAL["intro"])
    if typ == "Landkreis" or applicant is None:
        intro_bank = intro_bank[1:]  # "<place> liegt ... im <district>" needs a municipality
    need: list[str] = _pick(rng, intro_bank, rng.choice((1, 1, 2)), used)
    for t in themes:
        need += _pick(rng, tb.TOPIC[t]["need"], per_theme_need, used)

    goal: list[str] = []
    for t in themes:
        goal += _pick(
            rng,
            tb.TOPIC[t]["goal"],
            {1: 2, 2: rng.choice((1, 2)), 3: 1}[n_t] - (style == "knapp" and n_t == 1),
            used,
        )
    for s in loesungsart:
        goal += _pick(rng, tb.SOLUTION[s]["goal"], 1, used)
    if style != "knapp":
        goal += _pick(rng, tb.GENERAL["goal"], rng.choice((1, 2)), used)

    step: list[str] = []
    for s in loesungsart:
        step += _pick(
            rng,
            tb.SOLUTION[s]["step"],
            2 if len(loesungsart) == 1 and style != "knapp" else 1,
            used,
        )
    for t in themes:
        step += _pick(
            rng,
            tb.TOPIC[t]["step"],
            {1: rng.choice((2, 3)), 2: rng.choice((1, 2)), 3: 1}[n_t] - (style == "knapp"),
            used,
        )
    extra = _pick(rng, tb.GENERAL["step"], 1 if style == "knapp" else rng.choice((2, 3)), used)
    partner_s = _pick(rng, tb.GENERAL["partners"], 1, used) if partners else []

    if style == "begeistert":
        goal.append(rng.choice(tb.ENTHUSIASTIC[1:]))
        extra.append(tb.ENTHUSIASTIC[0] if rng.random() < 0.5 else tb.ENTHUSIASTIC[2])

    # topic and solution sentences mixed within each section, general ones at the ends
    rng.shuffle(goal)
    core_step = step[:]
    rng.shuffle(core_step)

    def fill(lst):
        out = [_fill(t, rng, slots) for t in lst]
        if style == "begeistert":
            out = [_enthuse(x, rng) for x in out]
        return out

    need_s, goal_s, step_s = fill(need), fill(goal), fill(core_step + extra[:1])
    tail_s = fill(extra[1:] + partner_s)

    mark = rng.choice(("– ", "• ", "- "))

    def paras(sents, bullets=False):
        if bullets:
            return tuple(mark + s for s in sents)
        out, cur = [], []
        size = rng.choice((2, 3, 3, 4))
        for s in sents:
            cur.append(s)
            if len(cur) >= size:
                out.append(" ".join(cur))
                cur = []
                size = rng.choice((2, 3, 4))
        if cur:
            out.append(" ".join(cur))
        return tuple(out)

    bullets_goal = style == "stichpunkte"
    bullets_step = style == "stichpunkte" and rng.random() < 0.7
    if len(headings) == 4:
        sections = (
            (headings[0], paras(need_s)),
            (headings[1], paras(goal_s, bullets_goal)),
            (headings[2], paras(step_s, bullets_step)),
            (headings[3], paras(tail_s or fill(_pick(rng, tb.GENERAL["step"], 1, used)))),
        )
    else:
        sections = (
            (headings[0], paras(need_s)),
            (headings[1], paras(goal_s, bullets_goal)),
            (headings[2], paras(step_s + tail_s, bullets_step)),
        )

    if rng.random() < 0.25:  # a short summary up front
        summary_head = rng.choice(
            (
                "Kurzbeschreibung des Vorhabens",
                "Das Wichtigste in Kürze",
                "Zusammenfassung",
                "Kurzdarstellung",
            )
        )
        summary = fill(
            _pick(rng, tb.TOPIC[themes[0]]["goal"], 1, used)
            + _pick(rng, tb.SOLUTION[loesungsart[0]]["goal"], 1, used)
        )
        sections = ((summary_head, (" ".join(summary),)), *sections)

    # keep within 150-500 words: pad with general steps, trim the longest section
    guard = 0
    while _words(sections) < 150 and guard < 6:
        guard += 1
        more = _pick(rng, tb.GENERAL["step"] + tb.GENERAL["goal"], 1, used)
        if not more:
            break
        h, ps = sections[-1]
        add = fill(more)
        ps = ps + (tuple((mark if ps and ps[0].startswith(mark) else "") + a for a in add))
        sections = (*sections[:-1], (h, ps))
    while _words(sections) > 500:
        i = max(range(len(sections)), key=lambda j: sum(len(p.split()) for p in sections[j][1]))
        h, ps = sections[i]
        if len(ps) <= 1:
            break
        sections = (*sections[:i], (h, ps[:-1]), *sections[i + 1 :])
    return sections
