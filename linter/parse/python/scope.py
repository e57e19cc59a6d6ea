"""First pass of the Python parser: which names each scope binds, and to what expressions.

The analysis is flow-insensitive on purpose: a name's value is the first Stripe-relevant value
among all its assignments in the scope (``event = None`` then ``event = construct_event(...)``
is an event). That is what a reader assumes, and it keeps one pass per file.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from typing import Any

import libcst as cst
from libcst.helpers import get_full_name_for_node

from stripe_perm_lint.parse.python.values import KNOWN_THIRD_PARTY


@dataclass(eq=False)
class Source:
    """One way a name gets its value. ``kind``:

    ``expr`` (``node`` evaluated in ``scope``), ``ann`` (annotation ``node``, optional value
    ``extra``), ``param`` (``node`` is the Param), ``import`` (``node`` is the ImportAlias,
    ``extra`` = (module, name, local)), ``func``, ``class`` (``extra`` = the new scope), ``none`` (a for target and such).
    """

    kind: str
    node: Any = None
    scope: Any = None
    extra: Any = None


@dataclass(eq=False)
class LexicalScope:
    """The names one module, function or class body binds, and to what (``Source``)."""

    kind: str  # "module" | "function" | "class"
    parent: LexicalScope | None
    node: Any = None
    bindings: dict[str, list[Source]] = field(default_factory=dict)
    globals: set[str] = field(default_factory=set)
    returns: list[cst.BaseExpression] = field(default_factory=list)
    # class scopes: attributes assigned through ``self.x = ...`` in methods
    attrs: dict[str, list[Source]] = field(default_factory=dict)
    # function scopes defined directly in a class: that class, and the name of ``self``
    owner: LexicalScope | None = None
    self_name: str | None = None
    # function scopes: ``<module>.api_key = value`` statements, as (order, module expr, value);
    # ``order`` is comparable with ``BindingCollector.call_order`` (source order)
    key_sets: list[tuple[int, cst.BaseExpression, cst.BaseExpression]] = field(default_factory=list)

    def bind(self, name: str, source: Source) -> None:
        self.bindings.setdefault(name, []).append(source)

    def module(self) -> LexicalScope:
        scope = self
        while scope.parent is not None:
            scope = scope.parent
        return scope

    def holder(self, name: str) -> LexicalScope | None:
        """The scope whose binding of ``name`` is visible here (class bodies are skipped from
        nested functions, as in Python)."""
        if name in self.globals:
            return self.module()
        if name in self.bindings:
            return self
        scope = self.parent
        while scope is not None:
            if scope.kind != "class" and name in scope.bindings:
                return scope
            scope = scope.parent
        return None


@dataclass(frozen=True)
class ImportRecord:
    local: str
    module: str  # as written, with leading dots for relative imports
    name: str  # "*" for ``import a.b as c``


def is_app_module(module: str) -> bool:
    """Whether an import may name a module of the app (the linker drops what it cannot find)."""
    if module.startswith("."):
        return True
    top = module.split(".")[0]
    return top not in sys.stdlib_module_names and top not in KNOWN_THIRD_PARTY and top != "__future__"


_COMPREHENSIONS = (cst.ListComp, cst.SetComp, cst.DictComp, cst.GeneratorExp)
_statement_kinds: dict[type, bool] = {}  # libcst's base classes are ABCs: isinstance is slow


def _is_statement(kind: type) -> bool:
    found = _statement_kinds.get(kind)
    if found is None:
        found = _statement_kinds[kind] = issubclass(kind, (cst.SimpleStatementLine, cst.BaseCompoundStatement))
    return found


def _is_getattr(node: cst.BaseExpression) -> bool:
    return isinstance(node, cst.Call) and isinstance(node.func, cst.Name) and node.func.value == "getattr"


class BindingCollector(cst.CSTVisitor):
    """Builds one ``LexicalScope`` per module / function / class, keyed by node in ``scopes``."""

    def __init__(self, module: cst.Module) -> None:
        self.root = LexicalScope("module", None, module)
        self.scopes: dict[int, LexicalScope] = {id(module): self.root}
        self.stack = [self.root]
        self.imports: list[ImportRecord] = []
        # calls by the name they call (``f(...)``, ``self.f(...)``), to infer unannotated
        # parameters from their arguments: ``handle(event)`` after ``event = construct_event()``
        self.calls_by_name: dict[str, list[tuple[cst.Call, LexicalScope]]] = {}
        # calls, comparisons, match statements, subscripts and decorators, in source order,
        # with their scope
        self.sites: list[tuple[cst.CSTNode, LexicalScope]] = []
        # source order of each call (by id) and of each ``stripe.api_key = ...`` (docs §12)
        self.call_order: dict[int, int] = {}
        # the top-level statement each site is in (by id), where its positions are resolved
        # (``positions.StatementPositions``)
        self.site_top: dict[int, int] = {}
        self._tops = {id(stmt): i for i, stmt in enumerate(module.body)}
        self._top: int | None = None
        # and the statements below the top-level one that hold it, outermost first, down to the
        # innermost: positions are resolved for a copy of the top-level statement that keeps only
        # these (``positions.StatementPositions._nested``)
        self.site_chain: dict[int, tuple[cst.CSTNode, ...]] = {}
        self._chain: tuple[cst.CSTNode, ...] = ()
        # SDK-method references passed as arguments: the call they are passed to (by id)
        self.reference_in: dict[int, cst.Call] = {}
        # comprehensions being visited, innermost last: the names their ``for`` clauses bind;
        # and for each ``getattr`` call inside one (by id), those names
        self.comprehensions: list[dict[str, list[Source]]] = []
        self.comprehension_names: dict[int, dict[str, list[Source]]] = {}
        # ``getattr`` calls (by id) whose result is handed on as a value, like the attributes above
        self.getattr_references: set[int] = set()

    def _site(self, node: cst.CSTNode) -> None:
        self.sites.append((node, self.scope))
        self.site_top[id(node)] = self._top
        if self._chain:
            self.site_chain[id(node)] = self._chain

    @property
    def scope(self) -> LexicalScope:
        return self.stack[-1]

    def _target_scope(self, name: str) -> LexicalScope:
        return self.scope.module() if name in self.scope.globals else self.scope

    def _bind(self, name: str, source: Source) -> None:
        self._target_scope(name).bind(name, source)

    # --- scopes -------------------------------------------------------------------------------

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        outer = self.scope
        inner = LexicalScope("function", outer, node)
        if outer.kind == "class":
            inner.owner = outer
            first = _first_param(node.params)
            decorators = {get_full_name_for_node(d.decorator) for d in node.decorators}
            if first is not None and "staticmethod" not in decorators:
                inner.self_name = first.name.value
        self.scopes[id(node)] = inner
        self._bind(node.name.value, Source("func", node, inner))
        for param in _all_params(node.params):
            inner.bind(param.name.value, Source("param", param, inner))
        self.stack.append(inner)

    def leave_FunctionDef(self, original_node: cst.FunctionDef) -> None:
        self.stack.pop()

    def visit_ClassDef(self, node: cst.ClassDef) -> None:
        inner = LexicalScope("class", self.scope, node)
        self.scopes[id(node)] = inner
        self._bind(node.name.value, Source("class", node, self.scope, inner))
        self.stack.append(inner)

    def leave_ClassDef(self, original_node: cst.ClassDef) -> None:
        self.stack.pop()

    def visit_Lambda(self, node: cst.Lambda) -> bool:
        # lambda parameters shadow nothing we track; its body is still visited for calls
        return True

    # The fact pass looks only at these nodes, so it needs no walk of its own.
    def visit_Comparison(self, node: cst.Comparison) -> None:
        self._site(node)

    def visit_Match(self, node: cst.Match) -> None:
        self._site(node)

    def visit_Decorator(self, node: cst.Decorator) -> None:
        self._site(node)

    def visit_Subscript(self, node: cst.Subscript) -> None:
        self._site(node)

    # Comprehension targets live in the comprehension only: rather than a scope of their own
    # (which would hide the enclosing function from what is evaluated inside), they are kept for
    # the one consumer that needs them, the name of a ``getattr`` called inside the comprehension.
    def on_visit(self, node: cst.CSTNode) -> bool:
        top = self._tops.get(id(node))
        if top is not None:
            self._top, self._chain = top, ()
        elif _is_statement(type(node)):
            self._chain += (node,)
        if isinstance(node, _COMPREHENSIONS):
            self._enter_comprehension(node)
        return super().on_visit(node)

    def on_leave(self, original_node: cst.CSTNode) -> None:
        super().on_leave(original_node)
        if self._chain and self._chain[-1] is original_node:
            self._chain = self._chain[:-1]
        if isinstance(original_node, _COMPREHENSIONS):
            self.comprehensions.pop()

    def _enter_comprehension(self, node: Any) -> None:
        # ``[getattr(client, r).list for r in NAMES]``, ``{r: client.customers.list for ...}``
        self._reference(node.value if isinstance(node, cst.DictComp) else node.elt)
        names = dict(self.comprehensions[-1]) if self.comprehensions else {}
        for_in = node.for_in
        while for_in is not None:
            for name, source in _loop_sources(for_in.target, for_in.iter, self.scope):
                names[name] = [source]  # an inner comprehension's name shadows the outer one
            for_in = for_in.inner_for_in
        self.comprehensions.append(names)

    def visit_Call(self, node: cst.Call) -> None:
        self.call_order[id(node)] = len(self.call_order)
        if self.comprehensions and _is_getattr(node):
            self.comprehension_names[id(node)] = self.comprehensions[-1]
        self._site(node)
        # ``Resource(method=client.customers.list)``, ``partial(stripe.Charge.list, ...)``: an SDK
        # method handed on uncalled is called later (a reference site, after its call's site)
        for arg in node.args:
            self._reference(arg.value, node)
        func = node.func
        name = func.value if isinstance(func, cst.Name) else func.attr.value if isinstance(func, cst.Attribute) else None
        if name is not None:
            self.calls_by_name.setdefault(name, []).append((node, self.scope))

    def visit_Element(self, node: cst.Element) -> None:
        self._reference(node.value)  # ``[client.customers.list, ...]``

    def visit_DictElement(self, node: cst.DictElement) -> None:
        self._reference(node.value)  # ``{"customer": client.customers.list}``

    def _reference(self, expr: cst.BaseExpression, passed_to: cst.Call | None = None) -> None:
        """An expression that may be an SDK method handed on uncalled: an attribute (a site of
        its own) or ``getattr(client.customers, name)`` (its call's site says so)."""
        if isinstance(expr, cst.Attribute):
            self._site(expr)
        elif _is_getattr(expr):
            self.getattr_references.add(id(expr))
        else:
            return
        if passed_to is not None:
            self.reference_in[id(expr)] = passed_to

    def visit_Global(self, node: cst.Global) -> None:
        self.scope.globals.update(n.name.value for n in node.names)

    def visit_Return(self, node: cst.Return) -> None:
        if self.scope.kind == "function" and node.value is not None:
            self.scope.returns.append(node.value)

    # --- assignments --------------------------------------------------------------------------

    def visit_Assign(self, node: cst.Assign) -> None:
        for target in node.targets:
            self._assign(target.target, node.value)

    def visit_AnnAssign(self, node: cst.AnnAssign) -> None:
        target = node.target
        if isinstance(target, cst.Name):
            self._bind(target.value, Source("ann", node.annotation.annotation, self.scope, node.value))
        elif node.value is not None:
            self._assign(target, node.value)

    def visit_TypeAlias(self, node: cst.TypeAlias) -> None:
        # ``type PlatformClient = Annotated[StripeClient, Depends(get_client)]`` (Python 3.12)
        self._bind(node.name.value, Source("expr", node.value, self.scope))

    def visit_NamedExpr(self, node: cst.NamedExpr) -> None:
        self._assign(node.target, node.value)

    def visit_For(self, node: cst.For) -> None:
        for name, source in _loop_sources(node.target, node.iter, self.scope):
            self._bind(name, source)

    def visit_WithItem(self, node: cst.WithItem) -> None:
        if node.asname is not None:
            self._assign(node.asname.name, node.item)

    def visit_ExceptHandler(self, node: cst.ExceptHandler) -> None:
        if node.name is not None:
            self._assign(node.name.name, None)

    def _assign(self, target: cst.BaseExpression, value: cst.BaseExpression | None) -> None:
        if isinstance(target, cst.Name):
            if value is None:
                self._bind(target.value, Source("none"))
            else:
                self._bind(target.value, Source("expr", value, self.scope))
        elif isinstance(target, (cst.Tuple, cst.List)):
            for element in target.elements:
                self._assign(element.value, None)
        elif isinstance(target, cst.Attribute) and value is not None:
            self._assign_attribute(target, value)

    def _assign_attribute(self, target: cst.Attribute, value: cst.BaseExpression) -> None:
        scope = self.scope
        if target.attr.value == "api_key" and scope.kind == "function":
            # ``stripe.api_key = token`` inside a function: a per-request key (docs §12); the
            # evaluator checks that the receiver is the stripe module
            scope.key_sets.append((len(self.call_order), target.value, value))
        # ``self.client = StripeClient(...)`` in a method makes ``client`` an attribute of the class
        if scope.owner is None or not isinstance(target.value, cst.Name):
            return
        if target.value.value == scope.self_name:
            scope.owner.attrs.setdefault(target.attr.value, []).append(Source("expr", value, scope))

    # --- imports ------------------------------------------------------------------------------

    def visit_Import(self, node: cst.Import) -> None:
        for alias in node.names:
            dotted = get_full_name_for_node(alias.name) or ""
            if alias.asname is not None and isinstance(alias.asname.name, cst.Name):
                local = alias.asname.name.value
                self._bind(local, Source("import", alias, extra=(dotted, "*", local)))
                if is_app_module(dotted):
                    self.imports.append(ImportRecord(local, dotted, "*"))
            else:
                top = dotted.split(".")[0]
                self._bind(top, Source("import", alias, extra=(top, "*", top)))

    def visit_ImportFrom(self, node: cst.ImportFrom) -> None:
        if isinstance(node.names, cst.ImportStar):
            return
        module = "." * len(node.relative) + (get_full_name_for_node(node.module) or "" if node.module else "")
        for alias in node.names:
            name = get_full_name_for_node(alias.name) or ""
            local = name
            if alias.asname is not None and isinstance(alias.asname.name, cst.Name):
                local = alias.asname.name.value
            self._bind(local, Source("import", alias, extra=(module, name, local)))
            if is_app_module(module):
                self.imports.append(ImportRecord(local, module, name))


def _loop_sources(target: Any, iterable: Any, scope: LexicalScope) -> list[tuple[str, Source]]:
    """What each name a ``for`` target binds gets: ``iter`` (an item of ``iterable``) for a plain
    name, ``iter_part`` (the ``extra``-th part of an item) for ``for key, value in ...``; nested
    or starred targets get nothing we follow (``none``)."""
    if isinstance(target, cst.Name):  # ``for sub in stripe.Subscription.list(): sub.cancel()``
        return [(target.value, Source("iter", iterable, scope))]
    out: list[tuple[str, Source]] = []
    if isinstance(target, (cst.Tuple, cst.List)):
        for index, element in enumerate(target.elements):
            if isinstance(element.value, cst.Name) and not isinstance(element, cst.StarredElement):
                out.append((element.value.value, Source("iter_part", iterable, scope, index)))
            else:
                out.extend((name, Source("none")) for name in _target_names(element.value))
    return out


def _target_names(target: Any) -> list[str]:
    if isinstance(target, cst.Name):
        return [target.value]
    if isinstance(target, (cst.Tuple, cst.List)):
        return [name for element in target.elements for name in _target_names(element.value)]
    return []


def _all_params(params: cst.Parameters) -> list[cst.Param]:
    out = list(params.posonly_params) + list(params.params) + list(params.kwonly_params)
    for extra in (params.star_arg, params.star_kwarg):
        if isinstance(extra, cst.Param):
            out.append(extra)
    return out


def _first_param(params: cst.Parameters) -> cst.Param | None:
    ordered = list(params.posonly_params) + list(params.params)
    return ordered[0] if ordered else None
