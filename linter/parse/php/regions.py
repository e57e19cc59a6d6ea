"""The regions of a PHP file whose handled events share an endpoint (``parse.endpoints``): each
top-level function, each method of a class (``WebhookController.handle``), each closure handed to
a call at top level (a Slim or WordPress route: named by its route, `/webhook`), and the file's
own top-level code (a plain `webhook.php` script), last so that the others win."""

from __future__ import annotations

from typing import TYPE_CHECKING

from stripe_perm_lint.facts import Position
from stripe_perm_lint.parse.endpoints import Region
from stripe_perm_lint.parse.php.syntax import arguments, string_value

if TYPE_CHECKING:
    from stripe_perm_lint.parse.php.parser import PhpWalker

_DECLARATIONS = ("function_definition", "class_declaration", "interface_declaration", "trait_declaration",
                 "namespace_definition", "namespace_use_declaration", "php_tag", "text_interpolation", "comment")


def regions(w: "PhpWalker") -> list[Region]:
    found, top_level = [], []
    for node in w.root.named_children:
        if node.type == "function_definition":
            found.append(_region(w, w.src.text(node.child_by_field_name("name")), node))
        elif node.type in ("class_declaration", "trait_declaration"):
            cls = w.src.text(node.child_by_field_name("name"))
            for method in node.child_by_field_name("body").named_children if node.child_by_field_name("body") else ():
                if method.type == "method_declaration":
                    found.append(_region(w, f"{cls}.{w.src.text(method.child_by_field_name('name'))}", method))
        elif node.type not in _DECLARATIONS:
            top_level.append(node)
            found += [_region(w, _closure_name(w, closure), closure) for closure in _closures(node)]
    if top_level:
        text = "\n".join(w.src.text(node) for node in top_level)
        found.append(Region("main", Position(1, 1), Position(10**9, 10**9), text))
    return found


def _closures(node):
    """The outermost closures in a top-level statement."""
    stack = [node]
    while stack:
        current = stack.pop()
        if current.type in ("anonymous_function", "arrow_function"):
            yield current
            continue
        stack.extend(reversed(current.named_children))


def _closure_name(w: "PhpWalker", closure) -> str:
    """The route a closure serves (`$app->post('/webhook', function ...)`, `register_rest_route`'s
    path), else `closure@LINE`."""
    call = closure.parent
    while call is not None and call.type not in ("function_call_expression", "member_call_expression"):
        call = call.parent
    if call is not None:
        literals = [string_value(a, w.src) for a in arguments(call)]
        route = next((s for s in literals if s and s.startswith("/")), None)
        if route:
            return route
    return f"closure@{closure.start_point[0] + 1}"


def _region(w: "PhpWalker", name: str, node) -> Region:
    return Region(name, w.pos(node), Position(node.end_point[0] + 1, 10**9), w.src.text(node))

