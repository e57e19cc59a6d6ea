"""A YAML reader bounded for untrusted manifests: no alias bombs, no duplicate keys, no deep nesting.

PyYAML shares an aliased node instead of copying it, so loading a "billion laughs" document is
cheap, but anything that walks the result (positions, permission lists) walks every expansion:
nine levels of nine aliases are 387 million nodes. Real manifests use no aliases at all, so a
document whose expansion exceeds a small bound is refused, as is a key given twice (YAML forbids
it; PyYAML would silently keep the last) and nesting no manifest needs.
"""

from __future__ import annotations

from typing import Any

import yaml
from yaml.composer import ComposerError
from yaml.constructor import ConstructorError

MAX_DEPTH = 64
MAX_EXPANDED_NODES = 10_000


class _BoundedLoader(yaml.SafeLoader):
    # A manifest holds strings, lists and maps: `version: 2024-02-30` is text, not a date (and an
    # impossible date must not stop the read), so the implicit timestamp type is not resolved.
    yaml_implicit_resolvers = {
        first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
        for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
    }

    def construct_object(self, node, deep=False):  # noqa: ANN001 - PyYAML's signature
        """PyYAML's constructors raise plain Python errors on a value they cannot build
        (`!!int x`, `!!timestamp 2001-12-14 25:00:00`): report those as YAML errors at the node."""
        try:
            return super().construct_object(node, deep)
        except yaml.YAMLError:
            raise
        except (ValueError, TypeError, KeyError, IndexError, AttributeError, OverflowError) as exc:
            raise ConstructorError(None, None, f"cannot read the value {node.value!r} as {node.tag}: {exc}", node.start_mark) from None

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self.depth = 0
        self.first_alias: yaml.Mark | None = None

    def compose_node(self, parent, index):  # noqa: ANN001 - PyYAML's signature
        event = self.peek_event()
        if isinstance(event, yaml.AliasEvent) and self.first_alias is None:
            self.first_alias = event.start_mark
        self.depth += 1
        try:
            if self.depth > MAX_DEPTH:
                raise ComposerError(None, None, f"nested more than {MAX_DEPTH} levels deep", event.start_mark)
            return super().compose_node(parent, index)
        finally:
            self.depth -= 1

    def compose_mapping_node(self, anchor):  # noqa: ANN001
        node = super().compose_mapping_node(anchor)
        seen: set[str] = set()
        for key, _ in node.value:
            if isinstance(key, yaml.ScalarNode) and key.value != "<<":
                if key.value in seen:
                    raise ComposerError(
                        "while reading a mapping", node.start_mark, f"duplicate key `{key.value}`", key.start_mark
                    )
                seen.add(key.value)
        return node


def load_bounded(text: str) -> tuple[Any, yaml.Node | None]:
    """The document's value and its node tree (for positions). Raises ``yaml.YAMLError`` (with
    a mark where one is known) for bad syntax and for everything refused above."""
    loader = _BoundedLoader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None, None
        if _expanded_size(node, {}) > MAX_EXPANDED_NODES:
            raise ComposerError(
                None, None,
                f"aliases expand the document past {MAX_EXPANDED_NODES:,} nodes (an alias bomb?); "
                "a manifest needs no aliases",
                loader.first_alias,
            )
        return loader.construct_document(node), node
    finally:
        loader.dispose()


def _expanded_size(node: yaml.Node, memo: dict[int, int]) -> int:
    """How many nodes a walk that follows every alias visits (shared nodes counted each time),
    computed once per distinct node; a cycle counts as too many. Depth is bounded by the composer."""
    if id(node) in memo:
        return memo[id(node)]
    memo[id(node)] = MAX_EXPANDED_NODES + 1  # a node that contains itself expands forever
    size = 1
    if isinstance(node, yaml.SequenceNode):
        size += sum(_expanded_size(item, memo) for item in node.value)
    elif isinstance(node, yaml.MappingNode):
        size += sum(_expanded_size(k, memo) + _expanded_size(v, memo) for k, v in node.value)
    memo[id(node)] = size = min(size, MAX_EXPANDED_NODES + 1)
    return size
