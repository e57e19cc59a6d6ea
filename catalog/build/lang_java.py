"""The method table of stripe-java (``catalog/languages/java.json``).

    python -m stripe_perm_lint.catalog.build.lang_java --sdk PATH [--commit SHA] [--version V]

The table committed was made from ``--sdk`` holding two service classes read through the
public-code index (``CustomerService.java``, ``checkout/SessionService.java``), each file's
origin in ``PATH/provenance.json``.

``PATH`` is a checkout of https://github.com/stripe/stripe-java, whole or in part: the service
classes under ``src/main/java/com/stripe/service/`` are read with tree-sitter-java. Each public
method that builds a request (``new ApiRequest(BaseAddress.API, ApiResource.RequestMethod.GET,
path, ...)`` with ``String path = String.format("/v1/customers/%s", ...)`` or a literal) gives
its verb and path, joined onto the catalog's operations by ``languages.shape``.

stripe-java's repository is too large to fetch where this table was made, so most methods come
from the SDK's naming convention instead, and are listed under ``convention``:

* ``java_client``: ``StripeClient``'s service tree mirrors stripe-python's client tree (both are
  generated from the same service nesting), with camelCase names and a call per segment:
  python ``checkout.sessions.line_items.list`` is ``checkout().sessions().lineItems().list``,
  also reachable as ``v1().checkout()...``; v2 is ``v2().core().accounts().create``.
* ``java_legacy``: the model classes' static ``retrieve/create/list/search``
  (``Customer.retrieve``, ``checkout.Session.create``), from stripe-python's legacy names.
* ``java_instance``: methods on a fetched object (``customer.update(params)``,
  ``subscription.cancel()``), from stripe-python's instance methods (``save`` is ``update``).

A service class read from source overrides the convention for its own methods.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from stripe_perm_lint.catalog.build import languages

SDK_REPO = "https://github.com/stripe/stripe-java"
GENERATED_BY = "python -m stripe_perm_lint.catalog.build.lang_java --sdk PATH"
DISPLAY = {"java_client": "client.{}()", "java_legacy": "{}()", "java_instance": "{}()"}
# Members of stripe-java that call no API: building or checking a webhook event, OAuth URLs.
HELPERS = {
    "java_legacy": ["EventDataObjectDeserializer.getObject", "OAuth.authorizeUrl", "Webhook.Signature.verifyHeader",
                    "Webhook.constructEvent"],
    "java_client": ["constructEvent", "parseThinEvent", "parseEventNotification"],
}
_LEGACY_STATIC = ("retrieve", "create", "list", "search")
_INSTANCE_RENAMES = {"save": "update"}
_INSTANCE_SKIPPED = {"refresh"}  # stripe-python re-fetches in place; stripe-java has no such method


def camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part[:1].upper() + part[1:] for part in rest)


def client_accessors(python_name: str) -> list[str]:
    """stripe-python client ``customers.balance_transactions.list`` -> stripe-java
    ``customers().balanceTransactions().list``, and the same under ``v1()``."""
    segments = [camel(s) for s in python_name.split(".")]
    if segments[0] == "v1":
        return []  # the same method under stripe-python's v1 namespace: added below from the short one
    chain = "".join(f"{s}()." for s in segments[:-1]) + segments[-1]
    return [chain] if segments[0] == "v2" else [chain, f"v1().{chain}"]


def legacy_accessor(python_name: str) -> str | None:
    *classes, method = python_name.split(".")
    return ".".join(classes + [method]) if method in _LEGACY_STATIC else None


def instance_accessor(python_name: str) -> str | None:
    *classes, method = python_name.split(".")
    if method in _INSTANCE_SKIPPED:
        return None
    return ".".join(classes + [_INSTANCE_RENAMES.get(method, camel(method))])


def by_convention(operations: list[dict]) -> dict[str, dict[str, str]]:
    methods: dict[str, dict[str, str]] = {style: {} for style in DISPLAY}
    for op in sorted(operations, key=lambda o: o["id"]):
        if not op["in_latest"]:
            continue
        if op["api"] == "oauth":  # stripe-java's `OAuth.token(params, options)`; no client service
            methods["java_legacy"]["OAuth." + op["path"].rsplit("/", 1)[-1]] = op["id"]
            continue
        for name in op["python"]:
            for accessor in client_accessors(name):
                methods["java_client"].setdefault(accessor, op["id"])
        for name in op["legacy"]:
            accessor = legacy_accessor(name)
            if accessor:
                methods["java_legacy"].setdefault(accessor, op["id"])
        for name in op["instance"]:
            accessor = instance_accessor(name)
            if accessor:
                methods["java_instance"].setdefault(accessor, op["id"])
    _class_statics(operations, methods["java_legacy"])
    return methods


def _class_statics(operations: list[dict], legacy: dict[str, str]) -> None:
    """A model class's four statics live on its collection URL (`/v1/billing/meters`): list,
    create, retrieve (`/{id}`) and search (`/search`), whichever of them stripe-python's legacy
    names happen to list."""
    collections = {}
    for accessor, op_id in legacy.items():
        cls, method = accessor.rsplit(".", 1)
        verb, path = op_id.split(" ", 1)
        if method in ("create", "list") and "{" not in path:
            collections.setdefault(cls, path)
        elif method == "retrieve" and path.endswith("}") and path.count("{") == 1:
            collections.setdefault(cls, path.rsplit("/", 1)[0])
    by_shape = {(o["verb"], o["path"]): o["id"] for o in operations if o["in_latest"]}
    for cls, path in sorted(collections.items()):
        wanted = {"list": ("GET", path), "create": ("POST", path), "search": ("GET", path + "/search")}
        retrieve = [shape for shape in by_shape if shape[0] == "GET" and shape[1].startswith(path + "/{")
                    and shape[1].count("/") == path.count("/") + 1]
        if retrieve:
            wanted["retrieve"] = retrieve[0]
        for method, shape in wanted.items():
            if shape in by_shape:
                legacy.setdefault(f"{cls}.{method}", by_shape[shape])


# --- from the SDK's own source -----------------------------------------------------------------

def _parser():
    import tree_sitter_java
    from tree_sitter import Language, Parser

    return Parser(Language(tree_sitter_java.language()))


def _walk(node):
    yield node
    for child in node.children:
        yield from _walk(child)


def _string(node, data: bytes) -> str | None:
    if node.type != "string_literal":
        return None
    return "".join(data[c.start_byte:c.end_byte].decode() for c in node.children if c.type == "string_fragment")


def request_of(method, data: bytes) -> tuple[str, str] | None:
    """(verb, path) of a service method building ``new ApiRequest(..., RequestMethod.X, path, ...)``."""
    verb = path = None
    for node in _walk(method):
        if node.type == "field_access" and data[node.start_byte:node.end_byte].decode().startswith(
                ("ApiResource.RequestMethod.", "RequestMethod.")):
            verb = data[node.end_byte - 6:node.end_byte].decode().rsplit(".", 1)[-1]
        text = _string(node, data)
        if text and text.startswith(("/v1/", "/v2/")) and path is None:
            path = text
    return (verb, path) if verb and path else None


def service_methods(file: Path, parser=None) -> dict[str, tuple[str, str]]:
    """Method name -> (verb, path) of one service class read from source."""
    data = file.read_bytes()
    tree = (parser or _parser()).parse(data)
    found = {}
    for node in _walk(tree.root_node):
        if node.type == "method_declaration":
            name = node.child_by_field_name("name")
            request = request_of(node, data)
            if name is not None and request:
                found[data[name.start_byte:name.end_byte].decode()] = request
    return found


def from_source(sdk: Path, methods: dict[str, dict[str, str]]) -> tuple[list[str], set[str]]:
    """Replace (in ``methods``) the convention's client entries of each service class found in
    ``sdk`` by what its source says; returns the files read and the accessors they gave."""
    index = languages.operation_index()
    read, derived = [], set()
    client = methods["java_client"]
    parser = _parser()
    for file in sorted((sdk / "src/main/java/com/stripe/service").rglob("*Service.java")):
        found = service_methods(file, parser)
        if not found:
            continue
        read.append(str(file.relative_to(sdk)))
        for name, (verb, path) in sorted(found.items()):
            op_id = index.get(languages.shape(verb, path))
            if op_id is None:
                continue
            # The service's chain is the convention's for the same operation's other methods.
            chains = {a.rsplit(".", 1)[0] for a, o in client.items() if o == op_id}
            for chain in chains:
                for accessor in [a for a in client if a.rsplit(".", 1)[0] == chain and client[a] == op_id]:
                    del client[accessor]
                client[f"{chain}.{name}"] = op_id
                derived.add(f"{chain}.{name}")
    return read, derived


def build(sdk: Path | None, commit: str, version: str) -> dict:
    operations = json.loads((languages.LANGUAGES_DIR.parent / "operations.json").read_text("utf-8"))["operations"]
    methods = by_convention(operations)
    convention = {style: set(accessors) for style, accessors in methods.items()}
    read: list[str] = []
    if sdk is not None:
        read, derived = from_source(sdk, methods)
        convention["java_client"] = {a for a in methods["java_client"] if a not in derived}
    reached = {op for style in methods.values() for op in style.values()}
    absent = {op_id: "stripe-python names no method for it, so stripe-java's naming convention gives none, "
                     "and its service source was not read" for op_id in languages.required_operations()
              if op_id not in reached}
    return {
        "language": "java", "sdk": "stripe-java", "sdk_version": version,
        "source": _source(sdk, read, commit),
        "generated_by": GENERATED_BY, "display": DISPLAY, "methods": methods,
        "convention": {style: sorted(accessors) for style, accessors in convention.items() if accessors},
        "helpers": HELPERS, "absent": absent,
    }


def _source(sdk: Path | None, read: list[str], commit: str) -> str:
    """Where the table comes from: each file read (with its origin from ``provenance.json`` in
    ``--sdk``, when the checkout is a partial one assembled by hand), and the convention."""
    if not read:
        return f"{SDK_REPO} (not read: every entry by naming convention)"
    origins = json.loads((sdk / "provenance.json").read_text("utf-8")) if (sdk / "provenance.json").exists() else {}
    files = "; ".join(f"{f} at {origins.get(f, 'commit ' + commit)}" for f in read)
    return f"{SDK_REPO}: {files}; the rest by naming convention"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m stripe_perm_lint.catalog.build.lang_java", description=__doc__.split("\n")[0])
    parser.add_argument("--sdk", type=Path, help="a checkout (or part of one) of stripe-java; omit to use the convention only")
    parser.add_argument("--commit", default="(unknown)", help="the commit of the files read, unless PATH/provenance.json names each one's")
    parser.add_argument("--version", default="unknown (service classes of the main branch)", help="the SDK version the sources are from")
    args = parser.parse_args(argv)
    if args.sdk is not None and not (args.sdk / "src/main/java/com/stripe").is_dir():
        print(f"error: {args.sdk} holds no src/main/java/com/stripe", file=sys.stderr)
        return 2
    table = build(args.sdk, args.commit, args.version)
    path = languages.write_table(table)
    found = languages.problems(table)
    print(f"wrote {path}: {sum(len(m) for m in table['methods'].values())} methods, {len(table['absent'])} absent"
          + "".join(f"\n  {line}" for line in found))
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
