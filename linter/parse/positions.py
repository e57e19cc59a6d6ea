"""Tree-sitter byte points as the facts' 1-based line / character columns, for every grammar."""

from __future__ import annotations

from stripe_perm_lint.facts import Position


class Positions:
    """Turns tree-sitter byte points into 1-based line / character columns."""

    def __init__(self, source: bytes) -> None:
        self._lines = source.split(b"\n")

    def of(self, node) -> Position:
        row, col = node.start_point
        line = self._lines[row] if row < len(self._lines) else b""
        prefix = line[:col]
        chars = col if prefix.isascii() else len(prefix.decode("utf-8", errors="replace"))
        return Position(row + 1, chars + 1)
