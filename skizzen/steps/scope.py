"""The scope of a rerun, as a typed form (Prefect renders it in "Custom run")."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from typing import Literal

from pydantic import BaseModel, Field, model_validator


class RerunScope(BaseModel):
    """Which sketches to re-extract: all, listed ones, one call, or a received-date range."""

    mode: Literal["all", "sketches", "call", "received"] = Field(
        default="all",
        description=(
            "all = alle Skizzen · sketches = ausgewählte Skizzen · "
            "call = ein Förderaufruf · received = Eingangszeitraum"
        ),
    )
    sketches: list[str] = Field(
        default_factory=list,
        description="Skizzen-Nummern oder SHA-256 der PDF (Präfix ab 8 Zeichen), für mode=sketches",
    )
    call_id: str | None = Field(default=None, description="Förderaufruf, für mode=call")
    received_from: date | None = Field(
        default=None, description="erster Eingangstag (einschließlich), für mode=received"
    )
    received_to: date | None = Field(
        default=None, description="letzter Eingangstag (einschließlich), für mode=received"
    )

    @model_validator(mode="after")
    def _complete(self) -> RerunScope:
        if self.mode == "sketches" and not self.sketches:
            raise ValueError("mode 'sketches' needs at least one sketch")
        if self.mode == "call" and not self.call_id:
            raise ValueError("mode 'call' needs call_id")
        if self.mode == "received" and not (self.received_from or self.received_to):
            raise ValueError("mode 'received' needs received_from and/or received_to")
        return self

    def date_bounds(self) -> tuple[datetime | None, datetime | None]:
        """Inclusive day range as UTC datetimes."""
        lo = datetime.combine(self.received_from, time.min, UTC) if self.received_from else None
        hi = datetime.combine(self.received_to, time.max, UTC) if self.received_to else None
        return lo, hi
