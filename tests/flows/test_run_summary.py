"""What a run's summary and artifacts say: links to the review page, what a rerun changed
(not the database's totals), and the progress the long steps report as they go."""

from __future__ import annotations

from typing import Any

import pytest

from skizzen.settings import load_runtime
from skizzen.steps import runs

QUEUE = [
    {"sketch": 3, "eingang": "2021-03-16", "datei": "a.pdf", "antragsteller": "Stadt A",
     "gruende": "cost_out_of_range"},
    {"sketch": 7, "eingang": "2021-03-17", "datei": "b|c.pdf", "antragsteller": "Amt B",
     "gruende": "missing_field:email, low_confidence:plz"},
]  # fmt: skip


def _summary(**over: Any) -> dict[str, Any]:
    base = {
        "run_id": 4,
        "flow": "ingest_sketches",
        "web_base_url": "https://skizzen.example.de/",
        "steps": {"intake": {"new_messages": 2, "seen": 5}, "outcomes_this_run": {"sketch": 2}},
        "outcomes": {"sketch": 40, "corrupt": 3},
        "review_queue": QUEUE,
        "data_docs": None,
        "pruefbericht": None,
    }
    return base | over


CHANGES = {
    "scope": 1,
    "re_extracted": 1,
    "changed_sketches": 1,
    "fields": {"projekttitel": 1},
    "status": {"ready>needs_review": 1},
    "sketches": [
        {"sketch": 7, "fields": ["projekttitel"], "before": "ready", "after": "needs_review"}
    ],
    "more": 0,
    "needs_review": [7],
}
RERUN = _summary(flow="rerun_extraction", steps={"scope": 1, "changes": CHANGES})


@pytest.mark.parametrize(
    ("summary", "present", "absent"),
    [
        pytest.param(
            _summary(),
            [
                "# Lauf 4 (ingest_sketches)",
                "2 neue Nachrichten (5 gelesen)",
                "| Ergebnis dieses Laufs | Anzahl |",
                "| Skizze | 40 |",  # outcomes in German
                "**Zu prüfen: 2 Skizze(n)**",
                "| [3](https://skizzen.example.de/skizze/3) | 2021-03-16 | a.pdf | Stadt A |",
                "| [7](https://skizzen.example.de/skizze/7) | 2021-03-17 | b\\|c.pdf |",
            ],
            ["Dieser Lauf |", "cost_out_of_range", "| sketch |"],
            id="ingest-whole-queue-linked",
        ),
        pytest.param(
            RERUN,
            [
                "# Lauf 4 (rerun_extraction)",
                "| Skizzen im Umfang | 1 |",
                "| neu extrahiert | 1 |",
                "| geänderte Maschinenwerte | 1 |",
                "| Projekttitel | 1 |",
                "| ohne Befund → zu prüfen | 1 |",
                "| [7](https://skizzen.example.de/skizze/7) | Projekttitel | ohne Befund "
                "| zu prüfen |",
                "**Zu prüfen im Umfang dieses Laufs: 1 Skizze(n)**",
            ],
            ["Ergebnis (Bestand)", "| Skizze | 40 |", "/skizze/3)", "neue Nachrichten"],
            id="rerun-what-it-changed",
        ),
        pytest.param(
            _summary(
                flow="rerun_extraction",
                steps={"changes": {**CHANGES, "fields": {}, "status": {}, "sketches": [],
                                   "changed_sketches": 0, "needs_review": []}},
            ),
            ["Keine Maschinenwerte und keinen Status geändert.",
             "Zu prüfen im Umfang dieses Laufs: 0"],
            ["| Feld |", "/skizze/"],
            id="rerun-nothing-changed",
        ),
        pytest.param(
            _summary(flow="rerun_extraction", steps={"changes": {**CHANGES, "more": 12}}),
            ["… und 12 weitere geänderte Skizze(n)."],
            [],
            id="rerun-more-than-listed",
        ),
    ],
)  # fmt: skip
def test_summary_markdown(summary: dict[str, Any], present: list[str], absent: list[str]) -> None:
    text = runs.summary_markdown(summary)
    for part in present:
        assert part in text
    for part in absent:
        assert part not in text


def test_reasons_in_the_queue_are_german() -> None:
    from skizzen.labels import code_label

    text = runs.summary_markdown(_summary())
    assert f"| {code_label('missing_field:email')}; {code_label('low_confidence:plz')} |" in text


@pytest.mark.parametrize(
    ("base", "expected"),
    [
        ("http://127.0.0.1:8080", "http://127.0.0.1:8080/skizze/5"),
        ("https://pruefung.example.de/skizzen/", "https://pruefung.example.de/skizzen/skizze/5"),
        (None, "http://127.0.0.1:8080/skizze/5"),
    ],
    ids=["default", "behind-a-proxy-path", "missing"],
)
def test_review_link(base: str | None, expected: str) -> None:
    assert runs.review_link({"web_base_url": base}, 5) == expected


def test_web_base_url_is_a_setting(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SKIZZEN_WEB_BASE_URL", "https://pruefung.example.de")
    assert load_runtime().web_base_url == "https://pruefung.example.de"


def _state(status: str, **fields: Any) -> str:
    return runs.state_text(status, {"projekttitel": "A", "themes": ["x"], **fields})


@pytest.mark.parametrize(
    ("before", "after", "expected"),
    [
        ({1: _state("ready")}, {1: _state("ready")},
         {"fields": {}, "status": {}, "sketches": [], "changed_sketches": 0}),
        ({1: _state("ready")}, {1: _state("ready", projekttitel="B")},
         {"fields": {"projekttitel": 1}, "changed_sketches": 1,
          "sketches": [{"sketch": 1, "fields": ["projekttitel"], "before": "ready",
                        "after": "ready"}]}),
        ({1: _state("ready"), 2: _state("ready")},
         {1: _state("needs_review", themes=["y"]), 2: _state("needs_review")},
         {"fields": {"themes": 1}, "status": {"ready>needs_review": 2}, "changed_sketches": 1,
          "needs_review": [1, 2]}),
        ({1: _state("new")}, {1: _state("new", plz="12345")},
         {"fields": {"plz": 1}}),
    ],
    ids=["nothing", "one-field", "status-and-labels", "field-appears"],
)  # fmt: skip
def test_run_changes(
    monkeypatch: pytest.MonkeyPatch,
    before: dict[int, Any],
    after: dict[int, Any],
    expected: dict[str, Any],
) -> None:
    monkeypatch.setattr(runs, "sketch_state", lambda config, ids: after)
    got = runs.run_changes(None, before, extracted_ids=[1, 1])  # type: ignore[arg-type]
    assert got["scope"] == len(before)
    assert got["re_extracted"] == 1
    for key, value in expected.items():
        assert got[key] == value, key


def test_run_changes_lists_the_first_and_counts_the_rest(monkeypatch: pytest.MonkeyPatch) -> None:
    before = {i: _state("ready") for i in range(5)}
    after = {i: _state("ready", projekttitel=str(i)) for i in range(5)}
    monkeypatch.setattr(runs, "sketch_state", lambda config, ids: after)
    monkeypatch.setattr(runs, "CHANGES_LISTED", 2)
    got = runs.run_changes(None, before, extracted_ids=[])  # type: ignore[arg-type]
    assert [r["sketch"] for r in got["sketches"]] == [0, 1]
    assert got["more"] == 3
    assert got["changed_sketches"] == 5


class _Clock:
    """One second per reading: rates become exact."""

    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        self.now += 1.0
        return self.now


@pytest.mark.parametrize(
    ("total", "advances", "milestones"),
    [
        (100, [25] * 4, [25, 50, 75, 100]),
        (100, [5] * 20, [5, 10, 20, 30, 40, 50, 60, 70, 80, 90, 100]),
        (3, [1, 1, 1], [1, 2, 3]),
        (0, [], [0]),
        (None, [], [7]),
    ],
    ids=["quarters", "twentieths-logged-per-tenth", "few", "empty", "unknown-total"],
)
def test_progress_step_reports_each_change_and_logs_milestones(
    total: int | None, advances: list[int], milestones: list[int]
) -> None:
    events: list[runs.Progress] = []
    with runs.progress_to(events.append):
        step = runs.ProgressStep("Extraktion", total, "Skizzen", clock=_Clock())
        for n in advances:
            step.advance(n)
        step.finish(7 if total is None else None)
    assert events[0].done == 0 and not events[0].milestone  # the bar appears at once
    assert [e.done for e in events if e.milestone] == milestones
    assert events[-1].done == events[-1].total


@pytest.mark.parametrize(
    ("event", "line"),
    [
        (runs.Progress("Extraktion", 50, 200, "Skizzen", 20.0),
         "Extraktion: 50/200 Skizzen (25 %), 2,5 Skizzen/s"),
        (runs.Progress("Prüfung", 0, 10, "Skizzen", 0.0), "Prüfung: 0/10 Skizzen (0 %)"),
        (runs.Progress("Eingang", 7, None, "Nachrichten", 2.0),
         "Eingang: 7 Nachrichten, 3,5 Nachrichten/s"),
        (runs.Progress("Prüfung", 0, 0, "Skizzen", 1.0), "Prüfung: 0/0 Skizzen (100 %)"),
    ],
    ids=["counts-percent-rate", "not-started", "unknown-total", "nothing-to-do"],
)  # fmt: skip
def test_progress_line(event: runs.Progress, line: str) -> None:
    assert event.line() == line


def test_progress_callback_turns_loop_counts_into_a_step() -> None:
    events: list[runs.Progress] = []
    with runs.progress_to(events.append):
        report = runs.progress_callback("Kreuzvalidierung", "Erzeuger")
        for done in range(4):
            report(done, 3)
    assert [(e.done, e.total) for e in events] == [(0, 3), (1, 3), (2, 3), (3, 3)]
    assert all(e.step == "Kreuzvalidierung" for e in events)


def test_progress_outside_a_sink_goes_nowhere_but_the_log(caplog: pytest.LogCaptureFixture) -> None:
    import logging

    with caplog.at_level(logging.INFO, logger=runs.__name__):
        step = runs.ProgressStep("Prüfung", 2, "Skizzen")
        step.finish()
    [record] = [r for r in caplog.records if r.name == runs.__name__]
    assert record.getMessage().startswith("Prüfung: 2/2 Skizzen (100 %)")
    assert getattr(record, runs.PROGRESS_RECORD) is True
