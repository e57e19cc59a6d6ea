"""The method table of stripe-php (``catalog/languages/php.json``), read from a checkout of the SDK.

    git --git-dir=.../stripe-php.git archive HEAD | tar -x -C /tmp/sdk-php
    python -m stripe_perm_lint.catalog.build.lang_php --sdk /tmp/sdk-php [--also /tmp/sdk-php-v10 ...]

Three call styles, all read with tree-sitter from the SDK's own sources (never executed):

- ``php_client``: ``$stripe->customers->retrieve``. ``StripeClient`` reaches its services through
  the ``$classMap`` of ``Service/CoreServiceFactory.php`` (services, or nested factories:
  ``checkout`` -> ``CheckoutServiceFactory`` -> ``sessions``); each public method of a service
  calls ``$this->request('get', $this->buildPath('/v1/customers/%s', $id), ...)`` (or
  ``requestCollection``, ``requestSearchResult``, ``requestStream``). Accessor: ``checkout->sessions->create``.
- ``php_legacy``: ``\\Stripe\\Customer::retrieve``. Each resource class (``const OBJECT_NAME``)
  has static methods calling ``static::_staticRequest('post', $url, ...)``, ``_requestPage`` (a
  list) or the nested-resource helpers, ``$url`` built from ``static::classUrl()`` /
  ``resourceUrl($id)`` and literals; older majors mixed in the ``ApiOperations`` traits
  (``use ApiOperations\\All;`` gives ``Customer::all``). Accessor: ``Checkout\\Session::create``.
- ``php_instance``: ``$invoice->pay()`` on a fetched object (``lang_php_instances``): ``Invoice->pay``.

``--also`` reads older checkouts (majors apps still pin) for the methods the newest no longer has
(``$stripe->invoices->upcoming`` of stripe-php 13).
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

from tree_sitter import Language, Parser

from stripe_perm_lint.catalog.build.languages import operation_index, required_operations, shape, write_table

SOURCE = "https://github.com/stripe/stripe-php"
DISPLAY = {"php_client": "$stripe->{}()", "php_legacy": "\\Stripe\\{}()", "php_instance": "\\Stripe\\{}()"}
_REQUESTS = {"request", "requestCollection", "requestSearchResult", "requestStream", "requestConnect"}
# What the ApiOperations traits of older majors give a resource: method -> (verb, url kind).
_TRAITS = {"All": ("all", "GET", "class"), "Create": ("create", "POST", "class"),
           "Retrieve": ("retrieve", "GET", "resource"), "Update": ("update", "POST", "resource"),
           "SingletonRetrieve": ("retrieve", "GET", "class")}
_NESTED = {"_allNestedResources": ("GET", False), "_createNestedResource": ("POST", False),
           "_retrieveNestedResource": ("GET", True), "_updateNestedResource": ("POST", True),
           "_deleteNestedResource": ("DELETE", True)}
# Classes whose static methods call no API: webhooks and signatures, the OAuth URL, configuration.
_HELPER_CLASSES = ("Webhook", "WebhookSignature", "Stripe")
_PARSER = None


def _tree(path: Path):
    global _PARSER
    if _PARSER is None:
        import tree_sitter_php

        _PARSER = Parser(Language(tree_sitter_php.language_php()))
    data = path.read_bytes()
    return _PARSER.parse(data).root_node, data


def _text(node, data: bytes) -> str:
    return data[node.start_byte:node.end_byte].decode("utf-8", errors="replace")


def _walk(node):
    yield node
    for child in node.named_children:
        yield from _walk(child)


def _string(node, data: bytes) -> str | None:
    """A literal's text, with ``{}`` for each interpolated part of a double-quoted string."""
    if node.type == "string":
        return "".join(_text(c, data) for c in node.named_children if c.type == "string_content")
    if node.type == "encapsed_string":
        return "".join(_text(c, data) if c.type == "string_content" else "{}" for c in node.named_children
                       if c.type not in ("escape_sequence",))
    return None


def _args(call) -> list:
    arguments = call.child_by_field_name("arguments")
    return [a.named_children[0] for a in (arguments.named_children if arguments else ()) if a.named_children]


def _class_file(lib: Path, qualified: str) -> Path:
    """``Stripe\\Service\\Apps\\AppsServiceFactory`` -> ``lib/Service/Apps/AppsServiceFactory.php``."""
    return lib.joinpath(*qualified.split("\\")[1:]).with_suffix(".php")


def _namespace(root, data: bytes) -> str:
    found = next((n for n in root.named_children if n.type == "namespace_definition"), None)
    return _text(found.child_by_field_name("name"), data) if found else ""


# ---- php_client: services reached through the factories' class maps -------------------------------

def _class_map(root, data: bytes) -> dict[str, str]:
    """``'checkout' => Checkout\\CheckoutServiceFactory::class`` entries, as qualified class names."""
    namespace = _namespace(root, data)
    out = {}
    for node in _walk(root):
        if node.type == "property_element" and _text(node, data).startswith("$classMap"):
            for element in _walk(node):
                if element.type != "array_element_initializer" or len(element.named_children) != 2:
                    continue
                key, value = element.named_children
                name = _string(key, data)
                if name is not None and value.type == "class_constant_access_expression":
                    cls = _text(value.named_children[0], data)
                    out[name] = cls.lstrip("\\") if cls.startswith("\\") else f"{namespace}\\{cls}"
    return out


def _service_methods(root, data: bytes) -> dict[str, tuple[str, str]]:
    out = {}
    for method in (n for n in _walk(root) if n.type == "method_declaration"):
        for call in (n for n in _walk(method) if n.type == "member_call_expression"):
            if _text(call.child_by_field_name("name"), data) not in _REQUESTS:
                continue
            args = _args(call)
            verb = _string(args[0], data) if args else None
            path = _client_path(args[1], data) if len(args) > 1 else None
            if verb and path:  # the last one: `accounts->retrieve($id)` asks for `/v1/accounts/%s`
                out[_text(method.child_by_field_name("name"), data)] = (verb, path)
    return out


def _client_path(node, data: bytes) -> str | None:
    if node.type == "member_call_expression" and _text(node.child_by_field_name("name"), data) == "buildPath":
        args = _args(node)
        return _string(args[0], data) if args else None
    return _string(node, data)


def client_methods(lib: Path) -> dict[str, tuple[str, str]]:
    """``checkout->sessions->create`` -> (verb, path), over every factory below the core one."""
    out: dict[str, tuple[str, str]] = {}
    pending = [("", "Stripe\\Service\\CoreServiceFactory")]
    while pending:
        prefix, cls = pending.pop()
        path = _class_file(lib, cls)
        if not path.exists():
            continue
        root, data = _tree(path)
        classes = _class_map(root, data)
        if classes:
            pending += [(f"{prefix}{name}->", target) for name, target in sorted(classes.items())]
            continue
        for method, request in _service_methods(root, data).items():
            out[f"{prefix}{method}"] = request
    return out


def client_helpers(lib: Path) -> list[str]:
    """Service methods that call no API (``oauth->authorizeUrl``)."""
    out = []
    path = lib / "Service" / "OAuthService.php"
    if path.exists():
        root, data = _tree(path)
        reaching = _service_methods(root, data)
        for method in (n for n in _walk(root) if n.type == "method_declaration"):
            name = _text(method.child_by_field_name("name"), data)
            if name not in reaching and _is_public(method, data) and not name.startswith("_"):
                out.append(f"oauth->{name}")
    return sorted(out)


def _is_public(method, data: bytes) -> bool:
    return not any(c.type == "visibility_modifier" and _text(c, data) != "public" for c in method.children)


# ---- php_legacy: resource classes' static methods -----------------------------------------------

class _Resource:
    """One resource class: its URLs and constants, for evaluating the URL of a static method."""

    def __init__(self, root, data: bytes) -> None:
        self.data = data
        self.consts = {}
        for node in _walk(root):
            if node.type == "const_element" and len(node.named_children) == 2:
                value = _string(node.named_children[1], data)
                if value is not None:
                    self.consts[_text(node.named_children[0], data)] = value
        base = next((n for n in _walk(root) if n.type == "base_clause"), None)
        singleton = base is not None and "SingletonApiResource" in _text(base, data)
        name = self.consts.get("OBJECT_NAME", "").replace(".", "/")
        self.class_url = f"/v1/{name}" if singleton else f"/v1/{name}s"
        self.singleton = singleton
        for method in (n for n in _walk(root) if n.type == "method_declaration"):
            if _text(method.child_by_field_name("name"), data) == "classUrl":
                literal = next((_string(n, data) for n in _walk(method) if n.type in ("string", "encapsed_string")), None)
                if literal and literal.startswith("/v"):
                    self.class_url = literal

    def url(self, node, env: dict[str, str], params: set[str]) -> str | None:
        data = self.data
        if node.type in ("string", "encapsed_string"):
            return _string(node, data)
        if node.type == "parenthesized_expression" and node.named_children:
            return self.url(node.named_children[0], env, params)
        if node.type == "binary_expression":
            left, right = node.child_by_field_name("left"), node.child_by_field_name("right")
            parts = (self.url(left, env, params), self.url(right, env, params))
            return None if None in parts else parts[0] + parts[1]
        if node.type == "variable_name":
            name = _text(node, data)
            return env.get(name, "{}" if name in params else None)
        if node.type == "class_constant_access_expression":
            return self.consts.get(_text(node.named_children[-1], data))
        if node.type == "scoped_call_expression":
            called = _text(node.child_by_field_name("name"), data)
            if called == "classUrl":
                return self.class_url
            if called == "resourceUrl":
                return self.class_url + "/{}"
            if called == "_nestedResourceUrl":
                args = _args(node)
                nested = self.url(args[1], env, params) if len(args) > 1 else None
                return None if nested is None else self.class_url + "/{}" + nested + ("/{}" if len(args) > 2 else "")
        if node.type in ("function_call_expression", "scoped_call_expression"):
            return "{}"  # `\urlencode($id)`, `Util\Util::utf8($id)`: an id
        return None

    def request(self, method) -> tuple[str, str] | None:
        """(verb, path) of a static method, from the assignments and the request call in its body."""
        data = self.data
        params = {_text(p.child_by_field_name("name"), data)
                  for p in method.child_by_field_name("parameters").named_children if p.child_by_field_name("name")}
        env: dict[str, str] = {}
        for node in _walk(method.child_by_field_name("body")):
            if node.type == "assignment_expression" and node.child_by_field_name("left").type == "variable_name":
                value = self.url(node.child_by_field_name("right"), env, params)
                if value is not None:
                    env[_text(node.child_by_field_name("left"), data)] = value
            elif node.type == "augmented_assignment_expression":
                target = _text(node.child_by_field_name("left"), data)
                value = self.url(node.child_by_field_name("right"), env, params)
                if target in env and value is not None:
                    env[target] += value
            elif node.type == "object_creation_expression" and _text(node, data).startswith("new static("):
                args = _args(node)
                if self.singleton or (args and _text(args[0], data) == "null"):
                    return "GET", self.class_url
                return "GET", self.class_url + "/{}"  # `retrieve`: `new static($id)` then `refresh()`
            elif node.type == "scoped_call_expression":
                found = self._request_call(node, env, params)
                if found:
                    return found
        return None

    def _request_call(self, node, env, params) -> tuple[str, str] | None:
        data = self.data
        called = _text(node.child_by_field_name("name"), data)
        args = _args(node)
        if called in ("_staticRequest", "_staticStreamingRequest") and len(args) > 1:
            verb, url = _string(args[0], data), self.url(args[1], env, params)
            return (verb.upper(), url) if verb and url else None
        if called in ("_requestPage", "_searchResource") and args:
            url = self.url(args[0], env, params)
            return ("GET", url) if url else None
        if called in ("_retrieve", "_create"):  # a trait's method under an alias (`Account::retrieve`)
            return ("GET", self.class_url + "/{}") if called == "_retrieve" else ("POST", self.class_url)
        if called in _NESTED and len(args) > 1:
            verb, with_id = _NESTED[called]
            nested = self.url(args[1], env, params)
            # Generated `retrieveCashBalance` passes `$params` as the nested id: null at run time.
            with_id = with_id and len(args) > 2 and _text(args[2], data) != "$params"
            return (verb, self.class_url + "/{}" + nested + ("/{}" if with_id else "")) if nested else None
        return None


def is_resource_file(relative: Path) -> bool:
    """Whether a file below `lib/` may hold a resource class (not a service, trait, helper or event)."""
    return relative.parts[0] not in ("Service", "ApiOperations", "Util", "Exception", "HttpClient", "Events", "V2")


def legacy_methods(lib: Path) -> tuple[dict[str, tuple[str, str]], list[str]]:
    """``Checkout\\Session::create`` -> (verb, path), and the static members of helper classes."""
    out, helpers = {}, []
    for path in sorted(lib.rglob("*.php")):
        relative = path.relative_to(lib).with_suffix("")
        if not is_resource_file(relative):
            continue
        root, data = _tree(path)
        cls = "\\".join(relative.parts)
        if cls in _HELPER_CLASSES:
            helpers += [f"{cls}::{_text(m.child_by_field_name('name'), data)}" for m in _walk(root)
                        if m.type == "method_declaration" and _is_static(m, data) and _is_public(m, data)]
            continue
        resource = _Resource(root, data)
        if "OBJECT_NAME" not in resource.consts:
            continue
        for use in (n for n in _walk(root) if n.type == "use_declaration"):
            trait = _text(use, data).split("{")[0].rstrip("; ").split("\\")[-1].strip()
            if trait in _TRAITS:
                method, verb, kind = _TRAITS[trait]
                out[f"{cls}::{method}"] = (verb, resource.class_url + ("/{}" if kind == "resource" else ""))
        for method in (n for n in _walk(root) if n.type == "method_declaration"):
            if _is_static(method, data) and _is_public(method, data):
                found = resource.request(method)
                if found:
                    out[f"{cls}::{_text(method.child_by_field_name('name'), data)}"] = found
    return out, sorted(helpers)


def event_types(lib: Path) -> dict[str, str]:
    """``Event::INVOICE_PAID`` -> ``invoice.paid``: the event-type constants of ``\\Stripe\\Event``."""
    path = lib / "Event.php"
    if not path.exists():
        return {}
    consts = _Resource(*_tree(path)).consts
    return {f"Event::{name}": value for name, value in consts.items() if "." in value and name != "OBJECT_NAME"}


def _is_static(method, data: bytes) -> bool:
    return any(c.type == "static_modifier" for c in method.children)


# ---- the table ------------------------------------------------------------------------------------

def _joined(found: dict[str, tuple[str, str]], index: dict) -> dict[str, str]:
    return {accessor: index[shape(verb, path)] for accessor, (verb, path) in sorted(found.items())
            if shape(verb, path) in index}


def build(sdk: Path, also: list[Path]) -> dict:
    index = operation_index()
    from stripe_perm_lint.catalog.build.lang_php_instances import instance_methods  # it builds on this module

    methods = {"php_client": {}, "php_legacy": {}, "php_instance": {}}
    events: dict[str, str] = {}
    helpers = {"php_client": [], "php_legacy": []}
    for checkout in [sdk, *also]:  # the newest first: an older major only adds what it lacks
        lib = checkout / "lib"
        legacy, legacy_helpers = legacy_methods(lib)
        for style, found in (("php_client", _joined(client_methods(lib), index)), ("php_legacy", _joined(legacy, index)),
                             ("php_instance", _joined(instance_methods(lib), index))):
            for accessor, op_id in found.items():
                methods[style].setdefault(accessor, op_id)
        for constant, name in event_types(lib).items():
            events.setdefault(constant, name)
        helpers["php_legacy"] = sorted(set(helpers["php_legacy"]) | set(legacy_helpers))
        helpers["php_client"] = sorted(set(helpers["php_client"]) | set(client_helpers(lib)))
    reached = {op for table in methods.values() for op in table.values()}
    absent = {op: _absent_reason(op) for op in required_operations() if op not in reached}
    return {
        "language": "php",
        "sdk": "stripe-php",
        "sdk_version": (sdk / "VERSION").read_text("utf-8").strip(),
        "source": f"{SOURCE} commit {_commit(sdk)}" + "".join(
            f"; older major {(p / 'VERSION').read_text('utf-8').strip()} commit {_commit(p)}" for p in also),
        "generated_by": "python -m stripe_perm_lint.catalog.build.lang_php --sdk PATH"
                        + "".join(" --also PATH" for _ in also),
        "display": DISPLAY,
        "methods": methods,
        "helpers": helpers,
        "absent": absent,
        "event_types": events,  # how the parser names `\\Stripe\\Event::INVOICE_PAID`
    }


def _absent_reason(op_id: str) -> str:
    if " /v2/" in op_id:
        return "stripe-php has no service method for this v2 endpoint; reachable only with `$stripe->rawRequest`"
    return ("no service, static or instance resource method of stripe-php names this path (a preview endpoint);"
            " reachable with `$stripe->rawRequest`")


def _commit(sdk: Path) -> str:
    """The checkout's commit: its own git metadata, else ``COMMIT`` written next to it."""
    if (sdk / "COMMIT").exists():
        return (sdk / "COMMIT").read_text("utf-8").strip()
    try:
        return subprocess.run(["git", "-C", str(sdk), "rev-parse", "HEAD"], capture_output=True, text=True,
                              check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m stripe_perm_lint.catalog.build.lang_php",
                                     description="regenerate catalog/languages/php.json from stripe-php sources")
    parser.add_argument("--sdk", type=Path, required=True, help="an extracted checkout of stripe-php (with lib/)")
    parser.add_argument("--also", type=Path, action="append", default=[],
                        help="an older major's checkout whose removed methods apps may still call")
    args = parser.parse_args(argv)
    for checkout in [args.sdk, *args.also]:
        if not (checkout / "lib" / "StripeClient.php").exists() and not (checkout / "lib" / "Stripe.php").exists():
            print(f"error: {checkout} is not a stripe-php checkout (no lib/Stripe.php)", file=sys.stderr)
            return 2
    table = build(args.sdk, args.also)
    path = write_table(table)
    counts = {style: len(m) for style, m in table["methods"].items()}
    print(f"wrote {path}: {counts}, {len(table['absent'])} absent")
    return 0


if __name__ == "__main__":
    sys.exit(main())
