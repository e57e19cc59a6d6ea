"""Every rule's own examples (``valid`` / ``invalid`` in its module), each linted with only that
rule enabled (plus the rules an example names, whose findings the rule judges): a valid example
gives no finding, an invalid one exactly the findings it states."""

from __future__ import annotations

from pathlib import Path

import pytest

from stripe_perm_lint.config import ConfigLoader, Settings
from stripe_perm_lint.engine import lint_paths
from stripe_perm_lint.rules import ALL_RULES, rule_by_code_or_name
from stripe_perm_lint.settings import options_for

CASES = [
    pytest.param(rule, example, id=f"{rule.code}-{kind}-{index}")
    for rule in ALL_RULES
    for kind, examples in (("valid", rule.valid), ("invalid", rule.invalid))
    for index, example in enumerate(examples)
]


@pytest.mark.parametrize(("rule", "example"), CASES)
def test_rule_example(rule, example, tmp_path: Path) -> None:
    app = tmp_path / "app"
    for rel, text in example.files.items():
        (app / rel).parent.mkdir(parents=True, exist_ok=True)
        (app / rel).write_text(text, encoding="utf-8")
    others = [rule_by_code_or_name(code) for code in example.rules]
    # An example may bring a config file (SPL102's `keep`); it applies as it would for a user.
    loader = ConfigLoader(app / "stripe-perm-lint.toml" if "stripe-perm-lint.toml" in example.files else None)
    configure = lambda root: options_for(root, loader.for_app(root), Settings(None, root))  # noqa: E731
    [report] = lint_paths([app], rules=[rule, *others], configure=configure if loader.forced else None)
    got = [f"{f.location.path}:{f.location.line}:{f.location.column}: {f.message}" for f in report.findings]
    assert {f.code for f in report.findings} <= {rule.code}
    assert got == list(example.expect)
