"""The one object every rule's ``check`` receives: the app, the catalog, and what is computed
from them once per app (the analysis of needs and gaps, the declared-versus-needed diff)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING

from stripe_perm_lint.analysis import Analysis, Gap, analyse
from stripe_perm_lint.gaps import GapKind
from stripe_perm_lint.app import App
from stripe_perm_lint.diff import PermissionDiff, permission_diff

if TYPE_CHECKING:
    from stripe_perm_lint.catalog import Catalog


@dataclass(frozen=True)
class RuleContext:
    app: App
    catalog: "Catalog"

    @cached_property
    def analysis(self) -> Analysis:
        return analyse(self.app, self.catalog)

    @cached_property
    def diff(self) -> PermissionDiff:
        return permission_diff(self.app, self.catalog, self.analysis)

    def gaps(self, *kinds: GapKind) -> list[Gap]:
        return self.analysis.gaps_of(*kinds)
