"""Raw requests to the Stripe API in a Go file: `stripe.RawRequest(http.MethodPost, "/v1/...", ...)`
and the same method on a client, and plain HTTP written against `https://api.stripe.com/v1/...`
(`http.NewRequest("POST", url, body)`, `http.Get(url)`, `http.PostForm(url, form)`, and a
request builder's `.Post(url)`). The URL is read from literals, `+`, `fmt.Sprintf` and constants,
`{}` for what is not static. The account is the function's: a `Stripe-Account` header or an OAuth
token in `Authorization` is the installing account; the key set by `SetBasicAuth` says whose.

A Stripe URL literal that reaches no request the parser recognises is still a request
(the URL scan of docs/semantics.md §14 counted it): GET, of unknown account, at the literal.
"""

from __future__ import annotations

import re

from stripe_perm_lint.facts import RawRequest
from stripe_perm_lint.parse.go.scope import Function
from stripe_perm_lint.parse.go.syntax import arguments, selector_chain, string_value, text, walk_types
from stripe_perm_lint.parse.go.values import GoClient, GoEvaluator, Str, Struct, merge_accounts
from stripe_perm_lint.parse.stripe_urls import request_account
from stripe_perm_lint.parse.vocabulary import OAUTH_KEY_TEXT, STRIPE_API_URL

_HTTP_VERBS = {"Get": "GET", "Head": "HEAD", "Post": "POST", "PostForm": "POST", "Delete": "DELETE", "Put": "PUT",
               "Patch": "PATCH"}
VERB_CONSTANTS = {"MethodGet": "GET", "MethodPost": "POST", "MethodDelete": "DELETE", "MethodPut": "PUT",
                  "MethodPatch": "PATCH", "MethodHead": "HEAD"}
_FORMAT_VERB = re.compile(r"%[-+# 0-9.]*[a-zA-Z]")
_DYNAMIC_SEGMENT = re.compile(r"%[-+# 0-9.]*[a-zA-Z]|[{$]")  # `/v1/invoices/%s` as a format string
_ACCOUNT_HEADER = re.compile(r"(?i)^stripe-account$|^stripe-context$")


class RequestReader:
    def __init__(self, ev: GoEvaluator, out) -> None:
        self.ev = ev
        self.out = out
        self.used: set[int] = set()  # start bytes of the URL literals a recognised request reads

    def read(self, chain: list[str] | None, call, fn: Function | None) -> None:
        if not chain:
            return
        args, last = arguments(call), chain[-1]
        if last == "RawRequest" and len(args) >= 2:
            path = self.url(args[1], fn)
            if path is not None and path.startswith("/v"):
                self._emit(self.verb(args[0], fn), path, call, fn, chain)
        elif last in ("NewRequest", "NewRequestWithContext"):
            at = 1 if last == "NewRequestWithContext" else 0
            if len(args) > at + 1:
                self._url_request(self.verb(args[at], fn), args[at + 1], call, fn)
        elif last in _HTTP_VERBS and args:
            self._url_request(_HTTP_VERBS[last], args[0], call, fn)

    def _url_request(self, verb: str, node, call, fn: Function | None) -> None:
        url = self.url(node, fn)
        match = STRIPE_API_URL.match(url) if url else None
        if match and match.group("path"):
            self._emit(verb, match.group("path"), call, fn)

    def _emit(self, verb: str, path: str, call, fn: Function | None, chain: list[str] | None = None) -> None:
        account = self.account(fn)
        if chain and len(chain) >= 2 and account == "unknown":  # `sc.RawRequest(...)`: its client's key
            client = self.ev.value(call.child_by_field_name("function").child_by_field_name("operand"), fn)
            account = client.account if isinstance(client, GoClient) else ("platform" if chain == ["stripe", "RawRequest"]
                                                                         else account)
        self.out.raw.append(RawRequest(verb, path, self.ev.pos(call), request_account(path, account)))

    def verb(self, node, fn: Function | None) -> str:
        chain = selector_chain(node)
        if chain and chain[-1] in VERB_CONSTANTS:
            return VERB_CONSTANTS[chain[-1]]
        value = self.ev.value(node, fn)
        return value.value.upper() if isinstance(value, Str) and value.value else "?"

    def url(self, node, fn: Function | None, depth: int = 0) -> str | None:
        """The static text of a URL expression, `{}` for each part that is not."""
        if node is None or depth > 8:
            return "{}"
        literal = string_value(node)
        if literal is not None:
            self.used.add(node.start_byte)
            return literal
        if node.type == "parenthesized_expression" and node.named_children:
            return self.url(node.named_children[0], fn, depth + 1)
        if node.type == "binary_expression" and text(node.child_by_field_name("operator")) == "+":
            return (self.url(node.child_by_field_name("left"), fn, depth + 1) or "{}") + \
                (self.url(node.child_by_field_name("right"), fn, depth + 1) or "{}")
        if node.type == "call_expression":
            chain = selector_chain(node.child_by_field_name("function")) or []
            args = arguments(node)
            if chain[-1:] == ["Sprintf"] and args:
                form = self.url(args[0], fn, depth + 1) or "{}"
                return _FORMAT_VERB.sub("{}", form.replace("%%", "%"))
            return "{}"
        if node.type == "selector_expression":  # `s.base`: what the file sets the field to, when one value
            owner = self.ev.value(node.child_by_field_name("operand"), fn)
            field = text(node.child_by_field_name("field"))
            set_to = self.ev.m.member_values.get((owner.name, field), []) if isinstance(owner, Struct) else []
            found = {self.url(value, where, depth + 1) for value, where in set_to}
            return found.pop() if len(found) == 1 else "{}"
        if node.type == "identifier":
            bindings = [b for b in self.ev.bindings(text(node), fn) if b.value is not None and not b.index]
            if len(bindings) == 1:
                inner_fn = fn if fn is not None and text(node) in fn.names else None
                return self.url(bindings[0].value, inner_fn, depth + 1)
        return "{}"

    def account(self, fn: Function | None) -> str:
        """What the function's requests carry: `req.Header.Set("Stripe-Account", acct)`, an
        `Authorization` with an OAuth token, `req.SetBasicAuth(key, "")`."""
        if fn is None:
            return "unknown"
        found = []
        for chain, call in self.ev.m.calls_in(fn):
            if not chain:
                continue
            args = arguments(call)
            if chain[-1] in ("Set", "Add", "SetHeader") and len(args) == 2:
                name = string_value(args[0]) or ""
                if _ACCOUNT_HEADER.match(name):
                    found.append("installing")
                elif name.lower() == "authorization":
                    found.append("installing" if OAUTH_KEY_TEXT.search(text(args[1])) else self._key(args[1], fn))
            elif chain[-1] in ("SetBasicAuth", "SetAuthToken") and args:
                found.append(self.ev.key_account(args[0], fn))
        known = [a for a in found if a != "unknown"]
        return merge_accounts(known) if known else "unknown"

    def _key(self, node, fn: Function | None) -> str:
        """`"Bearer " + key`: the key's account."""
        parts = [n for n in walk_types(node, "identifier", "selector_expression", "call_expression")
                 if n.parent is not None and n.parent.type == "binary_expression"] or [node]
        return merge_accounts([self.ev.key_account(p, fn) for p in parts])

    def unread_urls(self, root) -> None:
        """Stripe URL literals no recognised request reads (kept as the URL scan counted them)."""
        for node in walk_types(root, "interpreted_string_literal", "raw_string_literal"):
            literal = string_value(node) or ""
            match = STRIPE_API_URL.match(literal)
            path = match.group("path") if match else None
            if node.start_byte in self.used or not path or path.rstrip("/").count("/") < 2:
                continue
            path = "/".join("{}" if _DYNAMIC_SEGMENT.search(part) else part for part in path.split("/"))
            self.out.raw.append(RawRequest("GET", path, self.ev.pos(node), request_account(path, "unknown")))
