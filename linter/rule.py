"""The ``Rule`` base class: one place declares a rule's identity, its docs and its check."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, ClassVar, Iterator

from stripe_perm_lint.gaps import GapKind
from stripe_perm_lint.examples import Example
from stripe_perm_lint.finding import Finding, Location, Severity

if TYPE_CHECKING:
    from stripe_perm_lint.context import RuleContext

DOC_SECTIONS = ("## Why it matters", "## Example", "## Fix")


class Rule:
    """Subclasses set ``code``, ``name``, ``severity``, write a docstring with ``DOC_SECTIONS``,
    give ``valid`` and ``invalid`` example apps, and implement ``check``. The metadata is
    validated when the class is defined, so a malformed rule fails at import time rather than in
    a user's report."""

    code: ClassVar[str]
    name: ClassVar[str]
    severity: ClassVar[Severity]
    # The kinds of analysis gap this rule reports; each kind belongs to exactly one rule.
    gap_kinds: ClassVar[tuple[GapKind, ...]] = ()
    # Small apps the rule stays silent on, and apps it reports (with the exact findings): run by
    # tests/test_rule_examples.py with only this rule enabled, and printed by `explain`.
    valid: ClassVar[tuple[Example, ...]] = ()
    invalid: ClassVar[tuple[Example, ...]] = ()

    def __init_subclass__(cls, **kwargs: object) -> None:
        super().__init_subclass__(**kwargs)
        if not re.fullmatch(r"SPL\d{3}", cls.code):
            raise TypeError(f"{cls.__name__}: code {cls.code!r} is not SPLnnn")
        if not re.fullmatch(r"[a-z]+(-[a-z]+)*", cls.name):
            raise TypeError(f"{cls.__name__}: name {cls.name!r} is not kebab-case")
        doc = cls.__doc__ or ""
        missing = [s for s in DOC_SECTIONS if s not in doc]
        if missing:
            raise TypeError(f"{cls.__name__}: docstring lacks {', '.join(missing)}")
        if any(example.expect for example in cls.valid) or not all(example.expect for example in cls.invalid):
            raise TypeError(f"{cls.__name__}: valid examples expect no finding, invalid ones at least one")

    @classmethod
    def summary(cls) -> str:
        return (cls.__doc__ or "").strip().splitlines()[0].rstrip(".")

    @classmethod
    def documentation(cls) -> str:
        """The docstring without its summary line, dedented."""
        import inspect

        body = inspect.cleandoc(cls.__doc__ or "")
        return body.split("\n", 1)[1].strip() if "\n" in body else ""

    def finding(
        self,
        location: Location,
        message: str,
        permission: str | None = None,
        related: tuple[tuple[Location, str], ...] = (),
        severity: Severity | None = None,
        confidence: str = "exact",
    ) -> Finding:
        return Finding(
            code=self.code,
            rule=self.name,
            severity=severity or self.severity,
            location=location,
            message=message,
            permission=permission,
            related=related,
            confidence=confidence,
        )

    def check(self, ctx: "RuleContext") -> Iterator[Finding]:
        raise NotImplementedError
