"""Requests by verb and path in a Ruby file: the SDK's `Stripe.raw_request(:get, "/v1/...")` /
`client.raw_request(...)`, and HTTP requests written against `https://api.stripe.com/v1/...` with
Net::HTTP, HTTParty, Faraday, RestClient or http.rb.

A URL is read where its string is written (`"https://api.stripe.com/v1/invoices/#{id}/void"`,
`BASE + "/customers"`, `"#{STRIPE_API}/charges"` with the base in a constant); the verb from the
call that sends it (`Net::HTTP::Post.new(uri)`, `HTTParty.post(url)`, `method: :delete`), also
when the URL is first held in a local (`uri = URI(...)`); the account from the method that makes
the request: a `Stripe-Account` header or an account's OAuth token there is the installing
account, the process's own key from the environment the platform, anything else unknown.
"""

from __future__ import annotations

import re

from stripe_perm_lint.facts import BaseUrlExport, ImportBinding, PendingBaseUrlRequest, RawRequest
from stripe_perm_lint.parse.ruby import values as v
from stripe_perm_lint.parse.ruby.evaluator import RubyEvaluator
from stripe_perm_lint.parse.ruby.scope import METHODS, enclosing
from stripe_perm_lint.parse.ruby.url_methods import origins, reached, url_method
from stripe_perm_lint.parse.ruby.syntax import (
    arguments, constant_path, keyword_arguments, method_name, string_value, symbol_value, text, walk,
)
from stripe_perm_lint.parse.stripe_urls import request_account
from stripe_perm_lint.parse.vocabulary import OAUTH_KEY_TEXT, STRIPE_API_URL

VERBS = ("get", "post", "put", "patch", "delete")
# The SDK's requests by verb and path: `Stripe.raw_request` / `client.raw_request` (13.0+), and
# `Stripe::APIResource.request` / `.execute_resource_request` of older releases.
_SDK_RAW = ("raw_request", "request", "execute_resource_request")
_ACCOUNT_HEADER = re.compile(r"stripe[-_]account", re.IGNORECASE)
_PROCESS_KEY = re.compile(r"\bENV\b|credentials|\bSettings\b")
_BASES = ("", "/", "/v1", "/v1/", "/v2", "/v2/")
_VERSIONED = ("/v1/", "/v2/")
_MAX_DEPTH = 4


class RawReader:
    def __init__(self, ev: RubyEvaluator, pos, legacy_default) -> None:
        self.ev = ev
        self.pos = pos
        self.legacy_default = legacy_default  # CallReader._legacy_default: the global key's account
        self.requests: list[RawRequest] = []
        self.url_exports: list[BaseUrlExport] = []  # methods returning a Stripe URL no request here sends
        self.pending: list[PendingBaseUrlRequest] = []  # requests of a URL another file's method returns
        self.imports: list[ImportBinding] = []

    def read(self, root) -> None:
        for node in walk(root):
            if node.type == "call" and method_name(node) in _SDK_RAW:
                self._sdk_raw(node)
            elif node.type == "call" and _call_verb(node) and constant_path(node.child_by_field_name("receiver")):
                self._url_from_elsewhere(node)  # `Net::HTTP::Get.new(uri)`, `HTTParty.get(url)`: not `params.delete(k)`
            elif node.type in ("string", "binary") and not _part_of_larger(node):
                self._url(node)

    # --- the SDK's raw requests -------------------------------------------------------------

    def _sdk_raw(self, node) -> None:
        receiver = self.ev.value(node.child_by_field_name("receiver")) if node.child_by_field_name("receiver") else None
        name = method_name(node)
        if isinstance(receiver, v.SdkConst) and (receiver.path == "") == (name == "raw_request"):
            default = self.legacy_default(node)  # `Stripe.raw_request`, 5.x-12.x `Stripe::APIResource.request`
        elif isinstance(receiver, v.ClientChain) and not receiver.chain and name == "raw_request":
            default = receiver.account
        else:
            return
        args = arguments(node)
        if name != "raw_request" and not (len(args) > 1 and args[0].type == "simple_symbol"):
            return  # `Stripe::Customer.request` is no request by verb and path
        verb = symbol_value(args[0]) if args else None
        path = self.url_text(args[1]) if len(args) > 1 else None
        found = self.ev.options_account(args[2:])
        account = "installing" if found == "installing" else default
        path = _normalise(path) if path and path.startswith("/") else "{}"
        self.requests.append(RawRequest((verb or "?").upper(), path, self.pos(node), request_account(path, account)))

    # --- HTTP requests to api.stripe.com ---------------------------------------------------------

    def _url(self, node) -> None:
        if "api.stripe.com" not in text(node) and node.type == "string" and not any(
                c.type == "interpolation" for c in node.named_children):
            return
        url = self.url_text(node)
        match = STRIPE_API_URL.match(url or "")
        if match is None or (match.group("path") or "") in _BASES or not match.group("path").startswith(_VERSIONED):
            return  # not Stripe's, not an API endpoint (`/healthcheck`), or a base URL other strings build on
        path = _normalise(match.group("path"))
        if _concatenated_after(node) and path.endswith("/"):
            path += "{}"
        method = enclosing(node, METHODS)
        account = _account_of([text(method) if method is not None else text(_statement(node))])
        owner = url_method(node) if account == "unknown" else None
        sent = self._sent(owner) if owner is not None else set()
        for verb, account in sorted(sent) or [(self._verb(node), account)]:
            self.requests.append(RawRequest(verb, path, self.pos(node), request_account(path, account)))
        if owner is not None and not sent:  # its requests may be made in another file (``ruby_links``)
            self.url_exports.append(BaseUrlExport(f"#{text(owner.child_by_field_name('name'))}", url))

    def _url_from_elsewhere(self, request) -> None:
        """`Net::HTTP::Get.new(uri)` with `uri = config.invoices_uri.dup`: a pending request of the
        URL the method `invoices_uri` of another file returns, with this request's verb and account."""
        url = keyword_arguments(request).get("url") or next((a for a in arguments(request) if a.type != "pair"), None)
        for origin, through in origins(self.ev.scope, url) if url is not None else ():
            name = f"#{method_name(origin)}"
            account = _account_of([text(m) for m in [*through, enclosing(request, METHODS)] if m is not None])
            self.imports.append(ImportBinding(name, "", name))
            self.pending.append(PendingBaseUrlRequest(name, None, "", _call_verb(request), self.pos(origin), account))

    def _sent(self, owner) -> set[tuple[str, str]]:
        """(verb, account) of each request of this file sending what the method ``owner``
        returns: read where it is sent (``url_methods``)."""
        by_call: dict[int, list] = {}
        for method, holder, call in reached(self.ev.scope, owner):
            by_call.setdefault(call.start_byte, [call]).append((method, holder))
        found = set()
        for call, *places in by_call.values():
            verb = next((v for v in map(_call_verb, _enclosing_calls(call)) if v), None)
            for method, holder in places:
                for sender in walk(method) if holder and verb is None and method is not None else ():
                    if sender.type == "call" and any(text(a) == holder for a in arguments(sender)):
                        verb = verb or _call_verb(sender)
            found.add((verb or "GET", _account_of([text(m) for m, _ in places if m is not None])))
        return found

    def url_text(self, node, depth: int = 0) -> str | None:
        """A string with its interpolations and `+` parts read where they name a constant or local
        string; other parts are `{}`."""
        if node is None or depth > _MAX_DEPTH:
            return None
        if node.type == "binary" and text(node.child_by_field_name("operator") or node) == "+":
            left = self.url_text(node.child_by_field_name("left"), depth + 1)
            right = self.url_text(node.child_by_field_name("right"), depth + 1)
            return (left or "{}") + (right or "{}")
        if node.type in ("constant", "identifier"):
            bound = self.ev.scope.constants.get(text(node), [None])[-1] if node.type == "constant" \
                else self.ev.scope.local_value(node)
            return self.url_text(bound, depth + 1) if bound is not None else None
        if node.type == "call" and method_name(node) in ("URI", "parse", "freeze"):  # `URI(url)`, `URI.parse(url)`
            inner = arguments(node)[0] if arguments(node) else node.child_by_field_name("receiver")
            return self.url_text(inner, depth + 1) if inner is not None else None

        def part(interpolation) -> str:
            inner = interpolation.named_children
            found = self.url_text(inner[0], depth + 1) if len(inner) == 1 else None
            return found if found is not None else "{}"

        return string_value(node, part)

    def _verb(self, node) -> str:
        """The verb of the call that sends the URL, or of a call in the same method that sends the
        local holding it (`uri = URI(url)`; `Net::HTTP::Post.new(uri)`); GET when none says."""
        for call in _enclosing_calls(node):
            found = _call_verb(call)
            if found:
                return found
        holder = _assigned_name(node)
        # a local is sent in its method; a constant (`CHARGES_URL = "https://..."`) anywhere in the file
        where = (enclosing(node, METHODS) or self.ev.scope.root) if holder and holder[:1].islower() else self.ev.scope.root
        if holder is not None and where is not None:
            for call in walk(where):
                if call.type == "call" and any(text(a) == holder for a in arguments(call)):
                    found = _call_verb(call)
                    if found:
                        return found
        return "GET"


def _account_of(contexts: list[str]) -> str:
    """A `Stripe-Account` header or an account's OAuth token in the code making the request: the
    installing account; the process's own key from the environment: the platform; else unknown."""
    if any(_ACCOUNT_HEADER.search(c) or OAUTH_KEY_TEXT.search(c) for c in contexts):
        return "installing"
    return "platform" if any(_PROCESS_KEY.search(c) for c in contexts) else "unknown"


def _call_verb(call) -> str | None:
    name = method_name(call) or ""
    receiver = call.child_by_field_name("receiver")
    if name == "new" and receiver is not None:  # `Net::HTTP::Post.new(uri)`
        last = (constant_path(receiver) or "").rsplit("::", 1)[-1].lower()
        return last.upper() if last in VERBS else None
    if name in VERBS or name in ("post_form",):
        return "POST" if name == "post_form" else name.upper()
    verb = symbol_value(keyword_arguments(call).get("method"))  # `RestClient::Request.execute(method: :post)`
    return verb.upper() if verb and verb.lower() in VERBS else None


def _enclosing_calls(node):
    current = node.parent
    while current is not None and current.type not in METHODS + ("body_statement",):
        if current.type == "call":
            yield current
        current = current.parent


def _assigned_name(node) -> str | None:
    current = node.parent
    while current is not None and current.type in ("call", "argument_list", "parenthesized_statements", "binary"):
        current = current.parent
    if current is not None and current.type == "assignment":
        left = current.child_by_field_name("left")
        return text(left) if left is not None and left.type in ("identifier", "constant") else None
    return None


def _part_of_larger(node) -> bool:
    """A string inside a `+` chain or another string's interpolation is read with the whole."""
    parent = node.parent
    return parent is not None and (parent.type == "binary" and text(parent.child_by_field_name("operator") or parent) == "+"
                                   or parent.type == "interpolation")


def _concatenated_after(node) -> bool:
    parent = node.parent
    return parent is not None and parent.type == "binary" and parent.child_by_field_name("left") == node


def _statement(node):
    while node.parent is not None and node.parent.type not in ("body_statement", "program", "then", "else"):
        node = node.parent
    return node


def _normalise(path: str) -> str:
    """`/v1/customers/{}/sources?limit=3` -> `/v1/customers/{}/sources`; dynamic segments `{}`."""
    path = path.split("?", 1)[0]
    return "/".join("{}" if "{" in s or "#" in s else s for s in path.split("/"))
