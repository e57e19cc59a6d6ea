"""The method table of stripe-go (``catalog/languages/go.json``), read from a checkout of the SDK
with tree-sitter-go.

    python -m stripe_perm_lint.catalog.build.lang_go --sdk PATH [--older PATH ...]

``PATH`` is an extracted checkout of https://github.com/stripe/stripe-go (its ``.git`` directory
or ``--commit`` gives the provenance). stripe-go reaches the API in three styles, all generated
from the same OpenAPI spec:

- ``go_legacy``: the resource packages' functions, `customer.Get(id, params)`, accessor
  ``<package path in the SDK>.<Func>`` (`customer.Get`, `checkout/session.New`). Each wraps the
  package's ``Client`` method of the same name, whose body makes the request:
  ``c.B.Call(http.MethodGet, path, ...)`` with ``path := stripe.FormatURLPath("/v1/customers/%s", id)``.
- ``go_api``: the ``client.API`` struct of ``client/api.go`` (`sc.Customers.Get`), accessor
  ``<API field>.<Client method>`` (`Customers.Get`).
- ``go_client``: ``stripe.NewClient(key)`` (v82.1+), whose fields are the root package's
  ``*_service.go`` types (`sc.V1Customers.Retrieve(ctx, id, params)`), accessor
  ``<Client field>.<service method>`` (`V1Customers.Retrieve`).

``--older`` checkouts (earlier majors, v72 to v85) add the accessors apps still call that the
newest SDK renamed or dropped; the newest SDK's mapping wins where both have one. The root
package's ``EventType`` constants (`EventTypeInvoicePaid = "invoice.paid"`) become ``event_types``,
so the parser can name the events a `case stripe.EventTypeInvoicePaid:` handles.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

from stripe_perm_lint.catalog.build.languages import operation_index, required_operations, shape, write_table
from stripe_perm_lint.parse.go.syntax import arguments, imports, sdk_package, selector_chain, string_value, text, walk_types

GENERATED_BY = "python -m stripe_perm_lint.catalog.build.lang_go --sdk PATH"
DISPLAY = {"go_legacy": "{}()", "go_api": "sc.{}()", "go_client": "sc.{}()"}
_REQUEST_METHODS = frozenset({"Call", "CallRaw", "CallMultipart", "CallStreaming"})
# Folders of the checkout that hold no SDK surface an app calls.
_NOT_SDK = frozenset({"example", "mock", "scripts", "testing", "form", ".git", "testdata"})
_VERBS = {"MethodGet": "GET", "MethodPost": "POST", "MethodDelete": "DELETE", "MethodPut": "PUT", "MethodPatch": "PATCH"}


def _parser():
    import tree_sitter_go
    from tree_sitter import Language, Parser

    return Parser(Language(tree_sitter_go.language()))


def verb_of(node) -> str | None:
    """`http.MethodGet` or `"GET"` -> GET."""
    literal = string_value(node)
    if literal is not None:
        return literal.upper()
    chain = selector_chain(node)
    return _VERBS.get(chain[-1]) if chain and len(chain) == 2 and chain[0] == "http" else None


def _path_values(body) -> dict[str, list[str]]:
    """`path := stripe.FormatURLPath("/v1/customers/%s", id)` (or a literal) -> {"path": [...]}, in
    source order: a later assignment is a variant (`/v1/customers/%s/tax_ids` when a customer is
    given). A v2 list hands its path to the page function: `newV2List(ctx, "/v2/core/accounts", ...,
    func(ctx, path string, ...))`."""
    found: dict[str, list[str]] = {}
    for call in walk_types(body, "call_expression"):
        name = (selector_chain(call.child_by_field_name("function")) or [""])[-1]
        literal = next((string_value(a) for a in arguments(call) if string_value(a)), None)
        if name.lower().startswith("new") and name.endswith("List") and literal:
            found.setdefault("path", []).append(literal)
    for decl in walk_types(body, "short_var_declaration", "assignment_statement"):
        left, right = decl.child_by_field_name("left"), decl.child_by_field_name("right")
        if left is None or right is None or len(left.named_children) != 1 or len(right.named_children) != 1:
            continue
        value = right.named_children[0]
        if value.type == "call_expression":
            chain = selector_chain(value.child_by_field_name("function")) or []
            args = arguments(value)
            value = args[0] if chain and chain[-1] in ("FormatURLPath", "Sprintf") and args else None
        literal = string_value(value)
        if literal is not None:
            found.setdefault(text(left.named_children[0]), []).append(literal)
    return found


def requests_of(body) -> list[tuple[str, str]]:
    """The (verb, path) of each `c.B.Call(verb, path, ...)` in a function body."""
    if body is None:
        return []
    paths = _path_values(body)
    out = []
    for call in walk_types(body, "call_expression"):
        chain = selector_chain(call.child_by_field_name("function"))
        args = arguments(call)
        if not chain or chain[-1] not in _REQUEST_METHODS or len(args) < 2:
            continue
        verb = verb_of(args[0])
        literal = string_value(args[1])
        variants = [literal] if literal else paths.get(text(args[1]), []) if args[1].type == "identifier" else []
        out += [(verb, path) for path in variants if verb]
    return out


def _receiver_type(method) -> str:
    receiver = method.child_by_field_name("receiver")
    names = [text(n) for n in walk_types(receiver, "type_identifier")] if receiver is not None else []
    return names[0] if names else ""


def read_package(parser, folder: Path) -> dict:
    """One package of the SDK: its types' methods (name -> requests), its exported functions
    (name -> the Client method they wrap, or None), its struct fields and imports."""
    methods: dict[tuple[str, str], list] = {}
    functions: dict[str, str | None] = {}
    fields: dict[str, dict[str, tuple[str | None, str]]] = {}
    aliases: dict[str, str] = {}
    constants: dict[str, str] = {}
    for path in sorted(folder.glob("*.go")):
        if path.name.endswith("_test.go"):
            continue
        root = parser.parse(path.read_bytes()).root_node
        for name, import_path, _ in imports(root):
            package = sdk_package(import_path)
            if package is not None:
                aliases[name or import_path.rsplit("/", 1)[-1]] = package
        for node in root.children:
            if node.type == "method_declaration":
                methods[(_receiver_type(node), text(node.child_by_field_name("name")))] = \
                    requests_of(node.child_by_field_name("body"))
            elif node.type == "function_declaration":
                name = text(node.child_by_field_name("name"))
                if name[:1].isupper():
                    functions[name] = _wrapped(node.child_by_field_name("body"))
            elif node.type == "type_declaration":
                for spec in walk_types(node, "type_spec"):
                    fields[text(spec.child_by_field_name("name"))] = _struct_fields(spec)
            elif node.type == "const_declaration":
                for spec in walk_types(node, "const_spec"):
                    kind, value = spec.child_by_field_name("type"), spec.child_by_field_name("value")
                    if kind is not None and text(kind) == "EventType" and value is not None:
                        literal = string_value(value.named_children[0]) if value.named_children else None
                        if literal:
                            constants[text(spec.child_by_field_name("name"))] = literal
    return {"methods": methods, "functions": functions, "fields": fields, "aliases": aliases, "constants": constants}


def _wrapped(body) -> str | None:
    """`return getC().Get(id, params)` -> "Get": the Client method a package function wraps."""
    for call in walk_types(body, "call_expression") if body is not None else ():
        function = call.child_by_field_name("function")
        if function.type == "selector_expression":
            operand = function.child_by_field_name("operand")
            if operand.type == "call_expression" and text(operand.child_by_field_name("function")) == "getC":
                return text(function.child_by_field_name("field"))
    return None


def _struct_fields(spec) -> dict[str, tuple[str | None, str]]:
    """`Customers *customer.Client` -> {"Customers": ("customer", "Client")} of a struct type."""
    out = {}
    kind = spec.child_by_field_name("type")
    if kind is None or kind.type != "struct_type":
        return out
    for field in walk_types(kind, "field_declaration"):
        name, ftype = field.child_by_field_name("name"), field.child_by_field_name("type")
        if name is None or ftype is None:
            continue
        if ftype.type == "pointer_type":
            ftype = ftype.named_children[0]
        if ftype.type == "qualified_type":
            out[text(name)] = (text(ftype.child_by_field_name("package")), text(ftype.child_by_field_name("name")))
        elif ftype.type == "type_identifier":
            out[text(name)] = (None, text(ftype))
    return out


def read_sdk(sdk: Path) -> dict:
    """Every package of a checkout, keyed by its path in the SDK ("" is the root `stripe`)."""
    parser = _parser()
    packages = {}
    for folder in sorted({p.parent for p in sdk.rglob("*.go")}):
        rel = folder.relative_to(sdk).as_posix()
        if set(rel.split("/")) & _NOT_SDK:
            continue
        packages["" if rel == "." else rel] = read_package(parser, folder)
    return packages


def _exported(name: str) -> bool:
    return name[:1].isupper()


def surface(packages: dict) -> tuple[dict, dict]:
    """(style -> accessor -> [(verb, path)...], style -> helper accessors) of one checkout."""
    methods: dict[str, dict] = {"go_legacy": {}, "go_api": {}, "go_client": {}}
    helpers: dict[str, set] = {style: set() for style in methods}

    def add(style: str, accessor: str, requests: list | None) -> None:
        if requests:
            methods[style][accessor] = requests
        elif requests is not None:  # an SDK member that makes no request: a helper
            helpers[style].add(accessor)

    for rel, package in packages.items():
        if rel in ("", "client"):
            continue
        for name, wrapped in package["functions"].items():
            requests = package["methods"].get(("Client", wrapped)) if wrapped else None
            add("go_legacy", f"{rel}.{name}", [] if rel == "webhook" and requests is None else requests)
    api = packages.get("client")
    for field, (alias, type_name) in (api["fields"].get("API", {}) if api else {}).items():
        package = packages.get(api["aliases"].get(alias or "", "\0"))
        for (receiver, name), requests in (package["methods"] if package else {}).items():
            if receiver == type_name and _exported(name):
                add("go_api", f"{field}.{name}", requests)
    root = packages.get("", {"fields": {}, "methods": {}})
    services = root["fields"].get("Client", {})
    for (receiver, name), requests in root["methods"].items():
        if receiver == "Client" and _exported(name) and not requests:
            add("go_client", name, [])  # `sc.ConstructEvent(...)`
    for field, (alias, type_name) in services.items():
        for (receiver, name), requests in root["methods"].items():
            if alias is None and receiver == type_name and _exported(name):
                add("go_client", f"{field}.{name}", requests)
    return methods, helpers


def build_table(sdk: Path, commit: str, older: list[Path]) -> tuple[dict, list[str]]:
    """The table, and the SDK requests that join no operation of the catalog (for the log)."""
    index = operation_index()
    table_methods: dict[str, dict[str, str]] = {}
    table_helpers: dict[str, set] = {}
    event_types: dict[str, str] = {}
    only_older: dict[str, list[str]] = {}
    unjoined = []
    variants: dict[str, str] = {}  # an operation a method reaches only with some params -> that method
    for number, checkout in enumerate([sdk, *older]):
        packages = read_sdk(checkout)
        methods, helpers = surface(packages)
        for style, found in methods.items():
            for accessor, requests in sorted(found.items()):
                joined = [index[shape(v, p)] for v, p in requests if shape(v, p) in index]
                op_id = joined[0] if joined else None
                for other in joined[1:]:
                    variants.setdefault(other, f"{style} `{accessor}`")
                if op_id is None:
                    unjoined.append(f"{_version(checkout)} {style} {accessor}: {requests[0][0]} {requests[0][1]}")
                elif accessor not in table_methods.setdefault(style, {}):  # the newest SDK wins
                    table_methods[style][accessor] = op_id
                    if number:
                        only_older.setdefault(style, []).append(accessor)
        for style, names in helpers.items():
            table_helpers.setdefault(style, set()).update(n for n in names if n not in table_methods.get(style, {}))
        for name, value in packages.get("", {}).get("constants", {}).items():
            event_types.setdefault(name, value)
    reached = {op for found in table_methods.values() for op in found.values()}
    table = {
        "language": "go", "sdk": "stripe-go", "sdk_version": _version(sdk),
        "source": f"https://github.com/stripe/stripe-go commit {commit}",
        "generated_by": GENERATED_BY + "".join(" --older PATH" for _ in older),
        "older_sdk_versions": sorted({_version(p) for p in older}, key=_version_key),
        "only_in_older": {style: sorted(names) for style, names in only_older.items()},
        "display": DISPLAY,
        "methods": table_methods,
        "helpers": {style: sorted(names) for style, names in table_helpers.items() if names},
        "event_types": event_types,
        "absent": {op: _absent_reason(op, _version(sdk), variants.get(op)) for op in required_operations() if op not in reached},
    }
    return table, unjoined


def _absent_reason(op_id: str, version: str, variant_of: str | None) -> str:
    verb, path = op_id.split(" ", 1)
    if variant_of:
        return (f"requested by {variant_of} when a parent id is in its params (one path or the other at run "
                "time); the table maps that method to its other path")
    if path.startswith("/v2/"):
        return f"stripe-go {version} has no service method for this v2 endpoint (v2 APIs are added to it as they leave preview)"
    return f"no method of stripe-go {version} (nor of the older majors read) requests `{verb} {path}`"


def _version(checkout: Path) -> str:
    found = checkout / "VERSION"
    return found.read_text("utf-8").strip() if found.exists() else "unknown"


def _version_key(version: str) -> tuple:
    return tuple(int(p) if p.isdigit() else 0 for p in version.split("."))


def _commit(sdk: Path) -> str:
    done = subprocess.run(["git", "-C", str(sdk), "rev-parse", "HEAD"], capture_output=True, text=True)
    return done.stdout.strip() if done.returncode == 0 else "unknown"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m stripe_perm_lint.catalog.build.lang_go",
                                     description="write catalog/languages/go.json from a checkout of stripe-go")
    parser.add_argument("--sdk", type=Path, required=True, help="an extracted checkout of stripe-go (the newest)")
    parser.add_argument("--commit", help="the checkout's commit, when PATH is no git work tree")
    parser.add_argument("--older", type=Path, action="append", default=[],
                        help="a checkout of an earlier major whose names apps may still call (repeatable)")
    args = parser.parse_args(argv)
    for checkout in (args.sdk, *args.older):
        if not (checkout / "go.mod").exists() and not (checkout / "stripe.go").exists():
            print(f"error: {checkout} is not a checkout of stripe-go (no go.mod or stripe.go)", file=sys.stderr)
            return 2
    table, unjoined = build_table(args.sdk, args.commit or _commit(args.sdk), args.older)
    path = write_table(table)
    counts = ", ".join(f"{style} {len(found)}" for style, found in sorted(table["methods"].items()))
    print(f"wrote {path}: {counts}; {len(table['absent'])} absent; {len(unjoined)} SDK requests join no operation")
    for line in unjoined[:20]:
        print(f"  unjoined: {line}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
