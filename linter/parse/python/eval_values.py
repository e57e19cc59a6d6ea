"""What a name, attribute or annotation evaluates to, statically (the Python parser's values).

``ValueEvaluator.value(expr, scope)`` returns a value from ``values`` or None, following
assignments, parameters (their annotation, default, or the arguments this module passes them),
imports, class attributes and function returns. What a *call* produces is decided by the call
classifier in ``eval_calls``, reached through the ``call_result`` hook, so that this module
does not depend on it and both agree on one classification per call.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

import libcst as cst
from libcst.helpers import get_full_name_for_node

from stripe_perm_lint.parse.python import values as v
from stripe_perm_lint.parse.python.call_syntax import call_arg, call_kwarg, literal_text, subscript_string
from stripe_perm_lint.parse.python.scope import LexicalScope, Source, is_app_module

# ``from .models import Customer``: a CamelCase import is a class of the app, never a client.
CAMEL_CASE = re.compile(r"^_?[A-Z][a-z]")
MAX_DEPTH = 8


class ValueEvaluator:
    """Values of names and expressions; subclasses add strings and call classification."""

    def __init__(self, module: cst.Module, calls_by_name: dict[str, list[tuple[cst.Call, LexicalScope]]]) -> None:
        self.module = module
        self.calls_by_name = calls_by_name
        self._names: dict[tuple[int, str], Any] = {}
        self._busy: set[Any] = set()
        self._returns: dict[int, Any] = {}

    # --- values ---------------------------------------------------------------------------------

    def value(self, expr: cst.BaseExpression, scope: LexicalScope) -> Any:
        if isinstance(expr, cst.Name):
            return self.lookup(expr.value, scope)
        if isinstance(expr, cst.Attribute):
            found = self.member(self.value(expr.value, scope), expr.attr.value)
            if found is None and expr.attr.value == "json" and _names_a_request(expr.value):
                return v.EventValue(unverified=True)  # Flask ``request.json``
            return found
        if isinstance(expr, cst.Call):
            return self.call_result(expr, scope)
        if isinstance(expr, cst.Await):
            return self.value(expr.expression, scope)
        if isinstance(expr, cst.Subscript):
            base = self.value(expr.value, scope)
            if isinstance(base, v.EventValue) and subscript_string(expr) == "type":
                return v.EventTypeValue(base.unverified)
            if isinstance(base, v.Collection) and not base.pager:  # ``subs.data[0]``
                return v.Instance(base.cls, base.account)
            return None
        if isinstance(expr, cst.Dict):
            return v.DictLiteral(expr, scope)
        if isinstance(expr, cst.IfExp):
            return self.value(expr.body, scope) or self.value(expr.orelse, scope)
        if isinstance(expr, cst.BooleanOperation):  # ``_client or StripeClient(key)``
            return self.value(expr.left, scope) or self.value(expr.right, scope)
        if isinstance(expr, cst.NamedExpr):
            return self.value(expr.value, scope)
        return None

    def call_result(self, call: cst.Call, scope: LexicalScope) -> Any:
        """What a call evaluates to. Implemented by the call classifier (``eval_calls``), which
        must see every call once, so values and reported calls agree."""
        raise NotImplementedError

    def lookup(self, name: str, scope: LexicalScope) -> Any:
        holder = scope.holder(name)
        if holder is None:
            return None
        return self._sources_value(holder.bindings[name], (id(holder), name))

    def _sources_value(self, sources: list[Source], key: Any) -> Any:
        if key in self._names:
            return self._names[key]
        if key in self._busy:
            return None
        self._busy.add(key)
        result = None
        for source in sources:
            result = self._source_value(source)
            if result is not None:
                break
        self._busy.discard(key)
        self._names[key] = result
        return result

    def _source_value(self, source: Source) -> Any:
        kind = source.kind
        if kind == "expr":
            return self.value(source.node, source.scope)
        if kind == "ann":
            if source.extra is not None:
                found = self.value(source.extra, source.scope)
                if found is not None:
                    return found
            found = self.annotation_value(source.node, source.scope)
            if found is None and source.scope.kind == "class":
                # a field named like its type's module (`stripe: stripe.StripeClient`) shadows
                # it only after the annotation is read: read it where the class is defined
                found = self.annotation_value(source.node, source.scope.parent)
            return found
        if kind == "iter":
            found = self.value(source.node, source.scope)
            return v.Instance(found.cls, found.account) if isinstance(found, v.Collection) else None
        if kind == "param":
            return self._param_value(source.node, source.scope)
        if kind == "import":
            return self._import_value(*source.extra)
        if kind == "func":
            names = {get_full_name_for_node(d.decorator) or "" for d in source.node.decorators}
            is_property = any(n.endswith(("property", "cached_property")) for n in names)
            return v.FunctionRef(source.node, source.scope, is_property)
        if kind == "class":
            return v.ClassRef(source.extra)
        return None

    def _param_value(self, param: cst.Param, scope: LexicalScope) -> Any:
        if scope.owner is not None and param.name.value == scope.self_name:
            return v.UserObject(scope.owner)
        outer = scope.parent or scope
        if param.annotation is not None:
            found = self.annotation_value(param.annotation.annotation, outer)
            if found is not None:
                return found
        if param.default is not None:  # ``def sync(client=client)``
            found = self.value(param.default, outer)
            if found is not None:
                return found
        return self._argument_value(param, scope)

    def _argument_value(self, param: cst.Param, scope: LexicalScope) -> Any:
        """An unannotated parameter takes the first known value passed to it by a call in this
        module: ``handle_event(event)`` makes ``event`` an event inside ``handle_event``."""
        for arg, where in self.passed_arguments(param, scope):
            found = self.value(arg, where)
            if found is not None:
                return found
        return None

    def passed_arguments(self, param: cst.Param, scope: LexicalScope) -> list[tuple[Any, LexicalScope]]:
        """The expressions calls in this module pass to a parameter of one of its functions."""
        func = scope.node
        if not isinstance(func, cst.FunctionDef):
            return []
        positional = list(func.params.posonly_params) + list(func.params.params)
        index = next((i for i, p in enumerate(positional) if p is param), None)
        out = []
        for call, where in self.calls_by_name.get(func.name.value, []):
            callee = self.value(call.func, where)
            if not isinstance(callee, v.FunctionRef) or callee.node is not func:
                continue
            arg = call_kwarg(call, param.name.value)
            if arg is None and index is not None:
                # a method called through ``self.f(x)`` / ``obj.f(x)`` gets ``self`` implicitly
                shift = 1 if scope.self_name is not None and isinstance(call.func, cst.Attribute) else 0
                if index - shift >= 0:
                    arg = call_arg(call, index - shift, "")
            if arg is not None:
                out.append((arg, where))
        return out

    def _import_value(self, module: str, name: str, local: str) -> Any:
        top = module.split(".")[0]
        if top == "stripe":
            # private modules (``stripe._stripe_client``) re-export into the top namespace
            path = tuple(p for p in module.split(".")[1:] if not p.startswith("_"))
            if name == "*":
                return v.LegacyNS(path)
            return self.member(v.LegacyNS(path), name)
        if top in v.HTTP_LIBRARIES:
            if module != top:
                return None
            return v.HttpLibrary(top) if name == "*" else self.member(v.HttpLibrary(top), name)
        if not is_app_module(module) or CAMEL_CASE.match(local):
            return None
        if name == "*":
            return v.Imported(local, namespace=True) if local != module else None
        return v.Imported(local)

    def annotation_value(self, expr: cst.BaseExpression, scope: LexicalScope, depth: int = 0) -> Any:
        """``StripeClient`` -> a client, ``stripe.Event`` -> an event, ``stripe.Customer`` -> an
        object of that class; ``Optional[...]``, ``X | None`` and string annotations included."""
        if depth > MAX_DEPTH:
            return None
        if isinstance(expr, cst.SimpleString):
            text = literal_text(expr)
            parsed = _string_annotation(text) if text is not None else None
            return self.annotation_value(parsed, scope, depth + 1) if parsed is not None else None
        if isinstance(expr, cst.BinaryOperation) and isinstance(expr.operator, cst.BitOr):
            return self.annotation_value(expr.left, scope, depth + 1) or self.annotation_value(
                expr.right, scope, depth + 1
            )
        if isinstance(expr, cst.Subscript):
            indexes = [e.slice.value for e in expr.slice if isinstance(e.slice, cst.Index)]
            if (get_full_name_for_node(expr.value) or "").endswith("Annotated"):
                injected = self._injected_client(indexes[1:], scope)
                if injected is not None:
                    return injected
            for index in indexes:
                found = self.annotation_value(index, scope, depth + 1)
                if found is not None:
                    return found
            return None
        found = self.value(expr, scope)
        if isinstance(found, v.ClientClass):
            # known only by its type: whose key built it is settled by the engine
            return v.Client("unknown")
        if found is None and isinstance(expr, cst.Name):
            return self._alias_value(expr, scope, depth) or self._imported_type(expr, scope)
        if isinstance(found, v.ClassRef):  # `deps: Deps`, a dataclass / pydantic model of this module
            return v.UserObject(found.scope)
        if isinstance(found, v.LegacyClass):
            if found.name == "Event":
                return v.EventValue()
            if not is_helper_class(found.name):
                return v.Instance(found.name, "platform")
        return None

    def _alias_value(self, expr: cst.Name, scope: LexicalScope, depth: int) -> Any:
        """A type alias: ``PlatformClient = Annotated[StripeClient, Depends(get)]``, with
        ``: TypeAlias`` or ``type X = ...``. Only type-shaped values are followed, so a name bound
        to a call result (a client *instance*) used as an annotation stays unknown."""
        for node, where in self.assigned_exprs(expr, scope):
            if isinstance(node, (cst.Subscript, cst.SimpleString, cst.BinaryOperation)):
                found = self.annotation_value(node, where, depth + 1)
                if found is not None:
                    return found
        return None

    def _imported_type(self, expr: cst.Name, scope: LexicalScope) -> Any:
        """An annotation naming a type imported from an app module (`client: PlatformClient` with
        `from .deps import PlatformClient`): calls on the parameter wait for the linker, which
        knows whether that module exports a client type. CamelCase imports are otherwise skipped
        (ORM models), but as an annotation the name can only be a type."""
        holder = scope.holder(expr.value)
        for source in holder.bindings[expr.value] if holder is not None else ():
            if source.kind == "import":
                module, name, local = source.extra
                if is_app_module(module) and name != "*":
                    return v.Imported(local)
        return None

    def _injected_client(self, metadata: list[cst.BaseExpression], scope: LexicalScope) -> Any:
        """FastAPI ``Annotated[StripeClient, Depends(get_client)]``: when ``get_client`` is a
        function of this module that builds the client, the parameter is that client."""
        for item in metadata:
            if not isinstance(item, cst.Call) or not item.args:
                continue
            if (get_full_name_for_node(item.func) or "").rsplit(".", 1)[-1] not in ("Depends", "Security"):
                continue
            provider = self.value(item.args[0].value, scope)
            found = self.function_result(provider) if isinstance(provider, v.FunctionRef) else None
            if isinstance(found, v.Client):
                return found
        return None

    def member(self, base: Any, name: str) -> Any:
        if base is None:
            return None
        if isinstance(base, v.Choice):  # ``getattr(client, name).list`` over literal names
            return v.choice(self.member(option, name) for option in base.options)
        if isinstance(base, v.LegacyNS):
            return _legacy_member(base.path, name)
        if isinstance(base, v.LegacyClass):
            if name[:1].isupper():  # ``stripe.issuing.Card.TestHelpers``
                return v.LegacyClass(f"{base.name}.{name}")
            return v.LegacyMethod(base.name, name)
        if isinstance(base, v.Client):
            return v.Service(base.account, (name,))
        if isinstance(base, v.Service):
            return v.Service(base.account, base.path + (name,))
        if isinstance(base, v.Collection):
            if name == "auto_paging_iter":
                return v.Collection(base.cls, base.account, pager=True)
            return v.Collection(base.cls, base.account) if name == "data" else None
        if isinstance(base, v.Instance):
            return None if name.startswith("_") else v.InstanceMethod(base.cls, name, base.account)
        if isinstance(base, v.EventValue):
            members = {"type": v.EventTypeValue(base.unverified), "get": v.EventGet(base.unverified)}
            return members.get(name)
        if isinstance(base, v.Imported):
            return v.Imported(base.local, base.segments + (name,), base.via_factory, base.namespace)
        if isinstance(base, v.HttpLibrary):
            if name in v.HTTP_SESSION_CLASSES:
                return v.HttpSessionClass(base.name)
            return _http_member(name, None)
        if isinstance(base, v.HttpSession):
            return _http_member(name, base.base)
        if isinstance(base, (v.UserObject, v.ClassRef)):
            return self._class_member(base.scope, name, isinstance(base, v.UserObject), 0)
        if isinstance(base, v.DictLiteral) and name == "get":
            return v.DictGet(base)
        return None

    def _class_member(self, cls: LexicalScope, name: str, instance: bool, depth: int) -> Any:
        sources = cls.bindings.get(name, []) + cls.attrs.get(name, [])
        found = self._sources_value(sources, (id(cls), "." + name)) if sources else None
        if isinstance(found, v.FunctionRef) and found.is_property and instance:
            return self.function_result(found)
        if found is None and depth < MAX_DEPTH:
            for base in cls.node.bases:  # attributes inherited from a class of this module
                parent = self.value(base.value, cls.parent)
                if isinstance(parent, v.ClassRef):
                    found = self._class_member(parent.scope, name, instance, depth + 1)
                    if found is not None:
                        break
        return found

    def function_result(self, func: v.FunctionRef) -> Any:
        """What a function of this module returns: a client, an event... (first known return;
        else its return annotation, so ``def get_client() -> StripeClient`` is a factory)."""
        key = id(func.node)
        if key in self._returns:
            return self._returns[key]
        self._returns[key] = None  # recursion guard
        result = None
        for expr in func.scope.returns:
            result = self.value(expr, func.scope)
            if result is not None:
                break
        if result is None and func.node.returns is not None:
            result = self.annotation_value(func.node.returns.annotation, func.scope.parent or func.scope)
        self._returns[key] = result
        return result

    def assigned_exprs(self, expr: Any, scope: LexicalScope) -> list[tuple[Any, LexicalScope]]:
        """Expressions assigned to a name (or to a class attribute ``Config.X``)."""
        sources: list[Source] = []
        if isinstance(expr, cst.Name):
            holder = scope.holder(expr.value)
            sources = holder.bindings[expr.value] if holder is not None else []
        elif isinstance(expr, cst.Attribute):
            base = self.value(expr.value, scope)
            if isinstance(base, (v.ClassRef, v.UserObject)):
                cls = base.scope
                sources = cls.bindings.get(expr.attr.value, []) + cls.attrs.get(expr.attr.value, [])
        out = []
        for source in sources:
            if source.kind == "expr":
                out.append((source.node, source.scope))
            elif source.kind == "ann" and source.extra is not None:
                out.append((source.extra, source.scope))
        return out


def _legacy_member(path: tuple[str, ...], name: str) -> Any:
    if name == "StripeClient":
        return v.ClientClass()
    if name == "?":  # ``getattr(stripe, cls_name)``
        return v.LegacyClass(".".join(path + ("?",)))
    if name in v.LEGACY_NON_NAMESPACES or name.startswith("_"):
        return None
    if not path and name in v.LEGACY_RAW_FUNCTIONS:
        return v.LegacyFunction(name)
    if name[:1].isupper():
        return v.LegacyClass(".".join(path + (name,)))
    return v.LegacyNS(path + (name,))


def _names_a_request(expr: cst.BaseExpression) -> bool:
    """``request`` / ``req`` / ``self.request``: the incoming request of a web framework."""
    name = expr.attr.value if isinstance(expr, cst.Attribute) else expr.value if isinstance(expr, cst.Name) else ""
    return name.lower() in ("request", "req")


def _http_member(name: str, base: str | None) -> Any:
    if name in v.HTTP_VERBS:
        return v.HttpMethod(name.upper(), base)
    if name == "request":
        return v.HttpMethod(None, base)
    return None


def is_helper_class(name: str) -> bool:
    last = name.rsplit(".", 1)[-1]
    return last in v.LEGACY_HELPER_CLASSES or last.endswith(("Error", "Exception"))


@lru_cache(maxsize=4096)
def _string_annotation(text: str) -> cst.BaseExpression | None:
    """A string annotation (``"ListObject[Customer]"``) as an expression, or None. Cached: the
    same few annotations recur in every module of a typed code base, and the parsed node is
    only evaluated, never placed (it is not part of the module's tree)."""
    try:
        return cst.parse_expression(text)
    except cst.ParserSyntaxError:
        return None
