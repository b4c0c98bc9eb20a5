"""Fixture: render positioned texts to a PDF and run the real parser + extractors."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from extractors.types import FieldResult
from tests.extractors.render_pdf import Item, render, run


@pytest.fixture
def extract() -> Callable[[list[Item]], dict[str, FieldResult]]:
    def go(items: list[Item]) -> dict[str, FieldResult]:
        return run(render(items))

    return go
