"""The backward step of the prefilter's cross-file completion (``prefilter._Leads``) keeps its
answers between questions, including the "no"s found inside import cycles. Whatever the order
of the questions, each answer must be what a plain search of the re-export graph gives."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from stripe_perm_lint.facts import ClientExport, FileFacts, ImportBinding
from stripe_perm_lint.prefilter import _leading_names, _Leads

MODULES = [f"m{i}" for i in range(7)]
NAMES = ["client", "x", "default", "*"]

# A module re-exports from another: `export {a as b} from './m3'` (local b, name a),
# `export * from './m3'` (local and name "*"), `import * as b` (local b, name "*").
binding = st.builds(ImportBinding, local=st.sampled_from(NAMES[:3] + ["*"]), module=st.sampled_from(MODULES),
                    name=st.sampled_from(NAMES))
graphs = st.fixed_dictionaries({m: st.tuples(st.lists(binding, max_size=4), st.booleans()) for m in MODULES})


def _files(graph) -> dict[str, FileFacts]:
    out = {}
    for module, (imports, exports_client) in graph.items():
        out[module] = FileFacts(path=module, language="typescript", imports=tuple(imports),
                                client_exports=(ClientExport("client", "node"),) if exports_client else ())
    return out


def _plain(files: dict[str, FileFacts], path: str, name: str) -> bool:
    """The search the memo must agree with: every (module, name) reachable, none remembered."""
    todo, seen = [(path, name)], set()
    while todo:
        key = todo.pop()
        if key in seen:
            continue
        seen.add(key)
        at, asked = key
        facts = files[at]
        exports = {e.name for e in facts.client_exports}
        if asked in exports or (asked in ("*", "default") and exports):
            return True
        for b in facts.imports:
            if b.local in (asked, "*") or asked in ("*", "default"):
                todo.append((b.module, asked if b.name == "*" else b.name))
    return False


@settings(max_examples=400, deadline=None)
@given(graphs, st.lists(st.tuples(st.sampled_from(MODULES), st.sampled_from(NAMES)), min_size=1, max_size=20),
       st.booleans())
def test_remembered_answers_equal_a_fresh_search_in_any_order(graph, questions, pruned) -> None:
    files = _files(graph)
    leading = _leading_names(files.values()) if pruned else None
    leads = _Leads(files, lambda importer, module: module, leading)
    for path, name in questions:
        expected = _plain(files, path, name)
        assert leads(path, name) == expected, (path, name)
        if expected and leading is not None:
            assert name in leading  # what ``_backward`` asks only of the names in it


def test_a_no_inside_a_cycle_is_not_kept_before_the_cycle_is_left() -> None:
    # m0 -> m1 -> m2 -> m1 (a cycle of barrels), and m1 also leads on to m3, which exports the
    # client: m2's "no" while m1 is still searched must not be remembered.
    files = {
        "m0": FileFacts(path="m0", language="typescript", imports=(ImportBinding("*", "m1", "*"),)),
        "m1": FileFacts(path="m1", language="typescript",
                        imports=(ImportBinding("*", "m2", "*"), ImportBinding("*", "m3", "*"))),
        "m2": FileFacts(path="m2", language="typescript", imports=(ImportBinding("*", "m1", "*"),)),
        "m3": FileFacts(path="m3", language="typescript", client_exports=(ClientExport("client", "node"),)),
    }
    leads = _Leads(files, lambda importer, module: module)
    assert leads("m0", "client")
    assert leads("m2", "client")
    assert all(leads(m, "x") is False for m in files)


def test_a_name_renamed_twice_on_the_way_to_the_export_is_still_asked() -> None:
    files = {  # m0: `export {b as c} from './m1'`; m1: `export {client as b} from './m2'`
        "m0": FileFacts(path="m0", language="typescript", imports=(ImportBinding("c", "m1", "b"),)),
        "m1": FileFacts(path="m1", language="typescript", imports=(ImportBinding("b", "m2", "client"),)),
        "m2": FileFacts(path="m2", language="typescript", client_exports=(ClientExport("client", "node"),)),
    }
    leading = _leading_names(files.values())
    assert {"b", "c"} <= leading and "x" not in leading
    assert _Leads(files, lambda importer, module: module, leading)("m0", "c")
