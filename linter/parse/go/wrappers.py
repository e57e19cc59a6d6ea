"""Raw requests through request wrappers in Go (docs/semantics.md §6).

`func (s *Svc) do(method, path string, body io.Reader) (*http.Response, error)` that sends
`http.NewRequest(method, "https://api.stripe.com"+path, body)` is a wrapper: the URL is a Stripe
base (`"https://api.stripe.com"`, `…/v1`; a constant, a struct field set to it, or
`fmt.Sprintf("%s%s", stripeAPI, path)`) followed by one of its parameters. Each call of it
(`s.do(http.MethodPost, "/v1/refunds", body)`) is a request with the caller's verb and path, at
the call (``parse.wrappers.wrapper_request``, as for TypeScript and Python); the wrapper's own
`Stripe-Account` header or `Authorization` key gives the account. A wrapper called in its own file
makes no request of its own; one called from nowhere in the file keeps it (the URL scan counted
it). A wrapper is exported under its function's name (`Svc.do`, `stripeDo`); a call of a method
or function the file does not declare is a ``PendingRequest`` the linker resolves in the
package's other files, or in the app package an import names.
"""

from __future__ import annotations

import dataclasses
import re

from stripe_perm_lint.facts import ImportBinding, PendingRequest, RequestWrapperExport
from stripe_perm_lint.parse.go.requests import VERB_CONSTANTS, RequestReader
from stripe_perm_lint.parse.go.scope import Function
from stripe_perm_lint.parse.go.syntax import arguments, selector_chain, text
from stripe_perm_lint.parse.go.values import BUILTINS, GoPending, Struct
from stripe_perm_lint.parse.vocabulary import STRIPE_API_URL
from stripe_perm_lint.parse.wrappers import looks_like_path, wrapper_request

# Where a request call takes its (verb, URL) arguments; a fixed verb for `http.Get(url)` and friends.
_REQUEST_ARGS = {"NewRequest": (0, 1), "NewRequestWithContext": (1, 2)}
_FIXED_VERB = {"Get": "GET", "Head": "HEAD", "Post": "POST", "PostForm": "POST"}
_LAST_VERB = re.compile(r"%[-+# 0-9.]*[sv]$")
_VERB = re.compile(r"%[-+# 0-9.]*[a-zA-Z]")
_BASE_PATHS = ("", "/v1", "/v2")
MAX_HOPS = 4  # wrappers of wrappers followed within a file  # a base after which the parameter is the API path, not an id


class GoWrappers:
    """The wrappers of one file (by function name) and the calls of them, read before the
    requests so that a wrapper's own request can give way to its callers'."""

    def __init__(self, requests: RequestReader) -> None:
        self.requests = requests
        self.ev = requests.ev
        self.m = requests.ev.m
        self.by_name: dict[str, RequestWrapperExport] = {}
        self.inner: dict[int, str] = {}  # start byte of a wrapper's own request -> the wrapper
        self.hands_to: dict[str, str] = {}  # a wrapper that hands its path on -> the one it calls
        for chain, call in self.m.calls:
            fn = self.m.function_at(call)
            found = self._wrapper(chain, call, fn) if chain and fn is not None else None
            if found is not None:
                self.by_name.setdefault(fn.name, found)
                self.inner[call.start_byte] = fn.name
        self._delegating()
        self.called: set[str] = set()

    def _delegating(self) -> None:
        """`func (s *Svc) get(path string) { return s.do("GET", path, nil) }`: a function that
        hands its own path parameter to a wrapper of the file is one too, with the verb it passes
        (a literal, or its own parameter). Rounds until none is added: a chain of them ends."""
        for _ in range(MAX_HOPS):
            added = False
            shorts = sorted({name.rsplit(".", 1)[-1] for name in self.by_name})  # only calls of these
            for _, call in (c for short in shorts for c in self.m.calls_by_last.get(short, [])):
                fn = self.m.function_at(call)
                callee = call.child_by_field_name("function")
                target = self._callee(callee, fn) if fn is not None and callee is not None else None
                inner = self.by_name.get(target[0]) if target is not None and target[1] is None else None
                if inner is None or fn.name in self.by_name:
                    continue
                args = arguments(call)
                path_param = self._param(args[inner.path_param], fn) if inner.path_param < len(args) else None
                if path_param is None:
                    continue
                verb, method_param = inner.default_verb, None
                if inner.method_param is not None and inner.method_param < len(args):
                    method_param = self._param(args[inner.method_param], fn)
                    verb = "?" if method_param is not None else (self._argument(args[inner.method_param], fn) or "?").upper()
                self.by_name[fn.name] = dataclasses.replace(inner, name=fn.name, path_param=path_param,
                                                            method_param=method_param, default_verb=verb)
                self.hands_to[fn.name] = inner.name
                added = True
            if not added:
                return

    def exports(self) -> tuple[RequestWrapperExport, ...]:
        return tuple(sorted(self.by_name.values(), key=lambda w: w.name))

    def is_inner(self, call) -> bool:
        """A wrapper's own request, when a call in this file stands for it."""
        return self.inner.get(call.start_byte) in self.called

    # --- wrappers ---------------------------------------------------------------------------
    def _wrapper(self, chain: list[str], call, fn: Function) -> RequestWrapperExport | None:
        args, last = arguments(call), chain[-1]
        if last in _REQUEST_ARGS:
            verb_at, url_at = _REQUEST_ARGS[last]
            if len(args) <= url_at:
                return None
            verb_node, url = args[verb_at], args[url_at]
        elif last in _FIXED_VERB and args:
            verb_node, url = None, args[0]
        else:
            return None
        split = self._split(self._local_value(url, fn), fn)
        if split is None:
            return None
        head, tail = split
        path_param = self._param(tail, fn)
        match = STRIPE_API_URL.match(head) if path_param is not None else None
        prefix = (match.group("path") or "").rstrip("/") if match else None
        if prefix not in _BASE_PATHS:
            return None
        method_param = self._param(verb_node, fn)
        verb = _FIXED_VERB[last] if verb_node is None else ("?" if method_param is not None
                                                             else self.requests.verb(verb_node, fn))
        return RequestWrapperExport(fn.name, path_param, method_param, verb, account=self.requests.account(fn),
                                    prefix=prefix)

    def _local_value(self, node, fn: Function):
        """`url := base + path` then `http.NewRequest(method, url, body)`: the expression assigned."""
        if node.type == "identifier":
            found = [b for b in fn.names.get(text(node), []) if b.value is not None and b.param is None]
            if len(found) == 1 and not found[0].index:
                return found[0].value
        return node

    def _split(self, node, fn: Function) -> tuple[str, object] | None:
        """(the static text before the last part, the last part) of `base + path` or
        `fmt.Sprintf("%s%s", base, path)`."""
        if node.type == "binary_expression" and text(node.child_by_field_name("operator")) == "+":
            return self.requests.url(node.child_by_field_name("left"), fn) or "", node.child_by_field_name("right")
        chain = selector_chain(node.child_by_field_name("function")) if node.type == "call_expression" else None
        args = arguments(node) if chain and chain[-1] == "Sprintf" else []
        form = self.requests.url(args[0], fn) if len(args) >= 2 else None
        if form is None or not _LAST_VERB.search(form):
            return None
        values = iter(args[1:-1])
        head = _VERB.sub(lambda m: self.requests.url(next(values, None), fn) or "{}", _LAST_VERB.sub("", form))
        return head, args[-1]

    @staticmethod
    def _param(node, fn: Function) -> int | None:
        if node is None or node.type != "identifier":
            return None
        return next((b.param for b in fn.names.get(text(node), []) if b.param is not None), None)

    # --- calls of wrappers ------------------------------------------------------------------
    def read_calls(self, out) -> None:
        """Every call of a wrapper: a request now when the wrapper is in this file, else pending."""
        for _, call in self.m.calls:
            callee = call.child_by_field_name("function")
            if callee is None or not arguments(call):
                continue
            fn = self.m.function_at(call)
            target = self._callee(callee, fn)
            if target is None or (target[1] is None and target[0] not in self.by_name):
                continue  # no call, or a function of this file that is no wrapper
            used = set(self.requests.used)  # reading an argument is no request reading its URL
            args = tuple(self._argument(a, fn) for a in arguments(call))
            self.requests.used = used
            name, binding, member = target
            wrapper = self.by_name.get(name) if binding is None else None
            if wrapper is not None:
                request = wrapper_request(wrapper, args, (), self.ev.pos(call))
                if request is not None:
                    while name is not None and name not in self.called:  # and the wrappers it hands on to
                        self.called.add(name)
                        name = self.hands_to.get(name)
                    out.raw.append(request)
            elif binding is not None and any(looks_like_path(a) for a in args):
                out.imports.add(binding)
                out.pending_requests.append(PendingRequest(binding.local, member, args, (), self.ev.pos(call)))

    def _callee(self, callee, fn: Function | None):
        """(the callee's name here, the binding it is pending on or None, the member after it)."""
        if callee.type == "identifier":
            name = text(callee)
            if name in BUILTINS or (fn is not None and name in fn.names) or name in self.m.globals.names:
                return None  # a builtin, or a function value: not followed
            if name in self.m.by_name:
                return name, None, None
            return name, ImportBinding(name, ".", name), None
        if callee.type != "selector_expression":
            return None
        method = text(callee.child_by_field_name("field"))
        owner = self.ev.value(callee.child_by_field_name("operand"), fn)
        if isinstance(owner, Struct):
            name = f"{owner.name}.{method}"
            if name in self.m.by_name:
                return name, None, None
            return name, ImportBinding(owner.name, ".", owner.name), method
        if isinstance(owner, GoPending) and owner.package and not owner.factory:  # `stripex.Do(...)`
            member = ".".join(owner.members + (method,))
            return member, ImportBinding(owner.local, owner.package, "*"), member
        return None

    def _argument(self, node, fn: Function | None) -> str | None:
        """An argument as a static string (`{}` for the parts that are not), None when it is none
        at all (a value of unknown text, which no path is)."""
        chain = selector_chain(node)
        if chain and chain[-1] in VERB_CONSTANTS:  # `http.MethodPost`
            return VERB_CONSTANTS[chain[-1]]
        value = self.requests.url(node, fn)
        return None if value == "{}" and node.type == "identifier" else value

