"""The declarations of one Go file that the parser reads values through: its imports, package-level
constants and variables, struct types and their fields, and each top-level function with its
parameters and local names.

Bindings are flow-insensitive within a function (every assignment of a name is one of its
values), which is what Go code that builds a client or a params struct once and uses it after
needs; a name assigned twice with different values is read by each of them.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field

from stripe_perm_lint.parse.go.syntax import (
    default_name, imports, keyed, may_be_app_package, sdk_package, selector_chain, text, walk_types,
)


@dataclass(frozen=True)
class GoBinding:
    value: object | None  # the expression assigned (None: declared only, or a parameter)
    type: object | None  # the declared type's node
    index: int = 0  # the place in a tuple assignment: `event, err := webhook.ConstructEvent(...)`
    param: int | None = None  # the index of a function parameter


@dataclass
class Function:
    node: object
    name: str  # `handleWebhook`, or `Server.handleWebhook` for a method
    receiver: tuple[str, str] | None = None  # (`s`, `Server`) of `func (s *Server) ...`
    names: dict[str, list[GoBinding]] = field(default_factory=dict)

    def bind(self, name: str, binding: GoBinding) -> None:
        if name != "_":
            self.names.setdefault(name, []).append(binding)


class FileModel:
    def __init__(self, root) -> None:
        self.root = root
        self.sdk: dict[str, str] = {}  # local name -> package in stripe-go ("" is `stripe`)
        self.std: dict[str, str] = {}  # local name -> any other import path
        # local name -> (import path, spec) of the imports that may be packages of the app's module
        self.packages: dict[str, tuple[str, object]] = {}
        for name, path, spec in imports(root):
            package = sdk_package(path)
            local = name or default_name(path)
            if package is not None:
                self.sdk[local] = package
            elif local not in (".", "_"):
                self.std[local] = path
                if may_be_app_package(path):
                    self.packages[local] = (path, spec)
        self.globals = Function(root, "")  # package-level constants and variables
        self.structs: dict[str, dict[str, object]] = {}  # type -> field -> type node
        self.functions: list[Function] = []
        # `&Server{stripe: x}`, `s.stripe = x`: (type or receiver name, field) -> [(value, function)]
        self.member_values: dict[tuple[str, str], list[tuple[object, Function]]] = {}
        self.global_assignments: dict[str, list[tuple[object, Function]]] = {}
        for node in root.children:
            if node.type in ("const_declaration", "var_declaration"):
                self._declare(node, self.globals)
            elif node.type == "type_declaration":
                self._types(node)
            elif node.type in ("function_declaration", "method_declaration"):
                self.functions.append(self._function(node))
        self.by_name = {f.name: f for f in self.functions}
        self._starts = [f.node.start_byte for f in self.functions]
        self._struct_literals()
        # Every call of the file with its callee as a chain of names (None: not one), in source order,
        # and indexed by the chain's first and last names and by enclosing function (big files stay linear).
        self.calls = [(selector_chain(c.child_by_field_name("function")), c) for c in walk_types(root, "call_expression")]
        self.calls_by_head: dict[str, list] = {}
        self.calls_by_last: dict[str, list] = {}
        self._calls_in: dict[int, list] = {}
        for chain, call in self.calls:
            if chain:
                self.calls_by_head.setdefault(chain[0], []).append((chain, call))
                self.calls_by_last.setdefault(chain[-1], []).append((chain, call))
            function = self.function_at(call)
            self._calls_in.setdefault(id(function), []).append((chain, call))

    def calls_in(self, function: "Function | None") -> list:
        """The calls inside one top-level function (None: outside any)."""
        return self._calls_in.get(id(function), [])

    def sdk_package(self, local: str) -> str | None:
        return self.sdk.get(local)

    def _types(self, node) -> None:
        for spec in walk_types(node, "type_spec"):
            kind = spec.child_by_field_name("type")
            fields: dict[str, object] = {}
            if kind is not None and kind.type == "struct_type":
                for decl in walk_types(kind, "field_declaration"):
                    ftype = decl.child_by_field_name("type")
                    names = decl.children_by_field_name("name")
                    for name in names:
                        fields[text(name)] = ftype
                    if not names and ftype is not None:  # an embedded field: `*client.API`
                        fields[text(ftype).lstrip("*").rsplit(".", 1)[-1]] = ftype
            self.structs[text(spec.child_by_field_name("name"))] = fields

    def _function(self, node) -> Function:
        name = text(node.child_by_field_name("name"))
        function = Function(node, name)
        receiver = node.child_by_field_name("receiver")
        if receiver is not None:
            for param in walk_types(receiver, "parameter_declaration"):
                kind = param.child_by_field_name("type")
                type_name = text(kind).lstrip("*").split("[", 1)[0] if kind is not None else ""
                function.name = f"{type_name}.{name}"
                for rname in param.children_by_field_name("name"):
                    function.receiver = (text(rname), type_name)
        self._parameters(node, function)
        body = node.child_by_field_name("body")
        if body is not None:
            for literal in walk_types(body, "func_literal"):
                self._parameters(literal, function)
            self._declare(body, function)
        return function

    @staticmethod
    def _parameters(node, function: Function) -> None:
        params = node.child_by_field_name("parameters")
        index = 0
        for decl in params.named_children if params is not None else ():
            if decl.type not in ("parameter_declaration", "variadic_parameter_declaration"):
                continue
            names = decl.children_by_field_name("name") or [None]
            for name in names:
                if name is not None:
                    function.bind(text(name), GoBinding(None, decl.child_by_field_name("type"), param=index))
                index += 1

    def _declare(self, node, function: Function) -> None:
        for decl in walk_types(node, "short_var_declaration", "assignment_statement", "var_spec", "const_spec"):
            if decl.type in ("var_spec", "const_spec"):
                names = decl.children_by_field_name("name")
                kind = decl.child_by_field_name("type")
                values = decl.child_by_field_name("value")
                self._bind_all(function, names, values.named_children if values is not None else [], kind)
                continue
            left, right = decl.child_by_field_name("left"), decl.child_by_field_name("right")
            if left is None or right is None:
                continue
            targets, values = left.named_children, right.named_children
            operator = decl.child_by_field_name("operator")
            if operator is not None and text(operator) not in ("=", ":="):
                continue  # `+=` and friends build strings; not a client, params or event
            if decl.type == "assignment_statement":
                self._assignments(function, targets, values)
                continue
            self._bind_all(function, [t for t in targets if t.type == "identifier"], values, None)

    def _bind_all(self, function: Function, names: list, values: list, kind) -> None:
        for i, name in enumerate(names):
            if len(values) == len(names):
                function.bind(text(name), GoBinding(values[i], kind))
            elif len(values) == 1:
                function.bind(text(name), GoBinding(values[0], kind, index=i))
            else:
                function.bind(text(name), GoBinding(None, kind))

    def _assignments(self, function: Function, targets: list, values: list) -> None:
        """`x = v` rebinds a local or a package-level name; `s.stripe = v` sets a member."""
        for i, target in enumerate(targets):
            value = values[i] if len(values) == len(targets) else (values[0] if len(values) == 1 else None)
            if value is None:
                continue
            if target.type == "identifier" and function is not self.globals:
                self.global_assignments.setdefault(text(target), []).append((value, function))
                if text(target) in function.names:
                    function.bind(text(target), GoBinding(value, None, index=i if len(values) == 1 else 0))
            elif target.type == "selector_expression":
                owner = text(target.child_by_field_name("operand"))
                if function.receiver and owner == function.receiver[0]:
                    owner = function.receiver[1]  # `s.stripe = v` in a method of `Server`
                self.member_values.setdefault((owner, text(target.child_by_field_name("field"))), []).append(
                    (value, function))

    def _struct_literals(self) -> None:
        """`&Server{stripe: client.New(key, nil)}`: the members a struct literal of this file sets."""
        for literal in walk_types(self.root, "composite_literal"):
            kind, body = literal.child_by_field_name("type"), literal.child_by_field_name("body")
            if kind is None or body is None or kind.type != "type_identifier" or text(kind) not in self.structs:
                continue
            function = self.function_at(literal) or self.globals
            for element in body.named_children:
                if element.type == "keyed_element":
                    key, value = keyed(element)
                    self.member_values.setdefault((text(kind), text(key)), []).append((value, function))

    def function_at(self, node) -> Function | None:
        """The top-level function around ``node`` (functions do not overlap: a bisection)."""
        index = bisect.bisect_right(self._starts, node.start_byte) - 1
        if index >= 0 and node.start_byte < self.functions[index].node.end_byte:
            return self.functions[index]
        return None
