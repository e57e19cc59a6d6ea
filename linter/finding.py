"""The finding model: an immutable value with a code, a location, a severity and a message."""

from __future__ import annotations

import enum
from dataclasses import dataclass


class Severity(enum.Enum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def rank(self) -> int:
        return {"error": 3, "warning": 2, "info": 1}[self.value]


@dataclass(frozen=True, order=True)
class Location:
    """A place in a file. ``path`` is relative to the app root, with forward slashes."""

    path: str
    line: int = 0  # 0 when the finding is about the file as a whole
    column: int = 0


@dataclass(frozen=True)
class Finding:
    code: str  # "SPL101"
    rule: str  # "missing-permission"
    severity: Severity
    location: Location
    message: str  # one sentence, no trailing period, names the call and the permission in backticks
    permission: str | None = None
    related: tuple[tuple[Location, str], ...] = ()
    # "exact", or "inferred" when the finding rests on a call recognised by its shape alone
    # (docs/semantics.md §11).
    confidence: str = "exact"

    def sort_key(self) -> tuple:
        return (self.location, self.code, self.message)
