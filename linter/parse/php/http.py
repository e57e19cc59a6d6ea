"""Requests written against the Stripe API by URL: WordPress's ``wp_remote_*``, curl, Guzzle-like
clients (``$http->request('POST', $url)``, ``$http->post($url)``) and any other call handed a URL
the walk built (`'https://api.stripe.com/v1/' . 'customers'`, a ``define``d base, `"{$base}/{$id}"`).

The request is read where the URL is used: the verb from the call (``wp_remote_post``, an
options ``'method' =>``, ``CURLOPT_CUSTOMREQUEST`` / ``CURLOPT_POST`` set on the handle in the same
function), the account from its headers (a ``Stripe-Account`` header or an OAuth token,
docs/semantics.md §6). A Stripe URL no call consumes is still a request, at its literal, as the
URL scan of unparsed languages reads it (``stripe_urls``)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from stripe_perm_lint.facts import RawRequest
from stripe_perm_lint.parse.php.accounts import header_account
from stripe_perm_lint.parse.php.syntax import FUNCTIONS, array_entries, arguments, member_name, string_value, walk
from stripe_perm_lint.parse.php.values import URL_FUNCTIONS, PhpArray, PhpScope, PhpText
from stripe_perm_lint.parse.stripe_urls import endpoint_path, request_account
from stripe_perm_lint.parse.vocabulary import STRIPE_API_URL

if TYPE_CHECKING:
    from stripe_perm_lint.parse.php.parser import PhpWalker

_VERBS = ("GET", "POST", "PUT", "PATCH", "DELETE")
# WordPress's HTTP API: the verb its name says (`wp_remote_request` takes `'method' =>`).
_WORDPRESS = {"wp_remote_get": "GET", "wp_safe_remote_get": "GET", "wp_remote_post": "POST",
              "wp_safe_remote_post": "POST", "wp_remote_head": "GET", "wp_remote_request": "GET",
              "wp_safe_remote_request": "GET"}
_CURL = frozenset({"curl_init", "curl_setopt", "curl_setopt_array"})


class PhpHttpReader:
    def __init__(self, walker: "PhpWalker") -> None:
        self.w = walker
        self.found: list[RawRequest] = []
        self.consumed: set[int] = set()  # start bytes of URL literals a request was read from

    def function_call(self, node, scope: PhpScope) -> None:
        name = self.w.src.text(node.child_by_field_name("function")).lstrip("\\").lower()
        args = arguments(node)
        if name in _CURL:
            self._curl(node, name, args, scope)
            return
        if name in URL_FUNCTIONS or name in ("define", "constant"):  # builds a URL, names a base: no request
            return
        for arg in args:
            self._request(node, arg, args, scope, _WORDPRESS.get(name, "GET"))

    def member_call(self, node, scope: PhpScope) -> None:
        name = (member_name(node, self.w.src) or "").lower()
        args = arguments(node)
        if name in ("request", "requestasync", "createrequest") and len(args) > 1:
            verb = (string_value(args[0], self.w.src) or "?").upper()
            self._request(node, args[1], args, scope, verb if verb in _VERBS else "?")
            return
        implied = name.removesuffix("async").upper()
        for arg in args:
            self._request(node, arg, args, scope, implied if implied in _VERBS else "GET")

    def _curl(self, node, name: str, args, scope: PhpScope) -> None:
        if name == "curl_init" and args:
            url = args[0]
        elif name == "curl_setopt" and len(args) == 3 and self.w.src.text(args[1]).endswith("CURLOPT_URL"):
            url = args[2]
        elif name == "curl_setopt_array" and len(args) == 2 and isinstance(self.w.ev.value(args[1], scope), PhpArray):
            array = self.w.ev.value(args[1], scope).node
            url = next((v for _, k, v in array_entries(array, self.w.src)
                        if k is not None and self.w.src.text(k).endswith("CURLOPT_URL")), None)
        else:
            return
        if url is not None:
            verb, headers = self._curl_options(node, scope)
            self._request(node, url, [], scope, verb, headers)

    def _curl_options(self, node, scope: PhpScope) -> tuple[str, list[str]]:
        """The verb and headers set on curl handles in the function around ``node``."""
        around = node
        while around.parent is not None and around.type not in FUNCTIONS:
            around = around.parent
        verb, headers = "GET", []
        for option, value in self._curl_settings(around, scope):
            if option == "CURLOPT_CUSTOMREQUEST":
                literal = (string_value(value, self.w.src) or "?").upper()
                verb = literal if literal in _VERBS else "?"
            elif option in ("CURLOPT_POST", "CURLOPT_POSTFIELDS") and verb == "GET":
                verb = "POST"
            elif option == "CURLOPT_HTTPHEADER":
                headers += self._texts(value, scope)
        return verb, headers

    def _curl_settings(self, around, scope: PhpScope):
        src = self.w.src
        for call in walk(around):
            if call.type != "function_call_expression":
                continue
            name = src.text(call.child_by_field_name("function")).lstrip("\\").lower()
            args = arguments(call)
            if name == "curl_setopt" and len(args) == 3:
                yield src.text(args[1]).lstrip("\\"), args[2]
            elif name == "curl_setopt_array" and len(args) == 2:
                held = self.w.ev.value(args[1], scope)
                for _, key, value in array_entries(held.node, src) if isinstance(held, PhpArray) else ():
                    if key is not None:
                        yield src.text(key).lstrip("\\"), value

    def _request(self, call, arg, args, scope: PhpScope, verb: str, headers: list[str] = ()) -> None:
        held = self.w.ev.value(arg, scope)
        if not isinstance(held, PhpText):
            return
        match = STRIPE_API_URL.match(held.text)
        if match is None or not (match.group("path") or "").startswith(("/v1/", "/v2/")):
            return
        self.consumed.update(n.start_byte for n in held.origins)
        if not self.w.emit:
            return
        for option in args:
            options = self.w.ev.value(option, scope)
            for key, _, value in array_entries(options.node, self.w.src) if isinstance(options, PhpArray) else ():
                if key is not None and key.lower() == "method":
                    literal = (string_value(value, self.w.src) or "?").upper()
                    verb = literal if literal in _VERBS else "?"
        path = endpoint_path(match.group("path"))
        account = "installing" if header_account([*headers, *(t for a in args for t in self._texts(a, scope))]) else "unknown"
        # At the URL's literal when it is written in the call, else at the argument that carries it.
        first = held.origins[0] if held.origins else arg
        at = first if arg.start_byte <= first.start_byte < arg.end_byte else arg
        self.found.append(RawRequest(verb, path, self.w.pos(at), request_account(path, account)))

    def _texts(self, node, scope: PhpScope, depth: int = 0) -> list[str]:
        """The source of an argument and of what the variables in it were last assigned."""
        out = [self.w.src.text(node)]
        if depth < 3:
            for name in (n for n in walk(node) if n.type == "variable_name"):
                source = scope.sources.get(self.w.src.text(name))
                if source is not None:
                    out += self._texts(source, scope, depth + 1)
        return out

    def unconsumed_urls(self) -> None:
        """Stripe URLs no recognised use consumed: requests at their literal, GET, account unknown."""
        for node in walk(self.w.root):
            if node.type not in ("string", "encapsed_string") or node.start_byte in self.consumed:
                continue
            if node.parent is not None and node.parent.type in ("string", "encapsed_string"):
                continue
            held = self.w.ev.value(node, self.w.file_scope)
            match = STRIPE_API_URL.match(held.text) if isinstance(held, PhpText) else None
            if match is not None and (match.group("path") or "").startswith(("/v1/", "/v2/")):
                path = endpoint_path(match.group("path"))
                self.found.append(RawRequest("GET", path, self.w.pos(node), request_account(path, "unknown")))
