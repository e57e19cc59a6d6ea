"""What the Stripe.net sources say, read with tree-sitter-c-sharp: each service class's requests
by method, the service tree of its properties, the helpers, and the event-type constants.
Used by ``lang_csharp`` only; nothing here is imported at lint time."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

# The members of ``Service`` every generated method returns through: ``Request<T>(BaseAddress,
# HttpMethod, path, ...)`` and its twins, and the auto-paging list and search readers (GET).
REQUEST_CALLS = ("Request", "RequestAsync", "RequestStreaming", "RequestStreamingAsync")
PAGING_CALLS = ("ListRequestAutoPaging", "ListRequestAutoPagingAsync",
                "SearchRequestAutoPaging", "SearchRequestAutoPagingAsync")
HELPER_CLASSES = ("EventUtility",)  # webhook construction and signature checks: no request


@dataclass
class ServiceClass:
    requests: dict[str, tuple[str, str]] = field(default_factory=dict)  # method -> (VERB, path)


@dataclass
class SdkClasses:
    services: dict[str, ServiceClass] = field(default_factory=dict)  # full name -> its requests
    properties: dict[str, dict[str, str]] = field(default_factory=dict)  # class -> property -> class
    helpers: set[str] = field(default_factory=set)  # `EventUtility.ConstructEvent`


def _parser():
    import tree_sitter_c_sharp
    from tree_sitter import Language, Parser

    return Parser(Language(tree_sitter_c_sharp.language()))


def _text(node) -> str:
    return node.text.decode("utf-8")


def _classes(root, namespace: str = ""):
    """(namespace, class_declaration) for every class, in block or file-scoped namespaces."""
    for child in root.named_children:
        if child.type == "namespace_declaration":
            name = _text(child.child_by_field_name("name"))
            yield from _classes(child.child_by_field_name("body"), f"{namespace}.{name}" if namespace else name)
        elif child.type == "file_scoped_namespace_declaration":  # `namespace Stripe.Checkout;`: what follows
            namespace = _text(child.child_by_field_name("name"))
            yield from _classes(child, namespace)  # the grammar may nest what follows, or not
        elif child.type == "class_declaration":
            yield namespace, child


def _modifiers(node) -> set[str]:
    return {_text(c) for c in node.children if c.type == "modifier"}


def _walk(node):
    stack = [node]
    while stack:
        n = stack.pop()
        yield n
        stack.extend(reversed(n.children))


def _path_text(node) -> str | None:
    """`$"/v1/customers/{WebUtility.UrlEncode(id)}"` -> `/v1/customers/{}`."""
    if node.type == "string_literal":
        return "".join(_text(c) for c in node.named_children if c.type == "string_literal_content")
    if node.type == "interpolated_string_expression":
        return "".join(_text(c) if c.type == "string_content" else "{}"
                       for c in node.named_children if c.type in ("string_content", "interpolation"))
    return None


def _request_of(method) -> tuple[str, str] | None:
    """The (verb, path) a generated service method sends, from its `this.Request…(...)` call."""
    body = method.child_by_field_name("body")
    for node in _walk(body) if body is not None else ():
        if node.type != "invocation_expression":
            continue
        callee = node.child_by_field_name("function")
        if callee is None or callee.type != "member_access_expression" or _text(callee.child_by_field_name("expression")) != "this":
            continue
        name = callee.child_by_field_name("name")
        name = _text(name.named_children[0] if name.type == "generic_name" else name)
        args = [a.named_children[0] for a in node.child_by_field_name("arguments").named_children if a.named_children]
        paths = [p for p in map(_path_text, args) if p is not None]
        if not paths:
            continue
        if name in PAGING_CALLS:
            return "GET", paths[0]
        if name in REQUEST_CALLS:
            verbs = [_text(a)[len("HttpMethod."):] for a in args if _text(a).startswith("HttpMethod.")]
            if verbs:
                return verbs[0].upper(), paths[0]
    return None


def read_services(root: Path) -> SdkClasses:
    """Every class under ``root/Services``: service requests, service-typed properties, helpers."""
    parser = _parser()
    declared: dict[str, list] = {}  # full name -> its declarations (`partial` classes have several)
    for path in sorted((root / "Services").rglob("*.cs")):
        tree = parser.parse(path.read_bytes())
        for namespace, cls in _classes(tree.root_node):
            declared.setdefault(f"{namespace}.{_text(cls.child_by_field_name('name'))}", []).append(cls)
    out = SdkClasses()
    for full_name, parts in sorted(declared.items()):
        namespace, simple = full_name.rsplit(".", 1)
        service = ServiceClass()
        quiet = []
        members = [m for cls in parts for m in cls.child_by_field_name("body").named_children]
        for member in members:
            if "public" not in _modifiers(member):
                continue
            if member.type == "method_declaration":
                name = _text(member.child_by_field_name("name"))
                found = _request_of(member)
                if found:
                    service.requests.setdefault(name, found)
                else:
                    quiet.append(name)
            elif member.type == "property_declaration":
                target = _resolve(_text(member.child_by_field_name("type")), namespace, declared)
                if target:
                    out.properties.setdefault(full_name, {})[_text(member.child_by_field_name("name"))] = target
        if service.requests:
            out.services[full_name] = service
        if service.requests or simple in HELPER_CLASSES:
            prefix = full_name.removeprefix("Stripe.")
            out.helpers.update(f"{prefix}.{name}" for name in quiet if name not in service.requests)
    return out


def _resolve(type_name: str, namespace: str, declared: dict) -> str | None:
    """A type as written in ``namespace`` (`CustomerService`, `Billing.AlertService`,
    `V2.BillingService`) -> the full name of a declared class, searching outward as C# does."""
    parts = namespace.split(".")
    for depth in range(len(parts), 0, -1):
        candidate = ".".join(parts[:depth] + [type_name])
        if candidate in declared:
            return candidate
    return None


def event_constants(source: Path | str, class_name: str) -> dict[str, str]:
    """`EventTypes.ChargeSucceeded` -> `charge.succeeded`, from the constants file (a path, or
    its text read from the git history)."""
    data = source.read_bytes() if isinstance(source, Path) else source.encode("utf-8")
    out = {}
    for _, cls in _classes(_parser().parse(data).root_node):
        if _text(cls.child_by_field_name("name")) != class_name:
            continue
        for node in _walk(cls):
            if node.type == "variable_declarator":
                value = next((c for c in node.named_children if c.type == "string_literal"), None)
                if value is not None:
                    out[f"{class_name}.{_text(node.child_by_field_name('name'))}"] = _path_text(value)
    return out
