"""Ruby backends (tree-sitter-ruby): ``parse(path, text) -> FileFacts`` (docs/languages.md, "Ruby").

The file is indexed once (``scope``), an evaluator follows values through it (``evaluator``), and
three readers turn it into facts: SDK calls (``calls``), raw requests (``raw``) and webhook events
(``events``). Handled events get their endpoint's evidence (``parse.endpoints``) from the region
they sit in: each outermost method (`WebhooksController.create`), or a top-level block that
receives events (a Sinatra route, `StripeEvent.configure`).
"""

from __future__ import annotations

from stripe_perm_lint.facts import FileFacts, ParseProblem
from stripe_perm_lint.parse.ruby.reader import read_file


def parse(path: str, text: str) -> FileFacts:
    facts, problem = read_file(path, text)
    if problem is not None:
        facts = FileFacts(**{**facts.__dict__, "problems": (ParseProblem(*problem),)})
    return facts
