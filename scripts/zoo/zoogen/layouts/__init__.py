"""Layout registry: every module in this package exposes ``LAYOUTS: list[Layout]``.

Modules are discovered, not listed, so that layouts can be added without touching this file.
"""

from __future__ import annotations

import importlib
import pkgutil

from zoogen.model import Layout


def all_layouts() -> list[Layout]:
    """Every registered layout, sorted by name (deterministic)."""
    found: list[Layout] = []
    for info in pkgutil.iter_modules(__path__):
        if info.name.startswith("_"):
            continue
        module = importlib.import_module(f"{__name__}.{info.name}")
        found.extend(getattr(module, "LAYOUTS", []))
    names = [lay.name for lay in found]
    dupes = {n for n in names if names.count(n) > 1}
    if dupes:
        raise RuntimeError(f"duplicate layout names: {sorted(dupes)}")
    return sorted(found, key=lambda lay: lay.name)
