"""How a command shows the progress of its run: a rich bar per step in a terminal (counts,
rate, time), else one German line per milestone (first item, each tenth, the end).

The flow runs in the command's process and reports through ``runs.progress_to``; its
progress lines still go to the Prefect API (the UI), but not to the console, where the bar
or this display's own lines say the same. While a bar is drawn, Prefect's console log is
printed above it instead of through it.
"""

from __future__ import annotations

import logging
from contextlib import ExitStack
from typing import Any, TextIO

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
)

from skizzen.steps import runs


class _Above:
    """Stands in for a Prefect console handler's rich console while a bar is drawn: its
    lines are printed above the bar (as plain text, as Prefect prints them)."""

    def __init__(self, console: Console) -> None:
        self._console = console

    def print(self, message: str, **_: Any) -> None:
        self._console.print(message, markup=False, highlight=False, soft_wrap=True)


def _not_progress(record: logging.LogRecord) -> bool:
    return not getattr(record, runs.PROGRESS_RECORD, False)


class ProgressDisplay:
    """A sink for ``runs.Progress`` on ``console`` (the command's stderr), used as

    with ProgressDisplay(err) as show, runs.progress_to(show):
        ingest_sketches(...)
    """

    def __init__(self, console: Console, *, lines: TextIO | None = None) -> None:
        """``lines``: where milestone lines go when ``console`` is not a terminal (default:
        the console's own file)."""
        self.console = console
        self.terminal = console.is_terminal
        self._lines = lines
        self._bar: Progress | None = None
        self._tasks: dict[str, TaskID] = {}
        self._stack = ExitStack()

    def __enter__(self) -> ProgressDisplay:
        if self.terminal:
            self._bar = Progress(
                TextColumn("{task.description}"),
                BarColumn(),
                MofNCompleteColumn(),
                TextColumn("{task.fields[unit]}"),
                TextColumn("{task.fields[rate]}"),
                TimeElapsedColumn(),
                console=self.console,
            )
            self._bar.start()
            self._stack.callback(self._bar.stop)
        for handler in _prefect_console_handlers():
            handler.addFilter(_not_progress)
            self._stack.callback(handler.removeFilter, _not_progress)
            if self._bar is not None:
                own = handler.console
                handler.console = _Above(self._bar.console)  # type: ignore[assignment]
                self._stack.callback(setattr, handler, "console", own)
        return self

    def __exit__(self, *exc: object) -> None:
        self._stack.close()

    def __call__(self, event: runs.Progress) -> None:
        if self._bar is None:
            if event.milestone:
                out = self._lines or self.console.file
                out.write(event.line() + "\n")
                out.flush()
            return
        rate = "" if event.rate is None else f"{_rate(event.rate)}/s"
        task = self._tasks.get(event.step)
        if task is None:
            task = self._tasks[event.step] = self._bar.add_task(
                event.step, total=event.total, unit=event.unit, rate=rate
            )
        self._bar.update(task, completed=event.done, total=event.total, rate=rate)


def _rate(value: float) -> str:
    from skizzen.german import format_number

    return format_number(value, decimals=1)


def _prefect_console_handlers() -> list[Any]:
    """Prefect's console handlers (on the root logger, by its logging configuration)."""
    from prefect.logging.handlers import PrefectConsoleHandler

    return [h for h in logging.getLogger().handlers if isinstance(h, PrefectConsoleHandler)]
