"""Which rules run: ``select`` / ``extend-select`` / ``ignore`` from a config file and the command line.

A selector is a rule code (``SPL101``), a code prefix (``SPL1``: every ``SPL1nn`` rule), a rule
name (``missing-permission``) or ``ALL``. Layers are applied in order, config file first, then
the command line, so a flag overrides the file as in ruff: a layer's ``select`` replaces what the
layers before it chose, its ``extend-select`` adds to that, and its ``ignore`` removes from it
(within one layer ``ignore`` wins).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterable

_CODE_PREFIX = re.compile(r"SPL\d{0,3}")


class UnknownSelector(ValueError):
    """A selector that names no rule; its text says which."""


@dataclass(frozen=True)
class Selection:
    """One layer's selectors; ``None`` means the layer does not set that key."""

    select: tuple[str, ...] | None = None
    extend_select: tuple[str, ...] | None = None
    ignore: tuple[str, ...] | None = None


def all_codes() -> tuple[str, ...]:
    from stripe_perm_lint.rules import ALL_RULES

    return tuple(rule.code for rule in ALL_RULES)


def codes_for(selector: str) -> frozenset[str]:
    """The rule codes one selector names; ``UnknownSelector`` when it names none."""
    from stripe_perm_lint.rules import ALL_RULES

    key = selector.strip()
    if key.upper() == "ALL":
        return frozenset(all_codes())
    by_name = [rule.code for rule in ALL_RULES if rule.name == key.lower()]
    if by_name:
        return frozenset(by_name)
    if _CODE_PREFIX.fullmatch(key.upper()):
        matched = frozenset(code for code in all_codes() if code.startswith(key.upper()))
        if matched:
            return matched
    raise UnknownSelector(f"unknown rule code or name {selector!r} (`stripe-perm-lint rules` lists them)")


def check_selectors(selectors: Iterable[str]) -> None:
    """Raise ``UnknownSelector`` for the first selector that names no rule."""
    for selector in selectors:
        codes_for(selector)


def selected_codes(layers: Iterable[Selection]) -> frozenset[str]:
    """The codes of the rules that run after applying ``layers`` in order (default: every rule)."""
    chosen = frozenset(all_codes())
    for layer in layers:
        if layer.select is not None:
            chosen = _union(layer.select)
        chosen |= _union(layer.extend_select or ())
        chosen -= _union(layer.ignore or ())
    return chosen


def _union(selectors: Iterable[str]) -> frozenset[str]:
    out: frozenset[str] = frozenset()
    for selector in selectors:
        out |= codes_for(selector)
    return out
