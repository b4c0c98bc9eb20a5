"""The command's progress display: a rich bar in a terminal, milestone lines otherwise, and
the flow's own progress log lines kept off the console while it shows them."""

from __future__ import annotations

import io
import logging
from collections.abc import Iterator

import pytest
from rich.console import Console

from skizzen.doors.progress import ProgressDisplay
from skizzen.steps import runs

EVENTS = [
    runs.Progress("Extraktion", 0, 50, "Skizzen", 0.0),
    runs.Progress("Extraktion", 25, 50, "Skizzen", 10.0, milestone=True),
    runs.Progress("Extraktion", 30, 50, "Skizzen", 12.0),
    runs.Progress("Extraktion", 50, 50, "Skizzen", 20.0, milestone=True),
    runs.Progress("Prüfung", 0, 50, "Skizzen", 0.0),
    runs.Progress("Prüfung", 50, 50, "Skizzen", 4.0, milestone=True),
]


def _console(*, terminal: bool) -> tuple[Console, io.StringIO]:
    out = io.StringIO()
    return Console(file=out, force_terminal=terminal, width=120, color_system=None), out


def test_without_a_terminal_milestones_are_lines() -> None:
    console, out = _console(terminal=False)
    with ProgressDisplay(console) as show:
        for event in EVENTS:
            show(event)
    assert out.getvalue().splitlines() == [
        "Extraktion: 25/50 Skizzen (50 %), 2,5 Skizzen/s",
        "Extraktion: 50/50 Skizzen (100 %), 2,5 Skizzen/s",
        "Prüfung: 50/50 Skizzen (100 %), 12,5 Skizzen/s",
    ]


def test_in_a_terminal_a_bar_per_step_with_counts_and_rate() -> None:
    console, out = _console(terminal=True)
    with ProgressDisplay(console) as show:
        for event in EVENTS:
            show(event)
    last = out.getvalue().rsplit("\r", 2)[-2:]  # the final frame of the live display
    text = "".join(last)
    for part in ("Extraktion", "50/50", "2,5/s", "Prüfung", "12,5/s"):
        assert part in text, text


@pytest.fixture()
def prefect_console() -> Iterator[io.StringIO]:
    """A Prefect console handler on the root logger, as Prefect's logging configures it."""
    from prefect.logging.handlers import PrefectConsoleHandler

    stream = io.StringIO()
    handler = PrefectConsoleHandler(stream=stream)
    root = logging.getLogger()
    root.addHandler(handler)
    try:
        yield stream
    finally:
        root.removeHandler(handler)


@pytest.mark.parametrize("terminal", [False, True], ids=["lines", "bar"])
def test_the_flows_progress_lines_stay_off_the_console_while_shown(
    prefect_console: io.StringIO, terminal: bool
) -> None:
    console, out = _console(terminal=terminal)
    log = logging.getLogger("skizzen.test")
    with ProgressDisplay(console):
        log.warning("Extraktion: 1/2 Skizzen", extra={runs.PROGRESS_RECORD: True})
        log.warning("Datenbank antwortet langsam")
    log.warning("Extraktion: 2/2 Skizzen", extra={runs.PROGRESS_RECORD: True})
    shown = prefect_console.getvalue() + out.getvalue()
    assert "Datenbank antwortet langsam" in shown  # other log lines: printed as before
    assert "1/2" not in shown
    assert "2/2" in prefect_console.getvalue()  # after the display: the console has them again
    if terminal:  # drawn above the bar, through the display's console
        assert "Datenbank antwortet langsam" in out.getvalue()
