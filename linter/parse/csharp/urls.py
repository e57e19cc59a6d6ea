"""HTTP requests written against the Stripe API in C#: a string naming `https://api.stripe.com/v1/...`
(a literal, an interpolated string, a concatenation) sent with `HttpClient`
(`PostAsync(url, ...)`, `GetAsync`, `DeleteAsync`, `new HttpRequestMessage(HttpMethod.Delete, url)`),
directly or through a variable. A URL that is only a version prefix (`"https://api.stripe.com/v1/"`
held in a field or const) is read where it is joined to a literal (`BaseUrl + "customers"`)."""

from __future__ import annotations

import re

from stripe_perm_lint.facts import RawRequest
from stripe_perm_lint.parse.csharp.syntax import CLASSES, FUNCTIONS, NodeIndex, arguments, callee_parts, enclosing, template, text, unwrap, walk
from stripe_perm_lint.parse.positions import Positions
from stripe_perm_lint.parse.stripe_urls import request_account
from stripe_perm_lint.parse.vocabulary import OAUTH_KEY_TEXT, STRIPE_API_URL

STRINGS = ("string_literal", "verbatim_string_literal", "raw_string_literal", "interpolated_string_expression")
# HttpClient's methods by verb (`GetFromJsonAsync`, `PostAsJsonAsync` included).
_CLIENT_VERB = re.compile(r"^(Get|Post|Put|Patch|Delete)(?:Async|StringAsync|StreamAsync|ByteArrayAsync|FromJsonAsync|AsJsonAsync)$")
_ACCOUNT_HEADER = re.compile(r"Stripe-Account", re.IGNORECASE)


def read_requests(index: NodeIndex, positions: Positions) -> list[RawRequest]:
    out = []
    prefixes: dict[str, str] = {}  # name of a field / const / local holding a bare version prefix
    for node in index.of(*STRINGS):
        if "api.stripe.com" not in text(node):
            continue
        whole = _outermost_concatenation(node)
        if whole.id != node.id and _first_string(whole).id != node.id:  # read once, from its first string
            continue
        written = template(whole)
        match = STRIPE_API_URL.match(written or "")
        if match is None or not (match.group("path") or "").startswith(("/v1/", "/v2/")):
            continue
        path = _path(match.group("path"))
        if path in ("/v1/", "/v2/") and whole.parent is not None and whole.parent.type in ("variable_declarator", "equals_value_clause"):
            declarator = whole.parent if whole.parent.type == "variable_declarator" else whole.parent.parent
            prefixes[text(declarator.child_by_field_name("name"))] = path
            continue
        out.append(_request(whole, path, positions))
    for node in index.of("binary_expression") if prefixes else ():
        if text(node.child_by_field_name("operator")) == "+" \
                and text(unwrap(node.child_by_field_name("left"))) in prefixes \
                and (node.parent is None or node.parent.type != "binary_expression"):
            rest = template(node.child_by_field_name("right"))
            path = prefixes[text(unwrap(node.child_by_field_name("left")))] + _path("/" + (rest or "{}")).lstrip("/")
            out.append(_request(node, path, positions))
    return out


def _outermost_concatenation(node):
    while node.parent is not None and node.parent.type == "binary_expression" \
            and text(node.parent.child_by_field_name("operator")) == "+":
        node = node.parent
    return node


def _first_string(node):
    while node.type == "binary_expression":
        node = node.child_by_field_name("left")
    return node


def _path(raw: str) -> str:
    """`/v1/customers/{}/sources?limit=3` -> `/v1/customers/{}/sources`; a path ending in `/` is
    followed by a part the code adds (`"/v1/customers/" + id` is read whole by ``template``)."""
    raw = raw.split("?", 1)[0]
    path = "/".join("{}" if "{}" in part else part for part in raw.split("/"))
    return path + "{}" if path.endswith("/") and path.count("/") > 2 else path


def _request(url, path: str, positions: Positions) -> RawRequest:
    function = enclosing(url, *FUNCTIONS)
    # Headers and tokens are set around the request: in its method, else (top-level statements,
    # a field initializer) in the class or file that holds it.
    context = text(function or enclosing(url, *CLASSES) or _root(url))
    account = "installing" if _ACCOUNT_HEADER.search(context) or OAUTH_KEY_TEXT.search(context) else "unknown"
    return RawRequest(_verb(url, function), path, positions.of(url), request_account(path, account))


def _root(node):
    while node.parent is not None:
        node = node.parent
    return node


def _verb(url, function) -> str:
    """The verb of the call the URL is sent with, itself or through the variable holding it;
    GET when none is seen (a URL used as is is read far more often than written to)."""
    sites = [url]
    holder = url.parent
    if holder is not None and holder.type == "variable_declarator" and function is not None:
        name = text(holder.child_by_field_name("name"))
        sites += [n for n in walk(function) if n.type == "identifier" and text(n) == name and n != holder.child_by_field_name("name")]
    for site in sites:
        if site.parent is None or site.parent.type != "argument" or site.parent.parent is None:
            continue
        call = site.parent.parent.parent  # argument -> argument_list -> the call
        if call is not None and call.type == "invocation_expression":
            parts = callee_parts(call)
            found = _CLIENT_VERB.match(parts[1]) if parts else None
            if found:
                return found.group(1).upper()
        elif call is not None and call.type == "object_creation_expression":  # `new HttpRequestMessage(HttpMethod.Delete, url)`
            for arg in arguments(call):
                written = text(unwrap(arg))
                if written.startswith("HttpMethod."):
                    return written.rsplit(".", 1)[1].upper()
                if written.startswith("new HttpMethod(") and '"' in written:
                    return written.split('"')[1].upper()
    return "GET"
