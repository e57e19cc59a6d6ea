"""The catalog generator: makes `catalog/*.json` from the pinned SDK packages.

    python -m stripe_perm_lint.catalog.build [--check]    # __main__.py

* `generate.py`: `generate()` joins everything into the text of each JSON file;
* `versions.py`: the pinned SDK versions; `fetch.py`: downloads and unpacks them into `.sdk-cache/`;
* `node.py`, `node_types.py`: stripe-node methods and old typings (tree-sitter);
* `python.py`, `python_types.py`: stripe-python methods and typed fields (libcst, via `pysource.py`);
* `operations.py`: one operation per (verb, path) with its requirement (`catalog/path_rules.py`);
* `objects.py`: object read requirements, the pruned type graph, events;
* `permission_data.py`, `seed_reference.json` (made by `extract_seed.py`): hand-kept and copied facts.

The runtime (`stripe_perm_lint.catalog`) never imports this package (tests/test_catalog.py checks
it); this package uses the runtime's `path_rules`.
"""
