"""Read stripe-ruby's sources (tree-sitter-ruby) into SDK method rows: (style, accessor, VERB, path).

* ``client_rows``: the `StripeClient` service tree (13.0+). `StripeClient#v1` is a `V1Services`
  whose `initialize` sets `@customers = Stripe::CustomerService.new(@requestor)`, and so on down;
  each service method calls `request(method: :get, path: format("/v1/customers/%<customer>s", ...))`.
  Accessors are `v1.customers.retrieve`. stripe-ruby never had service accessors without `v1`/`v2`
  (before 13.0 `StripeClient` was the request machinery, not a service tree).
* ``resource_rows``: the resource classes (`Stripe::Customer.retrieve`, `Stripe::Checkout::Session.create`,
  instance `customer.save`). CRUD comes from the `Stripe::APIOperations` mixins the class extends
  or includes, on `resource_url` = `"/v1/" + OBJECT_NAME with "." as "/" + "s"` (no `s` for a
  `SingletonAPIResource`) unless the class defines its own; nested resources from
  `nested_resource_class_methods`; custom methods carry their path in `request_stripe_object(...)`
  (`custom_method :x, http_verb: :post` in 5.x-7.x). Instance accessors are written `Invoice#pay`.
"""

from __future__ import annotations

from pathlib import Path

from stripe_perm_lint.backends import parse_tree
from stripe_perm_lint.parse.ruby.syntax import (
    arguments, constant_path, keyword_arguments, method_name, qualified_classes, string_value, symbol_value, text,
    walk,
)

SERVICE_ROOTS = {"Stripe::V1Services": "v1.", "Stripe::V2Services": "v2."}
REQUEST_METHODS = ("request", "request_stripe_object", "execute_resource_request")
_RESOURCE_BASES = {"APIResource": "s", "SingletonAPIResource": ""}
_MAX_DEPTH = 6


def _classes(lib: Path, folder: str, kinds: tuple[str, ...] = ("class",)):
    for path in sorted((lib / "stripe" / folder).rglob("*.rb")):
        tree = parse_tree("ruby", path.read_bytes())
        yield from qualified_classes(tree.root_node, kinds)


def _members(cls):
    body = cls.child_by_field_name("body")
    return body.named_children if body is not None else []


def _request_of(method, base: str | None, instance: bool) -> tuple[str, str] | None:
    """(VERB, path) of the request a method body makes, if it names both literally."""
    for node in walk(method):
        if node.type != "call":
            continue
        name = method_name(node)
        if name == "_search":  # 8.x-12.x: `_search("/v1/customers/search", params, opts)`
            args = arguments(node)
            path = string_value(args[0]) if args else None
            if path:
                return "GET", path
        if name not in REQUEST_METHODS:
            continue
        args = arguments(node)  # `execute_resource_request(:post, "/oauth/token", :connect, ...)`
        if len(args) >= 2 and args[0].type == "simple_symbol" and string_value(args[1]):
            return symbol_value(args[0]).upper(), string_value(args[1])
        kwargs = keyword_arguments(node)
        verb = symbol_value(kwargs.get("method"))
        path = _path_value(kwargs.get("path"), base, instance)
        if verb and path:
            return verb.upper(), path
    return None


def _path_value(node, base: str | None, instance: bool) -> str | None:
    """A path argument: a literal, `format("/v1/x/%<id>s", ...)`, or `"#{resource_url}/capture"`
    (an instance's `resource_url` / `instance_url` already ends in its id)."""
    if node is None:
        return None
    if node.type == "call" and method_name(node) == "format" and arguments(node):
        node = arguments(node)[0]

    def interpolated(part) -> str:
        inner = text(part).strip("#{} ")
        if base and inner in ("resource_url", "self.resource_url", "instance_url", "self.class.resource_url"):
            return base + ("/{}" if instance and inner != "self.class.resource_url" else "")
        return "{}"

    return string_value(node, interpolated)


# ---------------------------------------------------------------- StripeClient services


def client_rows(lib: Path) -> list[tuple[str, str, str, str]]:
    children: dict[str, dict[str, str]] = {}
    methods: dict[str, dict[str, tuple[str, str]]] = {}
    for name, cls in _classes(lib, "services"):
        kids, own = children.setdefault(name, {}), methods.setdefault(name, {})
        for node in walk(cls):
            if node.type == "assignment" and node.child_by_field_name("left").type == "instance_variable":
                right = node.child_by_field_name("right")
                if right.type == "call" and method_name(right) == "new":
                    target = constant_path(right.child_by_field_name("receiver"))
                    if target:
                        kids[text(node.child_by_field_name("left"))[1:]] = target
        for member in _members(cls):
            if member.type == "method" and not text(member.child_by_field_name("name")).startswith("_"):
                found = _request_of(member, None, False)
                if found:
                    own[text(member.child_by_field_name("name"))] = found
    rows, stack = [], [(prefix, root, 0) for root, prefix in SERVICE_ROOTS.items()]
    while stack:
        prefix, service, depth = stack.pop()
        if service not in methods:  # `OAuthService.new` inside `module Stripe`
            service = "Stripe::" + service
        for name, (verb, path) in methods.get(service, {}).items():
            rows.append(("ruby_client", prefix + name, verb, path))
        if depth < _MAX_DEPTH:
            stack += [(f"{prefix}{attr}.", child, depth + 1) for attr, child in children.get(service, {}).items()]
    return sorted(set(rows))


# ---------------------------------------------------------------- resource classes


def resource_rows(lib: Path) -> list[tuple[str, str, str, str]]:
    rows = _oauth_rows(lib)
    for name, cls in _classes(lib, "resources"):
        superclass = cls.child_by_field_name("superclass")
        parent = (constant_path(superclass.named_children[0]) or "").split("::")[-1] if superclass else ""
        if not name.startswith("Stripe::") or name.startswith("Stripe::V2::") or parent not in _RESOURCE_BASES:
            continue
        rows += _resource(name[len("Stripe::"):], cls, _RESOURCE_BASES[parent])
    return sorted(set(rows))


def _oauth_rows(lib: Path) -> list[tuple[str, str, str, str]]:
    """`Stripe::OAuth.token` / `.deauthorize`: module functions of `lib/stripe/oauth.rb`."""
    path = lib / "stripe" / "oauth.rb"
    if not path.exists():
        return []
    rows = []
    for name, module in qualified_classes(parse_tree("ruby", path.read_bytes()).root_node, ("module",)):
        if name == "Stripe::OAuth":
            for m in _members(module):
                found = _request_of(m, None, False) if m.type == "singleton_method" else None
                if found:
                    rows.append(("ruby_legacy", f"OAuth.{text(m.child_by_field_name('name'))}", *found))
    return rows


def _resource(accessor: str, cls, plural: str) -> list[tuple[str, str, str, str]]:
    members = _members(cls)
    object_name = base = None
    mixins = set()
    for m in members:
        if m.type == "assignment" and text(m.child_by_field_name("left")) == "OBJECT_NAME":
            object_name = string_value(m.child_by_field_name("right"))
        elif m.type == "call" and method_name(m) in ("extend", "include") and arguments(m):
            mixins.add(f"{method_name(m)} {(constant_path(arguments(m)[0]) or '').split('::')[-1]}")
        elif m.type == "singleton_method" and text(m.child_by_field_name("name")) == "resource_url":
            body = m.child_by_field_name("body")
            literal = [string_value(c) for c in (body.named_children if body is not None else [])]
            base = literal[-1] if literal and literal[-1] and "{" not in literal[-1] else base
    if base is None and object_name:
        base = "/v1/" + object_name.lower().replace(".", "/") + plural
    if base is None:
        return []
    one = base if not plural else base + "/{}"  # a singleton (`Balance`) is its own instance
    legacy, instance = "ruby_legacy", "ruby_instance"
    rows = [(legacy, f"{accessor}.retrieve", "GET", one), (instance, f"{accessor}#refresh", "GET", one)]
    crud = {"extend Create": [(legacy, "create", "POST", base)], "extend List": [(legacy, "list", "GET", base)],
            "include Delete": [(legacy, "delete", "DELETE", one), (instance, "delete", "DELETE", one)],
            "include Save": [(legacy, "update", "POST", one), (instance, "save", "POST", one)],
            "include SingletonSave": [(legacy, "update", "POST", base), (instance, "save", "POST", base)]}
    for mixin in sorted(mixins & crud.keys()):
        rows += [(style, accessor + ("#" if style == instance else ".") + name, verb, path)
                 for style, name, verb, path in crud[mixin]]
    for m in members:
        if m.type == "call" and method_name(m) == "nested_resource_class_methods":
            rows += [(legacy, f"{accessor}.{n}", v, p) for n, v, p in _nested(m, base)]
        elif m.type == "call" and method_name(m) == "custom_method" and arguments(m):
            kwargs = keyword_arguments(m)
            name = symbol_value(arguments(m)[0])
            verb = symbol_value(kwargs.get("http_verb"))
            if name and verb:
                sub = string_value(kwargs.get("http_path")) or name
                rows.append((legacy, f"{accessor}.{name}", verb.upper(), f"{one}/{sub}"))
        elif m.type in ("singleton_method", "method") and m.child_by_field_name("name") is not None:
            is_instance = m.type == "method"
            found = _request_of(m, base, is_instance)
            if found:
                sep = "#" if is_instance else "."
                rows.append((instance if is_instance else legacy, f"{accessor}{sep}{text(m.child_by_field_name('name'))}", *found))
    return rows


def _nested(call, base: str) -> list[tuple[str, str, str]]:
    """The class methods `nested_resource_class_methods :source, operations: %i[create list]` defines."""
    args = arguments(call)
    resource = symbol_value(args[0]) if args else None
    kwargs = keyword_arguments(call)
    ops = kwargs.get("operations")
    if not resource or ops is None:
        return []
    plural = string_value(kwargs.get("resource_plural")) or symbol_value(kwargs.get("resource_plural")) or resource + "s"
    path = string_value(kwargs.get("path")) or symbol_value(kwargs.get("path")) or plural
    many, one = f"{base}/{{}}/{path}", f"{base}/{{}}/{path}/{{}}"
    shapes = {"create": (f"create_{resource}", "POST", many), "retrieve": (f"retrieve_{resource}", "GET", one),
              "update": (f"update_{resource}", "POST", one), "delete": (f"delete_{resource}", "DELETE", one),
              "list": (f"list_{plural}", "GET", many)}
    names = [text(c).lstrip(":") for c in ops.named_children] if ops.type in ("array", "symbol_array") else []
    return [shapes[n] for n in names if n in shapes]


# Where the SDK keeps members that make no request: (file, class or module, style, accessor prefix).
_HELPER_SOURCES = (
    ("webhook.rb", "Stripe::Webhook", "ruby_legacy", "Webhook."),
    ("webhook.rb", "Stripe::Webhook::Signature", "ruby_legacy", "Webhook::Signature."),
    ("oauth.rb", "Stripe::OAuth", "ruby_legacy", "OAuth."),
    ("stripe_object.rb", "Stripe::StripeObject", "ruby_legacy", "StripeObject."),
    ("stripe_client.rb", "Stripe::StripeClient", "ruby_client", ""),
    ("services/oauth_service.rb", "Stripe::OAuthService", "ruby_client", "v1.oauth."),
)


def helper_names(lib: Path) -> dict[str, list[str]]:
    """Public members of the SDK's webhook, OAuth, object and client classes that make no API
    request of their own (`Webhook.construct_event`, `OAuth.authorize_url`,
    `parse_event_notification`): a call recognised by its shape alone is never one of them."""
    found: dict[str, set[str]] = {}
    for file, owner, style, prefix in _HELPER_SOURCES:
        path = lib / "stripe" / file
        if not path.exists():
            continue
        tree = parse_tree("ruby", path.read_bytes()).root_node
        for name, node in qualified_classes(tree, ("class", "module")):
            if name != owner:
                continue
            instance = style == "ruby_client"  # the client's members are instance methods
            for m in _members(node):
                if m.type != ("method" if instance else "singleton_method") or m.child_by_field_name("name") is None:
                    continue
                member = text(m.child_by_field_name("name"))
                if member.startswith("_") or member in ("initialize", "request", "raw_request") \
                        or _request_of(m, None, False) is not None:
                    continue
                found.setdefault(style, set()).add(prefix + member)
    return {style: sorted(names) for style, names in sorted(found.items())}


def all_rows(lib: Path) -> list[tuple[str, str, str, str]]:
    return client_rows(lib) + resource_rows(lib)

