"""What a PHP file shares with the other files of its app, for the linker (``php_links``): PHP has
no imports, so a client made in one file reaches another through a function a `require`d file
defines (`stripe_client()->customers->retrieve(...)`) or a class Composer autoloads
(`StripeFactory::forAccount($id)`).

- ``ImportBinding("*", "includes/stripe.php", "*")``: each `require` / `require_once` / `include` /
  `include_once` whose path the file builds from its own folder (`__DIR__ . '/includes/x.php'`,
  `dirname(__FILE__) . '/x.php'`, `plugin_dir_path(__FILE__) . 'x.php'`, a `define`d constant
  holding one of those, or a relative literal), as the app path it names; one outside the app
  is dropped. The linker reads it as a re-export: a required file's functions are this file's.
- ``ClientExport``: top-level functions returning a client (`stripe_client`, lower case: PHP
  function names ignore case) and static methods (`App\\StripeFactory::forAccount`).
- the value ``PhpImported``: what such a call returns when this file does not define it; a
  Stripe call on it is a ``PendingCall``."""

from __future__ import annotations

import posixpath

from stripe_perm_lint.facts import ClientExport, ImportBinding
from stripe_perm_lint.parse.php.syntax import PhpSource, arguments, member_name, string_value, walk
from stripe_perm_lint.parse.php.values import PhpClient, PhpImported

_INCLUDES = ("require_expression", "require_once_expression", "include_expression", "include_once_expression")
# Calls that give the including file's folder: `dirname(__FILE__)`, WordPress's `plugin_dir_path(__FILE__)`.
_FOLDER_OF_FILE = ("dirname", "plugin_dir_path", "plugin_dir_url")


def required_files(path: str, src: PhpSource, root) -> list[ImportBinding]:
    folders: dict[str, str] = {}  # `define('MY_PLUGIN_DIR', plugin_dir_path(__FILE__))`
    for node in walk(root):
        if node.type == "function_call_expression" and src.text(node.child_by_field_name("function")) == "define":
            args = arguments(node)
            name = string_value(args[0], src) if len(args) == 2 else None
            folder = _path(args[1], src, {}) if name else None
            if folder is not None:
                folders[name] = folder
    out = []
    for node in walk(root):
        if node.type in _INCLUDES and node.named_children:
            relative = _path(node.named_children[0], src, folders)
            if relative is None:
                continue
            target = posixpath.normpath(posixpath.join(posixpath.dirname(path), relative.lstrip("/")))
            if not target.startswith("../") and target.endswith(".php"):
                out.append(ImportBinding("*", target, "*"))
    return sorted(set(out), key=lambda b: b.module)


def _path(node, src: PhpSource, folders: dict[str, str]) -> str | None:
    """A path relative to the file's folder ("" is the folder itself), None when it is not built
    from it (an absolute path, `ABSPATH . ...`, a variable)."""
    kind = node.type
    if kind == "parenthesized_expression" and node.named_children:
        return _path(node.named_children[0], src, folders)
    if kind == "name":
        text = src.text(node)
        return "" if text == "__DIR__" else folders.get(text)
    if kind == "function_call_expression":
        called = src.text(node.child_by_field_name("function")).lstrip("\\").lower()
        args = arguments(node)
        if called in _FOLDER_OF_FILE and len(args) == 1 and src.text(args[0]) == "__FILE__":
            return ""
        if called == "dirname" and len(args) == 1 and src.text(args[0]) == "__DIR__":
            return ".."
        return None
    if kind == "binary_expression":
        left = _path(node.child_by_field_name("left"), src, folders)
        right = string_value(node.child_by_field_name("right"), src)
        return None if left is None or right is None else posixpath.join(left, right.lstrip("/")) if left else right
    literal = string_value(node, src)
    if literal is not None and not literal.startswith("/") and ":" not in literal:
        return literal
    return None


def client_exports(factories: dict[str, PhpClient]) -> list[ClientExport]:
    """The file's functions and static methods that return a client (``PhpWalker._client_factories``
    keys them `name` and `Class::name`; instance methods, `->name`, are the file's own)."""
    return [ClientExport(name, "php_client", client.account, returns_client=True)
            for name, client in sorted(factories.items()) if not name.startswith("->")]


def imported_call(node, src: PhpSource, defined: set[str]) -> PhpImported | None:
    """`stripe_client()` / `StripeFactory::forAccount($id)` of a function or class this file does
    not define: what it returns may be a client another file makes."""
    if node.type == "function_call_expression":
        function = node.child_by_field_name("function")
        if function is None or function.type not in ("name", "qualified_name"):
            return None
        name = src.text(function).lstrip("\\").rsplit("\\", 1)[-1].lower()
        return None if name in defined else PhpImported(name)
    if node.type == "scoped_call_expression":
        cls, method = src.class_name(node.child_by_field_name("scope")), member_name(node, src)
        if cls is None or method is None or cls.startswith("Stripe\\"):
            return None
        name = f"{cls}::{method.lower()}"
        return None if name in defined else PhpImported(name)
    return None
