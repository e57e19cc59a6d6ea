"""One PHP file to ``FileFacts``: a walk in document order that keeps each function's variables
(``PhpScope``), each class's properties, and hands calls to the SDK readers (``calls``), requests
to ``http``, and event comparisons to ``events``.

Classes are walked twice: first only to learn what their properties hold (``$this->stripe = new
StripeClient(...)`` in the constructor, a promoted ``private StripeClient $stripe``), then for
the facts, so that a method written above the constructor still sees its client."""

from __future__ import annotations

from stripe_perm_lint.backends import parse_tree
from stripe_perm_lint.facts import FileFacts, ParseProblem
from stripe_perm_lint.parse.endpoints import attach
from stripe_perm_lint.parse.php.accounts import client_account, legacy_key_account
from stripe_perm_lint.parse.php.calls import PhpCallReader
from stripe_perm_lint.parse.php.events import PhpEventReader
from stripe_perm_lint.parse.php.http import PhpHttpReader
from stripe_perm_lint.parse.php.links import client_exports, imported_call, required_files
from stripe_perm_lint.parse.php.objects import fetched, items, sdk_table, typed_object
from stripe_perm_lint.parse.php.regions import regions
from stripe_perm_lint.parse.php.syntax import FUNCTIONS, PhpSource, arguments, member_name, string_value, walk
from stripe_perm_lint.parse.php.values import (
    CLIENT_CLASSES, EVENT_CLASSES, PhpClient, PhpEvent, PhpEvaluator, PhpScope, PhpService, PhpText,
)
from stripe_perm_lint.parse.positions import Positions

# Calls that hand back a verified (or fetched) webhook event.
_EVENT_SOURCES = frozenset({"Stripe\\Webhook::constructEvent", "Stripe\\Event::constructFrom", "Stripe\\Event::retrieve"})


def parse(path: str, text: str) -> FileFacts:
    data = text.encode("utf-8", errors="surrogatepass")
    root = parse_tree("php", data).root_node
    walker = PhpWalker(path, PhpSource(data, root), root, Positions(data))
    walker.run()
    return walker.facts()


class PhpWalker:
    def __init__(self, path: str, src: PhpSource, root, positions: Positions) -> None:
        self.path, self.src, self.root, self.positions = path, src, root, positions
        self.ev = PhpEvaluator(src)
        self.table = sdk_table()
        self.emit = True
        self.file_scope = PhpScope()
        self.file_legacy: str | None = None
        self.calls = PhpCallReader(self)
        self.events = PhpEventReader(self)
        self.http = PhpHttpReader(self)
        self.unresolved: list = []
        self.untraced: list = []
        self.defined: set[str] = set()  # the functions (`name`) and static methods (`Class::name`) of the file
        self.ev.call_result = self._call_result


    def pos(self, node):
        return self.positions.of(node)

    # ---- the walk -----------------------------------------------------------------------------------
    def run(self) -> None:
        self._constants()
        self._file_key()
        self._client_factories()
        self.visit_children(self.root, self.file_scope)
        self.http.unconsumed_urls()

    def visit_children(self, node, scope: PhpScope) -> None:
        for child in node.named_children:
            self.visit(child, scope)

    def visit(self, node, scope: PhpScope) -> None:
        kind = node.type
        if kind == "class_declaration" or kind == "trait_declaration":
            self._class(node)
            return
        if kind in FUNCTIONS:
            self._function(node, scope)
            return
        if kind == "assignment_expression":
            self.visit_children(node, scope)
            self._assign(node.child_by_field_name("left"), node.child_by_field_name("right"), scope)
            return
        if kind == "augmented_assignment_expression":
            self.visit_children(node, scope)
            self._append(node, scope)
            return
        if kind == "foreach_statement":
            self._foreach(node, scope)
            return
        if kind == "global_declaration":
            for name in (self.src.text(n) for n in node.named_children if n.type == "variable_name"):
                if name in self.file_scope.values:
                    scope.values[name] = self.file_scope.values[name]
                if name in self.file_scope.sources:
                    scope.sources[name] = self.file_scope.sources[name]
            return
        self.visit_children(node, scope)
        if kind in ("member_call_expression", "nullsafe_member_call_expression"):
            self.calls.member_call(node, scope)
            self.http.member_call(node, scope)
        elif kind == "scoped_call_expression":
            self.calls.scoped_call(node, scope)
        if kind in ("function_call_expression", "member_call_expression", "scoped_call_expression"):
            self.calls.account_arguments(node, scope)
        if kind == "function_call_expression":
            self.http.function_call(node, scope)
            self.events.function_call(node, scope)
        elif kind == "binary_expression":
            self.events.comparison(node, scope)
        elif kind == "switch_statement":
            self.events.switch(node, scope)
        elif kind == "match_expression":
            self.events.match(node, scope)
        elif kind == "subscript_expression":
            self.events.table_lookup(node, scope)

    def _function(self, node, scope: PhpScope) -> None:
        inner = scope.child(inherit=node.type in ("anonymous_function", "arrow_function"))
        parameters = node.child_by_field_name("parameters")
        if node.type in ("function_definition", "method_declaration"):
            inner.legacy_account = None
            inner.owner = self.src.text(node.child_by_field_name("name"))
            inner.order = tuple(self.src.text(p.child_by_field_name("name")) for p in parameters.named_children
                                if p.child_by_field_name("name") is not None) if parameters is not None else ()
        for param in parameters.named_children if parameters is not None else ():
            name_node = param.child_by_field_name("name")
            if name_node is None:
                continue
            name = self.src.text(name_node)
            type_node = param.child_by_field_name("type")
            inner.params[name] = type_node
            inner.values.pop(name, None)
            inner.sources.pop(name, None)
            typed = self._type_value(type_node)
            if typed is not None:
                inner.values[name] = typed
        body = node.child_by_field_name("body")
        if body is not None:
            self.visit(body, inner) if node.type == "arrow_function" else self.visit_children(body, inner)

    def _type_value(self, type_node):
        """What a parameter or property typed `StripeClient` / `\\Stripe\\Event` holds."""
        if type_node is None:
            return None
        if type_node.type in ("optional_type", "union_type", "nullable_type"):
            return next((v for v in map(self._type_value, type_node.named_children) if v is not None), None)
        cls = self.src.class_name(type_node)
        if cls in CLIENT_CLASSES:
            return PhpClient("unknown")
        if cls in EVENT_CLASSES:
            return PhpEvent()
        return typed_object(self, cls)

    def _class(self, node) -> None:
        props: dict = {}
        body = node.child_by_field_name("body")
        if body is None:
            return
        for member in body.named_children:
            if member.type == "property_declaration":
                typed = self._type_value(member.child_by_field_name("type"))
                static = any(c.type == "static_modifier" for c in member.children)
                for element in (e for e in member.named_children if e.type == "property_element"):
                    name = self.src.text(element.child_by_field_name("name")).lstrip("$")
                    default = element.child_by_field_name("default_value")
                    held = typed if typed is not None else (self.ev.value(default, PhpScope()) if default else None)
                    if held is not None:
                        props[("::" if static else "") + name] = held
            elif member.type == "const_declaration":
                for element in member.named_children:
                    if element.type == "const_element" and len(element.named_children) == 2:
                        literal = string_value(element.named_children[1], self.src)
                        if literal is not None:
                            self.ev.constants["::" + self.src.text(element.named_children[0])] = PhpText(literal)
            elif member.type == "method_declaration":
                parameters = member.child_by_field_name("parameters")
                for param in parameters.named_children if parameters is not None else ():
                    if param.type == "property_promotion_parameter":
                        typed = self._type_value(param.child_by_field_name("type"))
                        if typed is not None:
                            props[self.src.text(param.child_by_field_name("name")).lstrip("$")] = typed
        outer_props, outer_emit = self.ev.props, self.emit
        self.ev.props = props
        self.emit = False  # first pass: what the methods store in the properties
        self.visit_children(body, PhpScope())
        self.emit = outer_emit
        self.visit_children(body, PhpScope())
        self.ev.props = outer_props

    # ---- values -------------------------------------------------------------------------------------
    def value(self, node, scope: PhpScope):
        if node is None:
            return None
        if node.type == "object_creation_expression":
            cls = self.src.class_name(next((c for c in node.named_children if c.type in ("name", "qualified_name")), None))
            if cls in CLIENT_CLASSES:
                return PhpClient(client_account(arguments(node), scope, self.ev))
            return None
        if node.type == "scoped_call_expression":
            cls = self.src.class_name(node.child_by_field_name("scope"))
            if f"{cls}::{member_name(node, self.src)}" in _EVENT_SOURCES:
                return PhpEvent()
            return fetched(self, node, scope) or self._call_result(node)
        if node.type == "member_call_expression":
            held = self.ev.value(node.child_by_field_name("object"), scope)
            if isinstance(held, PhpService) and held.chain == ("events",) and member_name(node, self.src) == "retrieve":
                return PhpEvent()
            if isinstance(held, PhpClient) and member_name(node, self.src) == "parseEventNotification":
                return PhpEvent()
            return fetched(self, node, scope) or self.ev.value(node, scope)
        return self.ev.value(node, scope)

    def _call_result(self, node):
        """A static factory of this file (`StripeFactory::forAccount()`), else what another file's
        function or static method returns (``PhpImported``), else None."""
        if node.type == "scoped_call_expression":
            scope_node = node.child_by_field_name("scope")
            cls = self.src.class_name(scope_node)
            if self.src.text(scope_node).lower() in ("self", "static"):  # `self::client()`: the enclosing class
                owner = next(_ancestors(node, ("class_declaration",)), None)
                cls = self.src.class_name(owner.child_by_field_name("name")) if owner is not None else None
            local = f"{cls}::{(member_name(node, self.src) or '').lower()}"
            if local in self.ev.factories:
                return self.ev.factories[local]
        return imported_call(node, self.src, self.defined)

    def _assign(self, left, right, scope: PhpScope) -> None:
        if left is None or right is None:
            return
        held = self.value(right, scope)
        if left.type == "variable_name":
            name = self.src.text(left)
            scope.sources[name] = right
            if held is None:
                scope.values.pop(name, None)
            else:
                scope.values[name] = held
        elif left.type == "member_access_expression" and self.src.text(left.child_by_field_name("object")) == "$this":
            name = member_name(left, self.src)
            if name and held is not None and not self.emit:
                self.ev.props[name] = held
        elif left.type == "scoped_property_access_expression" and held is not None and not self.emit:
            self.ev.props["::" + self.src.text(left.child_by_field_name("name")).lstrip("$")] = held

    def _foreach(self, node, scope: PhpScope) -> None:
        """`foreach ($list->data as $c)`, `foreach ($list as $id => $c)`: the loop variable holds a
        list's object (or whatever it held before loses its value)."""
        iterated, target = (node.named_children + [None, None])[:2]
        if iterated is not None:
            self.visit(iterated, scope)
        if target is not None and target.type == "pair" and target.named_children:
            target = target.named_children[-1]
        if target is not None and target.type == "variable_name":
            name = self.src.text(target)
            scope.sources[name] = node
            item = items(self.value(iterated, scope))
            if item is None:
                scope.values.pop(name, None)
            else:
                scope.values[name] = item
        for child in node.named_children[2:]:
            self.visit(child, scope)

    def _append(self, node, scope: PhpScope) -> None:
        left = node.child_by_field_name("left")
        if left is None or left.type != "variable_name":
            return
        name = self.src.text(left)
        held, added = scope.values.get(name), self.ev.value(node.child_by_field_name("right"), scope)
        if isinstance(held, PhpText) and "." in self.src.text(node)[len(self.src.text(left)):].lstrip()[:2]:
            text = added.text if isinstance(added, PhpText) else "{}"
            scope.values[name] = PhpText(held.text + text, held.origins + (added.origins if isinstance(added, PhpText) else ()))

    def _constants(self) -> None:
        """`define('STRIPE_API', 'https://api.stripe.com/v1/')` and top-level `const`s."""
        for node in walk(self.root):
            if node.type == "function_call_expression" and self.src.text(node.child_by_field_name("function")) == "define":
                args = arguments(node)
                name = string_value(args[0], self.src) if len(args) == 2 else None
                held = self.ev.value(args[1], PhpScope()) if name else None
                if isinstance(held, PhpText):
                    self.ev.constants[name] = held
        for node in self.root.named_children:
            if node.type == "const_declaration":
                for element in node.named_children:
                    if element.type == "const_element" and len(element.named_children) == 2:
                        held = self.ev.value(element.named_children[1], PhpScope())
                        if isinstance(held, PhpText):
                            self.ev.constants[self.src.text(element.named_children[0])] = held

    def _client_factories(self) -> None:
        """The file's functions and methods that return a client, keyed `name`, `->name` and, for a
        static method, also `App\\Factory::name` (what another file calls it by)."""
        for node in walk(self.root):
            if node.type not in ("function_definition", "method_declaration"):
                continue
            name = self.src.text(node.child_by_field_name("name")).lower()
            keys = [name if node.type == "function_definition" else "->" + name]
            owner = next(_ancestors(node, ("class_declaration",)), None)
            if owner is not None and any(c.type == "static_modifier" for c in node.children):
                keys.append(f"{self.src.class_name(owner.child_by_field_name('name'))}::{name}")
            self.defined.update(k for k in keys if not k.startswith("->"))
            typed = self._type_value(node.child_by_field_name("return_type"))
            if isinstance(typed, PhpClient):
                self.ev.factories.update(dict.fromkeys(keys, typed))
            scope = PhpScope(params={self.src.text(p.child_by_field_name("name")): None
                                  for p in node.child_by_field_name("parameters").named_children
                                  if p.child_by_field_name("name") is not None})
            body = node.child_by_field_name("body") or node
            for statement in walk(body):
                if statement.type == "return_statement" and statement.named_children:
                    held = self._returned(statement.named_children[0], body, scope)
                    if isinstance(held, PhpClient):
                        self.ev.factories.update(dict.fromkeys(keys, held))

    def _returned(self, node, body, scope: PhpScope):
        """What a factory returns: the expression, or what it assigns (`return self::$c ??= new
        StripeClient(...)`), or for a memoised variable (`static $stripe; if (!$stripe) { $stripe =
        new StripeClient(...); } return $stripe;`) a client some assignment in the body gives it."""
        if node.type in ("assignment_expression", "augmented_assignment_expression"):
            return self.value(node.child_by_field_name("right"), scope)
        held = self.value(node, scope)
        if held is None and node.type in ("variable_name", "scoped_property_access_expression"):
            name = self.src.text(node)
            for assignment in walk(body):
                left = assignment.child_by_field_name("left") if assignment.type.endswith("assignment_expression") else None
                if left is not None and self.src.text(left) == name:
                    held = self.value(assignment.child_by_field_name("right"), scope)
                    if isinstance(held, PhpClient):
                        return held
        return held

    def _file_key(self) -> None:
        """`\\Stripe\\Stripe::setApiKey(...)` outside any function sets the key every legacy call
        of the file uses when its function sets none (functions run after the file's top level)."""
        for node in walk(self.root):
            if node.type != "scoped_call_expression" or any(True for _ in _ancestors(node, FUNCTIONS)):
                continue
            if self.calls.is_set_api_key(node):
                args = arguments(node)
                self.file_legacy = legacy_key_account(args[0], self.file_scope, self.ev, False) if args else None

    # ---- facts --------------------------------------------------------------------------------------
    def facts(self) -> FileFacts:
        found_regions = regions(self)
        handled = self.events.handled + self.events.stripe_payload_events()
        events, endpoints, _ = attach(self.path, found_regions, handled, self.calls.found, [])
        problems = ()
        if self.root.has_error:  # one problem per file, at the first error: the rest is still read
            node = _first_error(self.root)
            what = f"missing {node.type}" if node.is_missing else "unexpected input"
            problems = (ParseProblem(f"syntax error ({what}); facts may be incomplete", self.pos(node)),)
        return FileFacts(
            path=self.path, language="php",
            calls=tuple(sorted(set(self.calls.found), key=lambda c: (c.position, c.accessor))),
            raw_requests=tuple(sorted(set(self.http.found), key=lambda r: (r.position, r.path))),
            events=tuple(sorted(set(events) | set(self.events.subscribed), key=lambda e: (e.position, e.name, e.kind))),
            unresolved=tuple(sorted(set(self.unresolved), key=lambda u: (u.position, u.what))),
            webhook_endpoints=tuple(sorted(set(endpoints), key=lambda e: (e.position, e.endpoint))),
            untraced_clients=tuple(sorted(set(self.untraced), key=lambda u: (u.position, u.name))),
            account_arguments=tuple(sorted(set(self.calls.arguments), key=lambda a: (a.member or "", a.index))),
            imports=tuple(required_files(self.path, self.src, self.root)),
            client_exports=tuple(client_exports(self.ev.factories)),
            pending_calls=tuple(sorted(set(self.calls.pending), key=lambda p: (p.position, p.accessor))),
            problems=problems,
        )


def _ancestors(node, types):
    current = node.parent
    while current is not None:
        if current.type in types:
            yield current
        current = current.parent


def _first_error(root):
    return next((n for n in walk(root) if n.type == "ERROR" or n.is_missing), root)
