"""``php_instance``: the instance methods of stripe-php's resources (``$invoice->pay()``), read from
the SDK's sources for ``lang_php``'s table.

A resource's instance methods are its own public non-static methods, those of the
``ApiOperations`` traits it uses (``Delete`` gives ``delete``, ``Update`` gives ``save``) and those
of ``ApiResource`` (``refresh``). Each builds its URL from ``$this->instanceUrl()`` and a suffix
(``$this->instanceUrl() . '/pay'``) and asks ``$this->_request('post', $url, ...)`` (``refresh``:
``$requestor->request('get', $url, ...)``). ``instanceUrl()`` is ``resourceUrl($this['id'])``
(``/v1/invoices/{}``), the class URL for a singleton, or the class's own override when its
returned URL can be read (``Account``'s ``parent::instanceUrl()``); an override that builds the
URL from the object's parent (``Person``: ``/v1/accounts/{account}/persons/{id}``) cannot be, and
those classes have no instance entries. The accessor is the class below ``\\Stripe\\`` and the
method: ``Invoice->pay``."""

from __future__ import annotations

from pathlib import Path

from stripe_perm_lint.catalog.build.lang_php import _Resource, _args, _string, _text, _tree, _walk, is_resource_file

# The request helpers an instance method calls: `$this->_request(...)`, `$requestor->request(...)`.
_INSTANCE_REQUESTS = frozenset({"_request", "request"})


def _public_instance_methods(root, data: bytes):
    for method in (n for n in _walk(root) if n.type == "method_declaration"):
        modifiers = [c for c in method.children if c.type in ("static_modifier", "visibility_modifier")]
        if any(c.type == "static_modifier" or _text(c, data) != "public" for c in modifiers):
            continue
        yield _text(method.child_by_field_name("name"), data), method


def _instance_url(resource: _Resource, root, data: bytes) -> str | None:
    """What ``$this->instanceUrl()`` is for this class, None when it cannot be read."""
    own = next((m for name, m in _public_instance_methods(root, data) if name == "instanceUrl"), None)
    default = resource.class_url if resource.singleton else resource.class_url + "/{}"
    if own is None:
        return default
    returned = [n for n in _walk(own) if n.type == "return_statement" and n.named_children]
    if not returned:
        return None
    value = returned[-1].named_children[0]
    if value.type == "scoped_call_expression" and _text(value, data).startswith("parent::instanceUrl"):
        return default
    url = resource.url(value, {}, set())
    return url if url and url.startswith("/v") else None


def _request(method, data: bytes, resource: _Resource, instance_url: str) -> tuple[str, str] | None:
    """(verb, path) of one instance method: its `$url` assignments and its request call."""
    env: dict[str, str] = {}

    def url(node) -> str | None:
        if node.type == "member_call_expression" and _text(node, data).startswith("$this->instanceUrl("):
            return instance_url
        if node.type == "binary_expression":
            parts = (url(node.child_by_field_name("left")), url(node.child_by_field_name("right")))
            return None if None in parts else parts[0] + parts[1]
        if node.type == "variable_name":
            return env.get(_text(node, data))
        if node.type in ("string", "encapsed_string"):
            return _string(node, data)
        return None

    found = None
    for node in _walk(method.child_by_field_name("body")):
        if node.type == "assignment_expression" and node.child_by_field_name("left").type == "variable_name":
            value = url(node.child_by_field_name("right"))
            if value is not None:
                env[_text(node.child_by_field_name("left"), data)] = value
        elif node.type == "member_call_expression" and _text(node.child_by_field_name("name"), data) in _INSTANCE_REQUESTS:
            args = _args(node)
            verb = _string(args[0], data) if args else None
            path = url(args[1]) if len(args) > 1 else None
            if verb and path:
                found = (verb.upper(), path)
    return found


def instance_methods(lib: Path) -> dict[str, tuple[str, str]]:
    """``Invoice->pay`` -> (verb, path) for every resource class of one checkout."""
    base = lib / "ApiResource.php"
    inherited = list(_public_instance_methods(*_tree(base))) if base.exists() else []
    inherited_data = _tree(base)[1] if base.exists() else b""
    out: dict[str, tuple[str, str]] = {}
    for path in sorted(lib.rglob("*.php")):
        relative = path.relative_to(lib).with_suffix("")
        if not is_resource_file(relative):
            continue
        root, data = _tree(path)
        resource = _Resource(root, data)
        if "OBJECT_NAME" not in resource.consts:
            continue
        instance_url = _instance_url(resource, root, data)
        if instance_url is None:
            continue
        cls = "\\".join(relative.parts)
        sources = [(inherited, inherited_data)]  # ApiResource first: the class's own win
        for trait in _traits(root, data):
            trait_path = lib / "ApiOperations" / f"{trait}.php"
            if trait_path.exists():
                trait_root, trait_data = _tree(trait_path)
                sources.append((list(_public_instance_methods(trait_root, trait_data)), trait_data))
        sources.append((list(_public_instance_methods(root, data)), data))
        for methods, source in sources:
            for name, method in methods:
                found = _request(method, source, resource, instance_url)
                if found:
                    out[f"{cls}->{name}"] = found
    return out


def _traits(root, data: bytes) -> list[str]:
    """`use ApiOperations\\Delete;` -> `Delete` (the traits a resource mixes in)."""
    out = []
    for use in (n for n in _walk(root) if n.type == "use_declaration"):
        for name in (c for c in use.named_children if c.type in ("name", "qualified_name")):
            out.append(_text(name, data).rsplit("\\", 1)[-1])
    return out
